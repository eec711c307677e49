"""Consumer apps' release notes (ChatGPT's and OpenAI's "Model Release Notes" on help.openai.com, Claude's on
support.anthropic.com, the Gemini app's on gemini.google): model retirements told in prose, not in tables.

Consumer apps count as much as APIs: GPT-4o left ChatGPT on 2026-02-13 while its API snapshot ran until
2026-10-23, and only these pages said so.

What the pages look like: dated sections, newest first, each a heading ("February 13, 2026", "2026-02-13",
"Feb 13, 2026", "Update to GPT-4o (January 29, 2026)") or a paragraph that starts with the date, then a few
paragraphs or list items. Most sections are launches and improvements; a few say a model is being retired.

Why the rules are what they are — prose is read cautiously, so that a page saying less gives nothing rather
than a false alarm:
- Only a sentence with a retirement word ("retiring", "will be retired", "no longer available", "removing",
  "sunset", "deprecat…", "shut down"; Spanish "retirar", "dejará de estar disponible"; Japanese "提供終了",
  "廃止"; Chinese "停用", "下线", "退役") yields rows, one per model it names. A model merely mentioned
  ("GPT-4o is still available to Plus users"), a launch, and "removing the limit on …" give nothing.
- Models are names that look like models (GPT-4o, GPT-4.5, o3, o4-mini, Claude 3 Opus, Claude Sonnet 4.5,
  Gemini 2.0 Flash), written in the vendor's id style where that is obvious: lower case, spaces as hyphens
  ("GPT-4o mini" → "gpt-4o-mini", "Gemini 2.0 Flash" → "gemini-2.0-flash"), and Anthropic's dots as hyphens
  ("Claude Opus 4.1" → "claude-opus-4-1", as its API ids write them).
- A model named after "replaced by", "in favor of", "moving to", "switch to" (…"reemplazado por", "に置き換え",
  "替换为") is a replacement, not a retirement.
- The shutdown date is the latest full date in the sentence (an announcement date comes before the
  retirement it announces). Without one, it is the section's date when the sentence speaks of now or the
  past ("we're retiring", "is no longer available"); a sentence in the future ("will be retired", "in the
  coming weeks") or only announcing a deprecation ("deprecating") has no shutdown date yet: the section's
  date is when it was said, not when it happens. Dates in Spanish, Japanese and Chinese sections are read in
  that language (dateparser), and only full dates with a year count ("in 5 days" is not a date here).
- A section is a heading with a date, until the next heading of its level or higher, or a paragraph that
  starts with a date when no dated heading is above it or when it holds nothing but the date.
- Retired when the wording is past ("has been retired", "is no longer available") or the sentence's own
  date lies before the section's date; deprecated otherwise. The section date is when it was announced.
- The platform comes from the page's address: help.openai.com → chatgpt, support.anthropic.com or
  support.claude.com → claude.ai, gemini.google → gemini-app; without an address, from the names on the page.
- One row per model: the newest section that speaks of its retirement, announced on the earliest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import find_dates
from bot.watch.document import Document
from bot.watch.pages._tables import link

_PLATFORMS = (  # (address pattern, words on the page, vendor, platform)
    (r"help\.openai\.com|chatgpt\.com|openai\.com", r"\bChatGPT\b", "openai", "chatgpt"),
    (r"support\.(anthropic|claude)\.com|claude\.ai|anthropic\.com", r"\bclaude\.ai\b|\bClaude app", "anthropic",
     "claude.ai"),
    (r"gemini\.google|google\.com", r"\bGemini app", "google", "gemini-app"),
)

_RETIRE = re.compile(
    r"\bretir(?:e|es|ed|ing|ement)\b|\bno longer (?:be )?(?:available|accessible|offered|supported)\b|"
    r"\bremov(?:e|es|ed|ing)\b(?!\s+(?:the\s+|our\s+|usage\s+|message\s+)*(?:limits?|caps?|restrictions?|waitlist))|"
    r"\bsunset(?:s|ting)?\b|\bdeprecat\w*|\bshut(?:ting)? down\b|\bdiscontinu\w*|\bphas(?:e|ed|ing) out\b|"
    r"\bretir(?:ar|aremos|ará|arán|ado|ada|ados|adas|amos|o)\b|\bdejar(?:á|án) de estar disponibles?\b|"
    r"\bya no (?:está|estará|están|estarán) disponibles?\b|\bdescontinu\w*|"
    r"提供終了|提供を終了|廃止|引退|利用できなくな|"
    r"停用|下线|退役|弃用|不再提供|停止提供",
    re.I)
_PAST = re.compile(
    r"\b(?:has|have) been (?:retired|removed|sunset|deprecated|shut down|discontinued)\b|"
    r"\b(?:was|were) (?:retired|removed|sunset|shut down|discontinued)\b|\b(?:is|are) no longer available\b|"
    r"\bha sido retirad[oa]\b|\bfue retirad[oa]\b|\bya no (?:está|están) disponibles?\b|"
    r"終了しました|廃止されました|已(?:经)?[^，。,.]{0,20}?(?:停用|下线|退役)",
    re.I)
_DEPRECATE = re.compile(r"deprecat|弃用", re.I)
# Future wording: without a date of its own, such a sentence has no shutdown date yet (the section's date is
# when it was said, not when it happens).
_FUTURE = re.compile(r"\bwill\b|\bgoing to\b|\bplan(?:s|ning)? to\b|\bsoon\b|\bcoming (?:days|weeks|months)\b|"
                     r"\blater this (?:month|year)\b|\b\w+(?:rá|rán|remos)\b|\bpróximamente\b|予定|近日|将|近期",
                     re.I)
# What follows these names the model people move to; Japanese puts the model first ("o3に置き換え").
_REPLACED_BY = re.compile(
    r"\breplaced (?:by|with)\b|\bin favou?r of\b|\bmov(?:e|es|ed|ing) to\b|\bswitch(?:ed|ing)? to\b|"
    r"\bmigrat(?:e|ed|ing) to\b|\bupgraded? to\b|\breemplazad[oa]s? por\b|\bsustituid[oa]s? por\b|"
    r"\bpasará[n]? a\b|替换为|迁移到", re.I)
_REPLACED_BEFORE = re.compile(r"^\s*(?:へ|に)(?:置き換え|移行|切り替え)|^\s*(?:取代|替代)")

# Names end where ASCII letters and digits end: Japanese and Chinese write "GPT-4oの" with no space between.
_START, _END = r"(?<![A-Za-z0-9_.-])", r"(?![A-Za-z0-9_]|[.-][A-Za-z0-9])"
_VERSION = r"\d+(?:\.\d+)?"
_MODEL = re.compile(
    _START + r"(?:"
    r"GPT-?" + _VERSION + r"o?(?:[ -](?:mini|nano|turbo|thinking|instant))*|"
    r"o[1-9](?:-(?:mini|pro|preview|deep-research))*|"
    r"Claude(?: " + _VERSION + r")?(?: (?:Opus|Sonnet|Haiku|Instant))(?: " + _VERSION + r")?|"
    r"Claude " + _VERSION + r"|"
    r"Gemini " + _VERSION + r"(?: (?:Pro|Flash-Lite|Flash Lite|Flash|Ultra|Nano))?"
    r"(?: (?:Experimental|Preview|Thinking))*"
    r")" + _END,
    re.I)
_SPANISH_MONTH = re.compile(r"\bde (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
                            r"noviembre|diciembre)\b", re.I)
_SPANISH_WORDS = re.compile(r"\b(?:el|los|las|del|que|para|será|serán|está|estará|ya|disponibles?|modelos?)\b", re.I)
# "We're retiring GPT-4o. It will be replaced by GPT-5.": a next sentence about "it" names the replacement.
_PRONOUN = re.compile(r"^\W*(?:it|they|these(?: models)?|both|each|this model)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_LEADING_DATE = re.compile(
    r"^\W*(?:\d{4}-\d{1,2}-\d{1,2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|"
    r"\d{1,2} de \w+ de \d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")


@dataclass(slots=True)
class _Statement:
    model: str
    shutdown: date | None
    retired: bool
    section: date | None
    anchor: str | None
    replacements: list[str] = field(default_factory=list)


def extract(document: Document, url: str | None, as_of: date | None = None) -> list[DeprecationRow]:
    vendor, platform = _platform(document, url)
    found: dict[str, list[_Statement]] = {}
    for section, anchor, text in _dated_texts(document):
        said: list[_Statement] = []  # what the previous sentence of this paragraph retired
        for sentence in _SENTENCE_END.split(text):
            if _RETIRE.search(sentence):
                said = _statements(sentence, section, anchor)
                for statement in said:
                    found.setdefault(statement.model, []).append(statement)
            elif said and _PRONOUN.match(sentence):  # "It will be replaced by GPT-5."
                for statement in said:
                    statement.replacements = list(dict.fromkeys([*statement.replacements, *_models(sentence)[1]]))
            else:
                said = []
    rows = []
    for model, statements in found.items():
        newest = max(statements, key=lambda s: s.section or date.min)  # the first of the newest on ties
        sections = [s.section for s in statements if s.section]
        shutdown = newest.shutdown or next((s.shutdown for s in statements if s.shutdown), None)
        replacements = newest.replacements or next((s.replacements for s in statements if s.replacements), [])
        rows.append(DeprecationRow(
            vendor=vendor, platform=platform, model=model,
            status=ModelStatus.RETIRED if newest.retired else ModelStatus.DEPRECATED,
            announced=min(sections) if sections else None, shutdown=shutdown,
            shutdown_qualifier=ShutdownQualifier.FIRM if shutdown else ShutdownQualifier.TBD,
            replacements=tuple(replacements), url=link(url, newest.anchor)))
    return rows


def _platform(document: Document, url: str | None) -> tuple[str, str]:
    for address, _words, vendor, platform in _PLATFORMS:
        if url and re.search(address, url, re.I):
            return vendor, platform
    text = " ".join(block.text for block in document.blocks[:50])
    for _address, words, vendor, platform in _PLATFORMS:
        if re.search(words, text):
            return vendor, platform
    return "unknown", "unknown"


def _dated_texts(document: Document) -> list[tuple[date | None, str | None, str]]:
    """Each paragraph or list item with the date of the section it sits in and that section's anchor. A
    heading's date holds until a heading of its level or higher. A paragraph that starts with a date starts a
    section of its own, until the next heading, when no dated heading is above it or when it holds nothing
    but the date ("**February 13, 2026**"); under a dated heading, "On February 13, 2026 we will …" is what
    the sentence says, not a new section."""
    dated: list[tuple[int, date | None]] = []  # (heading level, its date), outermost first
    leading: date | None = None
    texts = []
    for block in document.blocks:
        if block.kind == "heading":
            dated = [(level, day) for level, day in dated if level < block.level]
            dated.append((block.level, _first_date(block.text)))
            leading = None
            continue
        if block.kind not in ("paragraph", "item") or not block.text:
            continue
        above = next((day for _level, day in reversed(dated) if day), None)
        if (match := _LEADING_DATE.match(block.text)) and (above is None or len(block.text) - match.end() < 3):
            leading = _first_date(match[0]) or leading
        section = leading or above
        texts.append((section, block.section_anchor, block.text))
    return texts


def _statements(sentence: str, section: date | None, anchor: str | None) -> list[_Statement]:
    """What one sentence with a retirement word says: each model it retires, when, and for what."""
    retired, replacements = _models(sentence)
    if not retired:
        return []
    days = [day for _text, day in _dates(sentence)]
    past = bool(_PAST.search(sentence))
    # "Deprecating X" announces an end to come: without a date of its own, it has no shutdown date yet.
    announcing = all(_DEPRECATE.match(found[0]) for found in _RETIRE.finditer(sentence))
    now = past or not (_FUTURE.search(sentence) or announcing)
    shutdown = max(days) if days else (section if now else None)
    past = past or bool(days and section and max(days) < section)
    return [_Statement(model, shutdown, past, section, anchor, list(replacements)) for model in retired]


def _models(sentence: str) -> tuple[list[str], list[str]]:
    """The models a sentence names, split into those it speaks of and those it names as replacements."""
    named, replacements = [], []
    cue = _REPLACED_BY.search(sentence)
    for match in _MODEL.finditer(sentence):
        after_cue = cue is not None and match.start() >= cue.end()
        replacing = after_cue or _REPLACED_BEFORE.match(sentence[match.end():])
        (replacements if replacing else named).append(_model_id(match[0]))
    replacements = list(dict.fromkeys(replacements))
    return [m for m in dict.fromkeys(named) if m not in replacements], replacements


def _model_id(name: str) -> str:
    """"GPT-4o mini" → "gpt-4o-mini"; Anthropic writes versions with hyphens ("Claude Opus 4.1" → claude-opus-4-1)."""
    model = re.sub(r"\s+", "-", name.strip()).lower()
    model = re.sub(r"^gpt(?=\d)", "gpt-", model)
    return model.replace(".", "-") if model.startswith("claude") else model


def _language(text: str) -> list[str]:
    if re.search(r"[\u3040-\u30ff]", text):
        return ["ja"]
    if re.search(r"[\u4e00-\u9fff]", text):
        return ["zh"]
    if _SPANISH_MONTH.search(text) or len(_SPANISH_WORDS.findall(text)) >= 2:
        return ["es"]
    return ["en"]


def _dates(text: str) -> list[tuple[str, date]]:
    """Full dates written out in `text` (a year included: dateparser also reads "in 5 days" as a date)."""
    return [(found, day) for found, day in find_dates(text, _language(text)) if re.search(r"\d{4}", found)]


def _first_date(text: str) -> date | None:
    days = _dates(text)
    return days[0][1] if days else None

