"""What happens to a person's words before anything is stored, the same for every front door and for
imports: characters that hide or reorder text are stripped, mass mentions neutralised, and what could
identify someone (e-mail addresses, phone numbers, platform mentions and handles) redacted. The person sees
what was redacted before confirming. Pure functions: text in, text and counts out."""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from bot.i18n import _n

# What a redaction leaves in the text, and how the person is told of it ("2 e-mail addresses").
PLACEHOLDERS = {"email": "[e-mail]", "phone": "[phone]", "mention": "[mention]", "handle": "[handle]"}
_TOLD = {  # written out, so the catalogs get each as a plural
    "email": lambda n: _n("{count} e-mail address", "{count} e-mail addresses", n, count=n),
    "phone": lambda n: _n("{count} phone number", "{count} phone numbers", n, count=n),
    "mention": lambda n: _n("{count} platform mention", "{count} platform mentions", n, count=n),
    "handle": lambda n: _n("{count} account handle", "{count} account handles", n, count=n),
}

# Dashes, parentheses, plus signs and spaces people put between the digits of a phone number, typed on any
# keyboard (a Japanese one gives full-width forms, and "ー" for a dash).
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2212\uff0d\u30fc"
_PHONE_CHARS = rf"\d().{_DASHES}\uff08\uff09"
# A letter or digit a number cannot start or end next to. Chinese and Japanese put no space between words,
# so their characters may touch one ("电话13800138000。").
_WORD = r"[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9f]"
# Order matters: an e-mail address holds an @ that would otherwise read as a handle; a mention's digits must
# go before anything reads them as a number.
_PATTERNS = (
    # Discord user, role and channel mentions, and Telegram's link to a user by id.
    ("mention", re.compile(r"<(?:@[!&]?|#)\d{5,25}>|tg://user\?id=\d{1,20}", re.I)),
    # A Discord id on its own (17 to 20 digits): a mention whose brackets were lost, or an id pasted as text.
    ("mention", re.compile(rf"(?<!{_WORD})\d{{17,20}}(?!{_WORD})")),
    ("email", re.compile(rf"(?<!{_WORD})(?<![.+-])(?:{_WORD}|[.+-])+@(?:{_WORD}|-)+(?:\.(?:{_WORD}|-)+)+")),
    ("handle", re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/[A-Za-z0-9_]{3,32}", re.I)),
    ("handle", re.compile(rf"(?<!{_WORD})(?<![@.])@(?!everyone\b|here\b)[A-Za-z0-9_](?:[A-Za-z0-9_.]{{1,31}})")),
    ("handle", re.compile(rf"(?<!{_WORD})(?<![.#])[A-Za-z0-9_.]{{2,32}}#\d{{4}}(?!{_WORD})")),  # legacy Discord tags
)
# A phone number starts a token of its own: never inside a word, a model id (gpt-4o-2024-05-13), a version
# (v10.0.19045) or a number, so the character before it is none of those.
_PHONE = re.compile(rf"(?<!{_WORD})(?<![+\uff0b.{_DASHES}()\uff08\uff09])(?:[+\uff0b]|00|[(\uff08][+\uff0b]?)?"
                    rf"\d[{_PHONE_CHARS} \t\u3000]{{6,22}}\d(?!{_WORD})")
# Dates are kept whole before phone numbers are looked for, so "2024-05-13 - 2025-06-25" is two dates, and a
# date next to a phone number does not hide it by making the digits too many.
_YEAR, _MONTH, _DAY = r"(?:19|20)\d{2}", r"(?:0?[1-9]|1[0-2])", r"(?:0?[1-9]|[12]\d|3[01])"
_DATE = re.compile(
    rf"(?<!{_WORD})(?<![.\-/])"
    rf"(?:{_YEAR}([-./]){_MONTH}(?:\1{_DAY})?|{_DAY}([-.]){_MONTH}\2{_YEAR}|{_MONTH}([-.]){_DAY}\3{_YEAR})"
    rf"(?!{_WORD}|[-./]\d)")
_KEPT = "\ue000"  # stands in for a kept date while phone numbers are looked for (a private-use character:
#                   strip_hidden removed every one the text had)
_GROUPS = re.compile(r"\d+")
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # control, format, surrogate, private-use, unassigned
_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.I)
_BLANK_LINES = re.compile(r"\n{3,}")
_SPACES = re.compile(r"[ \t\u00a0\u3000]{2,}")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HAN = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")


_LIST_SEPARATORS = re.compile(r"[,，、;；\n]+")


def split_list(text: str) -> list[str]:
    """`GPT-4o, Claude 3 Opus` (or with Chinese and Japanese commas) as its parts."""
    return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()]


def strip_hidden(text: str) -> str:
    """NFC; no control characters but line breaks (tabs become spaces), no format characters: zero-width
    spaces and joiners, bidirectional overrides and isolates, byte-order marks, soft hyphens."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    # Most texts hold nothing to remove, which str.isprintable finds at C speed (it is false for every hidden
    # category, and for some spaces, which the slow way then keeps).
    kept = text if text.replace("\n", "").isprintable() else \
        "".join(c for c in text if c == "\n" or unicodedata.category(c) not in _HIDDEN)
    # Normalised after the removal: a character hidden between a letter and its accent would otherwise leave
    # the two uncomposed.
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", unicodedata.normalize("NFC", kept))).strip()


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_phone(match: str) -> bool:
    """Enough digits for a phone number (8 to 15 with a country code, 9 to 15 without), and not a number
    written another way: a decimal (3.14159265), a dotted version or address (10.0.19045.3803, 192.168.1.20;
    1.800.555.1234 is a number to call), or thousands (1 000 000 000)."""
    international = match.lstrip("(\uff08").startswith(("+", "\uff0b", "00"))
    if not (8 if international else 9) <= _digits(match) <= 15:
        return False
    groups = _GROUPS.findall(match)
    separators = set(_GROUPS.sub("", match))
    if separators == {"."} and (len(groups) == 2 or any(len(g) == 1 for g in groups[1:])):
        return False
    if not international and len(separators) == 1 and len(groups) >= 4 and len(groups[0]) <= 3 \
            and all(len(g) == 3 for g in groups[1:]):
        return False
    return True


def _redact_phones(text: str, found: Counter[str]) -> str:
    dates: list[str] = []

    def keep(match: re.Match[str]) -> str:
        dates.append(match.group(0))
        return _KEPT

    def replace(match: re.Match[str]) -> str:
        number = match.group(0)
        # "(" opens the number only when it closes inside it: "(555) 123-4567", not "(call 612 345 678)".
        opened = number[0] if number[0] in "(\uff08" and not {")", "\uff09"} & set(number) else ""
        if not _is_phone(number[len(opened):]):
            return number
        found["phone"] += 1
        return opened + PLACEHOLDERS["phone"]

    text = _PHONE.sub(replace, _DATE.sub(keep, text))
    restored = iter(dates)
    return re.sub(_KEPT, lambda _match: next(restored), text) if dates else text


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    redactions: dict[str, int] = field(default_factory=dict)


def clean(text: str) -> Cleaned:
    """The text as it will be stored, and what was redacted from it (kind → how many)."""
    text = strip_hidden(text)
    found: Counter[str] = Counter()

    def replace(match: re.Match[str], kind: str) -> str:
        found[kind] += 1
        return PLACEHOLDERS[kind]

    # Until nothing more is found: a number or handle glued to one just redacted ("@ana@bea") starts a token
    # only once the first has become a placeholder, and what is stored must not change when cleaned again.
    for _round in range(8):
        before = text
        for kind, pattern in _PATTERNS:
            text = pattern.sub(lambda match, kind=kind: replace(match, kind), text)
        text = _redact_phones(text, found)
        if text == before:
            break
    # @everyone and @here are not anybody's handle; a full-width at sign keeps them readable and inert.
    text = _MASS_MENTION.sub(lambda m: "＠" + m.group(1), text)
    return Cleaned(text, dict(sorted(found.items())))


def merge(*redactions: dict[str, int]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for part in redactions:
        total.update(part)
    return dict(sorted(total.items()))


def describe_redactions(redactions: dict[str, int]) -> str:
    """"1 e-mail address, 2 phone numbers" in the reader's language; "" when nothing was redacted."""
    return ", ".join(_TOLD[kind](count) for kind, count in sorted(redactions.items()) if count)


_detector_lock = threading.Lock()
_detector_ready = False
# langdetect takes a few milliseconds for a paragraph, and one testimony's text is looked at again on every
# step of the Form after it (each builds the review) and at the submit: so answers are remembered, by a digest
# of the text (never the text itself: withdrawn words must not linger in memory), for the texts seen lately.
_DETECTED_KEPT = 4096
_detected: OrderedDict[bytes, str | None] = OrderedDict()


def detect_language(text: str) -> str | None:
    """The language the text is written in, found offline: the script for Japanese, Chinese and Korean,
    langdetect's profiles for the rest (seeded, so the same text always gives the same answer). None when
    the text is too short to tell."""
    letters = sum(c.isalpha() for c in text)
    if letters < 12:
        return None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if len(_HAN.findall(text)) > letters / 3:
        return "zh"
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()
    with _detector_lock:
        if digest in _detected:
            _detected.move_to_end(digest)
            return _detected[digest]
        found = _langdetect(text)
        _detected[digest] = found
        if len(_detected) > _DETECTED_KEPT:
            _detected.popitem(last=False)
    return found


def _langdetect(text: str) -> str | None:
    """langdetect's answer; called with `_detector_lock` held (it loads its profiles once, its seed is global)."""
    global _detector_ready
    from langdetect import DetectorFactory, LangDetectException, detect

    if not _detector_ready:
        DetectorFactory.seed = 0
        _detector_ready = True
    try:
        return str(detect(text)).split("-")[0]
    except LangDetectException:
        return None
