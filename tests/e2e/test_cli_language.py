"""The command-line tools answer in the terminal's language (LC_ALL, LC_MESSAGES, LANG), else in DEFAULT_LOCALE:
what they did and why they refused, through `python -m bot` as a separate process."""

from __future__ import annotations

import os
import re

from bot.i18n import translate
from bot.testimonies.importer import COLUMNS, REQUIRED
from tests.e2e.process import run_bot


def test_verify_refuses_in_the_terminals_language(tmp_path):
    result = run_bot(tmp_path, "verify", "missing.zip", LANG="es_ES.UTF-8")

    said = translate("es", "Cannot read {path}: {reason}.", path="missing.zip", reason=os.strerror(2))
    assert result.returncode == 2
    assert result.stderr.strip() == said
    assert said != translate("en", "Cannot read {path}: {reason}.", path="missing.zip", reason=os.strerror(2))


def fits(template: str, text: str) -> bool:
    """Whether `text` is `template` with something in place of each placeholder."""
    pattern = "".join(".+?" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{\w+\})", template))
    return re.fullmatch(pattern, text) is not None


def test_a_backup_and_its_refusal_are_told_in_japanese(tmp_path):
    assert run_bot(tmp_path, "migrate").returncode == 0
    made = run_bot(tmp_path, "backup", "copy.db", LANG="ja_JP.UTF-8")
    refused = run_bot(tmp_path, "backup", "no/such/folder/copy.db", LC_ALL="ja_JP.UTF-8")

    assert made.returncode == 0, made.stderr
    done, keep = made.stdout.splitlines()
    assert fits(translate("ja", "Backed up {database} to {path} ({size} MB in {seconds} s); the copy passed "
                                "SQLite's check."), done), done
    assert fits(translate("ja", "Keep {key} as well, somewhere else: without it people's pseudonyms change and they "
                                "cannot reach what they gave."), keep), keep
    assert refused.returncode == 2
    assert refused.stderr.strip() == translate("ja", "Cannot write {path}: the folder {folder} does not exist.",
                                               path="no/such/folder/copy.db", folder="no/such/folder")


def test_without_a_language_of_ours_in_the_terminal_default_locale_speaks(tmp_path):
    result = run_bot(tmp_path, "export", "--format", "md", "--out", "no/such/folder/s.md", LANG="C.UTF-8",
                     DEFAULT_LOCALE="zh_Hans")

    assert result.returncode == 2
    assert result.stderr.strip() == translate("zh_Hans", "Cannot write {path}: the folder {folder} does not exist.",
                                              path="no/such/folder/s.md", folder="no/such/folder")


def test_an_import_lists_its_problems_in_the_terminals_language(tmp_path):
    assert run_bot(tmp_path, "console", stdin="/help\n").returncode == 0  # the console's community now exists
    (tmp_path / "typo.csv").write_text("models,uses,meaning,asks,language,consnet,health\n", encoding="utf-8")
    unknown = run_bot(tmp_path, "testimonies", "import", "typo.csv", "--community", "99", LANG="zh_CN.UTF-8")
    typo = run_bot(tmp_path, "testimonies", "import", "typo.csv", "--community", "console", LANG="ja_JP.UTF-8")

    assert unknown.returncode == 2
    assert unknown.stderr.splitlines()[0] == translate("zh_Hans", "Nothing was imported:")
    assert typo.returncode == 2
    assert typo.stderr.splitlines() == [
        translate("ja", "Nothing was imported from {file}:", file="typo.csv"),
        "  " + translate("ja", "line {line}: {problem}", line=1, problem=translate(
            "ja", "unknown column “{column}”; the columns are: {columns}", column="consnet",
            columns=", ".join(COLUMNS))),
        "  " + translate("ja", "line {line}: {problem}", line=1, problem=translate(
            "ja", "the column “{column}” is missing (required: {required})", column="consent",
            required=", ".join(REQUIRED))),
    ]


def test_the_help_is_in_the_terminals_language(tmp_path):
    shown = run_bot(tmp_path, "--help", LANG="es_ES.UTF-8", COLUMNS="300")

    assert shown.returncode == 0
    for english in ("talk to the bot in this terminal; no token needed",
                    "check every file of a statement bundle against its manifest"):
        assert translate("es", english) in shown.stdout and translate("es", english) != english
