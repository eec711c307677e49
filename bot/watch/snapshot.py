"""Reading one copy of a vendor page from a file or the web: what `python -m bot extract` prints, for
moderators checking a page and for tests."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

from bot.domain import DeprecationRow, KnownRow, Notice, SourceRank
from bot.errors import UserError
from bot.i18n import N_
from bot.watch.diff import diff_rows
from bot.watch.fetch import Fetcher, default_user_agent
from bot.watch.pages import UnknownPageFamily, extract_page, family_for

_URL_IN_TEXT = re.compile(r"https?://[^\s|\"'<>)]+")


class SnapshotUnreadable(UserError):
    pass


async def read_snapshot(location: str, *, allow_private: bool = False) -> tuple[str, str | None]:
    """The text of a page copy and the URL it came from (for a file: a source URL named in its first
    lines, as saved copies often carry, else None)."""
    if location.startswith(("http://", "https://")):
        async with Fetcher(user_agent=default_user_agent(), allow_private=allow_private) as fetcher:
            fetched = await fetcher.fetch(location)
        return (fetched.body or b"").decode("utf-8", errors="replace"), fetched.url
    text = await asyncio.to_thread(_read_file, Path(location))
    return text, next(iter(_URL_IN_TEXT.findall(text[:1000])), None)


def _read_file(path: Path) -> str:
    if not path.is_file():
        raise SnapshotUnreadable(N_("No file at {path}."), path=str(path))
    return path.read_text(encoding="utf-8", errors="replace")


async def snapshot_rows(location: str, vendor: str | None = None, *, as_of: date | None,
                        allow_private: bool = False) -> list[DeprecationRow]:
    """The rows of one copy as of `as_of`, the day it was fetched (None: only the page's words retire)."""
    text, url = await read_snapshot(location, allow_private=allow_private)
    try:
        family = family_for(url, vendor)
    except UnknownPageFamily:
        raise UnknownPageFamily(location) from None
    return extract_page(text, url=url, vendor=family, as_of=as_of)


async def snapshot_notices(old: str, new: str, vendor: str | None = None, *, as_of: date,
                           old_as_of: date | None = None, allow_private: bool = False) -> list[Notice]:
    """The notices a poll would produce if the page changed from `old` (fetched on `old_as_of`) to `new`
    (fetched on `as_of`). Without `old_as_of` the old copy is read as of `as_of` too: then only what the page
    changed shows, never a status that the passing of time alone would change."""
    before = await snapshot_rows(old, vendor, as_of=old_as_of or as_of, allow_private=allow_private)
    after = await snapshot_rows(new, vendor, as_of=as_of, allow_private=allow_private)
    known = {row.key: KnownRow(row) for row in before}
    return diff_rows(known, after, source_id=0, rank=SourceRank.BUILTIN_PAGE, baseline=False, today=as_of).notices


def notice_json(notice: Notice) -> dict[str, object]:
    return {"kind": notice.kind.value, "vendor": notice.vendor, "model": notice.model,
            "from": notice.old_value, "to": notice.new_value, "detail": notice.detail}
