"""`python -m bot console` as a separate process with piped input, and the console's forms."""

import io

from bot.platforms.console import ConsoleFrontDoor
from bot.presentation import Form, FormField
from bot.store.migrate import bundled_migrations
from tests.e2e.process import run_bot


def test_console_answers_help_rejects_unknown_commands_and_exits_zero(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/help\n/frobnicate now\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Continuity: help"
    assert "  /privacy" in lines and "  /language [en|es|ja|zh_Hans|auto]" in lines
    assert lines[-1] == "Unknown command /frobnicate. Send /help to see the commands."
    assert not any(line.startswith(">") for line in lines), "no prompt when input is not a terminal"
    assert "Traceback" not in result.stderr


def test_console_remembers_a_language_choice_across_runs(tmp_path):
    first = run_bot(tmp_path, "console", stdin="/language ja\n")
    assert first.stdout.strip() == "設定しました。これから日本語で返信します。"
    second = run_bot(tmp_path, "console", stdin="/about\n/language klingon\n")
    assert second.stdout.startswith("Continuity について\n")
    assert second.stdout.splitlines()[-1] == \
        "不明な言語です：「klingon」。en, es, ja, zh_Hans または auto から選んでください。"
    assert (tmp_path / "data" / "continuity.db").exists()


def test_console_takes_the_language_of_the_terminal(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/privacy\n", LANG="es_ES.UTF-8")
    assert result.stdout.startswith("Privacidad\n")


def test_run_without_tokens_starts_the_console_and_says_how_to_add_one(tmp_path):
    result = run_bot(tmp_path, "run", stdin="/help\n")
    assert result.returncode == 0
    assert result.stdout.startswith("Continuity: help")
    assert "Add a token to .env" in result.stderr


def test_bad_settings_exit_with_status_2_and_say_what_to_fix(tmp_path):
    result = run_bot(tmp_path, "console", LOG_LEVEL="LOUD")
    assert result.returncode == 2
    assert "LOG_LEVEL" in result.stderr and ".env.example" in result.stderr
    assert "Traceback" not in result.stderr


def test_migrate_creates_the_database_and_reports(tmp_path):
    first = run_bot(tmp_path, "migrate")
    assert first.returncode == 0, first.stderr
    latest = bundled_migrations()[-1].version
    assert f"Applied {latest} migration(s): 0001_initial, " in first.stdout
    again = run_bot(tmp_path, "migrate")
    assert "Applied" not in again.stdout and f"up to date (schema version {latest})" in again.stdout


def test_a_database_from_a_newer_version_is_refused_with_one_clear_line(tmp_path):
    import sqlite3

    run_bot(tmp_path, "migrate")
    with sqlite3.connect(tmp_path / "data" / "continuity.db") as db:
        db.execute("INSERT INTO schema_migrations VALUES (999, 'future', 'x')")
    result = run_bot(tmp_path, "console", stdin="/help\n")
    assert result.returncode == 1
    assert "schema version 999" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


async def test_a_form_is_asked_one_field_per_line_until_valid(services):
    form = Form("report", "Report a survey", (
        FormField("url", "Link", max_length=20),
        FormField("note", "Note", required=False),
        FormField("ok", "Send it?", choices=("yes", "no")),
    ))
    stdin, stdout = io.StringIO("\n" + "x" * 21 + "\nhttps://e.com\n\nmaybe\nyes\n"), io.StringIO()
    console = ConsoleFrontDoor(services, stdin=stdin, stdout=stdout)
    await console.start()
    answers = await console.present_form(await console.actor(), form)
    await console.stop()
    assert answers == {"url": "https://e.com", "note": "", "ok": "yes"}
    transcript = stdout.getvalue().splitlines()
    assert transcript == [
        "Report a survey",
        "Link", "“Link” is required.",
        "Link", "“Link” can be at most 20 characters (it has 21).",
        "Link",
        "Note (optional, leave empty to skip)",
        "Send it? [yes / no]", "“Send it?” must be one of: yes, no.",
        "Send it? [yes / no]",
    ]


async def test_a_form_left_at_end_of_input_is_cancelled(services):
    console = ConsoleFrontDoor(services, stdin=io.StringIO("first\n"), stdout=io.StringIO())
    await console.start()
    form = Form("f", "F", (FormField("a", "A"), FormField("b", "B")))
    assert await console.present_form(await console.actor(), form) is None
