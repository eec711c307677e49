"""Files only this instance's owner may read: the data folder, the database, the pseudonym key, exports."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def make_private_folder(folder: Path) -> None:
    """Create `folder` (and any missing parents) if it is missing; the folder itself gets mode 0700
    because it holds the database and the key. An existing folder is left as the operator set it."""
    if not folder.is_dir():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` with mode 0600 so that `path` is always either absent or complete.

    A crash half-way through writing the key would leave an empty or short key, and every pseudonym
    made with it would be computable or lost; so: a temporary file in the same folder (same file
    system, so the rename is atomic), write, fsync, rename over `path`, fsync the folder (so the
    rename itself survives a power cut).
    """
    folder = path.parent
    # mkstemp creates the file with mode 0600 whatever the umask.
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)
