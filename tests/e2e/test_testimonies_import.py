"""`python -m bot testimonies import FILE --community ID [--campaign NAME]` as an operator runs it: a good file
is imported (waiting for review, marked imported), a file with any bad row imports nothing and names each bad
row by its line, and the authors named in the file never reach the database. One run is a separate process;
the others call `main()` with an injected clock."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.app import build_services
from bot.config import load_settings
from bot.domain import PlatformName
from bot.domain import TestimonyStatus as Status
from bot.presentation import Actor
from bot.store import Store
from tests.e2e.process import SETTINGS, run_bot

PROJECT = Path(__file__).resolve().parents[2]
EXAMPLE = PROJECT / "examples" / "testimonies-import.csv"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "an-import-test-secret-long-enough-for-hmac"
HEADER = "models,uses,meaning,asks,display_name,language,consent,health,author\n"


pytestmark = pytest.mark.usefixtures("logging_as_it_was")


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A bot's folder whose database knows a Discord server (community 1) with a campaign, and a Telegram
    group (community 2); settings come from the environment, as for `python -m bot`."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PSEUDONYM_SECRET", SECRET)
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "data" / "continuity.db"))
    monkeypatch.chdir(tmp_path)

    async def prepare() -> None:
        store = await Store.open(tmp_path / "data" / "continuity.db")
        try:
            keepers = await store.communities.ensure_community(PlatformName.DISCORD, "111222333444555666", "Keepers")
            await store.communities.ensure_community(PlatformName.TELEGRAM, "-1001234567890", "Archivists")
            await store.testimonies.add_campaign(keepers.id, "Keep 4o", "", ("gpt-4o",), date(2026, 12, 31),
                                                 "system", NOW)
            await store.testimonies.add_campaign(keepers.id, "Spring 2025", "", (), date(2025, 5, 31), "system", NOW)
        finally:
            await store.close()

    asyncio.run(prepare())
    return tmp_path


def run(*args: str) -> int:
    return main(["testimonies", "import", *args], now=lambda: NOW)


def stored(folder: Path, community_id: int = 1):
    async def read():
        store = await Store.open(folder / "data" / "continuity.db")
        try:
            rows = await store.db.fetch_all("SELECT id FROM testimonies WHERE community_id = ? ORDER BY id",
                                            (community_id,))
            return [await store.testimonies.get(r["id"]) for r in rows]
        finally:
            await store.close()
    return asyncio.run(read())


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def database_bytes(folder: Path) -> bytes:
    """The database file and its write-ahead log and shared memory: everything SQLite keeps."""
    return b"".join(p.read_bytes() for p in sorted((folder / "data").glob("continuity.db*")))


def test_the_example_file_is_imported_in_a_separate_process_and_waits_for_review(folder):
    shutil.copy(EXAMPLE, folder / "testimonies.csv")
    result = run_bot(folder, "testimonies", "import", "testimonies.csv", "--community", "discord:111222333444555666",
                     PSEUDONYM_SECRET=SECRET)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Imported 4 testimonies into Keepers (discord:111222333444555666), the default "
                                    "campaign; they wait for review")
    found = stored(folder)
    assert [t.language for t in found] == ["en", "es", "ja", "zh"]
    assert all(t.status == Status.PENDING and t.imported and t.platform == "import" for t in found)
    assert [int(t.consent.level) for t in found] == [2, 1, 1, 0]
    assert [t.consent.health for t in found] == [True, False, False, False]
    assert found[0].uses == ("companionship", "accessibility") and found[1].asks == ("longer_notice", "legacy_api")
    assert found[0].display_name == "Winter"
    assert found[2].created_at == datetime(2025, 6, 26, 13, 5, tzinfo=UTC), "submitted_at, in UTC"
    assert [t.detected_language for t in found] == ["en", "es", "ja", "zh"]
    assert len({t.author for t in found}) == 4 and all(t.author.startswith("p_") for t in found)
    assert b"signer-104" not in database_bytes(folder)


def test_imported_testimonies_go_through_review_like_any_other(folder):
    assert run(str(EXAMPLE), "--community", "1", "--campaign", "keep 4o") == 0
    found = stored(folder)
    assert {t.campaign_id for t in found} == {found[0].campaign_id} and len(found) == 4

    async def review():
        settings = load_settings(None)
        store = await Store.open(settings.database_path)
        try:
            services = build_services(settings, store)
            community = await store.communities.community_by_id(1)
            moderator = Actor(PlatformName.DISCORD, "900000000000000001", "Mod", "en", community, is_moderator=True)
            card = await services.testimonies.review(moderator)
            done = await services.testimonies.review(moderator, found[0].receipt, "approve")
            campaign = await store.testimonies.campaign(1, found[0].campaign_id)
            # Asked by its author, who has no account here, a moderator withdraws one for them.
            await services.testimonies.review(moderator, found[3].receipt, "withdraw")
            return card, done, campaign
        finally:
            await store.close()

    words = found[3].meaning.encode()
    assert words in database_bytes(folder)
    card, done, campaign = asyncio.run(review())
    assert stored(folder)[3].status == Status.WITHDRAWN and stored(folder)[3].meaning is None
    assert words not in database_bytes(folder)
    assert campaign.name == "Keep 4o"
    assert found[0].receipt in card.title and "(4 in all)" in card.title
    assert any(f.value == "imported from a file" for f in card.fields)
    assert "approved" in done.body and "3 testimonies are still waiting" in done.body
    assert [t.status for t in stored(folder)][:2] == [Status.APPROVED, Status.PENDING]


def test_a_row_without_consent_is_refused_by_its_line_and_nothing_is_imported(folder, capsys):
    path = write(folder, "petition.csv", HEADER
                 + "GPT-4o,companionship,It kept me company every single night.,keep_access,,en,1,no,s-1\n"
                 + "GPT-4o,work,It taught me to write code for my small shop.,keep_access,,en,,no,s-2\n"
                 + "GPT-4o,work,It read every letter from the bank to me aloud.,keep_access,,en,2,,s-3\n"
                 + "GPT-4o,work,It helped me study for the exams I had failed.,keep_access,,en,1,maybe,s-4\n")
    assert run(str(path), "--community", "1") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Nothing was imported from {path}:")
    assert "line 3: consent is required and must be explicit (nothing is assumed for a person): 0 (count only" in err
    assert "line 4: health is required and must be explicit" in err
    assert "line 5: health: expected yes or no" in err
    assert "line 2" not in err
    assert stored(folder) == []
    assert b"every single night" not in database_bytes(folder)


def test_an_over_long_meaning_and_bad_choices_are_refused_with_what_was_expected(folder, capsys):
    long = "It mattered. " * 320  # 4,160 characters
    path = write(folder, "long.csv", HEADER
                 + f'GPT-4o,companionship,"{long}",keep_access,,en,1,no,s-1\n'
                 + "GPT-4o,friendship,It kept me company every single night.,keep_access,,en,1,no,s-2\n"
                 + "GPT-4o,work,It taught me to write code for my small shop.,keep_access,,klingon,3,no,s-3\n")
    assert run(str(path), "--community", "1") == 2
    err = capsys.readouterr().err
    assert "line 2: meaning: “What it means, and what losing it costs” can be at most 4000 characters (it has 4159)" \
        in err
    assert "line 3: uses: expected one or more of companionship, creative, work, accessibility, learning, research, " \
           "other, separated by ;" in err
    assert "line 4: language: expected one of en, es, ja, zh, other" in err
    assert "line 4: consent: expected 0 (count only, never quote), 1" in err
    assert stored(folder) == []


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("broken.json", '[{"models": "GPT-4o",\n "meaning": "x"\n', "line 3: not valid JSON: Expecting"),
    ("object.json", '{"models": "GPT-4o"}', "line 1: expected a list of objects"),
    ("items.json", '[\n  {"models": "GPT-4o"},\n  "just text"\n]', "line 3: expected an object"),
    ("typo.csv", "models,uses,meaning,asks,language,consnet,health\n", "unknown column “consnet”"),
    ("short.csv", "models,uses,meaning,asks,language,consent\nGPT-4o,work,Text,keep_access,en,1\n",
     "the column “health” is missing"),
    ("commas.csv", HEADER + "GPT-4o,work,It helped, a lot, every day.,keep_access,,en,1,no,s-1\n",
     "line 2: 11 values where the header has 9 columns (a value holding a comma must be in double quotes)"),
    ("quotes.csv", HEADER + 'GPT-4o,work,"It helped" a lot,keep_access,,en,1,no,s-1\n', "line 2: not valid CSV"),
    ("latin1.csv", None, "line 2: not UTF-8 text"),
    ("empty.csv", HEADER, "the file holds no testimonies"),
])
def test_a_file_that_cannot_be_read_is_refused_saying_what_was_expected(folder, capsys, name, text, expected):
    path = folder / name
    if text is None:
        path.write_bytes((HEADER + "GPT-4o,work,Me ayudó muchísimo cada día.,keep_access,,es,1,no,s-1\n")
                         .encode("latin-1"))
    else:
        path.write_text(text, encoding="utf-8")
    assert run(str(path), "--community", "1") == 2
    err = capsys.readouterr().err
    assert expected in err, err
    assert "Traceback" not in err
    assert stored(folder) == []


def test_a_json_file_is_imported_and_its_rows_named_by_line(folder, capsys):
    rows = [
        {"models": "GPT-4o", "uses": ["creative"], "meaning": "Me ayudó a terminar mi primera novela.",
         "asks": "open_weights;keep_access", "language": "es", "consent": 1, "health": False, "author": 8812},
        {"models": "GPT-4o", "uses": ["creative"], "meaning": "It helped me finish my first novel.",
         "asks": ["open_weights"], "language": "en", "consent": 0, "health": "no"},
    ]
    good = write(folder, "good.json", json.dumps(rows, ensure_ascii=False, indent=2))
    assert run(str(good), "--community", "telegram:-1001234567890") == 0
    assert capsys.readouterr().out.startswith("Imported 2 testimonies into Archivists (telegram:-1001234567890)")
    assert [t.asks for t in stored(folder, 2)] == [("keep_access", "open_weights"), ("open_weights",)]
    text = json.dumps([{**rows[0], "meaning": "Otra vez, otra historia distinta."}, {**rows[1], "consent": None}],
                      indent=2)
    second = text.splitlines().index("  {", 2) + 1  # the line where the second object starts
    assert second == 14
    assert run(str(write(folder, "bad.json", text)), "--community", "2") == 2
    assert f"line {second}: consent is required" in capsys.readouterr().err
    assert len(stored(folder, 2)) == 2


def test_the_raw_author_never_reaches_the_database_and_stays_one_person(folder, capsys):
    authors = ["ana.garcia+petition@example.org", "SIGNER-88127734", "山田花子"]
    lines = [f"GPT-4o,companionship,{text},keep_access,,en,1,no,{author}\n" for author, text in zip(authors, [
        "It was there for me when nobody else was awake.", "It explained my diagnosis patiently.",
        "It helped me write to my mother again."], strict=True)]
    assert run(str(write(folder, "first.csv", HEADER + "".join(lines))), "--community", "1") == 0
    raw = database_bytes(folder)
    for author in authors:
        assert author.encode() not in raw and author.encode("utf-16-le") not in raw
    assert b"ana.garcia" not in raw and b"88127734" not in raw
    # Imported again, the same person's same words are recognised as a repeat (by pseudonym), not stored twice.
    again = write(folder, "again.csv", HEADER + lines[1].replace("patiently.", "patiently!"))
    assert run(str(again), "--community", "1") == 2
    assert "line 2: nearly the same text as a testimony already stored for this author in this community" \
        in capsys.readouterr().err
    assert len(stored(folder)) == 3


def test_near_identical_rows_of_one_author_in_one_file_are_refused(folder, capsys):
    text = "It helped me through the worst winter of my life and every night since."
    path = write(folder, "twice.csv", HEADER
                 + f"GPT-4o,companionship,{text},keep_access,,en,1,no,s-7\n"
                 + "GPT-4o,companionship,It taught me to cook again after the accident.,keep_access,,en,1,no,s-8\n"
                 + f"GPT-4o,companionship,{text[:-1]}!,keep_access,,en,1,no,s-7\n"
                 + f"GPT-4o,companionship,{text},keep_access,,en,1,no,\n"
                 + f"GPT-4o,companionship,{text},keep_access,,en,1,no,\n")
    assert run(str(path), "--community", "1") == 2
    err = capsys.readouterr().err
    assert "line 4: nearly the same text as line 2, from the same author" in err
    assert "line 6: nearly the same text as line 5, from a row without an author" in err
    assert "line 3" not in err and "line 5:" not in err
    assert stored(folder) == []


def test_a_blocked_author_is_refused_on_the_next_import(folder, capsys):
    first = write(folder, "first.csv", HEADER + "GPT-4o,work,This is spam spam spam spam.,keep_access,,en,1,no,x9\n")
    assert run(str(first), "--community", "1") == 0

    async def block(receipt: str) -> None:
        settings = load_settings(None)
        store = await Store.open(settings.database_path)
        try:
            community = await store.communities.community_by_id(1)
            moderator = Actor(PlatformName.DISCORD, "900000000000000001", "Mod", "en", community, is_moderator=True)
            await build_services(settings, store).testimonies.review(moderator, receipt, "block")
        finally:
            await store.close()

    asyncio.run(block(stored(folder)[0].receipt))
    capsys.readouterr()
    second = write(folder, "second.csv", HEADER + "GPT-4o,work,A completely different text this time.,keep_access,,"
                                                  "en,1,no,x9\n")
    assert run(str(second), "--community", "1") == 2
    assert "line 2: the moderators of this community have blocked this author" in capsys.readouterr().err
    assert len(stored(folder)) == 1


def test_an_unknown_community_or_campaign_is_refused_clearly(folder, capsys):
    assert run(str(EXAMPLE), "--community", "discord:999") == 2
    err = capsys.readouterr().err
    assert "no community discord:999 is known to this database" in err
    assert "Known: 1 (discord:111222333444555666 Keepers), 2 (telegram:-1001234567890 Archivists)." in err
    assert run(str(EXAMPLE), "--community", "7") == 2
    assert "no community 7 is known" in capsys.readouterr().err
    assert run(str(EXAMPLE), "--community", "irc:5") == 2
    assert "discord:<server id> or telegram:<chat id>" in capsys.readouterr().err
    assert run(str(EXAMPLE), "--community", "1", "--campaign", "Keep 4.5") == 2
    assert "no campaign “Keep 4.5” in Keepers; its campaigns are: Keep 4o, Spring 2025" in capsys.readouterr().err
    assert run(str(EXAMPLE), "--community", "1", "--campaign", "Spring 2025") == 2
    assert "the campaign “Spring 2025” closed on 2025-05-31" in capsys.readouterr().err
    assert run(str(folder / "missing.csv"), "--community", "1") == 2
    assert "Cannot read" in capsys.readouterr().err
    assert stored(folder) == [] and stored(folder, 2) == []
