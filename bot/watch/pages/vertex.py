"""Google Cloud's model versions page for Vertex AI (cloud.google.com/vertex-ai/generative-ai/docs/learn/
model-versions, now docs.cloud.google.com/gemini-enterprise-agent-platform/models/model-versions).

What the page looks like: tables "Model ID | Release date | Retirement date | Replacement model" under headings
per family ("Gemini models", "Veo models", "Embeddings models"), grouped under "Latest available models",
"Models available for shorter availability periods" and "Retired models" (whose last column is "Recommended
upgrade"). Retirement dates read "October 20, 2026", "May 7, 2027 or later", "No sooner than May 20, 2028",
"No retirement date announced" or nothing. Ids hold `@` (`multimodalembedding@001`) and footnote marks
(`textembedding-gecko@003*`); replacements are often display names ("Gemini 3.5 Flash-Lite or Gemini 3.1
Flash-Lite", "Gemma 4").

Why the rules are what they are:
- Every cell of the "Model ID" column is an id, whatever it looks like (`imagetext` has no digit).
- "or later" and "No sooner than" make the date an earliest one; a bare date is firm.
- A display name becomes an id when the page lists that id ("Gemini 3.5 Flash" → `gemini-3.5-flash`); a name
  the page has no id for ("Gemma 4") is kept as written rather than guessed.
- Status: with a retirement date and a recommended replacement, or under "Retired models", the model is
  deprecated; otherwise it is active. Retired only once its firm date has passed on the fetch day (decided by
  `extract_page`): neither the "Retired models" heading nor the newest release date on the page is today.
"""

from __future__ import annotations

import re

from bot.domain import DeprecationRow, ModelStatus
from bot.watch.dates import clean, parse_shutdown
from bot.watch.document import Document
from bot.watch.pages._tables import column, dedupe, is_empty, link, text_at, with_headings
from bot.watch.pages.gemini import devsite_anchor

VENDOR, PLATFORM = "google", "vertex"
_SEPARATORS = re.compile(r"\s*(?:,|;|\bor\b|\band\b)\s*")


def extract(document: Document, url: str | None) -> list[DeprecationRow]:
    tables = [(path, t) for path, t in with_headings(document) if t.kind == "table"
              and column(t.header, "model id", "model") is not None and column(t.header, "retirement") is not None]
    known = {_model_id(text_at(row, column(t.header, "model"))).lower() for _p, t in tables for row in t.rows}
    rows = []
    for path, table in tables:
        header = table.header
        model, retirement = column(header, "model"), column(header, "retirement")
        replacement = column(header, "replacement", "upgrade")
        retired_section = any("retired" in heading.text.lower() for heading in path)
        anchor = devsite_anchor(path[-1]) if path else None
        for row in table.rows:
            model_id = _model_id(text_at(row, model))
            if not model_id:
                continue
            shutdown, qualifier = parse_shutdown(text_at(row, retirement))
            replacements = _replacements(text_at(row, replacement), known)
            # The "Retired models" heading says the model is going or gone; only its date can say which.
            going = retired_section or (shutdown and replacements)
            status = ModelStatus.DEPRECATED if going else ModelStatus.ACTIVE
            rows.append(DeprecationRow(VENDOR, PLATFORM, model_id, status, shutdown=shutdown,
                                       shutdown_qualifier=qualifier, replacements=replacements,
                                       url=link(url, anchor)))
    return dedupe(rows)


def _model_id(text: str) -> str:
    """The id in a "Model ID" cell, footnote marks and stray spaces removed; "" for a cell that is not one."""
    text = clean(text)
    return "" if is_empty(text) or " " in text else text


def _replacements(text: str, known: set[str]) -> tuple[str, ...]:
    names = [part.strip(" .") for part in _SEPARATORS.split(clean(text)) if not is_empty(part)]
    ids = []
    for name in names:
        as_id = re.sub(r"\s+", "-", name.lower())
        ids.append(as_id if as_id in known else name)
    return tuple(dict.fromkeys(ids))
