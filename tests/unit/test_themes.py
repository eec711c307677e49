"""Themes on the labelled test set (`tests/fixtures/themes/labelled.json`, four known themes in each of four
languages): they recover the known ones, they never show words a person did not let a statement quote,
they are the same every time, and they run offline (the network guard of `tests/conftest.py` is on)."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from pathlib import Path

import pytest

from bench.themes import AT, labelled, measure, row, statement_of
from bot.domain import Consent, ConsentLevel
from bot.domain import TestimonyStatus as Status
from bot.statements import words as words_module
from bot.statements.aggregate import theme_words
from bot.statements.themes import find_themes, themes_of
from bot.statements.words import folding, tokenizer

ARI_FLOOR = 0.7  # measured 0.84 (en), 0.84 (es), 1.0 (ja), 1.0 (zh): see BENCHMARKS.md


@pytest.fixture(scope="module")
def figures() -> dict[str, dict]:
    return {result["language"]: result for result in measure()}


@pytest.mark.parametrize("language", ["en", "es", "ja", "zh"])
def test_themes_recover_the_known_ones(figures: dict[str, dict], language: str) -> None:
    result = figures[language]
    assert result["ari"] >= ARI_FLOOR, result
    assert 2 <= result["themes"] <= 8
    assert all(size >= 5 for size in result["sizes"])  # the suppression threshold


def rows_for(language: str, extra: list[tuple[str, Consent]] = ()) -> list:
    items = labelled()[language]
    rows = [row(language, n, theme, text) for n, (theme, text) in enumerate(items)]
    for k, (text, consent) in enumerate(extra):
        rows.append(row(language, 1000 + k, "companionship", text, consent))
    return rows


COUNT_ONLY = Consent(ConsentLevel.COUNT_ONLY, True, "1", AT)


@pytest.mark.parametrize(("language", "secret"), [
    ("en", "glimmerwick"), ("es", "zarzaparrillón"), ("ja", "ポムポムプリン"), ("zh", "龙猫巴士")])
def test_a_count_only_testimonys_words_appear_in_no_label_or_quote(language: str, secret: str) -> None:
    # Several count-only testimonies share the word, so it survives into the vocabulary and shapes a theme.
    sep = " " if language in ("en", "es") else ""
    base = [text for theme, text in labelled()[language] if theme == "companionship"]
    extra = [(f"{base[k]}{sep}{secret}{sep}{secret}.", COUNT_ONLY) for k in range(4)]
    statement, words = statement_of(rows_for(language, extra))
    secret_words = set(tokenizer(language)(secret))
    assert secret_words and any(all(word in passage for word in secret_words)  # it does reach the themes
                                for passages in words.values() for passage in passages)
    found = themes_of(statement, words)
    assert found
    count_only = {item.receipt for item in statement.included if item.consent == 0}
    for theme in found:
        assert secret not in theme.label and all(secret not in word for word in theme.keywords)
        for quote in theme.quotes:
            assert secret not in quote.text and quote.receipt not in count_only
            assert quote in statement.quotes  # only the statement's own quotes, which obey consent and health
    assert sum(len(set(theme.receipts) & count_only) for theme in found) > 0  # they still count in sizes


def test_every_label_word_is_in_two_quotable_testimonies() -> None:
    for language in ("en", "es", "ja", "zh"):
        statement, words = statement_of(rows_for(language))
        tokenize = tokenizer(language)
        fold = folding(language, [" ".join(passages).split() for passages in words.values()])
        quoted = {}
        for quote in statement.quotes:
            quoted.setdefault(quote.receipt, set()).update(tokenize(quote.text))
        for theme in themes_of(statement, words):
            for word in theme.keywords:
                assert any(word in words for words in quoted.values()), (language, word)  # as written
                group = fold.get(word, word)
                holders = {receipt for receipt, words in quoted.items()
                           if any(fold.get(w, w) == group for w in words)}
                assert len(holders) >= 2, (language, theme.label, word)


def test_health_passages_of_people_who_said_no_are_never_quoted() -> None:
    statement, words = statement_of(rows_for("en"))
    said_no = {item.receipt for item in statement.included if not item.health}
    assert said_no
    for theme in themes_of(statement, words):
        for quote in theme.quotes:
            if quote.receipt in said_no:
                from bot.statements.passages import mentions_health
                assert not mentions_health(quote.text)
            assert quote.display_name is None or next(
                i for i in statement.included if i.receipt == quote.receipt).consent == 2


def test_same_input_twice_in_any_order_gives_identical_themes() -> None:
    for language in ("es", "ja", "zh"):
        rows = rows_for(language)
        first = themes_of(*statement_of(rows))
        shuffled = rows[:]
        random.Random(7).shuffle(shuffled)
        statement, words = statement_of(shuffled)
        assert themes_of(statement, dict(reversed(list(words.items())))) == first


async def test_find_themes_runs_offline_on_a_worker_thread(network_guard) -> None:
    statement, words = statement_of([r for language in ("en", "es", "ja", "zh") for r in rows_for(language)])
    found = await find_themes(statement, words)
    assert {theme.language for theme in found} == {"en", "es", "ja", "zh"}
    assert network_guard.attempts == []
    for theme in found:
        assert theme.label and theme.size == len(theme.receipts) and len(theme.quotes) <= 3
        separator = {"ja": "・", "zh": "、"}.get(theme.language, ", ")
        assert theme.label == separator.join(theme.keywords[:3])


def test_jieba_keeps_its_cache_in_a_folder_of_its_own() -> None:
    tokenizer("zh")("它陪我聊天")
    segmenter = words_module._jieba
    assert segmenter is not None and re.search(r"continuity-jieba-", segmenter.tmp_dir)
    assert Path(segmenter.tmp_dir).is_dir()


@pytest.mark.parametrize("size", [0, 1, 3, 5])
def test_empty_or_tiny_inputs_give_no_themes(size: int) -> None:
    rows = rows_for("en")[:size]
    statement, words = statement_of(rows)
    assert themes_of(statement, words) == ()
    assert themes_of(statement, {}) == ()


def test_texts_without_shared_words_or_outside_the_statement_give_no_themes() -> None:
    rows = [row("en", n, "other", f"word{chr(97 + n)}ish unique{chr(97 + n)}zz") for n in range(12)]
    assert themes_of(*statement_of(rows)) == ()
    statement, _ = statement_of(rows_for("en"))
    assert themes_of(statement, {"T-NOTHERE": ("code team",)}) == ()


def test_theme_words_hold_only_what_the_statement_counts() -> None:
    rows = rows_for("es")
    pending = replace(rows[0], testimony=replace(rows[0].testimony, status=Status.PENDING))
    withdrawn = replace(rows[1], testimony=replace(rows[1].testimony, status=Status.WITHDRAWN,
                                                   meaning=None))
    rows = [pending, withdrawn, *rows[2:]]
    statement, words = statement_of(rows)
    assert set(words) == {item.receipt for item in statement.included}
    assert rows[0].testimony.receipt not in words and rows[1].testimony.receipt not in words
    assert theme_words(rows, statement) == words


def test_no_two_themes_of_a_language_share_a_label():
    from bot.statements.model import Theme
    from bot.statements.themes import _distinct_labels

    def theme(size: int, *keywords: str) -> Theme:
        return Theme("zh", "、".join(keywords[:3]), keywords, size, (), ())

    found = _distinct_labels([theme(19, "写作", "开始", "重新", "晚上"), theme(8, "写作", "开始", "重新", "聊天"),
                              theme(7, "写作", "开始", "重新")])
    assert [t.label for t in found] == ["写作、开始、重新", "写作、开始、重新、聊天", "写作、开始、重新 (2)"]
