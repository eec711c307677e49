from datetime import date

import pytest

from bot.domain import ModelStatus
from bot.watch.aggregator import rows_from_item
from bot.watch.models import family, matches, mentioned


@pytest.mark.parametrize(("query", "model", "expected"), [
    ("4o", "gpt-4o-2024-05-13", True),
    ("4o", "chatgpt-4o-latest", True),
    ("GPT 4o", "gpt-4o-2024-05-13", True),
    ("gpt-4o", "chatgpt-4o-latest", True),
    ("gpt-4", "gpt-4o-2024-05-13", False),
    ("o3", "gpt-4o-mini", False),
    ("claude-3-*", "claude-3-haiku-20240307", True),
    ("claude-3-*", "claude-opus-4-20250514", False),
    ("opus 4", "claude-opus-4-1-20250805", True),
    ("", "gpt-4o", False),
])
def test_loose_model_matching(query, model, expected):
    assert matches(query, model) is expected


def test_family_drops_the_snapshot():
    assert [family(m) for m in ("gpt-4o-2024-05-13", "claude-3-haiku-20240307", "gpt-4-0613",
                                "gemini-2.5-pro-preview-05-06", "anthropic.claude-3-haiku-20240307-v1:0")] == \
        ["gpt-4o", "claude-3-haiku", "gpt-4", "gemini-2.5-pro", "anthropic.claude-3-haiku"]


def test_news_is_tagged_with_the_models_it_names_and_no_others():
    known = ["gpt-4o-2024-05-13", "gpt-4.1-2025-04-14", "gpt-4o-mini-2024-07-18", "gpt-4-0613", "o3-2025-04-16"]
    assert mentioned("Retiring GPT-4o in ChatGPT on February 13", known) == ["gpt-4o-2024-05-13"]
    assert mentioned("GPT 4.1 and gpt-4o-mini news", known) == ["gpt-4.1-2025-04-14", "gpt-4o-mini-2024-07-18"]
    assert mentioned("A new cooking recipe", known) == []


def test_aggregator_items_become_rows():
    summary = ("Provider: AWS Bedrock Model ID: anthropic.claude-3-haiku-20240307-v1:0 Deprecation Date: 2026-03-10 "
               "Shutdown Date: 2026-09-10 First Observed: 2026-03-11 Last Observed: 2026-07-24 Some context.")
    [row] = rows_from_item("AWS Bedrock: anthropic.claude-3-haiku-20240307-v1:0", summary, "https://x")
    assert (row.vendor, row.platform, row.model, row.status) == \
        ("bedrock", "bedrock", "anthropic.claude-3-haiku-20240307-v1:0", ModelStatus.DEPRECATED)
    assert (row.announced, row.shutdown) == (date(2026, 3, 10), date(2026, 9, 10))
    assert rows_from_item("Unknown: x", "Provider: Nobody Model ID: x", None) == []
