"""`python -m bot extract` as moderators and tests use it: rows of one page copy, notices between two."""

from __future__ import annotations

import json

from tests.e2e.process import run_bot

KEYS = ["vendor", "platform", "model", "version", "status", "announced", "shutdown", "shutdown_qualifier",
        "replacements", "url"]


def test_extract_prints_rows_as_json(tmp_path, corpus):
    page = corpus / "pages" / "anthropic-model-deprecations-2026-08-20.md"
    result = run_bot(tmp_path, "extract", str(page), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(list(row) == KEYS for row in rows)
    haiku = next(r for r in rows if r["model"] == "claude-3-haiku-20240307")
    assert (haiku["vendor"], haiku["shutdown"], haiku["status"]) == ("anthropic", "2026-04-20", "retired")


def test_extract_diff_prints_notices_as_json(tmp_path, corpus):
    old = corpus / "pages" / "aws-bedrock-model-lifecycle-2025-11-13.html"
    new = corpus / "pages" / "aws-bedrock-model-lifecycle-2026-08-21.md"
    result = run_bot(tmp_path, "extract", "--diff", str(old), str(new), "--as-of", "2026-08-21", "--json")
    assert result.returncode == 0, result.stderr
    notices = json.loads(result.stdout)
    assert notices and all(list(n) == ["kind", "vendor", "model", "from", "to", "detail"] for n in notices)


def test_extract_explains_what_it_cannot_read(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Some page\n")
    result = run_bot(tmp_path, "extract", str(page))
    assert result.returncode == 1
    assert "--vendor" in result.stderr and "Traceback" not in result.stderr
    missing = run_bot(tmp_path, "extract", str(tmp_path / "nope.md"), "--vendor", "openai")
    assert missing.returncode == 1 and "No file at" in missing.stderr


def test_extract_reads_the_copy_as_of_the_day_it_is_told(tmp_path, corpus):
    # Groq's llama-3.3-70b-versatile shuts down on August 16, 2026: deprecated the day before, retired on it.
    page = corpus / "pages" / "groq-deprecations-2026-08-20.md"

    def status(day):
        result = run_bot(tmp_path, "extract", str(page), "--as-of", day, "--json")
        assert result.returncode == 0, result.stderr
        return next(r["status"] for r in json.loads(result.stdout) if r["model"] == "llama-3.3-70b-versatile")

    assert (status("2026-08-15"), status("2026-08-16")) == ("deprecated", "retired")
