"""One copy of the research corpus read as the watch would have read it when it was fetched: at its real address
(`source_url:` in its `.source.txt`) and as of the day it shows (`copy_shows_date:`). The corpus itself comes
only from the `corpus` fixture."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.domain import DeprecationRow
from bot.watch.pages import extract_page


def source(path: Path) -> dict[str, str]:
    """The `key: value` lines of a copy's `.source.txt`."""
    text = path.with_name(f"{path.name}.source.txt").read_text(encoding="utf-8")
    return {key.strip(): value.strip() for key, sep, value in (line.partition(":") for line in text.splitlines())
            if sep}


def source_url(path: Path) -> str | None:
    """The copy's address; a remark after it ("… (front matter source has the anchor …)") is not part of it."""
    url = next(iter(source(path).get("source_url", "").split()), "")
    return url if url.startswith(("http://", "https://")) else None


def copy_day(path: Path) -> date | None:
    """The day the copy shows ("2026-02-05 (newest entry …)" → 2026-02-05); None for synthetic fixtures."""
    try:
        return date.fromisoformat(source(path).get("copy_shows_date", "")[:10])
    except ValueError:
        return None


def read_copy(corpus: Path, name: str, *, vendor: str | None = None, as_of: date | None = None) -> list[DeprecationRow]:
    """The rows of one copy as of `as_of`, by default the day it was fetched."""
    path = corpus / "pages" / name
    return extract_page(path.read_text(encoding="utf-8"), url=source_url(path), vendor=vendor,
                        as_of=as_of or copy_day(path))
