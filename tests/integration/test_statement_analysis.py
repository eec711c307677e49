"""A testimony's analysis (passages, health flags, words) is made by the first export that needs it and kept
in its row; the next export reads it and gives the same statement. What is kept is never trusted blindly:
made by other rules, from another text or unreadable, it is made again; an edit clears it, a withdrawal
blanks it with the words, down to the bytes of the database file."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.domain import ConsentLevel, PlatformName
from bot.domain import TestimonyStatus as Status
from bot.statements import analysis
from bot.statements.aggregate import build_statement, snapshot
from bot.statements.model import Filters, Options
from bot.store.testimonies import Words

AT = datetime(2026, 5, 1, tzinfo=UTC)
GIVEN = datetime(2026, 4, 1, tzinfo=UTC)
OPTIONS = Options(generated_at=AT)
HEALTH = "It stayed with me through my depression."


def words(meaning: str) -> Words:
    return Words(("gpt-4o",), "gpt-4o", ("companionship",), meaning, ("keep_access",), "", "en", "en", {})


async def given(store, texts: list[str], *, health: bool = False) -> list[int]:
    community = await store.communities.ensure_community(PlatformName.DISCORD, "100", "Alpha server")
    campaign = await store.testimonies.default_campaign(community.id, GIVEN)
    ids = []
    for n, text in enumerate(texts):
        stored = await store.testimonies.add(community.id, campaign.id, f"author-{n}", "discord", words(text),
                                             ConsentLevel.ANONYMOUS, health, "v1", GIVEN + timedelta(minutes=n))
        await store.testimonies.review(stored.id, Status.APPROVED, "mod", None, GIVEN + timedelta(hours=1))
        ids.append(stored.id)
    return ids


async def kept(store) -> dict[int, str | None]:
    return {r["id"]: r["analysis"] for r in await store.db.fetch_all("SELECT id, analysis FROM testimonies")}


async def test_the_first_export_keeps_the_analyses_and_the_next_one_reads_them(store):
    ids = await given(store, ["Every evening we talked. It helped me write again.", HEALTH,
                              "Please keep it available!"])
    assert set((await kept(store)).values()) == {None}
    first = await build_statement(store, Filters(), OPTIONS, themes=True)
    stored = await kept(store)
    assert set(stored) == set(ids) and all(stored.values())
    assert [p.text for p in analysis.decode("Every evening we talked. It helped me write again.", stored[ids[0]])] \
        == ["Every evening we talked.", "It helped me write again."]
    _rows, made = analysis.complete(await store.testimonies.for_statement(AT))
    assert made == []  # nothing left to make
    assert await build_statement(store, Filters(), OPTIONS, themes=True) == first
    assert [q.text for q in first.quotes] == ["Every evening we talked.", "It helped me write again.",
                                              "Please keep it available!"]  # the health passage: no yes


async def test_kept_work_of_other_rules_another_text_or_unreadable_is_made_again(store):
    [one] = await given(store, [HEALTH])
    await build_statement(store, Filters(), OPTIONS)
    good = (await kept(store))[one]
    # the same passage claimed to be health-free, under another version, for a longer text, or broken
    forged = json.loads(good)
    forged["p"][0][2] = 0
    for stored in (json.dumps({**forged, "v": "0000000000000000"}, separators=(",", ":")),
                   json.dumps({**forged, "n": forged["n"] + 1}, separators=(",", ":")),
                   "not json", good[: len(good) // 2]):  # the last looks current, and is found broken
        await store.db.execute("UPDATE testimonies SET analysis = ? WHERE id = ?", (stored, one))
        statement = await build_statement(store, Filters(), OPTIONS)
        assert statement.quotes == ()  # the health passage is still held back
        assert (await kept(store))[one] == good  # and the right analysis kept again


async def test_a_forged_flag_under_the_current_rules_is_what_a_test_of_this_file_can_see(store):
    # Control for the test above: a current-looking forgery IS read (so the checks above are what refuse).
    [one] = await given(store, [HEALTH])
    await build_statement(store, Filters(), OPTIONS)
    forged = json.loads((await kept(store))[one])
    forged["p"][0][2] = 0
    await store.db.execute("UPDATE testimonies SET analysis = ? WHERE id = ?",
                           (json.dumps(forged, separators=(",", ":"), ensure_ascii=False), one))
    assert [q.text for q in (await build_statement(store, Filters(), OPTIONS)).quotes] == [HEALTH]


async def test_an_edit_clears_the_analysis_and_one_made_before_it_is_not_kept(store):
    [one] = await given(store, ["It helped me write again."])
    rows = await snapshot(store, Filters(), OPTIONS)
    assert (await kept(store))[one]
    testimony = await store.testimonies.get(one)
    await store.testimonies.update(testimony, words("Now I write every day."), ConsentLevel.ANONYMOUS, False,
                                   "v1", GIVEN + timedelta(days=2), changed=("meaning",))
    assert (await kept(store))[one] is None
    # an export that read the row before the edit made its analysis from the old text: it is not kept
    old = rows[0].testimony
    stale = [(one, old.updated_at.isoformat(), analysis.encode(old.meaning, rows[0].analysis))]
    await store.testimonies.keep_analyses(stale)
    assert (await kept(store))[one] is None


async def test_withdrawal_blanks_the_analysis_down_to_the_file(store, settings):
    [one, _other] = await given(store, ["My glimmerwick helped me.", "Please keep it."])
    await build_statement(store, Filters(), OPTIONS, themes=True)
    assert "glimmerwick" in (await kept(store))[one]
    await store.testimonies.withdraw(one, GIVEN + timedelta(days=3))
    await store.db.checkpoint()
    assert (await kept(store))[one] is None
    folder = Path(settings.database_path).parent
    on_disk = b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith(Path(settings.database_path).name))
    assert b"glimmerwick" not in on_disk and b"keep it" in on_disk
