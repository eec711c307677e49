"""The vendor pages that exist at two dates in the research corpus, compared as a poll would: the
expected notices and no spurious ones."""

from __future__ import annotations

from collections import Counter
from datetime import date

from bot.domain import NoticeKind
from bot.watch.snapshot import snapshot_notices


def _summary(notices):
    return Counter(n.kind for n in notices), {n.model: (n.kind, n.old_value, n.new_value) for n in notices}


async def test_openai_2025_11_13_to_2026_08_20(corpus):
    pages = corpus / "pages"
    notices = await snapshot_notices(str(pages / "openai-deprecations-2025-11-13.html"),
                                     str(pages / "openai-deprecations-2026-08-20.md"), as_of=date(2026, 8, 20))
    kinds, by_model = _summary(notices)
    # Nine months apart: 13 models passed their shutdown date (deprecated -> retired), one date was moved
    # later, and 52 newly listed models come as one summary rather than 52 alerts. Rewritten replacements
    # (gpt-realtime -> gpt-realtime-1.5) and the page moving from HTML to Markdown say nothing.
    assert kinds == Counter({NoticeKind.STATUS_CHANGED: 13, NoticeKind.DATE_CHANGED: 1, NoticeKind.MANY_LISTED: 1})
    assert by_model["gpt-4-1106-preview"] == (NoticeKind.DATE_CHANGED, "2026-03-26", "2026-10-23")
    assert by_model["gpt-4-0314"] == (NoticeKind.STATUS_CHANGED, "deprecated", "retired")
    summary = next(n for n in notices if n.kind == NoticeKind.MANY_LISTED)
    assert "gpt-4-0613" in summary.models and summary.new_value == "52"


async def test_bedrock_2025_11_13_to_2026_08_21(corpus):
    pages = corpus / "pages"
    notices = await snapshot_notices(str(pages / "aws-bedrock-model-lifecycle-2025-11-13.html"),
                                     str(pages / "aws-bedrock-model-lifecycle-2026-08-21.md"), as_of=date(2026, 8, 21))
    kinds, by_model = _summary(notices)
    # Seven active models went legacy with an end-of-life date (each a new deprecation), and four models
    # appear for the first time already scheduled to end. Nothing else changed that people need to hear.
    assert kinds == Counter({NoticeKind.NEW_DEPRECATION: 11})
    assert by_model["anthropic.claude-3-haiku-20240307-v1:0"] == (NoticeKind.NEW_DEPRECATION, "active", "legacy")
    haiku = next(n for n in notices if n.model == "anthropic.claude-3-haiku-20240307-v1:0")
    assert haiku.due_date == date(2026, 9, 10)
    assert by_model["amazon.nova-premier-v1:0"] == (NoticeKind.NEW_DEPRECATION, None, "2026-09-14")


async def test_the_same_copy_twice_says_nothing(corpus):
    page = str(corpus / "pages" / "openai-deprecations-2026-08-20.md")
    assert await snapshot_notices(page, page, as_of=date(2026, 8, 20)) == []
