"""Watching end to end: a page served on loopback changes and the console prints the notice.
(/deprecations on Discord and Telegram is tested beside their other commands.)"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from tests.e2e.process import start_bot
from tests.e2e.upcoming import SOON
from tests.fakes.feed_server import FeedServer

PAGE = """# Deprecations

## Deprecation history

### 2026-04-22: Legacy GPT model snapshots

| Shutdown date | Model snapshot | Recommended replacement |
| ------------- | -------------- | ----------------------- |
| {soon}  | `gpt-4-0613`         | `gpt-5.6-sol`           |
{extra}"""
NEW_ROW = "| {soon}  | `gpt-4o-2024-05-13`  | `gpt-5.6-sol`           |"


@pytest.fixture
async def pages() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


async def _read_until(stream: asyncio.StreamReader, marker: str) -> str:
    seen = ""
    while marker not in seen:
        line = await asyncio.wait_for(stream.readline(), 30)
        assert line, f"the console ended before printing {marker!r}; it printed:\n{seen}"
        seen += line.decode()
    return seen


async def test_a_new_row_on_a_watched_page_is_printed_in_the_console(tmp_path, pages):
    pages.serve("/openai/deprecations.md", PAGE.format(soon=SOON.strftime("%b %d, %Y"), extra=""),
                content_type="text/markdown")
    url = pages.url("/openai/deprecations.md")
    process = await start_bot(tmp_path, "console", stdin=True, WATCH_ALLOW_PRIVATE_ADDRESSES="true",
                              WATCH_ENABLED="false")
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write(f"/sources add {url} openai\n".encode())
    added = await _read_until(process.stdout, "Found 1 models.")
    assert "Source added: #" in added

    pages.serve("/openai/deprecations.md", PAGE.format(soon=SOON.strftime("%b %d, %Y"),
                                                      extra=NEW_ROW.format(soon=SOON.strftime("%b %d, %Y"))),
                content_type="text/markdown")
    process.stdin.write(b"/sources check 1\n")
    # The check answers at once; the notice reaches the console through the alerts outbox.
    printed = await _read_until(process.stdout, "gpt-4o-2024-05-13 will be retired")
    assert "Checked #1" in printed
    process.stdin.write(b"/deprecations 4o\n")
    listed = await _read_until(process.stdout, "gpt-4o-2024-05-13 · OpenAI API")
    assert "Upcoming retirements" in listed
    process.stdin.close()
    assert await asyncio.wait_for(process.wait(), 30) == 0
