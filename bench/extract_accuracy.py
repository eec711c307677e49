"""How well our extractors agree with two independent deprecation datasets: precision and recall of the pairs
(vendor, model id, shutdown date) read from the research corpus's page copies.

    .venv/bin/python -m bench.extract_accuracy [--vendor openai] [--verbose]

One JSON line per (vendor, dataset) on stdout; with --verbose the disagreements follow on stderr (only ours,
only theirs, date differs, and what each rule left out), so a person can judge which side is wrong. Without
the corpus (`../shared/research-corpus`, or CONTINUITY_CORPUS) it says so on stderr and exits 0.

The datasets (in the corpus's `datasets/`):

- deprecations.info (`deprecations-info-deprecations.json`, snapshot 2026-07-24): a scraper of the vendors'
  deprecation pages; one record per announced deprecation, with the page it came from (`url`) and
  `first_observed`, the day the scraper first saw it (its history starts on 2025-12-05).
- modeldeprecations.dev (`modeldeprecations-dev-flat.csv`, snapshot 2026-08-21, flattened from one YAML per
  model): a hand-kept catalogue of chosen models, active ones too, with their `source_urls`; `shutdown_on` is
  a firm date, `earliest_shutdown_on` a "not sooner than" date (Anthropic's and Google's active models),
  `released_on` the model's release.

Rules, and why:

1. Vendors. Dataset providers map to our (vendor, platform): OpenAI→openai/api, Anthropic→anthropic/api,
   Google→google/api (the gemini family), Google Vertex and vertex→google/vertex, Azure→azure/azure,
   AWS Bedrock and bedrock→bedrock/bedrock, Mistral→mistral, Cohere→cohere, Groq→groq, xAI→xai. A page copy
   belongs to the vendor of its family (recognised from its `source_url:`); rows of another (vendor,
   platform) are left out and named on stderr. Copies of no known family, or of a family whose module is not
   written yet, are skipped and named on stderr.
2. Same page, nearest day. A dataset entry is compared with a copy of the page it came from (deprecations.info
   `url`, modeldeprecations.dev `source_urls`), pages being the same when their addresses are, ignoring the
   scheme, `www.`, the anchor, a trailing `/`, `.md` or `.html`, and the moves listed in `SAME_PAGE` (vendors
   move their docs: platform.openai.com → developers.openai.com). Of those copies we read the one (or the
   ones, when several share the date) nearest in date to the dataset's snapshot (`copy_shows_date:`). A vendor
   whose pages the dataset does not draw on gets a line with no figures and a note.
3. What each side could show. A dataset entry is left out when the dataset says it appeared after the copy
   (deprecations.info `first_observed`, modeldeprecations.dev `released_on`, later than the copy's date), or
   when none of its ids occurs anywhere in the copy's text (it was added to, or removed from, the page between
   the two days: Bedrock drops models after their end of life; no extractor could find it). One of our rows
   is left out when it was announced (`DeprecationRow.announced`) after the dataset's snapshot. When the copy
   predates deprecations.info's first observation of that provider, every record looks "first observed"
   after it, so the line has no figures. `last_observed` is not used: it stops moving for records still on
   the page (Azure's gpt-5 is "last observed" on 2026-04-25 in the 2026-07-24 snapshot).
4. Scope. deprecations.info lists announced deprecations only, so against it our `active` rows (Anthropic's
   "not sooner than" dates for current models) are left out; modeldeprecations.dev lists active models with
   their earliest dates, so against it they count. deprecations.info scrapes the very pages we read, so every
   row of ours counts against it; modeldeprecations.dev catalogues chosen models only, so our rows for a
   model it has no entry for under any id or page are outside it (counted apart, not as errors). The
   shutdown date is compared whatever its qualifier (firm or "not sooner than").
5. Pairs. A pair is (vendor, model, shutdown date). Only models with a shutdown date on at least one side are
   compared: a model with no date anywhere says nothing about dates, and both datasets list many current
   models without one. A model dated on one side only is a date disagreement.
6. Ids. Model ids are compared after removing case, surrounding whitespace and backticks, nothing else: no
   fuzzy matching. A dataset entry also matches under the other ids the dataset itself gives for it:
   modeldeprecations.dev's YAML `aliases:` (`claude-haiku-4-5` for `claude-haiku-4-5-20251001`) and, for
   Bedrock, the "invoke id" its description states (`amazon.nova-canvas-v1:0` for `nova-canvas`).
7. Figures. precision = our pairs equal to some dataset pair / our pairs; recall = dataset entries equal to
   some pair of ours / dataset entries. `pairs` gives both sizes ({"ours": n, "theirs": m}); `left_out`
   counts what rules 3 and 4 set aside. A side with no pairs gives null, not a made-up 0 or 1.
8. Known dataset errors. `KNOWN_DATASET_ERRORS` lists dataset values the vendor page contradicts, each checked
   by hand against the page copy. They are never applied silently: "precision"/"recall" are the figures
   against the dataset as published, "precision_corrected"/"recall_corrected" after replacing those values
   with what the page says, and "corrections" counts the compared entries that were replaced.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.document import parse_document
from bot.watch.pages import FAMILIES, UnknownPageFamily, extract_page, family_for

PROJECT = Path(__file__).resolve().parents[1]
Extract = Callable[[str, str, date], list[DeprecationRow]]
Pair = tuple[str, date | None]

# Our vendor label -> the (vendor, platform) of its rows and the page family they come from.
VENDORS: dict[str, tuple[str, str, str]] = {
    "openai": ("openai", "api", "openai"),
    "anthropic": ("anthropic", "api", "anthropic"),
    "google": ("google", "api", "gemini"),
    "vertex": ("google", "vertex", "vertex"),
    "azure": ("azure", "azure", "azure"),
    "bedrock": ("bedrock", "bedrock", "bedrock"),
    "mistral": ("mistral", "api", "mistral"),
    "cohere": ("cohere", "api", "cohere"),
    "groq": ("groq", "api", "groq"),
    "xai": ("xai", "api", "xai"),
}
FAMILY_VENDOR = {family: label for label, (_vendor, _platform, family) in VENDORS.items()}

DEPRECATIONS_INFO = "deprecations.info"
MODELDEPRECATIONS = "modeldeprecations.dev"
PROVIDERS: dict[str, dict[str, str]] = {
    DEPRECATIONS_INFO: {"OpenAI": "openai", "Anthropic": "anthropic", "Google": "google",
                        "Google Vertex": "vertex", "Azure": "azure", "AWS Bedrock": "bedrock",
                        "Cohere": "cohere", "Groq": "groq", "xAI": "xai"},
    MODELDEPRECATIONS: {"openai": "openai", "anthropic": "anthropic", "google": "google", "vertex": "vertex",
                        "bedrock": "bedrock", "mistral": "mistral", "cohere": "cohere", "xai": "xai"},
}

# One page under two addresses (the vendor moved it); keys as `page_key` writes them.
SAME_PAGE = {
    "platform.openai.com/docs/deprecations": "developers.openai.com/api/docs/deprecations",
    "docs.mistral.ai/getting-started/models/models_overview": "docs.mistral.ai/models",
}


@dataclass(frozen=True, slots=True)
class KnownError:
    """A dataset value the vendor page contradicts. Dates are ISO; None is "no shutdown date"."""

    dataset: str
    vendor: str
    model: str
    theirs: str | None
    page: str | None
    why: str


# Each entry checked by hand against the page copy named in `why`.
_OPENAI_PRODUCT = ("openai-deprecations-2026-08-20.md, section '2026-06-03: {0}': its table reads 'June 3, 2026 | "
                   "Deprecation announced …' and 'Nov 30, 2026 | {1}'. The dataset took the announcement (the "
                   "section heading's date) for the shutdown date.")
_GEMINI_25 = ("google-gemini-api-deprecations-2026-08-21.md, 'Gemini 2.5' tables: '{0} | {1} | No shutdown date "
              "announced'. Both datasets carry 2026-10-16, an earlier earliest-shutdown date (modeldeprecations.dev "
              "calls it earliest_shutdown_on, last verified 2026-07-30); the vendor's page of 2026-08-21 no longer "
              "names any date for {0}.")
KNOWN_DATASET_ERRORS: tuple[KnownError, ...] = (
    KnownError(DEPRECATIONS_INFO, "openai", "Reusable prompts", "2026-06-03", "2026-11-30", _OPENAI_PRODUCT.format(
        "Reusable prompts", "The `v1/prompts` API and reusable prompt objects are scheduled to shut down.")),
    KnownError(DEPRECATIONS_INFO, "openai", "Evals platform", "2026-06-03", "2026-11-30", _OPENAI_PRODUCT.format(
        "Evals platform", "The Evals dashboard and API are scheduled to shut down.")),
    KnownError(DEPRECATIONS_INFO, "openai", "Agent Builder", "2026-06-03", "2026-11-30", _OPENAI_PRODUCT.format(
        "Agent Builder", "Agent Builder is scheduled to shut down.")),
    KnownError(MODELDEPRECATIONS, "google", "imagen-4.0-generate-001", None, "2026-08-17",
               "google-gemini-api-deprecations-2026-08-21.md, 'Imagen models' table: 'imagen-4.0-generate-001 | "
               "June 24, 2025 | August 17, 2026 | gemini-3.1-flash-image'. The dataset lists it as active with no "
               "shutdown date (last_verified 2026-08-03), though deprecations.info saw that date on the page "
               "from 2026-05-01 on, three months before."),
    *(KnownError(dataset, "google", model, "2026-10-16", None, _GEMINI_25.format(model, row))
      for dataset in (DEPRECATIONS_INFO, MODELDEPRECATIONS)
      for model, row in (("gemini-2.5-pro", "June 17, 2025"), ("gemini-2.5-flash", "June 17, 2025"),
                         ("gemini-2.5-flash-lite", "July 22, 2025"))),
)


@dataclass(frozen=True, slots=True)
class Entry:
    """One dataset record reduced to what is compared."""

    vendor: str
    model: str                               # normalised
    shutdown: date | None
    pages: frozenset[str]                    # `page_key`s of the pages it came from
    since: date | None = None                # the dataset says it appeared that day (first observed, released)
    names: frozenset[str] = frozenset()      # every id it matches: the model and the dataset's own aliases


@dataclass(frozen=True, slots=True)
class Dataset:
    name: str
    snapshot: date
    entries: tuple[Entry, ...]
    scraper: bool                            # scrapes our very pages (else a catalogue of chosen models)
    start: dict[str, date] = field(default_factory=dict)  # vendor -> the day it first observed that provider


@dataclass(frozen=True, slots=True)
class PageCopy:
    name: str
    url: str
    shown: date
    vendor: str

    @property
    def key(self) -> str:
        return page_key(self.url)


@dataclass
class Comparison:
    """One (vendor, dataset): the pairs compared and what the rules left out, each with its reason."""

    vendor: str
    dataset: str
    pages: list[PageCopy]
    ours: list[Pair] = field(default_factory=list)
    theirs: list[Entry] = field(default_factory=list)
    left_out: dict[str, list[str]] = field(default_factory=dict)
    note: str | None = None

    def leave_out(self, reason: str, what: str) -> None:
        self.left_out.setdefault(reason, []).append(what)

    def figures(self) -> tuple[float | None, float | None]:
        theirs = {(name, e.shutdown) for e in self.theirs for name in e.names}
        ours = set(self.ours)
        hits = sum(1 for pair in self.ours if pair in theirs)
        found = sum(1 for e in self.theirs if any((name, e.shutdown) in ours for name in e.names))
        return (round(hits / len(self.ours), 4) if self.ours else None,
                round(found / len(self.theirs), 4) if self.theirs else None)

    def disagreements(self) -> list[tuple[str, str, str, str]]:
        """(kind, model, ours, theirs), kind being "only ours", "only theirs" or "date differs"."""
        theirs = {(name, e.shutdown) for e in self.theirs for name in e.names}
        ours_dates: dict[str, set[date | None]] = {}
        for model, shutdown in self.ours:
            ours_dates.setdefault(model, set()).add(shutdown)
        their_names = {name for e in self.theirs for name in e.names}
        found: list[tuple[str, str, str, str]] = []
        for e in self.theirs:
            mine = {d for name in e.names for d in ours_dates.get(name, ())}
            if e.shutdown not in mine:
                kind = "date differs" if mine else "only theirs"
                found.append((kind, e.model, ", ".join(sorted(_iso(d) for d in mine)) or "-", _iso(e.shutdown)))
        for model, shutdown in self.ours:
            if (model, shutdown) not in theirs and model not in their_names:
                found.append(("only ours", model, _iso(shutdown), "-"))
        return sorted(set(found))


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "none"


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10]) if text and text.strip() else None
    except ValueError:
        return None


def normalise(model: str) -> str:
    """The only normalisation applied to ids: case, surrounding whitespace and backticks."""
    return model.strip().strip("`").strip().lower()


def page_key(url: str) -> str:
    """A page's address without what does not change the page (rule 2)."""
    key = re.sub(r"^[a-z]+://(www\.)?", "", url.strip().lower()).split("#")[0].split("?")[0].rstrip("/")
    key = re.sub(r"\.(md|html?)$", "", key)
    return SAME_PAGE.get(key, key)


def default_corpus() -> Path:
    return Path(os.environ.get("CONTINUITY_CORPUS", PROJECT.parent / "shared" / "research-corpus"))


def _source(path: Path) -> dict[str, str]:
    """The `key: value` lines of a copy's `.source.txt`."""
    meta = path.with_name(path.name + ".source.txt")
    lines = meta.read_text(encoding="utf-8").splitlines() if meta.is_file() else []
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines) if v.strip()}


# --- the datasets ------------------------------------------------------------------------------------------

def load_deprecations_info(corpus: Path) -> Dataset:
    path = corpus / "datasets" / "deprecations-info-deprecations.json"
    providers = PROVIDERS[DEPRECATIONS_INFO]
    entries, start = [], {}
    for record in json.loads(path.read_text(encoding="utf-8")):
        vendor = providers.get(record.get("provider") or "")
        if not vendor or not record.get("model_id"):
            continue
        seen = _day(record.get("first_observed"))
        if seen and (vendor not in start or seen < start[vendor]):
            start[vendor] = seen
        model = normalise(record["model_id"])
        entries.append(Entry(vendor, model, _day(record.get("shutdown_date")),
                             frozenset({page_key(record.get("url") or "")}), seen, frozenset({model})))
    snapshot = _day(_source(path).get("copy_shows_date")) or date(2026, 7, 24)
    return Dataset(DEPRECATIONS_INFO, snapshot, tuple(entries), scraper=True, start=start)


_INVOKE_ID = re.compile(r"invoke id is\s+`?([\w.:-]+?)`?\.?(?:\s|$)")


def aliases(yaml_file: Path) -> set[str]:
    """The other ids a modeldeprecations.dev YAML gives for its model: `aliases:` (flow or block list) and the
    Bedrock "invoke id" its description states. A few lines of reading instead of a YAML dependency."""
    if not yaml_file.is_file():
        return set()
    text = yaml_file.read_text(encoding="utf-8")
    names: set[str] = set()
    if match := re.search(r"^aliases:[ \t]*\[([^\]]*)\]", text, re.M):
        names |= {a.strip(" '\"") for a in match[1].split(",")}
    elif match := re.search(r"^aliases:[ \t]*\n((?:[ \t]+-[^\n]*\n)+)", text, re.M):
        names |= {line.strip().lstrip("-").strip(" '\"") for line in match[1].splitlines()}
    names |= set(_INVOKE_ID.findall(" ".join(text.split())))
    return {normalise(n) for n in names if n.strip()}


def load_modeldeprecations(corpus: Path) -> Dataset:
    path = corpus / "datasets" / "modeldeprecations-dev-flat.csv"
    providers = PROVIDERS[MODELDEPRECATIONS]
    entries = []
    with path.open(encoding="utf-8", newline="") as handle:
        for record in csv.DictReader(handle):
            vendor = providers.get(record.get("provider") or "")
            if not vendor or not record.get("model"):
                continue
            model = normalise(record["model"])
            shutdown = _day(record.get("shutdown_on")) or _day(record.get("earliest_shutdown_on"))
            yaml_file = corpus / "datasets" / "modeldeprecations-dev" / (record.get("file") or "-")
            pages = frozenset(page_key(url) for url in (record.get("source_urls") or "").split())
            entries.append(Entry(vendor, model, shutdown, pages, _day(record.get("released_on")),
                                 frozenset({model} | aliases(yaml_file))))
    snapshot = _day(_source(path).get("copy_shows_date")) or date(2026, 8, 21)
    return Dataset(MODELDEPRECATIONS, snapshot, tuple(entries), scraper=False)


def corrected(dataset: Dataset, errors: Iterable[KnownError] = KNOWN_DATASET_ERRORS) -> tuple[Dataset, set[Entry]]:
    """The dataset with the known errors replaced by what the vendor page says, and the entries replaced (an
    entry whose value is no longer the listed one is left alone: the dataset has been fixed since)."""
    fixes = {(e.vendor, normalise(e.model)): e for e in errors if e.dataset == dataset.name}
    entries, replaced = [], set()
    for entry in dataset.entries:
        fix = fixes.get((entry.vendor, entry.model))
        if fix and _iso(entry.shutdown) == (fix.theirs or "none"):
            replaced.add(entry)
            entry = replace(entry, shutdown=_day(fix.page))
        entries.append(entry)
    return replace(dataset, entries=tuple(entries)), replaced


# --- our side ----------------------------------------------------------------------------------------------

def page_copies(corpus: Path) -> list[PageCopy]:
    """Every page copy whose family we know and whose extractor exists; the others are named on stderr."""
    copies = []
    for path in sorted((corpus / "pages").glob("*")):
        if not path.is_file() or path.name.endswith(".source.txt"):
            continue
        meta = _source(path)
        url, shown = meta.get("source_url", ""), _day(meta.get("copy_shows_date"))
        try:
            family = family_for(url)
        except UnknownPageFamily:
            print(f"skipped {path.name}: no page family knows {url or 'its address'}", file=sys.stderr)
            continue
        if family not in FAMILY_VENDOR or shown is None:
            print(f"skipped {path.name}: family {family} is not compared", file=sys.stderr)
            continue
        if importlib.util.find_spec(FAMILIES[family][0]) is None:
            print(f"skipped {path.name}: extractor {FAMILIES[family][0]} does not exist yet", file=sys.stderr)
            continue
        copies.append(PageCopy(path.name, url, shown, FAMILY_VENDOR[family]))
    return copies


def extract_copy(text: str, url: str, as_of: date) -> list[DeprecationRow]:
    """One copy's rows as the watch read them on the day the copy shows (status as of that fetch)."""
    return extract_page(text, url=url, as_of=as_of)


def page_text(text: str) -> str:
    """Everything a copy shows as text (cells included), lower case: what an extractor could find in it."""
    parts = []
    for block in parse_document(text).blocks:
        parts += [block.text, *block.header, *(cell.text for row in block.rows for cell in row)]
    return "\n".join(parts).lower()


def nearest(copies: Iterable[PageCopy], day: date) -> list[PageCopy]:
    """The copies nearest in date to `day` (all of them when several share that date)."""
    copies = list(copies)
    if not copies:
        return []
    best = min(abs((c.shown - day).days) for c in copies)
    return [c for c in copies if abs((c.shown - day).days) == best]


def compare(corpus: Path, dataset: Dataset, vendor: str, copies: list[PageCopy],
            extract: Extract = extract_copy) -> Comparison:
    """Our pairs and the dataset's entries for one vendor, restricted by rules 2–5 of the module docstring."""
    entries = [e for e in dataset.entries if e.vendor == vendor]
    their_pages = {key for e in entries for key in e.pages}
    pages = nearest((c for c in copies if c.vendor == vendor and c.key in their_pages), dataset.snapshot)
    result = Comparison(vendor, dataset.name, pages)
    if not pages:
        mine = sorted({c.name for c in copies if c.vendor == vendor})
        result.note = (f"the dataset draws on none of our copies ({', '.join(mine)})" if mine
                       else "no page copy with an extractor")
        return result
    shown, keys = max(p.shown for p in pages), {p.key for p in pages}
    if (start := dataset.start.get(vendor)) and shown < start:
        result.note = f"the copy ({shown}) predates the dataset's first observation of {vendor} ({start})"
        return result

    want = VENDORS[vendor][:2]
    ours: set[Pair] = set()
    text = ""
    for page in pages:
        raw = (corpus / "pages" / page.name).read_text(encoding="utf-8")
        text += page_text(raw)
        try:
            rows = extract(raw, page.url, page.shown)
        except Exception as error:  # an extractor being written must not stop the bench
            print(f"skipped {page.name}: its extractor failed: {type(error).__name__}: {error}", file=sys.stderr)
            continue
        for row in rows:
            pair = (normalise(row.model), row.shutdown)
            if (row.vendor, row.platform) != want:
                print(f"{page.name}: row for {row.vendor}/{row.platform} ({row.model}) left out", file=sys.stderr)
            elif row.announced and row.announced > dataset.snapshot:
                result.leave_out("ours announced after the snapshot", pair[0])
            elif row.status == ModelStatus.ACTIVE and dataset.scraper:
                continue  # rule 4: not a deprecation, so not something this dataset lists
            else:
                ours.add(pair)

    ours_dated = {name for name, shutdown in ours if shutdown}
    theirs = []
    for e in entries:
        if not e.pages & keys or not (e.shutdown or e.names & ours_dated):
            continue  # from another page of the vendor's, or no date on either side (rule 5)
        if e.since and e.since > shown:
            result.leave_out("theirs appeared after the copy", e.model)
        elif not any(name in text for name in e.names):
            result.leave_out("theirs not on the copy", e.model)
        else:
            theirs.append(e)
    dated = ours_dated | {name for e in theirs if e.shutdown for name in e.names}
    catalogue = {name for e in entries for name in e.names}
    for pair in sorted(ours, key=str):
        if pair[0] not in dated:
            continue
        if not dataset.scraper and pair[0] not in catalogue:
            result.leave_out("ours outside the catalogue", pair[0])
        else:
            result.ours.append(pair)
    result.theirs = [e for e in theirs if e.names & dated]
    return result


# --- the report --------------------------------------------------------------------------------------------

def measure(corpus: Path, vendors: Iterable[str] | None = None, extract: Extract = extract_copy,
            errors: Iterable[KnownError] = KNOWN_DATASET_ERRORS) -> list[tuple[dict[str, object], Comparison]]:
    """One report per (vendor, dataset) the dataset covers, in VENDORS order, with the comparison behind it."""
    errors, wanted = tuple(errors), set(vendors) if vendors is not None else set(VENDORS)
    copies = page_copies(corpus)
    reports = []
    for dataset in (load_deprecations_info(corpus), load_modeldeprecations(corpus)):
        fixed, replaced = corrected(dataset, errors)
        covered = {e.vendor for e in dataset.entries}
        for vendor in (v for v in VENDORS if v in covered and v in wanted):
            plain = compare(corpus, dataset, vendor, copies, extract)
            after = compare(corpus, fixed, vendor, copies, extract) if replaced else plain
            precision, recall = plain.figures()
            precision_c, recall_c = after.figures()
            report: dict[str, object] = {
                "vendor": vendor, "dataset": dataset.name, "precision": precision, "recall": recall,
                "pairs": {"ours": len(plain.ours), "theirs": len(plain.theirs)},
                "precision_corrected": precision_c, "recall_corrected": recall_c,
                "corrections": sum(1 for e in plain.theirs if e in replaced),
                "left_out": {reason: len(what) for reason, what in plain.left_out.items()},
                "pages": [p.name for p in plain.pages], "snapshot": dataset.snapshot.isoformat(),
            }
            if plain.note:
                report["note"] = plain.note
            reports.append((report, plain))
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.extract_accuracy",
                                     description="Precision and recall of our extractors against two datasets.")
    parser.add_argument("--vendor", action="append", choices=list(VENDORS), help="only this vendor (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="list disagreements and left-out entries on stderr")
    parser.add_argument("--corpus", type=Path, help="the research corpus (default: ../shared/research-corpus)")
    args = parser.parse_args(argv)
    corpus = args.corpus or default_corpus()
    if not (corpus / "pages").is_dir() or not (corpus / "datasets").is_dir():
        print(f"research corpus not found at {corpus} (set CONTINUITY_CORPUS); nothing measured", file=sys.stderr)
        return 0
    for report, comparison in measure(corpus, args.vendor):
        print(json.dumps(report), flush=True)
        if args.verbose:
            where = f"{comparison.vendor} × {comparison.dataset}"
            for kind, model, ours, theirs in comparison.disagreements():
                print(f"  {where}: {kind}: {model}: ours {ours}, theirs {theirs}", file=sys.stderr)
            for reason, models in comparison.left_out.items():
                print(f"  {where}: left out, {reason}: {', '.join(sorted(set(models)))}", file=sys.stderr)
            compared = {e.model for e in comparison.theirs}
            for error in KNOWN_DATASET_ERRORS:
                if (error.dataset, error.vendor) == (comparison.dataset, comparison.vendor) \
                        and normalise(error.model) in compared:
                    print(f"  {where}: known dataset error: {error.model}: theirs {error.theirs or 'none'}, "
                          f"page {error.page or 'none'}: {error.why}", file=sys.stderr)
            sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
