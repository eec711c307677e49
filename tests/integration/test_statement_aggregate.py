"""A statement from a generated data set on a real database: several hundred testimonies in two
communities, four languages, every consent level, health yes and no, some withdrawn, pending, rejected or
hidden, some consents changed before the snapshot and some after. What the statement should hold is worked
out here from the generated records, independently of the code under test."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain import ConsentLevel, PlatformName
from bot.domain import TestimonyStatus as Status
from bot.statements.aggregate import build_statement
from bot.statements.model import Filters, Options, Statement
from bot.store.testimonies import Words

SNAPSHOT = datetime(2026, 4, 15, 12, 0, tzinfo=UTC)
START = datetime(2026, 1, 1, tzinfo=UTC)
MODELS = ("gpt-4o", "claude-3-opus", "gpt-4.1", "o4-mini", "chatgpt-4o-latest")
USES = ("companionship", "creative", "work", "accessibility", "learning", "research", "other")
ASKS = ("keep_access", "open_weights", "longer_notice", "legacy_api", "other")
PLATFORMS = ("discord", "telegram", "console", "import")
# Sentences as people write them; {m} is a marker unique to the testimony and the sentence, so a test can
# tell whose words reached a quote. The health ones mention health or disability; the others do not.
NEUTRAL = {
    "en": ["I talked to it every evening {m}.", "Please keep it available {m}!", "It helped me write again {m}."],
    "es": ["Lo usaba cada tarde {m}.", "¿Por qué lo quitan {m}?", "Me ayudó a escribir otra vez {m}."],
    "ja": ["毎晩話していました{m}。", "どうか残してください{m}！", "また書けるようになりました{m}。"],
    "zh": ["我每天晚上都和它聊天{m}。", "请保留它{m}！", "它让我重新开始写作{m}。"],
}
HEALTH = {
    "en": ["It stayed with me through my depression {m}.", "As an autistic person I need its patience {m}."],
    "es": ["Me acompañó durante mi depresión {m}.", "Con mi ansiedad me ayudaba a dormir {m}."],
    "ja": ["うつ病の時に支えてくれました{m}。", "発達障害がある私には必要です{m}。"],
    "zh": ["我有抑郁症时它陪着我{m}。", "作为残疾人我需要它{m}。"],
}


@dataclass
class Record:
    """One generated testimony, as the test knows it."""

    n: int
    community: str
    community_id: int
    campaign: str
    author: str
    platform: str
    models: tuple[str, ...]
    uses: tuple[str, ...]
    asks: tuple[str, ...]
    language: str
    display_name: str
    created_at: datetime
    status: Status
    consents: list[tuple[datetime, ConsentLevel, bool]]
    sentences: list[tuple[str, bool]]  # (marker, mentions health)
    receipt: str = ""
    testimony_id: int = 0
    meaning: str = field(default="", repr=False)

    def consent_at(self, moment: datetime) -> tuple[ConsentLevel, bool] | None:
        """The consent in force at `moment`, or today's where that is stricter."""
        before = [(level, health) for at, level, health in self.consents if at <= moment]
        if not before:
            return None
        (level, health), (now_level, now_health) = before[-1], self.consents[-1][1:]
        return min(level, now_level), health and now_health


RARE = (3, 50, 101)


def marker(n: int, k: int) -> str:
    return f"Zq{n}x{k}"


def generate(seed: int = 10, count: int = 420) -> list[Record]:
    rng = random.Random(seed)
    communities = [("Alpha server", "discord", "100"), ("Beta chat", "telegram", "-1002")]
    campaigns = {"Alpha server": ["", "Save 4o"], "Beta chat": ["", "Keep Opus"]}
    records = []
    for n in range(count):
        community = communities[0] if rng.random() < 0.6 else communities[1]
        language = rng.choice(("en", "es", "ja", "zh"))
        created = START + timedelta(minutes=rng.randrange(0, 105 * 24 * 60))
        if n % 40 == 7:
            created = SNAPSHOT + timedelta(days=3)  # given after the snapshot: not in it
        sentences, parts = [], []
        for k in range(rng.randint(1, 3)):
            health = rng.random() < 0.35
            text = rng.choice((HEALTH if health else NEUTRAL)[language]).format(m=marker(n, k))
            sentences.append((marker(n, k), health))
            parts.append(text)
        separator = " " if language in ("en", "es") else ""
        roll = rng.random()
        status = (Status.APPROVED if roll < 0.7 else Status.PENDING if roll < 0.78
                  else Status.REJECTED if roll < 0.84 else Status.HIDDEN if roll < 0.9
                  else Status.WITHDRAWN)
        models = tuple(rng.sample(MODELS, rng.randint(1, 2)))
        if n in RARE:  # three testimonies a month before the rest, about a model nobody else names
            status, created, models = Status.APPROVED, datetime(2025, 12, 10 + n % 7, tzinfo=UTC), (
                *models, "gpt-4.5-preview")
        level = ConsentLevel(rng.randrange(3))
        consents = [(created, level, rng.random() < 0.5)]
        if status == Status.APPROVED and rng.random() < 0.25 and created < SNAPSHOT:
            # A later change of mind, before or after the snapshot.
            at = (SNAPSHOT - timedelta(days=1)) if rng.random() < 0.5 else (SNAPSHOT + timedelta(days=2))
            consents.append((at, ConsentLevel(rng.randrange(3)), rng.random() < 0.5))
        records.append(Record(
            n=n, community=community[0], community_id=0, campaign=rng.choice(campaigns[community[0]]),
            author=f"author-{community[0][0]}-{rng.randrange(120)}", platform=rng.choice(PLATFORMS),
            models=models, uses=tuple(rng.sample(USES, rng.randint(1, 3))),
            asks=tuple(rng.sample(ASKS, rng.randint(1, 2))), language=language,
            display_name=rng.choice(("", f"Name{n}")), created_at=created, status=status, consents=consents,
            sentences=sentences, meaning=separator.join(parts)))
    return records


async def load(store, records: list[Record]) -> list[Record]:
    repo = store.testimonies
    ids = {}
    for name, platform, external in (("Alpha server", PlatformName.DISCORD, "100"),
                                     ("Beta chat", PlatformName.TELEGRAM, "-1002")):
        community = await store.communities.ensure_community(platform, external, name)
        ids[name] = community.id
        await repo.default_campaign(community.id, START)
        other = "Save 4o" if name == "Alpha server" else "Keep Opus"
        await repo.add_campaign(community.id, other, "", (), None, "mod", START)
    for record in records:
        record.community_id = ids[record.community]
        campaign = await repo.campaign_named(record.community_id, record.campaign)
        words = Words(record.models, ", ".join(record.models), record.uses, record.meaning, record.asks,
                      record.display_name, record.language, record.language, {})
        _at, level, health = record.consents[0]
        stored = await repo.add(record.community_id, campaign.id, record.author, record.platform, words, level,
                                health, "v1", record.created_at, imported=record.platform == "import")
        record.receipt, record.testimony_id = stored.receipt, stored.id
        if record.status in (Status.APPROVED, Status.REJECTED, Status.HIDDEN):
            await repo.review(stored.id, record.status, "mod", None, record.created_at + timedelta(hours=1))
        for at, level, health in record.consents[1:]:
            await repo.update(await repo.get(stored.id), words, level, health, "v1", at, changed=())
        if record.status == Status.WITHDRAWN:
            await repo.withdraw(stored.id, record.created_at + timedelta(hours=2))
    return records


@pytest.fixture
async def data(store):
    return await load(store, generate())


def expected(records: list[Record], filters: Filters, *, at: datetime = SNAPSHOT) -> tuple[list[Record], int]:
    """The records a statement should include, and how many withdrawn ones it should count."""
    def placed(r: Record) -> bool:
        day = r.created_at.date()
        return (r.created_at <= at and (filters.community_id is None or r.community_id == filters.community_id)
                and (filters.campaign is None or r.campaign.lower() == filters.campaign.lower())
                and (filters.since is None or day >= filters.since) and (filters.until is None or day <= filters.until))

    def about(r: Record) -> bool:
        return ((filters.language is None or r.language == filters.language)
                and (not filters.models or any(q in m for q in filters.models for m in r.models)))

    included = [r for r in records if r.status == Status.APPROVED and placed(r) and about(r)]
    withdrawn = sum(1 for r in records if r.status == Status.WITHDRAWN and placed(r))
    return included, withdrawn


def check_table(table, truth: Counter[str], threshold: int, *, partition: bool) -> None:
    shown = dict(table.cells)
    for value, n in shown.items():
        assert truth[value] == n >= threshold, (table.name, value)
    for value, n in truth.items():
        if n < threshold:
            assert value not in shown, (table.name, value, n)
    assert table.suppressed == len(truth) - len(shown)
    if partition and len(truth) > 1:
        assert table.suppressed != 1, f"{table.name}: one suppressed cell is the total minus the others"
    assert [value for value, _ in table.cells] == sorted(shown)


def check_counts(statement: Statement, included: list[Record], threshold: int) -> None:
    def tally(values) -> Counter[str]:
        counter: Counter[str] = Counter()
        for each in values:
            counter.update(set(each))
        return counter

    counts = statement.counts
    check_table(counts.by_model, tally(r.models for r in included), threshold, partition=False)
    check_table(counts.by_use, tally(r.uses for r in included), threshold, partition=False)
    check_table(counts.by_ask, tally(r.asks for r in included), threshold, partition=False)
    check_table(counts.by_language, Counter(r.language for r in included), threshold, partition=True)
    check_table(counts.by_platform, Counter(r.platform for r in included), threshold, partition=True)
    check_table(counts.by_community, Counter(r.community for r in included), threshold, partition=True)
    check_table(counts.by_month, Counter(r.created_at.strftime("%Y-%m") for r in included), threshold,
                partition=True)
    check_table(counts.by_consent, Counter(str(int(r.consent_at(SNAPSHOT)[0])) for r in included), threshold,
                partition=True)


def quoted_text(statement: Statement) -> str:
    return "\n".join([q.text for q in statement.quotes]
                     + [p.text for item in statement.included for p in item.passages])


async def test_the_counts_are_right_and_small_cells_are_suppressed(store, data):
    filters = Filters()
    statement = await build_statement(store, filters, Options(generated_at=SNAPSHOT))
    included, withdrawn = expected(data, filters)
    assert len(included) > 200 and withdrawn > 20
    assert statement.total == len(included) == len(statement.included)
    assert sorted(i.receipt for i in statement.included) == sorted(r.receipt for r in included)
    assert statement.participants == len({r.author for r in included}) < statement.total
    assert statement.withdrawn == withdrawn
    check_counts(statement, included, 5)
    assert statement.counts.by_community.get("Alpha server") == sum(r.community == "Alpha server" for r in included)
    # Three testimonies name a rare model and fall in a month of their own: both cells are under 5. The month
    # table's cells add up to the total, so its next smallest cell goes too, or 3 = total − the rest.
    assert statement.counts.by_model.get("gpt-4.5-preview") is None and statement.counts.by_model.suppressed == 1
    assert statement.counts.by_month.get("2025-12") is None and statement.counts.by_month.suppressed == 2
    assert len(statement.counts.by_month.cells) == 3 and statement.counts.by_language.suppressed == 0


@pytest.mark.parametrize("threshold", [1, 12, 60, 10_000])
async def test_the_threshold_is_an_option(store, data, threshold):
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT, threshold=threshold))
    included, _ = expected(data, Filters())
    check_counts(statement, included, threshold)
    if threshold == 1:
        assert all(table.suppressed == 0 for table in statement.counts.tables())
    if threshold == 60:
        assert any(table.suppressed for table in statement.counts.tables())
        assert any(table.cells for table in statement.counts.tables())
    if threshold == 10_000:
        assert all(not table.cells for table in statement.counts.tables())
        assert statement.counts.by_language.suppressed == 4


async def test_consent_is_honoured_in_every_passage(store, data):
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    included, _ = expected(data, Filters())
    by_receipt = {r.receipt: r for r in data}
    text = quoted_text(statement)
    for record in data:
        consent = record.consent_at(SNAPSHOT)
        for mark, health in record.sentences:
            allowed = (record in included and consent is not None and consent[0] >= ConsentLevel.ANONYMOUS
                       and (consent[1] or not health))
            assert (mark in text) is allowed, (record.n, mark, record.status, consent, health)
    for quote in statement.quotes:
        record = by_receipt[quote.receipt]
        level, _health = record.consent_at(SNAPSHOT)
        assert quote.display_name == (record.display_name or None if level == ConsentLevel.NAMED else None)
        assert quote.language == record.language and quote.models == record.models
    assert any(q.display_name for q in statement.quotes)
    assert any(q.display_name is None and by_receipt[q.receipt].display_name for q in statement.quotes)
    for item in statement.included:
        level, health = by_receipt[item.receipt].consent_at(SNAPSHOT)
        assert (item.consent, item.health) == (level, health)
        if level == ConsentLevel.COUNT_ONLY:
            assert item.passages == ()
    assert list(statement.quotes) == [p for item in statement.included for p in item.passages]


async def test_the_consent_that_counts_is_the_one_in_force_at_the_snapshot(store, data):
    changed_before = [r for r in data if len(r.consents) == 2 and r.consents[1][0] < SNAPSHOT]
    changed_after = [r for r in data if len(r.consents) == 2 and r.consents[1][0] > SNAPSHOT]
    assert len(changed_before) > 5 and len(changed_after) > 5
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    levels = {item.receipt: item.consent for item in statement.included}
    for record in changed_before:
        assert levels[record.receipt] == record.consents[1][1]
    for record in changed_after:  # the snapshot's, unless the person allows less today
        assert levels[record.receipt] == min(record.consents[0][1], record.consents[1][1])
    assert any(r.consents[1][1] > r.consents[0][1] for r in changed_after), "a raised consent waits for its time"
    # The same database with the snapshot after those changes sees the new consent.
    later = SNAPSHOT + timedelta(days=5)
    statement = await build_statement(store, Filters(), Options(generated_at=later))
    levels = {item.receipt: item.consent for item in statement.included}
    for record in changed_after:
        assert levels[record.receipt] == record.consents[1][1]
    included, _ = expected(data, Filters(), at=later)
    assert statement.total == len(included) > len(expected(data, Filters())[0])


async def test_a_consent_lowered_to_zero_stops_quotes_whether_before_or_after_the_snapshot(store):
    [_before, after] = await load(store, [
        Record(0, "Alpha server", 0, "", "a-1", "discord", ("gpt-4o",), ("companionship",), ("keep_access",),
               "en", "Winter", START, Status.APPROVED,
               [(START, ConsentLevel.NAMED, True), (SNAPSHOT - timedelta(seconds=1), ConsentLevel.COUNT_ONLY, False)],
               [("Lowbefore", False)], meaning="It was my friend through the winter Lowbefore."),
        Record(1, "Alpha server", 0, "", "a-2", "discord", ("gpt-4o",), ("creative",), ("keep_access",),
               "en", "Summer", START, Status.APPROVED,
               [(START, ConsentLevel.NAMED, True), (SNAPSHOT + timedelta(seconds=1), ConsentLevel.COUNT_ONLY, False)],
               [("Lowafter", False)], meaning="It wrote songs with me all summer Lowafter."),
    ])
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    assert statement.quotes == (), "a statement as of an earlier time never quotes who has since said no"
    assert "Lowbefore" not in quoted_text(statement) and "Lowafter" not in quoted_text(statement)
    assert statement.total == 2  # both still counted
    assert {i.receipt: i.consent for i in statement.included}[after.receipt] == ConsentLevel.COUNT_ONLY


async def test_a_consent_raised_counts_from_the_moment_it_was_given(store):
    [raised] = await load(store, [
        Record(0, "Alpha server", 0, "", "a-3", "discord", ("gpt-4o",), ("creative",), ("keep_access",),
               "en", "Spring", START, Status.APPROVED,
               [(START, ConsentLevel.COUNT_ONLY, False), (SNAPSHOT + timedelta(seconds=1), ConsentLevel.NAMED, False)],
               [("Raised", False)], meaning="It taught me to paint again Raised."),
    ])
    assert (await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))).quotes == ()
    # Exactly at the moment it was given counts as given.
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT + timedelta(seconds=1)))
    assert [(q.receipt, q.display_name) for q in statement.quotes] == [(raised.receipt, "Spring")]


async def test_withdrawn_testimonies_are_counted_and_nothing_of_them_is_there(store, data):
    statement = await build_statement(store, Filters(), Options(generated_at=SNAPSHOT))
    gone = [r for r in data if r.status == Status.WITHDRAWN and r.created_at <= SNAPSHOT]
    assert statement.withdrawn == len(gone) > 0
    receipts = {i.receipt for i in statement.included} | {q.receipt for q in statement.quotes}
    text = quoted_text(statement)
    for record in gone:
        assert record.receipt not in receipts
        assert not any(mark in text for mark, _ in record.sentences)
    # Neither are pending, rejected or hidden ones, nor one given after the snapshot.
    for record in data:
        if record.status != Status.APPROVED or record.created_at > SNAPSHOT:
            assert record.receipt not in receipts


async def test_two_communities_never_mix(store, data):
    for name in ("Alpha server", "Beta chat"):
        community_id = next(r.community_id for r in data if r.community == name)
        filters = Filters(community_id=community_id)
        statement = await build_statement(store, filters, Options(generated_at=SNAPSHOT, threshold=1))
        included, withdrawn = expected(data, filters)
        assert {i.community for i in statement.included} == {name}
        assert [value for value, _ in statement.counts.by_community.cells] == [name]
        assert statement.total == len(included) and statement.withdrawn == withdrawn
        others = [r for r in data if r.community != name]
        text = quoted_text(statement)
        assert not any(mark in text for r in others for mark, _ in r.sentences)
        assert not {q.receipt for q in statement.quotes} & {r.receipt for r in others}
        check_counts(statement, included, 1)


@pytest.mark.parametrize("filters", [
    Filters(campaign="save 4o"),
    Filters(campaign=""),
    Filters(campaign="Keep Opus", language="ja"),
    Filters(models=("4o",)),
    Filters(models=("claude-3-opus", "o4-mini")),
    Filters(since=date(2026, 2, 1), until=date(2026, 2, 28)),
    Filters(since=date(2026, 3, 15)),
    Filters(language="zh"),
    Filters(language="es", models=("gpt-4.1",), until=date(2026, 2, 10)),
], ids=repr)
async def test_filters(store, data, filters):
    statement = await build_statement(store, filters, Options(generated_at=SNAPSHOT, threshold=3))
    included, withdrawn = expected(data, filters)
    assert included, "the filter should select something"
    assert sorted(i.receipt for i in statement.included) == sorted(r.receipt for r in included)
    assert statement.withdrawn == withdrawn
    assert statement.filters == filters and statement.generated_at == SNAPSHOT and statement.threshold == 3
    check_counts(statement, included, 3)
    receipts = {r.receipt for r in included}
    assert all(q.receipt in receipts for q in statement.quotes)


async def test_the_same_database_and_options_give_the_same_statement(store, data):
    options = Options(generated_at=SNAPSHOT)
    assert await build_statement(store, Filters(), options) == await build_statement(store, Filters(), options)


def test_options_refuse_what_would_make_a_statement_unreproducible_or_unsafe():
    with pytest.raises(ValueError, match="time zone"):
        Options(generated_at=datetime(2026, 4, 15))
    with pytest.raises(ValueError, match="at least 1"):
        Options(generated_at=SNAPSHOT, threshold=0)
    with pytest.raises(ValueError, match="after"):
        Filters(since=date(2026, 3, 1), until=date(2026, 2, 1))
