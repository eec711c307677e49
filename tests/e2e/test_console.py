"""`python -m bot console` as a separate process with piped input, and the console's forms."""

import pytest

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


def _reports(tmp_path):
    import sqlite3

    with sqlite3.connect(tmp_path / "data" / "continuity.db") as db:
        return db.execute("SELECT url, organiser, audience, deadline, note FROM survey_reports").fetchall()


def test_a_form_is_asked_one_question_per_line_until_each_answer_is_valid(tmp_path):
    script = "/survey report\n\nnot a link\nhttps://example.org/s\n9\n2\n1, 3\n2099-01-31\nPlease share\nperhaps\nyes\n"
    result = run_bot(tmp_path, "console", stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Report a survey (1/6)\nSurvey address" in out
    assert "“Survey address” is required." in out
    assert "“Who runs it” must be one of: The vendor, A regulator or public body, Researchers, Someone else." in out
    assert "“The link is public” takes a yes or a no." in out
    assert out.rstrip().endswith("Thank you! Survey report #1 waits for a moderator's review. "
                                 "Deadline: Jan 31, 2099.")
    # The address was checked only when the form was sent: a bad one is refused with what to change.
    assert _reports(tmp_path) == [("https://example.org/s", "public", '["app", "anyone"]', "2099-01-31",
                                   "Please share")]


def test_a_form_goes_on_after_a_restart_between_two_steps(tmp_path):
    first = run_bot(tmp_path, "console", stdin="/survey report\nhttps://example.org/s\n1\n")
    assert "Who can take part" in first.stdout and _reports(tmp_path) == []
    second = run_bot(tmp_path, "console", stdin="\n\n\nyes\n")
    assert second.stdout.startswith("You were filling in a form; here is where you left off.\n"
                                    "Report a survey (3/6)\nWho can take part")
    assert _reports(tmp_path) == [("https://example.org/s", "vendor", "[]", None, "")]


def test_back_and_cancel_in_a_form_and_other_commands_meanwhile(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/survey report\nhttps://a.example/1\n/back\nhttps://b.example/2\n"
                                                "/about\n/cancel\n/back\n")
    out = result.stdout
    assert out.count("Report a survey (1/6)") == 2, "back asks the first question again"
    assert "About Continuity" in out and "Report a survey (2/6)" in out
    assert "Stopped. Nothing from that form was kept." in out
    assert out.rstrip().endswith("No form is open. Commands such as /survey report open one.")
    assert _reports(tmp_path) == []


def test_a_refused_submit_keeps_the_form_so_an_answer_can_be_changed(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/survey report\nhttps://e.example/x\n1\n\n\n\nno\n/back\nyes\n")
    assert "Please report only a link that anyone can open" in result.stdout
    assert result.stdout.rstrip().endswith("Thank you! Survey report #1 waits for a moderator's review.")


def test_unexpected_errors_and_bad_numbers_do_not_end_the_console(tmp_path):
    result = run_bot(tmp_path, "console", stdin="/alerts resume ²\n/survey review 99999999999999999999999 approve\n"
                                                "/help\n")
    assert result.returncode == 0
    assert "“²” is not a number from the list." in result.stdout
    assert "is not a number from the list" in result.stdout.splitlines()[1]
    assert "Continuity: help" in result.stdout


@pytest.mark.parametrize("given", ["/dev/null", "an empty pipe", "an empty file"])
def test_input_already_at_its_end_exits_zero_at_once(tmp_path, given):
    (tmp_path / "empty.txt").write_text("")
    stdin = {"/dev/null": None, "an empty pipe": "", "an empty file": tmp_path / "empty.txt"}[given]
    result = run_bot(tmp_path, "console", stdin=stdin)  # run_bot's timeout fails a console that hangs
    assert result.returncode == 0 and result.stdout == ""


@pytest.mark.parametrize("given", ["piped", "as a file"])
def test_a_line_over_64_kib_is_refused_and_the_console_goes_on(tmp_path, given):
    script = "/deprecations " + "x" * 70_000 + "\n/about\n"
    if given == "as a file":  # read by a thread, not by the event loop
        (tmp_path / "script.txt").write_text(script)
    result = run_bot(tmp_path, "console", stdin=script if given == "piped" else tmp_path / "script.txt")
    assert result.returncode == 0
    assert "That line is longer than 65536 characters, so it was ignored." in result.stdout
    assert "About Continuity" in result.stdout
