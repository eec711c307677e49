"""The one contract for a person's data: every table that holds a person is answered for by a repository,
`Store.export_person` finds everything a person did, and `Store.delete_person` removes it from every table
and from the database file, leaving everyone else untouched."""

from __future__ import annotations

from pathlib import Path

from bot.commands import run_text
from bot.domain import PlatformName
from bot.presentation import Actor, Target
from bot.store.person_data import holds_a_person
from tests.testimony_form import give_testimony, receipt_in

NOTE = "my-own-words-about-the-survey"


async def person_columns_in_schema(db) -> set[tuple[str, str]]:
    tables = [r[0] for r in await db.fetch_all(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {(table, row["name"]) for table in tables
            for row in await db.fetch_all(f"PRAGMA table_info({table})")
            if holds_a_person(row["name"])}


def declared(store) -> set[tuple[str, str]]:
    return {pair for repository in store.person_data.values() for pair in repository.person_columns}


async def test_every_table_that_holds_a_person_is_covered(store):
    in_schema = await person_columns_in_schema(store.db)
    assert in_schema, "the schema has person columns to check"
    assert in_schema - declared(store) == set(), "a table holding a person has no export and delete"
    assert declared(store) - in_schema == set(), "a repository answers for a column that does not exist"


async def test_a_new_table_holding_a_person_is_noticed(store):
    await store.db.execute("CREATE TABLE letters (id INTEGER PRIMARY KEY, author TEXT, body TEXT)")
    assert await person_columns_in_schema(store.db) - declared(store) == {("letters", "author")}


async def where_it_appears(db, value: str) -> set[tuple[str, str]]:
    found = set()
    for (table,) in await db.fetch_all("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in [r["name"] for r in await db.fetch_all(f"PRAGMA table_info({table})")]:
            if await db.fetch_value(f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,)):
                found.add((table, column))
    return found


async def someone(services, user: str, place: str) -> Actor:
    community = await services.people.community(PlatformName.TELEGRAM, place, f"Group {place}")
    return Actor(PlatformName.TELEGRAM, user, "Ada", "en", community, True, Target(PlatformName.TELEGRAM, place))


async def act(services, person: Actor) -> None:
    """Everything a person can leave behind today, through the commands themselves."""
    for line in ("language ja", "alerts ping on 4o", "alerts subscribe",
                 f"survey report https://example.org/survey 2027-01-10 {NOTE}",
                 "notice post Keep a copy | Export your chats | https://example.org/how | gpt-4o | 2027-01-10"):
        await run_text(services, person, line)
    receipt = receipt_in(await give_testimony(services, person))
    await run_text(services, person, f"review {receipt} approve")  # as the moderator she also is
    await run_text(services, person, "campaign create Her campaign")
    ask = await run_text(services, person, "survey report")  # a form, begun as a front door begins it
    await services.forms.start(person, ask)
    [(source_id,)] = await services.store.db.fetch_all("SELECT id FROM sources LIMIT 1")
    await services.store.sources.link_source(person.community.id, source_id, services.people.pseudonym(person),
                                             muted=True)


async def test_export_finds_everything_and_delete_removes_it_from_the_file(services, settings):
    await services.watch.sync_catalog()
    ada, bo = await someone(services, "7001", "-1001"), await someone(services, "7002", "-1002")
    await act(services, ada)
    await act(services, bo)
    store, pseudonym = services.store, services.people.pseudonym(ada)

    assert await where_it_appears(store.db, pseudonym) <= declared(store)
    exported = await store.export_person(pseudonym)
    assert set(exported) == set(store.person_data), "every part has something of hers"
    assert exported["survey_reports"][0]["note"] == NOTE
    assert exported["alerts"]["pings"][0]["address"] == "7001"
    assert exported["testimonies"]["testimonies"][0]["consent_records"][0]["level"] == 1

    await store.delete_person(pseudonym)
    assert await store.export_person(pseudonym) == {}
    assert await where_it_appears(store.db, pseudonym) == set()
    assert await where_it_appears(store.db, "7001") == set(), "her account id (the ping address) is gone"
    assert await store.db.fetch_value("SELECT COUNT(*) FROM survey_reports WHERE note = ?", (NOTE,)) == 1, \
        "Bo's report, with the same words, stays"
    assert set(await store.export_person(services.people.pseudonym(bo))) == set(store.person_data)

    # What is on disk while the bot runs on: the database file and its write-ahead log.
    files = [p for p in Path(settings.database_path).parent.iterdir() if p.name.startswith("continuity.db")]
    on_disk = b"".join(p.read_bytes() for p in files)
    assert pseudonym.encode() not in on_disk
    assert b"7001" not in on_disk
