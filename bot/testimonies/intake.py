"""What happens to a person's words before anything is stored, the same for every front door and for
imports: characters that hide or reorder text are stripped, mass mentions neutralised, and what could
identify someone (e-mail addresses, phone numbers, platform mentions and handles) redacted. The person sees
what was redacted before confirming. Pure functions: text in, text and counts out."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
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

# Order matters: an e-mail address holds an @ that would otherwise read as a handle.
_PATTERNS = (
    ("mention", re.compile(r"<(?:@[!&]?|#)\d{5,25}>")),  # Discord user, role and channel mentions
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)),
    ("handle", re.compile(r"(?:https?://)?(?:t\.me|telegram\.me)/[A-Za-z0-9_]{3,32}", re.I)),
    ("handle", re.compile(r"(?<![\w@.])@(?!everyone\b|here\b)[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,31})", re.UNICODE)),
    ("handle", re.compile(r"(?<![\w#])[A-Za-z0-9_.]{2,32}#\d{4}\b")),  # legacy Discord tags
    ("phone", re.compile(r"(?<![\w+])(?:\+|00)?\d[\d \t().\-]{6,20}\d(?![\w])")),
)
_DATE_LIKE = re.compile(r"^\d{4}[-./]\d{1,2}([-./]\d{1,2})?$|^\d{4}\s*[-–]\s*\d{4}$")
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
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    kept = "".join(c for c in text if c == "\n" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    return _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", kept)).strip()


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _is_phone(match: str) -> bool:
    if _DATE_LIKE.match(match.strip()):
        return False
    international = match.startswith(("+", "00"))
    return (8 if international else 9) <= _digits(match) <= 15


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    redactions: dict[str, int] = field(default_factory=dict)


def clean(text: str) -> Cleaned:
    """The text as it will be stored, and what was redacted from it (kind → how many)."""
    text = strip_hidden(text)
    found: Counter[str] = Counter()
    for kind, pattern in _PATTERNS:
        def replace(match: re.Match[str], kind: str = kind) -> str:
            if kind == "phone" and not _is_phone(match.group(0)):
                return match.group(0)
            found[kind] += 1
            return PLACEHOLDERS[kind]
        text = pattern.sub(replace, text)
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


def detect_language(text: str) -> str | None:
    """The language the text is written in, found offline: the script for Japanese, Chinese and Korean,
    langdetect's profiles for the rest (seeded, so the same text always gives the same answer). None when
    the text is too short to tell."""
    global _detector_ready
    letters = sum(c.isalpha() for c in text)
    if letters < 12:
        return None
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    if len(_HAN.findall(text)) > letters / 3:
        return "zh"
    from langdetect import DetectorFactory, LangDetectException, detect

    with _detector_lock:  # langdetect loads its profiles once, and its seed is global
        if not _detector_ready:
            DetectorFactory.seed = 0
            _detector_ready = True
        try:
            found = detect(text)
        except LangDetectException:
            return None
    return found.split("-")[0]
