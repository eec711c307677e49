"""Files only this instance's owner may read: the data folder, the database, the pseudonym key, exports."""

from __future__ import annotations

import glob
import os
import tempfile
from pathlib import Path


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and any missing parents) if it is missing; the folder itself gets mode 0700
    because it holds the database and the key. An existing folder is left as the operator set it."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def private_temporary(path: Path) -> Path:
    """An empty file beside `path` (same file system, so a rename onto `path` is atomic), mode 0600
    whatever the umask (mkstemp's own). Its name holds this process's id, so that the parts a killed
    process left of `path` (an export holds people's words) are removed here, by the next write of it."""
    _remove_abandoned(path)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    os.close(fd)
    return Path(temporary)


def _remove_abandoned(path: Path) -> None:
    for part in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        writer = part.name[len(path.name) + 2:].split(".", 1)[0]
        if writer.isdigit() and not _running(int(writer)):
            part.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal sent: only whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def move_into_place(temporary: Path, path: Path) -> None:
    """fsync the finished `temporary`, rename it over `path`, fsync the folder (so the rename itself
    survives a power cut): `path` is always either what it was or complete."""
    with open(temporary, "rb+") as file:
        os.fsync(file.fileno())
    os.replace(temporary, path)
    folder_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600 so that `path` is always either absent or complete: a crash
    half-way through writing the key would leave an empty or short key, and every pseudonym made with it
    would be computable or lost."""
    temporary = private_temporary(path)
    try:
        temporary.write_bytes(data)
        move_into_place(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
