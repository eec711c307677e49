"""Exporting a large statement: 100,000 generated testimonies in English, Spanish, Japanese and Chinese (their
words built from the labelled theme set, `tests/fixtures/themes/labelled.json`, so that themes have
something real to find), every consent level, some withdrawn, in two communities. Each format is rendered in
a process of its own, so that its time and its peak memory are its own; in the same run `sqlite3`'s own CSV
output dumps the same approved rows, as the raw engine's floor. Then the PDF of a consultation statement
with 1,000 quotes (its annex prints every one).

    .venv/bin/python -m bench.export                      # 100,000 testimonies; about six minutes
    .venv/bin/python -m bench.export --testimonies 5000   # a quick look

One JSON object per line: per format {"format", "testimonies", "seconds", "peak_rss_mb", "read_seconds",
"themes_seconds", "render_seconds", "bytes"}: `seconds` is the whole export in that process, from opening the
database to the last byte written, without the interpreter's start-up and imports (reported as
"startup_seconds"); "md+csv+json+html" is those four from one read, as `python -m bot export` would make
them one after another, run three times: the median, with every run's seconds in "runs_seconds". First an
"analyse" line: the first read, which makes and keeps every testimony's analysis. Then {"format":
"sqlite3-csv", "seconds", "rows"} and {"format": "pdf", "kind": "consultation", "quotes", "seconds",
"peak_rss_mb"}, and a summary against the targets."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.statements.model import Statement

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "themes" / "labelled.json"
AT = datetime(2026, 6, 1, tzinfo=UTC)
START = datetime(2025, 9, 1, tzinfo=UTC)
MODELS = ("gpt-4o", "chatgpt-4o-latest", "gpt-4.1", "o4-mini", "claude-3-opus", "claude-3-5-sonnet")
ASKS = ("keep_access", "open_weights", "longer_notice", "legacy_api", "other")
USES = {"companionship": "companionship", "creative": "creative", "accessibility": "accessibility",
        "work": "work"}
TOGETHER = ("md", "csv", "json", "html")
DUMP = ("SELECT receipt, language, models, display_name, meaning FROM testimonies WHERE status = 'approved' "
        "ORDER BY created_at, id")
TARGETS = {"together_seconds": 10, "together_peak_rss_mb": 500, "csv_vs_sqlite3": 3, "pdf_1000_quotes_seconds": 30}


def texts() -> dict[str, list[tuple[str, str]]]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return {language: [(theme, text) for theme, items in data[language].items() for text in items]
            for language in data}


async def schema(path: Path) -> tuple[list[int], list[int]]:
    """A migrated database with two communities and their default campaigns, through the real store."""
    from bot.domain import PlatformName
    from bot.store import Store

    store = await Store.open(path)
    try:
        communities, campaigns = [], []
        for platform, external, name in ((PlatformName.DISCORD, "100", "Alpha server"),
                                         (PlatformName.TELEGRAM, "-1002", "Beta chat")):
            community = await store.communities.ensure_community(platform, external, name)
            campaign = await store.testimonies.default_campaign(community.id, START)
            communities.append(community.id)
            campaigns.append(campaign.id)
        return communities, campaigns
    finally:
        await store.close()


async def generate(path: Path, count: int, *, seed: int = 7, quotable: bool = False) -> None:
    """`count` testimonies written straight into the store's tables in one transaction (the store's own insert
    would take minutes at this size, and it is not what is measured). The columns are those the store writes
    (`TestimonyRepository.add`, `review`, `withdraw`). `quotable`: every one at consent 1 or 2, none withdrawn."""
    from bot.store.testimonies import Words, _word_values

    communities, campaigns = await schema(path)
    rng = random.Random(seed)
    pool = texts()
    languages = sorted(pool)
    testimonies, consents = [], []
    for n in range(count):
        language = languages[n % len(languages)]
        first, second = rng.sample(pool[language], 2)
        joiner = " " if language in ("en", "es") else ""
        meaning = first[1] + (joiner + second[1] if rng.random() < 0.3 else "") + f" #{n}"
        side = 0 if rng.random() < 0.6 else 1
        created = START + timedelta(seconds=rng.randrange(0, 240 * 86400))
        level = rng.choice((1, 2)) if quotable else rng.choice((0, 1, 1, 2))
        withdrawn = not quotable and rng.random() < 0.03
        words = Words(tuple(rng.sample(MODELS, rng.randint(1, 2))), "", (USES[first[0]],), meaning,
                      tuple(rng.sample(ASKS, rng.randint(1, 2))), f"Name{n}" if level == 2 else "",
                      "zh" if language == "zh" else language, language, {})
        values = _word_values(words)
        if withdrawn:
            values = (None,) * len(values)
        stamp = created.isoformat()
        author = "p-" + hashlib.sha256(f"{seed}-{rng.randrange(count // 2 + 1)}".encode()).hexdigest()[:24]
        receipt = "T-" + hashlib.sha256(f"{seed}-{n}".encode()).hexdigest()[:10].upper()
        testimonies.append((n + 1, receipt, communities[side], campaigns[side], author, "discord" if side == 0
                            else "telegram", "withdrawn" if withdrawn else "approved", *values, stamp, stamp,
                            stamp if withdrawn else None))
        consents.append((n + 1, author, level, int(rng.random() < 0.5), "v1", stamp))
    with sqlite3.connect(path) as db:
        db.executemany(
            """INSERT INTO testimonies (id, receipt, community_id, campaign_id, author, platform, status, models,
                   models_text, uses, meaning, asks, display_name, redactions, language, detected_language,
                   created_at, updated_at, withdrawn_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", testimonies)
        db.executemany("""INSERT INTO consent_records (testimony_id, author, level, health, text_version, created_at)
                          VALUES (?, ?, ?, ?, ?, ?)""", consents)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def export(path: Path, names: list[str], out: Path, kind: str) -> dict:
    """One export as `python -m bot export` makes it: read, themes (for what shows them), render, write."""
    from dataclasses import replace

    from bot.statements import bundle
    from bot.statements.aggregate import assemble, snapshot, theme_words
    from bot.statements.model import Filters, Options
    from bot.statements.render import FORMATS, Presentation
    from bot.statements.themes import find_themes
    from bot.store import Store

    started = time.perf_counter()
    store = await Store.open(path)
    try:
        rows = await snapshot(store, Filters(), Options(generated_at=AT))
    finally:
        await store.close()
    statement = await asyncio.to_thread(assemble, rows, Filters(), Options(generated_at=AT))
    read = time.perf_counter() - started
    needs_themes = any(name not in ("csv", "polis") for name in names)
    if needs_themes:  # as `build_statement` does it
        words = await asyncio.to_thread(theme_words, rows, statement)
        del rows
        statement = replace(statement, themes=await find_themes(statement, words))
    else:
        del rows
    themed = time.perf_counter() - started - read
    presentation = Presentation(kind=kind)
    written = 0
    for name in names:
        if name == "bundle":
            files = {bundle.FILE: await asyncio.to_thread(bundle.bundle, statement, presentation)}
        else:
            files = await asyncio.to_thread(FORMATS[name].render, statement, presentation)
        written += await write(out / name, files)
        del files  # as `python -m bot export` does it, no format's files are held past writing them
    seconds = time.perf_counter() - started
    figures = {"read_seconds": round(read, 3), "themes_seconds": round(themed, 3),
               "render_seconds": round(seconds - read - themed, 3), "seconds": round(seconds, 3),
               "bytes": written, "quotes": len(statement.quotes), "counted": statement.total}
    if statement.themes:
        figures["themes_ari"] = known_theme_agreement(statement)
    return figures


async def write(folder: Path, files: dict[str, bytes]) -> int:
    from bot.files import write_private_atomically

    for file, data in files.items():
        (folder / file).parent.mkdir(parents=True, exist_ok=True)
        await asyncio.to_thread(write_private_atomically, folder / file, data)
    return sum(len(data) for data in files.values())


def known_theme_agreement(statement: Statement) -> dict[str, float]:
    """Per language, the adjusted Rand index between the themes found and the theme each generated testimony
    was written from (its first text's, which `generate` records as its use), over the testimonies in a
    shown theme. A testimony made of two texts (three in ten) belongs to two known themes and counts under
    its first."""
    from sklearn.metrics import adjusted_rand_score

    known = {item.receipt: item.uses[0] for item in statement.included}
    agreement = {}
    for language in sorted({theme.language for theme in statement.themes}):
        found = {r: theme.label for theme in statement.themes if theme.language == language for r in theme.receipts}
        order = sorted(found)
        agreement[language] = round(adjusted_rand_score([known[r] for r in order], [found[r] for r in order]), 3)
    return agreement


def child(args: argparse.Namespace) -> int:
    import sklearn.cluster
    import sklearn.feature_extraction.text
    import sklearn.metrics  # noqa: F401

    import bot.statements.render  # noqa: F401

    imported = time.perf_counter()
    # "read" alone: the snapshot and the statement, nothing rendered (the first read makes the analyses)
    figures = asyncio.run(export(args.db, [n for n in args.child.split("+") if n != "read"], args.out, args.kind))
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["startup_seconds"] = round(imported - args.launched, 3)
    print(json.dumps(figures))
    return 0


def measure(db: Path, formats: str, out: Path, *, kind: str = "letter") -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", "--child", formats, "--db", str(db), "--out", str(out),
         "--kind", kind, "--launched", repr(time.perf_counter())],
        check=False, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    if done.returncode:
        raise SystemExit(f"exporting {formats} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sqlite3_dump(db: Path, out: Path) -> dict:
    cli = shutil.which("sqlite3")
    if cli is None:
        return {"format": "sqlite3-csv", "seconds": None, "note": "the sqlite3 command is not installed"}
    started = time.perf_counter()
    with open(out, "wb") as sink:
        subprocess.run([cli, "-csv", "-header", str(db), DUMP], stdout=sink, check=True)
    seconds = time.perf_counter() - started
    with open(out, "rb") as dumped:
        rows = sum(1 for _ in dumped) - 1
    return {"format": "sqlite3-csv", "seconds": round(seconds, 3), "rows": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--testimonies", type=int, default=100_000)
    parser.add_argument("--quotable", type=int, default=260,
                        help="testimonies of the PDF statement, all quotable (260 give just over 1,000 passages)")
    parser.add_argument("--formats", default="json,csv,polis,md,html,pdf,bundle")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--kind", default="letter", help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args)
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        db = work / "bench.db"
        started = time.perf_counter()
        asyncio.run(generate(db, args.testimonies))
        print(json.dumps({"generated": args.testimonies, "seconds": round(time.perf_counter() - started, 1)}),
              file=sys.stderr)
        # The texts' analyses, made and kept by the first export (as after an import or an upgrade); a
        # testimony given through the bot has its analysis made by the first export after it.
        results["analyse"] = {"format": "analyse", "testimonies": args.testimonies, **measure(db, "read", work / "out")}
        print(json.dumps(results["analyse"]), flush=True)
        for name in [*args.formats.split(","), "+".join(TOGETHER)]:
            # the figure held against a target: the median of three runs, the other two beside it
            runs = sorted((measure(db, name, work / "out") for _ in range(3 if name == "+".join(TOGETHER) else 1)),
                          key=lambda figures: figures["seconds"])
            figures = {**runs[len(runs) // 2], **({"runs_seconds": [r["seconds"] for r in runs]} if len(runs) > 1
                                                   else {})}
            results[name] = {"format": name, "testimonies": args.testimonies, **figures}
            print(json.dumps(results[name]), flush=True)
        results["sqlite3-csv"] = sqlite3_dump(db, work / "dump.csv")
        print(json.dumps(results["sqlite3-csv"]), flush=True)
        small = work / "quotes.db"
        asyncio.run(generate(small, args.quotable, seed=11, quotable=True))
        pdf = measure(small, "pdf", work / "small", kind="consultation")
        results["pdf-quotes"] = {"format": "pdf", "kind": "consultation", **pdf}
        print(json.dumps(results["pdf-quotes"]), flush=True)
    print(json.dumps(summary(results)))
    return 0


def summary(results: dict[str, dict]) -> dict:
    together = results.get("+".join(TOGETHER), {})
    csv, dump = results.get("csv", {}), results.get("sqlite3-csv", {})
    ratio = round(csv["seconds"] / dump["seconds"], 2) if csv.get("seconds") and dump.get("seconds") else None
    return {"summary": {
        "together_seconds": together.get("seconds"), "together_peak_rss_mb": together.get("peak_rss_mb"),
        "csv_vs_sqlite3": ratio, "pdf_1000_quotes_seconds": results["pdf-quotes"]["seconds"],
        "pdf_quotes": results["pdf-quotes"]["quotes"]}, "targets": TARGETS}


if __name__ == "__main__":
    raise SystemExit(main())
