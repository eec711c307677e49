"""Properties of the intake over arbitrary text: emoji, NUL, bidirectional overrides and isolates, zero-width
characters, lone surrogates (a JSON import can carry them), Discord mentions and e-mail addresses mixed into
anything. Whatever comes in, what is stored holds no hidden character, is normalised, stays as it is when
cleaned again, never keeps a mentioned platform id, and is within the Form's limits whenever the Form
accepted the answer. Deterministic (`derandomize`), so a failure shows up on every run, not by luck."""

from __future__ import annotations

import unicodedata

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.errors import InvalidInput
from bot.testimonies import form, intake
from bot.testimonies.form import MEANING_LIMIT, MEANING_MIN, MODELS_LIMIT, NAME_LIMIT

CHECKED = settings(max_examples=200, derandomize=True, database=None, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])

HIDDEN = ["\x00", "\x07", "\x1b", "\x7f", "\r", "\t", *map(chr, range(0x202A, 0x202F)),
          *map(chr, range(0x2066, 0x206A)), "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\ud800",
          "\udfff", "\ue000", "\U000f0000", "\u0378"]
STRIPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
EMOJI = ["😀", "👩‍👩‍👧", "🏳️‍🌈", "❤️", "🇯🇵", "👍🏽"]
WORDS = ["I miss it", "me ayudó", "毎日話した", "它陪伴我", "gpt-4o-2024-05-13", "2025-06-25", "v1.2.3", ">", "<",
         "@", "#", ":", "\u0338", "\u0301", "\n", " ", "  ", "+", "(", ")", "-", "."]

pieces = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=()), max_size=20),  # anything, surrogates included
    st.sampled_from(HIDDEN), st.sampled_from(EMOJI), st.sampled_from(WORDS),
    st.from_regex(r"[a-z]{1,8}@[a-z]{2,8}\.(org|com|es|jp)", fullmatch=True),
    st.from_regex(r"\+?[0-9 ()\-]{4,18}", fullmatch=True),
    # A hidden character between a letter and the accent that composes with it once the hidden one is gone.
    st.tuples(st.sampled_from("aeinou<>="), st.sampled_from(HIDDEN), st.sampled_from("\u0301\u0303\u0308\u0338"))
    .map("".join),
)
texts = st.lists(pieces, max_size=40).map("".join)
snowflakes = st.integers(min_value=10**16, max_value=10**19 - 1).map(str)
mention_forms = st.sampled_from(["<@{}>", "<@!{}>", "<@&{}>", "<#{}>"])


def hidden_characters(text: str) -> list[str]:
    return [c for c in text if c != "\n" and unicodedata.category(c) in STRIPPED_CATEGORIES]


@CHECKED
@given(texts)
def test_what_is_stored_holds_no_hidden_character_and_is_stable(text):
    stored = intake.clean(text).text
    assert hidden_characters(stored) == []
    assert unicodedata.is_normalized("NFC", stored)
    assert stored == stored.strip()
    assert intake.clean(stored).text == stored, "cleaning what is stored changes nothing"
    assert intake.clean(stored).redactions == {}, "a placeholder is never redacted again"


@CHECKED
@given(texts, mention_forms, snowflakes,
       st.sampled_from(["", "\u0338", "\x00", "\u200b", "\u202e", "\u2066", "\ufeff"]), texts)
def test_a_mentioned_platform_id_never_reaches_the_store(before, mention, user_id, glue, after):
    assume(user_id not in before + after)
    # "\u0338" after ">" composes into "≯": the mention's brackets are lost, its digits must go all the same.
    cleaned = intake.clean(before + glue + mention.format(user_id) + glue + after)
    assert user_id not in cleaned.text
    assert cleaned.redactions.get("mention", 0) >= 1


@CHECKED
@given(texts, st.from_regex(r"[a-z][a-z0-9.]{0,10}[a-z0-9]@[a-z]{2,10}\.(org|com|es|jp)", fullmatch=True), texts)
def test_an_email_address_never_reaches_the_store(before, address, after):
    cleaned = intake.clean(f"{before} {address} {after}")
    assert address not in cleaned.text
    assert cleaned.redactions.get("email", 0) >= 1


@CHECKED
@given(st.lists(st.sampled_from(["I miss it", "me ayudó", "毎日話した", "它陪伴我", "and", "y"]), max_size=6),
       st.sampled_from(["gpt-4o-2024-05-13", "claude-3-5-sonnet-20241022", "2025-06-25", "25.06.2025",
                        "10.0.19045.3803", "gemini-2.0-flash-001", "2024-05-13 - 2025-06-25"]))
def test_dates_and_model_ids_between_words_are_kept(words, token):
    text = " ".join([*words, token, *words])
    assert intake.clean(text).text == text


def _stored_within_limits(answer_key: str, typed: str, least: int, most: int) -> None:
    """The Form accepts the answer only when what will be stored fits; then `words()` stores that."""
    answers = {"models": "GPT-4o", "meaning": "It mattered to me every day.", answer_key: typed}
    field = form.testimony_form({}).field(answer_key)
    try:
        accepted = field.clean(typed)
    except InvalidInput:
        stored = intake.clean(typed).text
        assert not (field.required and least <= len(stored) <= most and least <= len(typed.strip()) <= most) \
            or (not field.required and len(stored) <= most and len(typed.strip()) <= most)
        return
    words = form.words({**answers, answer_key: accepted})
    stored = {"models": words.models_text, "meaning": words.meaning, "display_name": words.display_name}[answer_key]
    assert least <= len(stored) <= most
    assert hidden_characters(stored) == []
    assert len(words.models) <= form.MODELS_AT_MOST


# Long answers are made of a piece repeated, so the limits themselves are reached (and crossed by redactions).
def _long(limit: int) -> st.SearchStrategy[str]:
    return st.one_of(texts, st.tuples(texts, st.integers(1, limit)).map(lambda t: (t[0] * t[1])[: limit + 50]))


@CHECKED
@given(_long(MEANING_LIMIT))
def test_the_meaning_stored_is_within_the_forms_limits(typed):
    _stored_within_limits("meaning", typed, MEANING_MIN, MEANING_LIMIT)


@CHECKED
@given(_long(MODELS_LIMIT))
def test_the_models_stored_are_within_the_forms_limits(typed):
    _stored_within_limits("models", typed, 1, MODELS_LIMIT)


@CHECKED
@given(_long(NAME_LIMIT))
def test_the_display_name_stored_is_within_the_forms_limits(typed):
    _stored_within_limits("display_name", typed, 0, NAME_LIMIT)
