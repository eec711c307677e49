"""Intake under load: testimonies given at once through the core, on a real SQLite file, against the plain
rate of inserting the same rows on the same disk.

A submission is `TestimonyService.submit`, the one entry every front door's Form and the importer use: the
rules (blocked here? a full day? a repeat of their own text?) read and the testimony stored with its consent
record, in one transaction. Its words (`form.words`: hidden characters stripped, redactions, models matched, the
language detected) are made beforehand, as the Form's review makes them before the person confirms. Every
submission has its own author, so the day's allowance refuses none. Texts are in English, Spanish, Japanese
and Chinese, each one different, a few hundred characters long. On one database in a temporary folder (WAL,
`synchronous = NORMAL`, as the bot opens it):

- `submissions_per_s`: N submissions started at the same moment (`asyncio.gather`), N over the time until the
  last is stored (their latencies there, `burst_p50_ms`/`burst_p99_ms`, are mostly waiting their turn);
- `p50_ms`, `p99_ms`: N more arriving at a steady `--rate` per second (1,000), each started on arrival while
  earlier ones are in flight, from arrival to stored;
- `raw_inserts_per_s`: the same rows (a testimony and its consent record) inserted into a fresh copy of the
  schema in the same folder, one transaction and one commit each, through aiosqlite used plainly; `ratio` =
  submissions_per_s / raw_inserts_per_s. `raw_sqlite3_inserts_per_s`: the same through sqlite3 on the calling
  thread, what SQLite and the disk allow by themselves;
- `with_words_per_s`: N submissions at once that each make their words first (one language detection each, as
  an import does); `words_per_s`: `form.words` alone, one after another;
- `form_submits_per_s`: the Form's last answer ("Store my testimony") for N people at once through
  `FormService`, as every front door gives it (earlier answers given beforehand).

    .venv/bin/python -m bench.intake                        # 1,000 submissions (about 20 s)
    .venv/bin/python -m bench.intake --submissions 5000 --rate 2000

Targets: p99 under 50 ms at 1,000 arrivals per second, at least 1,000 submissions/s, at least half the raw rate.
One JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite

from bot.domain import Community, ConsentLevel, PlatformName, Severity
from bot.forms import FormService
from bot.presentation import Actor, Message
from bot.pseudonyms import Pseudonyms
from bot.store import Store
from bot.store.db import Database
from bot.store.migrate import migrate
from bot.store.testimonies import new_receipt
from bot.testimonies import form
from bot.testimonies.form import CONSENT_TEXT_VERSION
from bot.testimonies.service import Submission, TestimonyService

NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
TEMPLATES = [
    ("en", "For {n} years it has been the voice I talk to after my night shifts. It helped me through a long "
           "winter of loneliness and read my letters aloud when my eyes were too tired. {extra} Losing it would "
           "feel like losing a friend, and I ask for more notice before it goes."),
    ("es", "Desde hace {n} años lo uso cada día para preparar mis clases de química; sus explicaciones pacientes "
           "me enseñaron a enseñar. {extra} Quitarlo con dos meses de aviso no es justo para nadie que dependa de "
           "él en su trabajo."),
    ("ja", "{n}年間、毎晩小説の続きを一緒に考えてくれました。あの文体は他のモデルでは再現できません。{extra}"
           "どうか重みを公開するか、せめて提供を続けてください。"),
    ("zh", "这{n}年来，它陪我度过了最难熬的日子。每天晚上和它聊天，让我重新学会了表达自己。{extra}请不要让它消失，"
           "至少提前告诉我们。"),
]
EXTRAS = ["My daughter uses it for her homework too.", "Nothing else writes like it.",
          "I have told my friends about it.", "It never made me feel stupid.", "I rely on it at work."]
KNOWN_MODELS = ("gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-2024-08-06", "claude-3-opus-20240229", "o1")


def answers(i: int) -> dict[str, object]:
    language, template = TEMPLATES[i % len(TEMPLATES)]
    meaning = template.format(n=NUMBERS[i % len(NUMBERS)] if language in ("en", "es") else i % 40 + 2,
                              extra=f"{EXTRAS[i % len(EXTRAS)]} (#{i})")
    return {"models": "GPT-4o, Claude 3 Opus" if i % 3 else "4o", "uses": ["companionship", "work"],
            "meaning": meaning, "asks": ["keep_access", "longer_notice"], "display_name": f"Person {i}",
            "language": language, "consent": str(i % 3), "health": i % 2 == 0}


class Clock:
    """The service's clock; one fixed day, so every submission is counted in the same one."""

    def __call__(self) -> datetime:
        return datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


async def _submit_all(service: TestimonyService, pseudonyms: Pseudonyms, community_id: int, campaign_id: int,
                      indices: range, arrivals: list[float] | None, *, with_words: bool) -> tuple[float, list[float]]:
    """Submit each of `indices`, all at once (`arrivals` None) or each at its arrival time; the time until the
    last is stored, and each one's latency. Without `with_words`, the words are made beforehand, as the Form's
    review makes them before the person confirms."""
    prepared = {i: form.words(answers(i), KNOWN_MODELS) for i in indices} if not with_words else {}
    latencies: list[float] = []

    async def one(i: int, at: float) -> None:
        if at:
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
        start = time.perf_counter() if not at else at
        given = answers(i)
        words = prepared[i] if not with_words else form.words(given, KNOWN_MODELS)
        await service.submit(Submission(community_id, campaign_id, pseudonyms.of(PlatformName.DISCORD, f"u{i}"),
                                        "discord", words, ConsentLevel(int(str(given["consent"]))),
                                        given["health"] is True))
        latencies.append(time.perf_counter() - start)

    began = time.perf_counter()
    plan = [began + a for a in arrivals] if arrivals is not None else [0.0] * len(indices)
    await asyncio.gather(*(one(i, at) for i, at in zip(indices, plan, strict=True)))
    return time.perf_counter() - began, latencies


async def form_submits(store: Store, service: TestimonyService, pseudonyms: Pseudonyms, community: Community,
                       n: int) -> float:
    """The Form's last answer ("Store my testimony") for n people at once, through `FormService` as every front
    door uses it, each person's earlier answers given beforehand (that is when the review is built, with the
    language detected): submissions per second."""
    forms = FormService(store, pseudonyms, service.form_specs(), clock=Clock())
    ready = []
    for i in range(n):
        actor = Actor(PlatformName.DISCORD, f"form-{i}", f"Person {i}", "en", community)
        progress = await forms.start(actor, await service.testify(actor))
        for key, value in answers(10 * n + i).items():
            progress = await forms.give(progress, actor, {key: value})
        ready.append((actor, progress))
    began = time.perf_counter()
    replies = await asyncio.gather(*(forms.give(progress, actor, {"confirm": True}) for actor, progress in ready))
    elapsed = time.perf_counter() - began
    assert all(isinstance(reply, Message) and reply.severity == Severity.SUCCESS for reply in replies), replies[0]
    return n / elapsed


RAW_TESTIMONY = """INSERT INTO testimonies (receipt, community_id, campaign_id, author, platform, models, models_text,
        uses, meaning, asks, display_name, redactions, language, detected_language, imported, created_at, updated_at)
    VALUES (?, 1, 1, ?, 'discord', ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)"""
RAW_CONSENT = """INSERT INTO consent_records (testimony_id, author, level, health, text_version, created_at)
    VALUES (?, ?, ?, ?, ?, ?)"""
PRAGMAS = ("PRAGMA journal_mode = WAL", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
           "PRAGMA secure_delete = ON")


async def _empty_copy(path: Path) -> None:
    db = await Database.open(path)
    await migrate(db)
    await db.execute("INSERT INTO communities (platform, external_id, name, created_at, updated_at) "
                     "VALUES ('discord', '1', 'Raw', '2026-06-01', '2026-06-01')")
    await db.execute("INSERT INTO campaigns (community_id, name, created_by, created_at) VALUES (1, '', 'system', "
                     "'2026-06-01')")
    await db.close()


def _raw_rows(n: int, pseudonyms: Pseudonyms) -> list[tuple[tuple[object, ...], tuple[object, ...]]]:
    """Each submission's two rows, made beforehand: only the inserts are timed."""
    stamp = Clock()().isoformat()
    rows = []
    for i in range(n):
        given = answers(i)
        words = form.words(given, KNOWN_MODELS)
        author = pseudonyms.of(PlatformName.DISCORD, f"u{i}")
        rows.append(((new_receipt(), author, json.dumps(list(words.models)), words.models_text,
                      json.dumps(list(words.uses)), words.meaning, json.dumps(list(words.asks)), words.display_name,
                      json.dumps(words.redactions), words.language, words.detected_language, stamp, stamp),
                     (author, int(str(given["consent"])), int(given["health"] is True), CONSENT_TEXT_VERSION, stamp)))
    return rows


async def raw_inserts(folder: Path, n: int, pseudonyms: Pseudonyms) -> tuple[float, float]:
    """The same rows, each submission's in its own transaction with one commit, with the bot's pragmas: through
    aiosqlite as plainly as it is used (BEGIN, INSERT, INSERT, COMMIT: four trips to its thread), and, for what
    SQLite and the disk allow by themselves, through sqlite3 on this thread. Rows per second of each."""
    rows = _raw_rows(n, pseudonyms)
    await _empty_copy(folder / "raw-aiosqlite.db")
    connection = await aiosqlite.connect(folder / "raw-aiosqlite.db", isolation_level=None)
    for pragma in PRAGMAS:
        await connection.execute(pragma)
    began = time.perf_counter()
    for testimony, consent in rows:
        await connection.execute("BEGIN IMMEDIATE")
        cursor = await connection.execute(RAW_TESTIMONY, testimony)
        await connection.execute(RAW_CONSENT, (cursor.lastrowid, *consent))
        await connection.commit()
    through_aiosqlite = n / (time.perf_counter() - began)
    await connection.close()

    await _empty_copy(folder / "raw-sqlite3.db")
    plain = sqlite3.connect(folder / "raw-sqlite3.db", isolation_level=None)
    for pragma in PRAGMAS:
        plain.execute(pragma)
    began = time.perf_counter()
    for testimony, consent in rows:
        plain.execute("BEGIN IMMEDIATE")
        cursor = plain.execute(RAW_TESTIMONY, testimony)
        plain.execute(RAW_CONSENT, (cursor.lastrowid, *consent))
        plain.commit()
    through_sqlite3 = n / (time.perf_counter() - began)
    plain.close()
    return through_aiosqlite, through_sqlite3


async def run(n: int, rate: float) -> dict[str, object]:
    pseudonyms = Pseudonyms(b"bench-secret-long-enough-for-the-hmac-key")
    with tempfile.TemporaryDirectory(prefix="continuity-intake-") as name:
        folder = Path(name)
        store = await Store.open(folder / "continuity.db")
        try:
            community = await store.communities.ensure_community(PlatformName.DISCORD, "1", "Bench")
            campaign = await store.testimonies.default_campaign(community.id, Clock()())
            service = TestimonyService(store, pseudonyms, dict, clock=Clock())
            form.words(answers(0), KNOWN_MODELS)  # the language profiles load once, before timing
            burst_s, burst = await _submit_all(service, pseudonyms, community.id, campaign.id, range(n), None,
                                               with_words=False)
            paced_s, paced = await _submit_all(service, pseudonyms, community.id, campaign.id, range(n, 2 * n),
                                               [i / rate for i in range(n)], with_words=False)
            full_s, _full = await _submit_all(service, pseudonyms, community.id, campaign.id, range(2 * n, 3 * n),
                                              None, with_words=True)
            began = time.perf_counter()
            for i in range(n):
                form.words(answers(3 * n + i), KNOWN_MODELS)
            words_s = time.perf_counter() - began
            stored = await store.db.fetch_value("SELECT COUNT(*) FROM testimonies")
            form_per_s = await form_submits(store, service, pseudonyms, community, n)
        finally:
            await store.close()
        raw, raw_sqlite3 = await raw_inserts(folder, n, pseudonyms)
    assert stored == 3 * n, f"{stored} of {3 * n} stored"
    per_s = n / burst_s

    def quantile(values: list[float], q: float) -> float:
        return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000, 2)

    return {"submissions_per_s": round(per_s, 1), "p50_ms": quantile(paced, 50), "p99_ms": quantile(paced, 99),
            "raw_inserts_per_s": round(raw, 1), "ratio": round(per_s / raw, 3), "submissions": n,
            "paced_rate_per_s": rate, "paced_achieved_per_s": round(n / paced_s, 1),
            "burst_p50_ms": quantile(burst, 50), "burst_p99_ms": quantile(burst, 99),
            "with_words_per_s": round(n / full_s, 1), "words_per_s": round(n / words_s, 1),
            "form_submits_per_s": round(form_per_s, 1), "raw_sqlite3_inserts_per_s": round(raw_sqlite3, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.intake", description=__doc__.split("\n\n")[0])
    parser.add_argument("--submissions", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=1000.0, help="arrivals per second in the paced run")
    args = parser.parse_args(argv)
    print(json.dumps(asyncio.run(run(args.submissions, args.rate))), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
