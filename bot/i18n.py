"""Translations: gettext catalogs kept as `.po` files and read with Babel.

Strings are whole English sentences with named placeholders. `_()` translates into the locale of the
current request, which each front door sets with `use_locale()` before calling the core, so background
work (an alert to a Spanish community) and replies (to a Japanese member) each speak their own language.
"""

from __future__ import annotations

import contextlib
import functools
import gettext
import json
import os
from collections.abc import Iterator
from contextvars import ContextVar
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DOMAIN = "continuity"
LOCALES = ("en", "es", "ja", "zh_Hans")
"""Supported locales; English is the source language and always complete."""

LOCALE_NAMES = {"en": "English", "es": "Español", "ja": "日本語", "zh_Hans": "简体中文"}

_LOCALE_DIR = Path(__file__).parent / "locales"
_current: ContextVar[str] = ContextVar("continuity_locale", default="en")


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    """The catalog of `locale`, compiled in memory from its `.po` file (no build step to forget)."""
    po = _LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if locale == "en" or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=locale, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def translate(locale: str, message: str, /, **params: object) -> str:
    text = translations(locale).gettext(message)
    return text.format(**params) if params else text


def _(message: str, /, **params: object) -> str:
    """Translate into the current request's locale."""
    return translate(_current.get(), message, **params)


def _n(singular: str, plural: str, n: int, /, **params: object) -> str:
    text = translations(_current.get()).ngettext(singular, plural, n)
    return text.format(n=n, **params)


def stored(message: str, /, **params: object) -> str:
    """A message to keep in the database and show later in whoever reads it's language: msgid and
    parameters as JSON, translated only when shown (`from_stored`). A parameter may itself be a message
    (`{"message": …, "params": …}`), translated with it: a sentence that explains another one."""
    return json.dumps({"message": message, "params": params}, ensure_ascii=False)


def is_message(value: object) -> bool:
    return isinstance(value, dict) and isinstance(value.get("message"), str)


def render(data: dict[str, object]) -> str:
    """A message as `stored()` keeps it (msgid and parameters, messages nested), in the current locale."""
    params = data.get("params")
    shown = {key: render(value) if is_message(value) else value
             for key, value in (params.items() if isinstance(params, dict) else ())}
    return _(str(data["message"]), **shown)


def from_stored(text: str | None) -> str:
    """A `stored()` message in the current locale; any other text is shown as it is."""
    if not text:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        return text
    return render(data) if is_message(data) else text


def N_(message: str, /) -> str:
    return message


def NC_(context: str, message: str, /) -> str:
    """Mark a string whose translation depends on its context (e.g. "command" for command names)."""
    return message


def current_locale() -> str:
    return _current.get()


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(locale if locale in LOCALES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of the current task (each platform event runs in its own task)."""
    _current.set(locale if locale in LOCALES else "en")


def match_locale(tag: str | None) -> str | None:
    """Map a platform's language tag (`es-419`, `zh-CN`, `zh-hans`, `ja`, `en-GB`) to one of ours."""
    if not tag:
        return None
    parts = tag.replace("_", "-").lower().split("-")
    language = parts[0]
    if language == "zh":
        # Traditional Chinese readers are better served by English than by Simplified characters.
        return None if any(p in ("hant", "tw", "hk", "mo") for p in parts[1:]) else "zh_Hans"
    return language if language in LOCALES else None


def terminal_locale() -> str | None:
    """The terminal's language when it is one of ours: the first of LC_ALL, LC_MESSAGES and LANG (`ja_JP.UTF-8`)
    that names one; None for `C` or a language we do not speak."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if (found := match_locale(os.environ.get(name))) is not None:
            return found
    return None


def choose_locale(*candidates: str | None, default: str = "en") -> str:
    """The first candidate we can speak: e.g. the person's choice, their client's, the community's."""
    for candidate in candidates:
        matched = candidate if candidate in LOCALES else match_locale(candidate)
        if matched:
            return matched
    return default
