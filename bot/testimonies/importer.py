"""Testimonies gathered elsewhere (a petition, a survey, a spreadsheet) brought in from a file:
`python -m bot testimonies import FILE --community ID [--campaign NAME]`.

A CSV file (UTF-8, a header row) or a JSON file (a list of objects) with the Form's questions as columns. Each
row is held to exactly what the Form holds a person to: every field goes through the Form's own `clean`, the
words through the same intake (`form.words`), the testimony through `TestimonyService.submit`, marked
imported and waiting for review. Consent and the health question must be answered explicitly in every row:
nothing is assumed for a person who was not asked here. The file is checked whole first; if any row is
wrong, every wrong row is reported by its line and nothing is imported. The `author` column (a signer id, an
e-mail address) is never stored: only a keyed pseudonym of it, in a namespace of the community's own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.domain import Campaign, Community, ConsentLevel, PlatformName
from bot.errors import InvalidInput, NotFound
from bot.i18n import N_, _, _n
from bot.presentation import Answer, Form
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.store.testimonies import Words
from bot.testimonies import form as testimony
from bot.testimonies import intake
from bot.testimonies.service import Submission, TestimonyService, repeated

PLATFORM = "import"  # testimonies.platform of an imported testimony
FORM_COLUMNS = ("models", "uses", "meaning", "asks", "display_name", "language", "consent", "health")
COLUMNS = (*FORM_COLUMNS, "author", "submitted_at")
REQUIRED = ("models", "uses", "meaning", "asks", "language", "consent", "health")
AUTHOR_LIMIT = 320  # the longest e-mail address
MAX_BYTES = 32 * 1024 * 1024
SHOWN_PROBLEMS = 50
COLUMN_SHOWN = 40  # characters of an unknown column name a refusal repeats

_HINTED = ("uses", "asks", "language", "consent", "health")  # choices: the file is told what to write
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


@dataclass(frozen=True, slots=True)
class Problem:
    line: int | None  # the line of the file where the row starts; None for the file as a whole
    text: str

    def __str__(self) -> str:
        return _("line {line}: {problem}", line=self.line, problem=self.text) if self.line is not None else self.text


class ImportRefused(Exception):
    """Nothing was imported, for these reasons."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(map(str, self.problems)))


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    values: dict[str, object]  # column → value as the file has it (text from CSV; JSON's own types)


@dataclass(frozen=True, slots=True)
class Imported:
    count: int
    community: Community
    campaign: Campaign
    receipts: list[str] = field(default_factory=list)


# --- reading the file --------------------------------------------------------------------------------------

def read_rows(data: bytes, name: str = "") -> list[Row]:
    """The rows of a CSV or JSON file (by its extension, else by its first character), each with the line it
    starts on. `ImportRefused` says what is wrong with the file as a whole."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem(None, _("the file has {size} bytes; at most {limit} are read at once (split "
                                             "it)", size=f"{len(data):,}", limit=f"{MAX_BYTES:,}"))])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportRefused([Problem(None, _("the file is UTF-16; save it as UTF-8 (\"CSV UTF-8\" in a "
                                             "spreadsheet)"))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ImportRefused([Problem(line, _("not UTF-8 text: save the file as UTF-8 (\"CSV UTF-8\" in a "
                                             "spreadsheet)"))]) from None
    suffix = Path(name).suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip()[:1] in ("[", "{"))
    rows = _read_json(text) if is_json else _read_csv(text)
    if not rows:
        raise ImportRefused([Problem(None, _("the file holds no testimonies (only a header, or nothing)"))])
    return rows


def _shown(name: str) -> str:
    """A column name from the file as a refusal repeats it: no escape sequence for the terminal, no page of it."""
    name = intake.strip_hidden(name)
    return name if len(name) <= COLUMN_SHOWN else name[: COLUMN_SHOWN - 1] + "…"


def _columns(names: list[str], line: int, *, header: bool = True) -> list[str]:
    """The columns a CSV header (or a JSON object's keys, `header=False`: an object may leave any out) names."""
    columns = [n.strip().lower() for n in names]
    problems = [Problem(line, _("unknown column “{column}”; the columns are: {columns}", column=_shown(n),
                                columns=", ".join(COLUMNS))) for n in columns if n not in COLUMNS]
    problems += [Problem(line, _("the column “{column}” appears twice", column=_shown(n)))
                 for n in sorted(set(columns)) if columns.count(n) > 1]
    problems += [Problem(line, _("the column “{column}” is missing (required: {required})", column=n,
                                 required=", ".join(REQUIRED))) for n in REQUIRED if header and n not in columns]
    if problems:
        raise ImportRefused(problems)
    return columns


def _read_csv(text: str) -> list[Row]:
    first = text.split("\n", 1)[0]
    # Spreadsheets set to Spanish (and others) write ";" between values, some a tab: the header says which.
    delimiter = max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    columns: list[str] | None = None
    problems: list[Problem] = []
    while True:
        line = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportRefused([*problems, Problem(line, _(
                "not valid CSV ({reason}): a value holding a comma, a quote or a line break must be in double quotes, "
                "and a quote inside it doubled (\"\")", reason=error))]) from None
        if not any(v.strip() for v in values):
            continue  # a blank line
        if columns is None:
            columns = _columns(values, line)
            continue
        if len(values) != len(columns):
            problems.append(Problem(line, _("{values} values where the header has {columns} columns (a value "
                                            "holding a comma must be in double quotes)", values=len(values),
                                            columns=len(columns))))
            continue
        rows.append(Row(line, {c: v for c, v in zip(columns, values, strict=True) if v.strip()}))
    if problems:
        raise ImportRefused(problems)
    return rows


def _read_json(text: str) -> list[Row]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefused([Problem(error.lineno, _("not valid JSON: {reason} (column {column}); expected a list of "
                                                     "objects, [{{\"models\": …, \"meaning\": …}}, …]",
                                                     reason=error.msg, column=error.colno))]) from None
    if not isinstance(document, list):
        raise ImportRefused([Problem(1, _("expected a list of objects, [{{\"models\": …, \"meaning\": …}}, …], not "
                                          "{kind}", kind=_json_kind(document)))])
    rows, problems = [], []
    for line, item in _top_level_items(text):
        if not isinstance(item, dict):
            problems.append(Problem(line, _("expected an object ({{\"models\": …}}), not {kind}",
                                            kind=_json_kind(item))))
            continue
        names = [str(k) for k in item]
        try:
            columns = _columns(names, line, header=False)
        except ImportRefused as refused:
            problems.extend(refused.problems)
            columns = [n.strip().lower() for n in names]
        rows.append(Row(line, {c: v for c, v in zip(columns, item.values(), strict=True)
                               if v is not None and v != ""}))
    if problems:
        raise ImportRefused(problems)
    return rows


def _top_level_items(text: str) -> list[tuple[int, object]]:
    """Each item of a JSON list (already known to be valid) with the line it starts on."""
    decoder = json.JSONDecoder()

    def skip(at: int) -> int:
        while at < len(text) and text[at] in " \t\r\n\ufeff":
            at += 1
        return at

    at = skip(0) + 1  # past "["
    found: list[tuple[int, object]] = []
    while True:
        at = skip(at)
        if text[at] == "]":
            return found
        value, end = decoder.raw_decode(text, at)
        found.append((text.count("\n", 0, at) + 1, value))
        at = skip(end)
        if text[at] == ",":
            at += 1


def _json_kind(value: object) -> str:
    kinds = {dict: N_("an object"), list: N_("a list"), str: N_("text"), bool: N_("true or false"),
             int: N_("a number"), float: N_("a number")}
    kind = kinds.get(type(value))
    return _(kind) if kind else "null"


# --- checking one row against the Form ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Checked:
    line: int
    answers: dict[str, Answer]
    author: str | None
    submitted_at: datetime | None


def check_row(row: Row, form: Form, now: datetime) -> Checked | list[Problem]:
    """The row as the Form's answers, each field by the Form's own rule; or what is wrong with it."""
    problems: list[Problem] = []
    answers: dict[str, Answer] = {}
    for column in FORM_COLUMNS:
        raw, wrong = _raw_answer(column, row.values.get(column))
        if wrong:
            problems.append(Problem(row.line, _("{column}: expected {what}", column=column, what=wrong)))
            continue
        question = form.field(column)
        try:
            answers[column] = question.clean(raw)
        except InvalidInput as error:
            problems.append(Problem(row.line, _explain(column, raw, error)))
    author = row.values.get("author")
    if isinstance(author, bool) or not isinstance(author, str | int | None):
        problems.append(Problem(row.line, _("author: expected text (any id that stays the same for one person)")))
        author = None
    # Hidden characters do not make another person; the value itself is never shown back.
    author = intake.strip_hidden(str(author)) if author is not None else None
    if author is not None and len(author) > AUTHOR_LIMIT:
        problems.append(Problem(row.line, _("author: at most {limit} characters (it has {length})",
                                            limit=AUTHOR_LIMIT, length=len(author))))
    submitted_at, wrong = _moment(row.values.get("submitted_at"), now)
    if wrong:
        problems.append(Problem(row.line, _("submitted_at: {problem}", problem=wrong)))
    return problems or Checked(row.line, answers, author or None, submitted_at)


def _raw_answer(column: str, value: object) -> tuple[object, str]:
    """What the Form's field takes for this value (its `clean` decides), or what the file should hold."""
    if value is None:
        return None, ""
    if column in ("uses", "asks"):
        if isinstance(value, str):
            return [part.strip() for part in value.split(";") if part.strip()], ""
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()], ""
        return None, _hint(column)
    if column == "consent":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), ""
        return (value.strip(), "") if isinstance(value, str) else (None, _hint(column))
    if column == "health":
        if isinstance(value, bool):
            return value, ""
        word = str(value).strip().lower() if isinstance(value, str | int) else None
        if word in _YES or word in _NO:
            return word in _YES, ""
        return None, _hint(column)
    if isinstance(value, str):
        return value, ""
    return None, _("text")


def _hint(column: str) -> str:
    """What to write in the file for a choice."""
    if column in ("uses", "asks"):
        return _("one or more of {choices}, separated by ;",
                 choices=", ".join(testimony.USES if column == "uses" else testimony.ASKS))
    if column == "language":
        return _("one of {choices}", choices=", ".join(testimony.LANGUAGES))
    if column == "consent":
        return _("0 (count only, never quote), 1 (quote without a name) or 2 (quote with the display name), as the "
                 "person chose it")
    return _("yes or no (true/false, 1/0): may passages on health or disability be quoted, as the person chose")


def _explain(column: str, raw: object, error: InvalidInput) -> str:
    """The Form's own words for a text; for a choice, what to write in the file."""
    if column not in _HINTED:
        return f"{column}: {error.text()}"
    if raw in (None, "", []):
        if column in ("consent", "health"):
            return _("{column} is required and must be explicit (nothing is assumed for a person): {hint}",
                     column=column, hint=_hint(column))
        return _("{column} is required: {hint}", column=column, hint=_hint(column))
    return _("{column}: expected {what}", column=column, what=_hint(column))


def _moment(value: object, now: datetime) -> tuple[datetime | None, str]:
    if value is None:
        return None, ""
    if not isinstance(value, str):
        return None, _("expected a date or date and time as text, like 2025-06-25 or 2025-06-25T14:30:00+02:00")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None, _("expected a date or date and time, like 2025-06-25 or 2025-06-25T14:30:00+02:00")
    moment = (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    if moment > now:
        return None, _("{moment} is after now ({now})", moment=value.strip(), now=now.isoformat(timespec="seconds"))
    return moment, ""


# --- the import ----------------------------------------------------------------------------------------------

async def find_community(store: Store, given: str) -> Community:
    """A community by its number (communities.id) or as discord:<server id> / telegram:<chat id> / console."""
    text = given.strip()
    found: Community | None = None
    if text.isascii() and text.isdigit():
        found = await store.communities.community_by_id(int(text))
    else:
        platform, _sep, external = text.partition(":")
        if platform not in {p.value for p in PlatformName}:
            raise ImportRefused([Problem(None, _("--community {community}: give the community's number, or write it "
                                                 "as discord:<server id> or telegram:<chat id>", community=given))])
        found = await store.communities.get_community(PlatformName(platform), external or platform)
    if found is None:
        known = await store.communities.list_communities()
        listed = ", ".join(f"{c.id} ({c.platform.value}:{c.external_id} {c.name})" for c in known[:10])
        raise ImportRefused([Problem(None, _("no community {community} is known to this database; it appears once the "
                                             "bot has served it. Known: {known}.", community=given, known=listed)
                                     if known else _("no community {community} is known to this database; it appears "
                                                     "once the bot has served it. None is known yet.",
                                                     community=given))])
    return found


async def find_campaign(store: Store, community: Community, name: str | None, now: datetime) -> Campaign | None:
    """The campaign named, refused clearly when there is none or it has closed; None for the community's
    default campaign (made, if it is not there yet, only when testimonies are stored into it)."""
    if not name or not name.strip():
        return None
    try:
        chosen = await store.testimonies.campaign_named(community.id, name.strip())
    except NotFound:
        names = [c.name for c in await store.testimonies.campaigns(community.id) if c.name]
        raise ImportRefused([Problem(None, _("no campaign “{campaign}” in {community}; its campaigns are: {names}",
                                             campaign=name.strip(), community=community.name, names=", ".join(names))
                                     if names else _("no campaign “{campaign}” in {community}; it has none besides the "
                                                     "default, used when --campaign is left out",
                                                     campaign=name.strip(), community=community.name))]) from None
    if chosen.closed_on(now.date()):
        raise ImportRefused([Problem(None, _("the campaign “{campaign}” closed on {day}", campaign=chosen.name,
                                             day=chosen.closes_on.isoformat()))])
    return chosen


def author_key(checked: Checked, words_meaning: str) -> str:
    """What tells one person from another within the file: the author column; without one, the text itself
    (so the same text twice, or a file imported twice, is seen as a repeat, never stored twice)."""
    if checked.author is not None:
        return "a:" + checked.author
    return "t:" + hashlib.sha256(words_meaning.encode("utf-8", "surrogatepass")).hexdigest()


async def import_testimonies(data: bytes, name: str, *, store: Store, testimonies: TestimonyService,
                             pseudonyms: Pseudonyms, community: Community, campaign: Campaign | None,
                             clock: Callable[[], datetime]) -> Imported:
    """Check every row, then store them all in one transaction, or none. `ImportRefused` lists every row
    that is wrong, by its line. `campaign` None: the community's default one."""
    now = clock()
    rows = read_rows(data, name)
    form = testimony.testimony_form({})
    await testimonies.refresh_models(community.id)
    namespace = f"{PLATFORM}:{community.id}"
    problems: list[Problem] = []
    ready: list[tuple[Checked, str, Words]] = []
    earlier_in_file: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        checked = check_row(row, form, now)
        if isinstance(checked, list):
            problems.extend(checked)
            continue
        words = testimony.words(checked.answers, testimonies.known_models)
        author = pseudonyms.of(namespace, author_key(checked, words.meaning))
        mine = earlier_in_file.setdefault(author, [])
        same = repeated(words.meaning, mine)
        if same is not None:
            problems.append(Problem(row.line, _("nearly the same text as line {line}, from the same author", line=same)
                                    if checked.author is not None else
                                    _("nearly the same text as line {line}, from a row without an author (rows "
                                      "without one are told apart by their text)", line=same)))
            continue
        mine.append((row.line, words.meaning))
        state = await store.testimonies.intake_state(author, community.id, now)
        if state.blocked:
            problems.append(Problem(row.line, _("the moderators of this community have blocked this author")))
            continue
        if repeated(words.meaning, state.texts) is not None:
            problems.append(Problem(row.line, _("nearly the same text as a testimony already stored for this author in "
                                                "this community (was the file imported before?)")))
            continue
        ready.append((checked, author, words))
    if problems:
        raise ImportRefused(sorted(problems, key=lambda p: p.line or 0))
    receipts: list[str] = []
    async with store.db.transaction():
        if campaign is None:
            campaign = await store.testimonies.default_campaign(community.id, now)
        for checked, author, words in ready:
            level = ConsentLevel(int(str(checked.answers["consent"])))
            submission = Submission(community.id, campaign.id, author, PLATFORM, words, level,
                                    checked.answers["health"] is True, imported=True,
                                    submitted_at=checked.submitted_at)
            try:
                receipts.append((await testimonies.submit(submission)).receipt)
            except InvalidInput as error:  # checked above; the service's rules have the last word
                raise ImportRefused([Problem(checked.line, error.text())]) from None
        await store.audit.record("testimonies.imported", community_id=community.id, campaign_id=campaign.id,
                                 count=len(receipts))
    return Imported(len(receipts), community, campaign, receipts)


def describe(result: Imported) -> str:
    where = f"{result.community.name} ({result.community.platform.value}:{result.community.external_id})"
    if result.campaign.name:
        return _n("Imported {n} testimony into {community}, campaign “{campaign}”; it waits for review.",
                  "Imported {n} testimonies into {community}, campaign “{campaign}”; they wait for review.",
                  result.count, community=where, campaign=result.campaign.name)
    return _n("Imported {n} testimony into {community}, the default campaign; it waits for review.",
              "Imported {n} testimonies into {community}, the default campaign; they wait for review.",
              result.count, community=where)


def problems_text(refused: ImportRefused, name: str) -> str:
    shown = refused.problems[:SHOWN_PROBLEMS]
    more = len(refused.problems) - len(shown)
    head = _("Nothing was imported from {file}:", file=name) if any(p.line for p in refused.problems) else \
        _("Nothing was imported:")
    lines = [head, *(f"  {p}" for p in shown)]
    if more:
        lines.append("  " + _("… and {n} more", n=more))
    return "\n".join(lines)


