import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES, _, choose_locale, from_stored, match_locale, terminal_locale, translate, use_locale

PROJECT = Path(__file__).resolve().parents[2]

LOCALE_DIR = PROJECT / "bot" / "locales"
KEYWORDS = {"_": None, "N_": None, "_n": (1, 2), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize(("tag", "expected"), [
    ("en-US", "en"), ("en-GB", "en"), ("es-ES", "es"), ("es-419", "es"), ("ja", "ja"),
    ("zh-CN", "zh_Hans"), ("zh-hans", "zh_Hans"), ("zh", "zh_Hans"), ("zh-TW", None), ("zh-hant", None),
    ("fr", None), ("", None), (None, None), ("ja_JP.UTF-8", "ja"),
])
def test_platform_language_tags_map_to_our_locales(tag, expected):
    assert match_locale(tag) == expected


def test_the_first_known_candidate_wins():
    assert choose_locale(None, "fr", "es-419", "ja") == "es"
    assert choose_locale(None, "fr", default="ja") == "ja"


def test_replies_follow_the_current_locale():
    with use_locale("es"):
        assert _("Privacy") == "Privacidad"
        with use_locale("ja"):
            assert _("Privacy") == "プライバシー"
        assert _("Privacy") == "Privacidad"
    assert _("Privacy") == "Privacy"
    assert translate("zh_Hans", "Done: I will answer you in {language}.", language="简体中文") == \
        "已设置：我将使用简体中文回复你。"


def _source_messages() -> set[tuple[str | None, str]]:
    found = set()
    for folder in ("bot", "cogs"):
        for _file, _line, message, _comments, context in extract_from_dir(
                PROJECT / folder, keywords=KEYWORDS, method_map=[("**.py", "python")]):
            found.add((context, message if isinstance(message, str) else message[0]))
    return found


def _catalog(path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_the_template_holds_every_string_in_the_code():
    template = {_key(m) for m in _catalog(LOCALE_DIR / "continuity.pot") if m.id}
    missing = _source_messages() - template
    assert not missing, f"run `make messages`: strings missing from the template: {sorted(missing, key=str)}"


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_each_catalog_is_complete_and_keeps_the_placeholders(locale):
    template = {_key(m) for m in _catalog(LOCALE_DIR / "continuity.pot") if m.id}
    catalog = _catalog(LOCALE_DIR / locale / "LC_MESSAGES" / "continuity.po")
    # A plural entry has several msgids and msgstrs; each form must be there and keep the placeholders.
    translated = {_key(m): m for m in catalog if m.id and all(_forms(m.string)) and not m.fuzzy}
    assert template <= set(translated), f"untranslated in {locale}: {template - set(translated)}"
    for key, message in translated.items():
        source = _forms(message.id)
        for text in _forms(message.string):
            assert _placeholders(text) in [_placeholders(s) for s in source], f"{locale}: placeholders of {key!r}"
            assert not re.search(r"[<>]", text) or re.search(r"[<>]", source[0]), f"{locale}: markup in {key!r}"


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _key(message) -> tuple[str | None, str]:
    return message.context, _forms(message.id)[0]


def test_a_stored_message_nests_another_and_both_are_translated_when_shown() -> None:
    from bot.watch.feeds import parse_feed

    broken = parse_feed(b"<rss version='2.0'><channel><title>T &</title></channel></rss>")  # whole, but not XML
    assert broken.error is not None and broken.error.reason.endswith("No items could be read from it.")
    kept = broken.error.stored()
    with use_locale("es"):
        shown = from_stored(kept)
    assert shown.startswith("El feed no es XML bien formado (línea 1:") and shown.endswith(
        "No se pudo leer ningún elemento."), shown
    assert from_stored(kept) == broken.error.reason, "English outside any locale"


def test_the_terminals_language_is_the_first_of_its_variables_that_names_one_of_ours(monkeypatch):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert terminal_locale() is None
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # no language at all: the next variable speaks
    assert terminal_locale() == "ja"
    monkeypatch.setenv("LC_MESSAGES", "es_MX.UTF-8")
    assert terminal_locale() == "es"
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert terminal_locale() == "zh_Hans"
