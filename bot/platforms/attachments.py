"""Files larger than a platform takes (Discord's per-interaction `attachment_size_limit`, Telegram's 50 MB for
a bot's upload): compressed into a zip when that is enough, split into numbered parts when it is not, and
a sentence in the person's language saying what was done and how to put the parts back together."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from bot.i18n import _
from bot.presentation import Attachment

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # a fixed date: the same file gives the same zip


def fit(attachments: tuple[Attachment, ...], limit: int, platform: str) -> tuple[tuple[Attachment, ...], list[str]]:
    """`attachments`, each at most `limit` bytes, and what the person must be told about the changes."""
    fitted: list[Attachment] = []
    notes: list[str] = []
    size = _megabytes(limit)
    for attachment in attachments:
        if len(attachment.data) <= limit:
            fitted.append(attachment)
            continue
        packed = attachment if attachment.filename.endswith(".zip") else _zipped(attachment)
        if len(packed.data) <= limit:
            fitted.append(packed)
            notes.append(_("{name} is larger than {platform} takes here ({size} MB), so it comes compressed as "
                           "{packed}.", name=attachment.filename, platform=platform, size=size,
                           packed=packed.filename))
            continue
        parts = [replace(packed, filename=f"{packed.filename}.{number:03}", data=packed.data[start:start + limit],
                         media_type="application/octet-stream")
                 for number, start in enumerate(range(0, len(packed.data), limit), start=1)]
        fitted.extend(parts)
        notes.append(_("{name} is larger than {platform} takes here ({size} MB), so it comes in {count} parts. Join "
                       "them into {packed} before opening it. On Linux or macOS: cat {packed}.0* > {packed} — on "
                       "Windows: copy /b {parts} {packed}", name=attachment.filename, platform=platform,
                       size=size, count=len(parts), packed=packed.filename,
                       parts="+".join(part.filename for part in parts)))
    return tuple(fitted), notes


def _zipped(attachment: Attachment) -> Attachment:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        info = zipfile.ZipInfo(attachment.filename, date_time=ZIP_TIME)
        archive.writestr(info, attachment.data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return Attachment(attachment.filename + ".zip", out.getvalue(), "application/zip")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".removesuffix(".0")
