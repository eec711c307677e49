"""The intake on real-looking text: what must be redacted is (phone numbers as people write them in Spain, the
US, Japan and China, e-mails and handles inside Japanese and Chinese sentences), and what only looks like a
number to call is not (dates, model ids, version strings, decimals, thousands)."""

from __future__ import annotations

import pytest

from bot.errors import InvalidInput
from bot.testimonies import form, intake
from bot.testimonies.form import MEANING_LIMIT

KEPT_AS_WRITTEN = [
    "The shutdown moved from 2025-06-25 to 2025-07-14.",
    "Announced 2024-05-13 - 2025-06-25, and again 2024-05 - 2025-06.",
    "I used gpt-4o-2024-05-13 every day, then gpt-4o-2024-08-06.",
    "claude-3-5-sonnet-20241022 and claude-3-haiku-20240307 and gpt-4-0613",
    "o1-preview-2024-09-12, gemini-2.0-flash-001, llama-3.1-405b-instruct, gpt-4o-mini-2024-07-18",
    "It ran on Windows 10.0.19045.3803 (build 22631.3880) with Chrome 120.0.6099.109.",
    "discord.py 2.7.1, python 3.11.4, v10.0.19045.3803",
    "My home server is 192.168.100.200.",
    "pi is 3.14159265358979, and it has 1 000 000 000 parameters, or 175 000 000 000.",
    "Dates as written elsewhere: 25.06.2025, 06-25-2025, 25/06/2025, 20240613, 2025年6月25日.",
    "Timestamps: 2024-05-13T10:00:00Z.",
    "期間は2024-05-13 - 2025-06-25でした。2025年6月25日に終了します。",
]


@pytest.mark.parametrize("text", KEPT_AS_WRITTEN)
def test_dates_model_ids_and_versions_are_not_phone_numbers(text):
    cleaned = intake.clean(text)
    assert cleaned.text == text
    assert cleaned.redactions == {}


PHONES = [
    ("Call me on +34 612 345 678 if you can.", "Call me on [phone] if you can."),
    ("My number: (555) 123-4567.", "My number: [phone]."),
    ("+1 (555) 123-4567 or 1.800.555.1234", "[phone] or [phone]"),
    ("携帯は090-1234-5678です。", "携帯は[phone]です。"),
    ("携帯は０９０－１２３４－５６７８です。", "携帯は[phone]です。"),
    ("我的电话是138 0013 8000。", "我的电话是[phone]。"),
    ("我的电话是13800138000。", "我的电话是[phone]。"),
    ("+86 138 0013 8000, 0034 612 345 678, 06 12 34 56 78, 555.123.4567",
     "[phone], [phone], [phone], [phone]"),
    ("(call 612 345 678 after 2025-06-25)", "(call [phone] after 2025-06-25)"),
    ("612 345 678 2025-06-25", "[phone] 2025-06-25"),
    ("电话13800138000，2025-06-25之前", "电话[phone]，2025-06-25之前"),
]


@pytest.mark.parametrize(("text", "stored"), PHONES)
def test_real_phone_numbers_are_redacted(text, stored):
    cleaned = intake.clean(text)
    assert cleaned.text == stored
    assert cleaned.redactions == {"phone": stored.count("[phone]")}


@pytest.mark.parametrize(("text", "stored", "kinds"), [
    ("メールはana@example.comです", "メールは[e-mail]です", {"email": 1}),
    ("我的邮箱是ana.b+x@mail.example.cn。", "我的邮箱是[e-mail]。", {"email": 1}),
    ("連絡は@ana_bまで、または ana#1234 に", "連絡は[handle]まで、または [handle] に", {"handle": 2}),
    ("write to ana@example.org, or t.me/ana_b", "write to [e-mail], or [handle]", {"email": 1, "handle": 1}),
    ("ask <@123456789012345678> or <@&223456789012345678> in <#323456789012345678>",
     "ask [mention] or [mention] in [mention]", {"mention": 3}),
    ("my id is 123456789012345678", "my id is [mention]", {"mention": 1}),
    ("tg://user?id=123456789", "[mention]", {"mention": 1}),
])
def test_addresses_and_handles_are_redacted_inside_any_script(text, stored, kinds):
    cleaned = intake.clean(text)
    assert (cleaned.text, cleaned.redactions) == (stored, kinds)


def test_a_mention_whose_bracket_composed_with_an_accent_still_loses_its_digits():
    # ">" followed by U+0338 (a combining long solidus) is "≯" once normalised: no longer a mention's end.
    cleaned = intake.clean("thanks <@123456789012345678>\u0338!")
    assert "123456789012345678" not in cleaned.text
    assert cleaned.redactions == {"mention": 1}


def test_hidden_characters_go_and_what_they_separated_is_composed():
    text = "e\u200b\u0301 \u202eevil\u202c\u2066 and\u00adtext\ufeff\x00"
    assert intake.clean(text).text == "\u00e9 evil andtext"


def test_a_mass_mention_is_inert():
    assert intake.clean("@everyone and @here, look").text == "＠everyone and ＠here, look"


def _meaning_field():
    return form.testimony_form({}).field("meaning")


def test_the_form_measures_what_is_stored_not_only_what_was_typed():
    field = _meaning_field()
    with pytest.raises(InvalidInput) as hidden:
        field.clean("\u200b" * 12)  # twelve characters typed, none stored
    assert "required" in hidden.value.text()
    with pytest.raises(InvalidInput) as short:
        field.clean("612345678 x")  # "[phone] x" is 9 characters
    assert "at least 10" in short.value.text()
    typed = "a@b.io " * (MEANING_LIMIT // 7)  # within the limit as typed; longer once each becomes [e-mail]
    assert len(typed.strip()) <= MEANING_LIMIT
    with pytest.raises(InvalidInput) as long:
        field.clean(typed)
    assert f"at most {MEANING_LIMIT}" in long.value.text()
    assert field.clean("It helped me write again.") == "It helped me write again."
