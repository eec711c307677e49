"""Consumer apps' release notes (ChatGPT's, ChatGPT Enterprise/Edu's and OpenAI's "Model Release Notes" on
help.openai.com, Claude's on support.anthropic.com or support.claude.com, the Gemini app's on gemini.google):
model retirements told in prose, not in tables.

Consumer apps count as much as APIs: GPT-4o left ChatGPT on 2026-02-13 while its API snapshot ran until
2026-10-23, and only these pages said so.

What the pages look like (five real copies are in the research corpus, scored by
`bench/release_notes_accuracy.py`): dated sections, newest first, each a heading ("February 13, 2026",
"2026-02-13", "2025.12.17", "Update to GPT-4o (January 29, 2026)") or a paragraph that starts with the date,
often followed by the entry's title at the same heading level, then a few paragraphs or list items. Most
sections are launches and improvements; a few say a model is being retired.

Why the rules are what they are — prose is read cautiously, so that a page saying less gives nothing rather
than a false alarm (a false "retired" is worse than a late notice):
- Only a sentence with a retirement word ("retiring", "will be retired", "no longer available", "removing",
  "sunset", "deprecat…", "shut down"; Spanish "retirar", "dejará de estar disponible"; Japanese "提供終了",
  "廃止"; Chinese "停用", "下线", "退役"), or one giving a model a limited time ("will remain available for the
  next few weeks"), yields rows, one per model named in the clause that says it ("GPT-5.1 Auto continues …,
  and GPT-5 models remain available for three months": GPT-5 only). A model merely mentioned ("GPT-4o is
  still available to Plus users") and "removing the limit on …" give nothing.
- A launch or "now available" sentence is never a retirement, even when it names an older model ("GPT-5.1
  Instant is now live …, and GPT-5.1 Thinking is no longer available as an Early Access option"), and neither
  is "X replaces Y": real pages keep replaced models under "Legacy models" for months.
- A model rolled back ("we've reverted the update to GPT-4o") is not retired; a model brought back or
  re-added cancels an older retirement of it.
- Models are names that look like models (GPT-4o, GPT-5.1 Pro, o3, o4-mini, Claude 3 Opus, Claude Sonnet 4.5,
  Gemini 2.0 Flash), written in the vendor's id style where that is obvious: lower case, spaces as hyphens
  ("GPT-4o mini" → "gpt-4o-mini", "Gemini 2.0 Flash" → "gemini-2.0-flash"), and Anthropic's dots as hyphens
  ("Claude Opus 4.1" → "claude-opus-4-1", as its API ids write them). A list of variants gives one row per
  variant, never one for the family: "GPT-5.1 Instant, GPT-5.1 Thinking, and GPT-5.1 Pro", "GPT-5 (Instant
  and Thinking)", "Claude Opus 4 and 4.1", "Gemini 1.5 Flash and 1.5 Pro", and "GPT-5.1 models are no longer
  available. This applies to GPT-5.1 Instant, …". A family ("GPT-5 models") whose variants have rows of their
  own gives none.
- A model named after "replaced by", "in favor of", "moving to", "switch to" (…"reemplazado por", "に置き換え",
  "替换为") is a replacement, not a retirement.
- The shutdown date is the latest full date in the sentence (an announcement date comes before the
  retirement it announces). Without one, it is the section's date when the sentence speaks of now or the
  past ("we're retiring", "we've removed", "is no longer available"); a sentence in the future ("will be
  retired", "in the coming weeks", "in 30 days", "for three months") or only announcing a deprecation
  ("deprecating") has no shutdown date yet: the section's date is when it was said, not when it happens.
  Dates in Spanish, Japanese and Chinese sections are read in that language (dateparser), and only full
  dates with a year count ("in 5 days" is not a date here).
- A section is a heading with a date, until the next dated heading of its level or any heading above it (an
  undated heading at its level is the entry's title), or a paragraph that starts with a date when no dated
  heading is above it or when it holds nothing but the date.
- Retired only when the page says so ("has been retired", "we've removed", "is no longer available") or when
  the shutdown date is on or before `as_of`, the day the copy is read; the page's own dates never stand in for
  today. Deprecated otherwise. The section date is when it was announced.
- The platform comes from the page's address: help.openai.com → chatgpt, support.anthropic.com or
  support.claude.com → claude.ai, gemini.google → gemini-app; without an address, from the names on the page.
  A clause that retires a model "from the API" without naming the app is an `api` row: GPT-4o leaving
  ChatGPT and GPT-4o leaving the API are two events, both kept.
- One row per model and platform: the newest section that speaks of its retirement (a later "is no longer
  available" supersedes the earlier announcement), announced on the earliest.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
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
# "Retired from the API" in an app's notes: a separate event, unless the clause names the app too.
_API = re.compile(r"\b(?:in|from|on|via|to) (?:the |our )?(?:OpenAI |Anthropic |Claude |Gemini )?API\b", re.I)
_APP = re.compile(r"\bChatGPT\b|\bclaude\.ai\b|\bClaude (?:app|apps|model selector)\b|\bGemini apps?\b", re.I)

_RETIRE = re.compile(
    r"\bretir(?:e|es|ed|ing|ement)\b|\bno longer (?:be )?(?:available|accessible|offered|supported)\b|"
    r"\bremov(?:e|es|ed|ing)\b(?!\s+(?:the\s+|our\s+|usage\s+|message\s+)*(?:limits?|caps?|restrictions?|waitlist))|"
    r"\bsunset(?:s|ting)?\b|\bdeprecat\w*|\bshut(?:ting)? down\b|\bdiscontinu\w*|\bphas(?:e|ed|ing) out\b|"
    r"\bretir(?:ar|aremos|ará|arán|ado|ada|ados|adas|amos|o)\b|\bdejar(?:á|án) de estar disponibles?\b|"
    r"\bya no (?:está|estará|están|estarán) disponibles?\b|\bdescontinu\w*|"
    r"提供終了|提供を終了|廃止|引退|利用できなくな|"
    r"停用|下线|退役|弃用|不再提供|停止提供",
    re.I)
# Available for a limited time only: an end announced without its day ("will remain available for the next
# few weeks", "remain available for three months").
_LIMITED = re.compile(
    r"\b(?:remains?|stays?|be|continues? to be) available\b[^.;]{0,60}?\bfor (?:the )?(?:next |another |a |an )?"
    r"(?:few |several |couple of |\d+ |one |two |three |four |five |six |nine |twelve )?(?:days?|weeks?|months?)\b",
    re.I)
_PAST = re.compile(
    r"\b(?:has|have)(?: now)? been (?:retired|removed|sunset|deprecated|shut down|discontinued)\b|"
    r"\b(?:was|were) (?:retired|removed|sunset|shut down|discontinued)\b|\b(?:is|are) no longer available\b|"
    r"\b(?:we've|we have|we)(?: now| also)? (?:retired|removed|sunset|discontinued|shut down)\b|"
    r"\bha sido retirad[oa]\b|\bfue retirad[oa]\b|\bya no (?:está|están) disponibles?\b|"
    r"終了しました|廃止されました|已(?:经)?[^，。,.]{0,20}?(?:停用|下线|退役)",
    re.I)
_DEPRECATE = re.compile(r"deprecat|弃用", re.I)
# Future wording: without a date of its own, such a sentence has no shutdown date yet (the section's date is
# when it was said, not when it happens); "in 30 days" is not a date either.
_FUTURE = re.compile(r"\bwill\b|\bgoing to\b|\bplan(?:s|ning)? to\b|\bsoon\b|\bcoming (?:days|weeks|months)\b|"
                     r"\bin (?:\d+|a few|a couple of|several|one|two|three|four|six) (?:days?|weeks?|months?)\b|"
                     r"\bnext few (?:days|weeks|months)\b|"
                     r"\blater this (?:month|year)\b|\b\w+(?:rá|rán|remos)\b|\bpróximamente\b|予定|近日|将|近期",
                     re.I)
# A launch is never a retirement, whatever older model it names ("o3-pro is available …, replacing o1-pro").
_LAUNCH = re.compile(
    r"\bnow (?:available|live|rolling out|generally available)\b|"
    r"\b(?:is|are) (?:now )?(?:available|live) (?:to|in|for|on|starting|today)\b|\bintroduc(?:e|es|ed|ing)\b|"
    r"\b(?:we're|we are|we've|we have) (?:releasing|launching|rolling out|adding)\b|\blaunch(?:ed|es|ing)?\b|"
    r"\brolling out\b|\bnew default\b|\bya (?:está|están) disponibles?\b|提供開始|正式推出", re.I)
# Back again: cancels an older retirement of the model. A rollback of an update says nothing of availability.
_BACK = re.compile(r"\b(?:brought|bringing|bring) back\b|\bre-?add(?:ed|ing|s)?\b|\brestor(?:ed|ing|es)\b|"
                   r"\b(?:is|are) back\b|\bavailable again\b|\breinstat\w+", re.I)
_ROLLBACK = re.compile(r"\brolled back\b|\broll(?:s|ing)? back\b|\brevert(?:s|ed|ing)?\b", re.I)
# What follows these names the model people move to; Japanese puts the model first ("o3に置き換え").
_REPLACED_BY = re.compile(
    r"\breplaced (?:by|with)\b|\bin favou?r of\b|\bmov(?:e|es|ed|ing) to\b|\bswitch(?:ed|ing)? to\b|"
    r"\bmigrat(?:e|ed|ing) to\b|\bupgraded? to\b|\breemplazad[oa]s? por\b|\bsustituid[oa]s? por\b|"
    r"\bpasará[n]? a\b|替换为|迁移到", re.I)
_REPLACED_BEFORE = re.compile(r"^\s*(?:へ|に)(?:置き換え|移行|切り替え)|^\s*(?:取代|替代)")

# Names end where ASCII letters and digits end: Japanese and Chinese write "GPT-4oの" with no space between.
_START, _END = r"(?<![A-Za-z0-9_.-])", r"(?![A-Za-z0-9_]|[.-][A-Za-z0-9])"
_VERSION = r"\d+(?:\.\d+)?"
_GPT_TIER = r"mini|nano|turbo|thinking|instant|pro"
_MODEL = re.compile(
    _START + r"(?:"
    r"GPT-?" + _VERSION + r"o?(?:[ -](?:" + _GPT_TIER + r"))*|"
    r"o[1-9](?:-(?:mini|pro|preview|deep-research))*|"
    r"Claude(?: " + _VERSION + r")?(?: (?:Opus|Sonnet|Haiku|Instant))(?: " + _VERSION + r")?|"
    r"Claude " + _VERSION + r"|"
    r"Gemini " + _VERSION + r"(?: (?:Pro|Flash-Lite|Flash Lite|Flash|Ultra|Nano))?"
    r"(?: (?:Experimental|Preview|Thinking))*"
    r")" + _END,
    re.I)
# Variants written after a name: "GPT-5 (Instant and Thinking)", "Claude Opus 4 and 4.1", "Gemini 1.5 Flash and
# 1.5 Pro" — each is the name's family with this tail.
_TIER_WORD = r"(?:Instant|Thinking|Pro|mini|nano|Flash-Lite|Flash|Ultra|Opus|Sonnet|Haiku)"
_TIERS_IN_PARENTHESES = re.compile(rf"\s*\(\s*({_TIER_WORD}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+)"
                                   rf"{_TIER_WORD})*)\s*\)")
_LISTED_VERSION = re.compile(rf"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)({_VERSION}(?: {_TIER_WORD})?)"
                             r"(?![\w.-])(?!\s+(?:other|more|of|days?|weeks?|months?|years?|users?|times?)\b)", re.I)
_FAMILY = re.compile(r"^\s+(?:legacy\s+)?models\b", re.I)  # "GPT-5.1 models": the family, not one model
_SPANISH_MONTH = re.compile(r"\bde (?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
                            r"noviembre|diciembre)\b", re.I)
_SPANISH_WORDS = re.compile(r"\b(?:el|los|las|del|que|para|será|serán|está|estará|ya|disponibles?|modelos?)\b", re.I)
# "We're retiring GPT-4o. It will be replaced by GPT-5.": a next sentence about "it" names the replacement.
_PRONOUN = re.compile(r"^\W*(?:it|they|these(?: models)?|both|each|this model)\b", re.I)
# "GPT-5.1 models are no longer available. This applies to GPT-5.1 Instant, …": the models meant.
_APPLIES = re.compile(r"^\W*(?:this|that|it) (?:applies|apply) to\b|^\W*(?:this|these) (?:includes?|covers?)\b|"
                      r"^\W*(?:the )?affected models\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。！？])")
_CLAUSE_END = re.compile(r",\s+(?:and|but|while|whereas)\s+|;\s*|；")
_LEADING_DATE = re.compile(
    r"^\W*(?:\d{4}-\d{1,2}-\d{1,2}|[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}|"
    r"\d{1,2} de \w+ de \d{4}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_DOTTED_DATE = re.compile(r"(?<![\d.])(\d{4})\.(\d{1,2})\.(\d{1,2})(?![\d.]*\d)")  # the Gemini app's "2025.12.17"


@dataclass(slots=True)
class _Statement:
    model: str
    platform: str
    shutdown: date | None
    past: bool  # the page says it is gone
    section: date | None
    anchor: str | None
    replacements: list[str] = field(default_factory=list)
    family: bool = False  # "GPT-5 models"
    back: bool = False  # brought back: cancels what older sections said

    @property
    def key(self) -> tuple[str, str]:
        return (self.model, self.platform)


def extract(document: Document, url: str | None, as_of: date | None = None) -> list[DeprecationRow]:
    """The retirements the page announces. `as_of` is the day the copy is read: a shutdown date on or before
    it means retired; without it, only the page's own words ("has been retired") do."""
    vendor, app = _platform(document, url)
    found: dict[tuple[str, str], list[_Statement]] = {}

    def note(statements: list[_Statement]) -> None:
        for statement in statements:
            found.setdefault(statement.key, []).append(statement)

    said: list[_Statement] = []  # what the previous sentence retired, within one entry (its section and anchor)
    entry: tuple[date | None, str | None] | None = None
    for section, anchor, text in _dated_texts(document):
        if (section, anchor) != entry:  # a paragraph of the same entry may go on ("This applies to …")
            said, entry = [], (section, anchor)
        for sentence in _SENTENCE_END.split(text.replace("\u2019", "'")):  # "We’ve removed" is "We've"
            if _BACK.search(sentence) and not _LAUNCH.search(sentence):
                note([_Statement(model, app, None, False, section, anchor, back=True)
                      for model, _family in _models(sentence)[0]])
                said = []
            elif _ROLLBACK.search(sentence) or _LAUNCH.search(sentence):
                said = []
            elif _RETIRE.search(sentence) or _LIMITED.search(sentence):
                said = _statements(sentence, section, anchor, app)
                note(said)
            elif said and _APPLIES.match(sentence) and (listed := _models(sentence)[0]):
                for statement in said:  # the variants take the place of what the previous sentence named
                    found[statement.key].remove(statement)
                said = [replace(said[0], model=model, family=False) for model, _family in listed]
                note(said)
            elif said and _PRONOUN.match(sentence):  # "It will be replaced by GPT-5.2."
                for statement in said:
                    statement.replacements = list(dict.fromkeys([*statement.replacements, *_models(sentence)[1]]))
            else:
                said = []
    return _rows(found, vendor, url, as_of)


def _rows(found: dict[tuple[str, str], list[_Statement]], vendor: str, url: str | None,
          as_of: date | None) -> list[DeprecationRow]:
    found = {key: statements for key, statements in found.items() if statements}
    announced = {key: min((s.section for s in statements if s.section), default=None)
                 for key, statements in found.items()}
    for (model, platform), statements in list(found.items()):
        variants = [key for key in found if key[1] == platform and key[0].startswith(model + "-")]
        if all(s.family for s in statements) and variants:
            del found[(model, platform)]  # "GPT-5 models", then "GPT-5 (Instant and Thinking)": the variants
            for key in variants:  # … announced when the family was
                announced[key] = min(filter(None, (announced[key], announced[(model, platform)])), default=None)
    rows = []
    for key, statements in found.items():
        newest = max(statements, key=lambda s: s.section or date.min)  # the first of the newest on ties
        if newest.back:
            continue  # brought back after its retirement
        shutdown = newest.shutdown or next((s.shutdown for s in statements if s.shutdown), None)
        replacements = newest.replacements or next((s.replacements for s in statements if s.replacements), [])
        retired = newest.past or bool(as_of and shutdown and shutdown <= as_of)
        rows.append(DeprecationRow(
            vendor=vendor, platform=newest.platform, model=newest.model,
            status=ModelStatus.RETIRED if retired else ModelStatus.DEPRECATED,
            announced=announced[key], shutdown=shutdown,
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
    heading's date holds until a dated heading of its level or any heading above it: release notes often put
    the entry's title at the date's level ("## June 7, 2025", "## Updates to Advanced Voice"). A paragraph that
    starts with a date starts a section of its own, until the next heading, when no dated heading is above it
    or when it holds nothing but the date ("**February 13, 2026**"); under a dated heading, "On February 13,
    2026 we will …" is what the sentence says, not a new section."""
    dated: list[tuple[int, date | None]] = []  # (heading level, its date), outermost first
    leading: date | None = None
    texts = []
    for block in document.blocks:
        if block.kind == "heading":
            day = _first_date(block.text)
            if day is None and dated and dated[-1][0] == block.level and dated[-1][1] is not None:
                continue  # the entry's title under its date
            dated = [(level, found) for level, found in dated if level < block.level]
            dated.append((block.level, day))
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


def _statements(sentence: str, section: date | None, anchor: str | None, app: str) -> list[_Statement]:
    """What one sentence with a retirement word says: each model it retires, when, where, and for what."""
    named, replacements = _models(sentence, retiring_only=True)
    if not named:
        return []
    days = [day for _text, day in _dates(sentence)]
    past = bool(_PAST.search(sentence))
    # "Deprecating X" announces an end to come: without a date of its own, it has no shutdown date yet.
    announcing = all(_DEPRECATE.match(found[0]) for found in _RETIRE.finditer(sentence))
    now = past or not (_FUTURE.search(sentence) or _LIMITED.search(sentence) or announcing)
    shutdown = max(days) if days else (section if now else None)
    platform = "api" if _API.search(sentence) and not _APP.search(sentence) else app
    return [_Statement(model, platform, shutdown, past, section, anchor, list(replacements), family)
            for model, family in named]


def _models(sentence: str, retiring_only: bool = False) -> tuple[list[tuple[str, bool]], list[str]]:
    """The models a sentence names, as (id, is a family), and those it names as replacements. With
    `retiring_only`, only the models of the clauses that hold the retirement word ("GPT-5.1 Auto continues …,
    and GPT-5 models remain available for three months": GPT-5)."""
    spans = [(0, len(sentence))]
    if retiring_only:
        ends = {match.end() for match in _MODEL.finditer(sentence)}
        bounds = [0, *(m.end() for m in _CLAUSE_END.finditer(sentence)  # not in a list: "X, Y, and Z"
                       if not (m.start() in ends and _MODEL.match(sentence, m.end()))), len(sentence)]
        spans = [(a, b) for a, b in itertools.pairwise(bounds)
                 if _RETIRE.search(sentence[a:b]) or _LIMITED.search(sentence[a:b])]
    named, replacements = [], []
    cue = _REPLACED_BY.search(sentence)
    for match in _MODEL.finditer(sentence):
        after_cue = cue is not None and match.start() >= cue.end()
        replacing = after_cue or _REPLACED_BEFORE.match(sentence[match.end():])
        names, end = _variants(match, sentence)
        if replacing:
            replacements += [_model_id(name) for name in names]
        elif any(a <= match.start() < b for a, b in spans):
            family = bool(_FAMILY.match(sentence[end:]))
            named += [(_model_id(name), family) for name in names]
    replacements = list(dict.fromkeys(replacements))
    return [m for m in dict.fromkeys(named) if m[0] not in replacements], replacements


def _variants(match: re.Match[str], sentence: str) -> tuple[list[str], int]:
    """The names one match stands for, and where they end: itself, or the variants written after it."""
    name, end = match[0], match.end()
    if tiers := _TIERS_IN_PARENTHESES.match(sentence, end):  # "GPT-5 (Instant and Thinking)"
        names = [f"{name} {tier}" for tier in re.split(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", tiers[1])]
        return [n for n in names if _MODEL.fullmatch(n)] or [name], tiers.end()
    names = [name]
    family = name[:re.search(r"\d", name).start()]  # type: ignore[union-attr]  # "Claude Opus ", "Gemini "
    while (listed := _LISTED_VERSION.match(sentence, end)) and _MODEL.fullmatch(family + listed[1]):
        names.append(family + listed[1])  # "Claude Opus 4 and 4.1", "Gemini 1.5 Flash and 1.5 Pro"
        end = listed.end()
    return names, end


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
    days = [(found, day) for found, day in find_dates(text, _language(text)) if re.search(r"\d{4}", found)]
    for match in _DOTTED_DATE.finditer(text):
        try:
            days.append((match[0], date(int(match[1]), int(match[2]), int(match[3]))))
        except ValueError:
            continue
    return days


def _first_date(text: str) -> date | None:
    days = _dates(text)
    return days[0][1] if days else None
