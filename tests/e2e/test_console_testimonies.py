"""Testimonies on the console front door: `python -m bot console` as a separate process, fed lines on standard
input as a self-hoster would type them. A testimony given question by question, then edited with empty lines
keeping earlier answers, exported to a file, and withdrawn."""

from __future__ import annotations

import contextlib
import json
import re
import sqlite3
from pathlib import Path

from bot.testimonies.form import CONSENT_TEXT_VERSION
from tests.e2e.process import run_bot
from tests.testimony_form import RECEIPT

PHONE = "+44 20 7946 0958"
MEANING = f"It helped me through a long winter of loneliness; call me on {PHONE} if you doubt it."
STORED_MEANING = "It helped me through a long winter of loneliness; call me on [phone] if you doubt it."
GIVE = [
    "/testify",
    "",  # nothing to keep yet: refused, asked again
    "GPT-4o",
    "1, 4",
    MEANING,
    "1, 3",
    "Winter",
    "",  # the language the console reader uses is offered, and an empty line keeps it
    "2",
    "no",
    "yes",
]


def _rows(tmp_path: Path, sql: str, *args: object) -> list[dict[str, object]]:
    # Closed here, not whenever the collector gets to it: its closing removes the -shm file, which once
    # happened while `_on_disk` was reading the folder.
    with contextlib.closing(sqlite3.connect(tmp_path / "data" / "continuity.db")) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute(sql, args)]


def _on_disk(tmp_path: Path) -> bytes:
    folder = tmp_path / "data"
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.name.startswith("continuity.db"))


def _console(tmp_path: Path, lines: list[str]) -> str:
    result = run_bot(tmp_path, "console", stdin="\n".join(lines) + "\n", LANG="en_GB.UTF-8")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def test_a_testimony_is_given_edited_exported_and_withdrawn_on_the_console(tmp_path):
    out = _console(tmp_path, GIVE)
    assert out.startswith("Your testimony (1/9)\nWhich model or models?\n")
    assert "“Which model or models?” is required." in out
    assert "Your testimony (6/9)\nThe language you wrote in\n\nCurrent answer: English\n" in out
    assert "An empty line keeps it." in out
    consent = out[out.index("Your testimony (7/9)"):]
    assert consent.index("Count only: this community's moderators") < consent.index("May statements quote you?")
    review = out[out.index("Your testimony (9/9)"):]
    assert review.startswith("Your testimony (9/9)\nThis is exactly what will be stored:\n")
    assert "\nRemoved before storing: 1 phone number.\n" in review
    assert f"\n{STORED_MEANING}\n\nStore my testimony\n" in review
    assert PHONE not in out
    tail = out[out.index("Thank you. Your testimony is stored."):]
    assert tail.startswith("Thank you. Your testimony is stored.\nYour receipt is T-")
    receipt = RECEIPT.search(tail).group(0)  # type: ignore[union-attr]

    [stored] = _rows(tmp_path, "SELECT * FROM testimonies")
    assert (stored["receipt"], stored["status"], stored["platform"]) == (receipt, "pending", "console")
    assert (stored["meaning"], stored["display_name"], stored["language"]) == (STORED_MEANING, "Winter", "en")
    assert json.loads(str(stored["uses"])) == ["companionship", "accessibility"]
    assert json.loads(str(stored["asks"])) == ["keep_access", "longer_notice"]
    assert str(stored["author"]).startswith("p_")
    [community] = _rows(tmp_path, "SELECT platform, external_id FROM communities WHERE id = ?", stored["community_id"])
    assert community == {"platform": "console", "external_id": "console"}
    assert [(r["level"], r["health"], r["text_version"]) for r in _rows(tmp_path, "SELECT * FROM consent_records")] \
        == [(1, 0, CONSENT_TEXT_VERSION)]
    assert _rows(tmp_path, "SELECT * FROM testimony_contacts") == [], "the console is never messaged"
    assert PHONE.encode() not in _on_disk(tmp_path)

    # A new run of the console: an edit keeps every answer given an empty line, and changes the consent.
    edit = ["/edit " + receipt, "", "", "", "", "", "", "3", "", "yes"]
    out = _console(tmp_path, [*edit, "/mydata", "/withdraw " + receipt, "/mytestimonies"])
    assert out.startswith("Your testimony (1/9)\nWhich model or models?\n\nCurrent answer: GPT-4o\n")
    assert "Current answer: Companionship and emotional support, Accessibility and disability" in out
    assert f"Current answer: {STORED_MEANING}" in out
    assert "Current answer: Quote me without a name" in out and "Current answer: no" in out
    review = out[out.index("Your testimony (9/9)"):]
    assert "\nDisplay name: Winter\n" in review and "\nConsent: Quote me with my display name;" in review
    assert f"{receipt} is updated." in out

    saved = re.search(r"^Saved (.+)\.$", out, re.MULTILINE)
    assert saved, out
    export = tmp_path / saved.group(1)  # where the console was started, beside the database
    assert export.resolve() == (tmp_path / "data" / "files" / "continuity-my-data.json").resolve()
    document = json.loads(export.read_bytes())
    assert document["platform"] == "console" and document["pseudonym"] == stored["author"]
    [mine] = document["data"]["testimonies"]["testimonies"]
    assert (mine["receipt"], mine["meaning"], mine["display_name"]) == (receipt, STORED_MEANING, "Winter")
    assert [(c["level"], c["health"]) for c in mine["consent_records"]] == [(1, False), (2, False)], \
        "the changed consent is a new record beside the first"

    assert f"Withdrawn\n{receipt} is withdrawn: its words are deleted" in out
    assert out.rstrip().endswith(f"{receipt} · withdrawn\n    Its words were deleted.")
    [tombstone] = _rows(tmp_path, "SELECT * FROM testimonies")
    assert (tombstone["receipt"], tombstone["status"], tombstone["meaning"], tombstone["models_text"]) == \
        (receipt, "withdrawn", None, None)
    assert STORED_MEANING.encode() not in _on_disk(tmp_path) and b"Winter" not in _on_disk(tmp_path)
