"""A statement's bundle: one zip of every format's files, the JSON Schema, and `manifest.json` holding the
filters, the counts summary, the consent snapshot time, the number withdrawn, the software's version and
the SHA-256 of every other file, so a recipient can check that nothing was altered (`verify`, and
`python -m bot verify BUNDLE`).

Byte-identical for the same database and options: entries sorted by name, each dated `generated_at` (UTC;
1980-01-01 for an earlier one, the first date a zip can hold), with fixed permissions, no extra fields and
deflate at level 9. The zip's bytes are identical wherever the same zlib compresses; the files inside, and
so the manifest's hashes, are identical everywhere."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.i18n import _
from bot.statements.model import Statement
from bot.statements.render import FORMATS, PLAIN, Format, Presentation
from bot.statements.render import json as json_format
from bot.statements.render.common import iso, software_version

MANIFEST = "manifest.json"
FILE = "statement-bundle.zip"
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class BundleUnreadable(Exception):
    """The file is not a bundle that can be checked: not a zip, or no readable manifest in it."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def contents(statement: Statement, presentation: Presentation = PLAIN,
             progress: Callable[[str], None] | None = None) -> dict[str, bytes]:
    """Every registered format's files (the documents in `presentation`) and the schema, by name.
    `progress` is told each format's name once it is rendered."""
    files: dict[str, bytes] = {json_format.SCHEMA_FILE: json_format.schema_bytes()}
    for fmt in FORMATS.values():
        for name, data in fmt.render(statement, presentation).items():
            if name in files or name == MANIFEST:
                raise ValueError(f"two formats write {name}")
            files[name] = data
        if progress:
            progress(fmt.name)
    return files


def manifest(statement: Statement, presentation: Presentation, files: dict[str, bytes]) -> dict[str, Any]:
    return {
        "format": "continuity-bundle",
        "format_version": 1,
        "software": {"name": "Continuity", "version": software_version()},
        "generated_at": iso(statement.generated_at),
        "consent_snapshot": iso(statement.generated_at),
        "filters": json_format.filters_json(statement.filters),
        "options": {"threshold": statement.threshold},
        "document": {"kind": presentation.kind, "locale": presentation.locale,
                     "template": presentation.template.name if presentation.template else None},
        "summary": json_format.summary_json(statement),
        "counts": {table.name: json_format.table_json(table) for table in statement.counts.tables()},
        "withdrawn": statement.withdrawn,
        "files": {name: {"sha256": sha256(data), "bytes": len(data)} for name, data in sorted(files.items())},
    }


def _zip_time(moment: datetime) -> tuple[int, int, int, int, int, int]:
    at = moment.astimezone(UTC)
    if at.year < 1980:
        return ZIP_EPOCH
    return (min(at.year, 2107), at.month, at.day, at.hour, at.minute, at.second - at.second % 2)


def zip_bytes(files: dict[str, bytes], moment: datetime) -> bytes:
    """A deterministic zip of `files`."""
    when = _zip_time(moment)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3              # Unix, wherever it is made
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def steps() -> int:
    """How many times `bundle` reports progress: once per format, once for the zip."""
    return len(FORMATS) + 1


def bundle(statement: Statement, presentation: Presentation = PLAIN,
           progress: Callable[[str], None] | None = None) -> bytes:
    files = contents(statement, presentation, progress)
    files[MANIFEST] = json_format.dumps(manifest(statement, presentation, files))
    data = zip_bytes(files, statement.generated_at)
    if progress:
        progress("zip")
    return data


def render(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    return {FILE: bundle(statement, presentation)}


FORMAT = Format("bundle", "a zip of every format's files with manifest.json (SHA-256 of each)", (FILE,), render)


def exports() -> dict[str, Format]:
    """Every format `python -m bot export` offers: the registered ones and the bundle of them all."""
    return {**FORMATS, FORMAT.name: FORMAT}


def verify(path: str | Path) -> list[str]:
    """What in the bundle at `path` does not match its manifest, one line each: a file whose bytes differ, a
    file the manifest lists that is missing, a file the manifest does not list. Empty when all match.
    Raises `BundleUnreadable` when there is no bundle to check."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir()]
            if MANIFEST not in names:
                raise BundleUnreadable(_("{path} holds no {manifest}.", path=path, manifest=MANIFEST))
            try:
                listed = json.loads(archive.read(MANIFEST))["files"]
                expected = {str(name): str(entry["sha256"]) for name, entry in listed.items()}
            except (ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile, zlib.error,
                    EOFError) as error:
                raise BundleUnreadable(_("{path}: its {manifest} cannot be read ({reason}).", path=path,
                                         manifest=MANIFEST, reason=error)) from None
            problems = []
            for name in sorted(expected):
                if name not in names:
                    problems.append(_("{name}: missing (the manifest lists it)", name=name))
                    continue
                try:
                    data = archive.read(name)
                except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:  # e.g. a bad CRC
                    problems.append(_("{name}: differs from the manifest (unreadable: {reason})", name=name,
                                      reason=error))
                    continue
                if sha256(data) != expected[name]:
                    problems.append(_("{name}: differs from the manifest", name=name))
            problems.extend(_("{name}: not in the manifest", name=name)
                            for name in sorted(set(names) - set(expected) - {MANIFEST}))
            return problems
    except zipfile.BadZipFile as error:
        raise BundleUnreadable(_("{path} is not a zip file ({reason}).", path=path, reason=error)) from None
    except OSError as error:
        raise BundleUnreadable(_("Cannot read {path}: {reason}.", path=path, reason=error.strerror or error)) from None


def manifest_size(path: str | Path) -> int:
    """How many files the manifest of the bundle at `path` lists."""
    with zipfile.ZipFile(path) as archive:
        return len(json.loads(archive.read(MANIFEST))["files"])
