"""The Gemini, Vertex, Mistral, Cohere, Groq and xAI extractors on small hand-written pages: each messy thing the
real pages do, a few lines of Markdown or HTML, and the exact rows expected."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from textwrap import dedent

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import find_dates, parse_month_day, parse_shutdown
from bot.watch.pages import extract_page

ACTIVE, LEGACY = ModelStatus.ACTIVE, ModelStatus.LEGACY
DEPRECATED, RETIRED = ModelStatus.DEPRECATED, ModelStatus.RETIRED
FIRM, EARLIEST, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST, ShutdownQualifier.TBD

GEMINI = "https://ai.google.dev/gemini-api/docs/deprecations"
CHANGELOG = "https://ai.google.dev/gemini-api/docs/changelog"
VERTEX = "https://cloud.google.com/vertex-ai/generative-ai/docs/learn/model-versions"
MISTRAL = "https://docs.mistral.ai/models"
COHERE = "https://docs.cohere.com/docs/deprecations"
COHERE_MODELS = "https://docs.cohere.com/docs/models"
GROQ = "https://console.groq.com/docs/deprecations"
XAI_MODELS = "https://docs.x.ai/developers/models"
XAI_NOTICE = "https://docs.x.ai/developers/migration/may-15-retirement"


def page(text: str, url: str, vendor: str | None = None, *, as_of: date | None = None) -> list[DeprecationRow]:
    """The rows of a hand-written page fetched on `as_of` (None: no day known, only words retire)."""
    return extract_page(dedent(text), url=url, vendor=vendor, as_of=as_of)


def row(vendor: str, platform: str, model: str, status: ModelStatus, url: str, *, version: str | None = None,
        announced: date | None = None, shutdown: date | None = None, qualifier: ShutdownQualifier = TBD,
        replacements: tuple[str, ...] = ()) -> DeprecationRow:
    return DeprecationRow(vendor, platform, model, status, version, announced, shutdown, qualifier, replacements, url)


# --- dates ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("08/16/26", (date(2026, 8, 16), FIRM)),                       # Groq: US date, two-digit year
    ("1/6/25", (date(2025, 1, 6), FIRM)),
    ("July 21, 2027 or later", (date(2027, 7, 21), EARLIEST)),     # Vertex
    ("No sooner than May 20, 2028", (date(2028, 5, 20), EARLIEST)),
    ("No retirement date announced", (None, TBD)),
    ("", (None, TBD)),
])
def test_shutdown_cells_of_these_vendors(text, expected):
    assert parse_shutdown(text) == expected


def test_find_dates_reads_dates_by_their_shape_not_relative_words():
    # dateparser's search took "now" and "in one week" for today's date, and missed a date beside an id.
    assert find_dates("The following models are now deprecated:") == []
    assert find_dates("Support for it will be discontinued in one week.") == []
    assert find_dates("`gemini-2.5-pro-preview-05-06` will be redirected to `gemini-2.5-pro` on June 26, 2025.") == [
        ("June 26, 2025", date(2025, 6, 26))]
    assert [d for _t, d in find_dates("Effective April 4th, 2026, and Sept 15, 2025 and 2024-12-02")] == [
        date(2026, 4, 4), date(2025, 9, 15), date(2024, 12, 2)]


def test_a_day_without_a_year_is_the_next_such_day():
    assert parse_month_day("November 12:", date(2025, 11, 11)) == date(2025, 11, 12)
    assert parse_month_day("December 2nd:", date(2025, 11, 4)) == date(2025, 12, 2)
    assert parse_month_day("January 5:", date(2025, 12, 20)) == date(2026, 1, 5)
    assert parse_month_day("Model updates:", date(2025, 1, 1)) is None


# --- Gemini API deprecations page ---------------------------------------------------------------------------

GEMINI_PAGE = """\
    # Gemini deprecations

    **Note:** The **shutdown dates listed in the table indicate the _earliest possible dates_ on which a model
    might be retired**.

    ## Gemini 2.5 Flash models

    | **Model**                      | **Release date** | **Shutdown date**          | **Recommended replacement** |
    | ------------------------------ | ---------------- | -------------------------- | --------------------------- |
    | gemini-9.0-flash               | August 2026      | No shutdown date announced |                             |
    | gemini-2.5-flash-image         | October 2, 2025  | October 2, 2026            | gemini-3.1-flash-image      |
    | Preview models                 |                  |                            |                             |
    | gemini-2.5-flash-preview-09-25 | September 25, 2025 | February 17, 2026        | gemini-3.6-flash            |

    ## Veo models

    | **Model** | **Release date** | **Shutdown date** | **Recommended replacement** |
    | --- | --- | --- | --- |
    | veo-3.0-generate-001 | Sep 9, 2025 | June 30, 2026 | veo-3.1-generate-preview or GA models on [GEAP](/x) |
"""


def gemini(model: str, status: ModelStatus, anchor: str, **fields: object) -> DeprecationRow:
    return row("google", "api", model, status, f"{GEMINI}#{anchor}", **fields)  # type: ignore[arg-type]


def test_gemini_table_with_bold_headers_a_preview_sub_header_and_earliest_dates():
    # "Preview models" is a marker row, not a model. The page's note makes every date an earliest one, so a
    # date passed by the fetch day (August 21, 2026) says the model may be gone, not that it is: deprecated.
    assert page(GEMINI_PAGE, GEMINI, as_of=date(2026, 8, 21)) == [
        gemini("gemini-9.0-flash", ACTIVE, "gemini-2.5-flash-models"),
        gemini("gemini-2.5-flash-image", DEPRECATED, "gemini-2.5-flash-models", shutdown=date(2026, 10, 2),
               qualifier=EARLIEST, replacements=("gemini-3.1-flash-image",)),
        gemini("gemini-2.5-flash-preview-09-25", DEPRECATED, "gemini-2.5-flash-models", shutdown=date(2026, 2, 17),
               qualifier=EARLIEST, replacements=("gemini-3.6-flash",)),
        # "… or GA models on [a platform]": only the id is a replacement.
        gemini("veo-3.0-generate-001", DEPRECATED, "veo-models", shutdown=date(2026, 6, 30), qualifier=EARLIEST,
               replacements=("veo-3.1-generate-preview",)),
    ]


def test_gemini_table_without_the_earliest_note_gives_firm_dates():
    text = GEMINI_PAGE.replace("_earliest possible dates_", "dates")
    assert {r.shutdown_qualifier for r in page(text, GEMINI) if r.shutdown} == {FIRM}
    # Firm dates retire on the fetch day, and only then: the newest date the page names ("August 2026") is not it.
    status = {r.model: r.status for r in page(text, GEMINI, as_of=date(2026, 3, 1))}
    assert (status["gemini-2.5-flash-preview-09-25"], status["veo-3.0-generate-001"]) == (RETIRED, DEPRECATED)
    assert {r.status for r in page(text, GEMINI)} == {ACTIVE, DEPRECATED}, "no day known: no date retires"


def test_gemini_model_in_two_tables_is_one_row_the_dated_one_governs():
    text = """\
        ## Gemini 2.0 models

        | Model            | Release date     | Shutdown date              | Recommended replacement |
        | ---------------- | ---------------- | -------------------------- | ----------------------- |
        | gemini-2.0-flash | February 5, 2025 | No shutdown date announced |                         |

        ## Live API models

        | Model            | Release date     | Shutdown date | Recommended replacement |
        | ---------------- | ---------------- | ------------- | ----------------------- |
        | gemini-2.0-flash | February 5, 2025 | June 1, 2026  | gemini-3.6-flash        |
    """
    assert page(text, GEMINI) == [gemini("gemini-2.0-flash", DEPRECATED, "live-api-models",
                                         shutdown=date(2026, 6, 1), qualifier=FIRM,
                                         replacements=("gemini-3.6-flash",))]


# --- Gemini API release notes ---------------------------------------------------------------------------------

def notes(model: str, status: ModelStatus, anchor: str, announced: date, shutdown: date | None,
          replacements: tuple[str, ...] = ()) -> DeprecationRow:
    return row("google", "api", model, status, f"{CHANGELOG}#{anchor}", announced=announced, shutdown=shutdown,
               qualifier=FIRM if shutdown else TBD, replacements=replacements)


def test_release_notes_lead_in_with_day_labels_and_lists_in_html():
    html = """<!doctype html><html><body><main>
      <h1>Release notes</h1>
      <h2 id="12-20-2025">December 20, 2025</h2>
      <ul><li><p>The following models will be deprecated:</p>
        <ul><li><p>December 30th:</p><ul><li><code>veo-3.0-generate-preview</code></li></ul></li>
            <li><p>January 5:</p><ul><li><code>gemini-2.0-flash-exp-image-generation</code></li>
              <li><code>gemini-embedding-exp-03-07</code> (<code>gemini-embedding-exp</code>)</li>
            </ul></li></ul></li></ul>
      <h2 id="11-10-2025">November 10, 2025</h2>
      <ul><li><p>The following model is deprecated:</p><ul><li><code>imagen-3.0-generate-002</code></li></ul>
        <p>Use <code>imagen-4.0-generate-001</code> instead.</p></li></ul>
    </main></body></html>"""
    # A label without a year takes the next such day; an alias in parentheses shuts down with its model.
    # "is deprecated" without a date happened on the note's day (Google's notes say "deprecated" for "turned
    # off"); fetched on December 21, 2025, the December 30 and January 5 shutdowns are still ahead.
    assert extract_page(html, url=CHANGELOG, as_of=date(2025, 12, 21)) == [
        notes("veo-3.0-generate-preview", DEPRECATED, "12-20-2025", date(2025, 12, 20), date(2025, 12, 30)),
        notes("gemini-2.0-flash-exp-image-generation", DEPRECATED, "12-20-2025", date(2025, 12, 20),
              date(2026, 1, 5)),
        notes("gemini-embedding-exp-03-07", DEPRECATED, "12-20-2025", date(2025, 12, 20), date(2026, 1, 5)),
        notes("gemini-embedding-exp", DEPRECATED, "12-20-2025", date(2025, 12, 20), date(2026, 1, 5)),
        notes("imagen-3.0-generate-002", RETIRED, "11-10-2025", date(2025, 11, 10), date(2025, 11, 10),
              ("imagen-4.0-generate-001",)),
    ]


def test_release_notes_sentences_in_markdown_without_code_spans():
    text = """\
        ## June 17, 2025

        * Released gemini-2.5-flash, our first stable 2.5 Flash model. gemini-2.5-flash-preview-04-17 will be
          deprecated on July 15, 2025.
        * gemini-2.5-pro-preview-05-06 will be redirected to gemini-2.5-pro on June 26, 2025.
        * Support for URL context with the gemini-2.0-flash model will be discontinued in one week.

        ## May 20, 2025

        gemini-1.5-pro-001 will be shut down on May 24, 2025. The gemini-embedding-exp-03-07 model will be
        deprecated in October, 2025.

        * The following Gemini 1.5 models are now deprecated:
          * `gemini-1.5-flash-8b`
    """
    # Redirects, a "discontinued" feature and releases give no row; a month alone is no shutdown date. Fetched
    # on June 18, 2025: the July 15 shutdown is still ahead, the May 24 one past.
    assert page(text, CHANGELOG, as_of=date(2025, 6, 18)) == [
        notes("gemini-2.5-flash-preview-04-17", DEPRECATED, "june-17-2025", date(2025, 6, 17), date(2025, 7, 15)),
        notes("gemini-1.5-pro-001", RETIRED, "may-20-2025", date(2025, 5, 20), date(2025, 5, 24)),
        notes("gemini-embedding-exp-03-07", DEPRECATED, "may-20-2025", date(2025, 5, 20), None),
        notes("gemini-1.5-flash-8b", RETIRED, "may-20-2025", date(2025, 5, 20), date(2025, 5, 20)),
    ]


def test_release_notes_later_note_about_the_same_model_governs():
    text = """\
        ## November 11, 2025

        The following models will be shut down on November 12, 2025:

        * `veo-3.0-generate-preview`

        ## October 15, 2025

        Deprecation for `veo-3.0-generate-preview` coming November 6, 2025.
    """
    assert page(text, CHANGELOG) == [
        notes("veo-3.0-generate-preview", DEPRECATED, "november-11-2025", date(2025, 11, 11), date(2025, 11, 12))]


# --- Vertex AI model versions ------------------------------------------------------------------------------

VERTEX_PAGE = """\
    ## Latest available models

    ### Gemini models

    | Model ID               | Release date      | Retirement date             | Replacement model                   |
    | ---------------------- | ----------------- | --------------------------- | ----------------------------------- |
    | gemini-3.5-flash       | May 19, 2026      | May 19, 2027 or later       |                                     |
    | gemini-2.5-flash-lite  | July 22, 2025     | October 20, 2026            | Gemini 3.5 Flash or Gemma 4         |
    | gemini-embedding-001   | May 20, 2025      | No sooner than May 20, 2028 |                                     |
    | veo-2.0-generate-001   | May 27, 2025      | June 30, 2026               | veo-3.1-generate-001                |
    | gemini-3.6-flash       | July 21, 2026     | No retirement date announced |                                    |

    ### Retired models

    | Model ID                  | Release date      | Retirement date | Recommended upgrade  |
    | ------------------------- | ----------------- | --------------- | -------------------- |
    | textembedding-gecko@003\\* | December 12, 2023 | May 24, 2025    | gemini-embedding-001 |
    | imagetext                 | June 7, 2023      | September 24, 2025 |                   |
"""


def vertex(model: str, status: ModelStatus, anchor: str, **fields: object) -> DeprecationRow:
    return row("google", "vertex", model, status, f"{VERTEX}#{anchor}", **fields)  # type: ignore[arg-type]


def test_vertex_earliest_dates_display_name_replacements_and_odd_ids():
    assert page(VERTEX_PAGE, VERTEX, as_of=date(2026, 8, 21)) == [
        vertex("gemini-3.5-flash", ACTIVE, "gemini-models", shutdown=date(2027, 5, 19), qualifier=EARLIEST),
        # "Gemini 3.5 Flash" is an id the page lists; "Gemma 4" is not, and stays as written.
        vertex("gemini-2.5-flash-lite", DEPRECATED, "gemini-models", shutdown=date(2026, 10, 20), qualifier=FIRM,
               replacements=("gemini-3.5-flash", "Gemma 4")),
        vertex("gemini-embedding-001", ACTIVE, "gemini-models", shutdown=date(2028, 5, 20), qualifier=EARLIEST),
        # Retiring before the fetch day (August 21, 2026): already retired.
        vertex("veo-2.0-generate-001", RETIRED, "gemini-models", shutdown=date(2026, 6, 30), qualifier=FIRM,
               replacements=("veo-3.1-generate-001",)),
        vertex("gemini-3.6-flash", ACTIVE, "gemini-models"),
        vertex("textembedding-gecko@003", RETIRED, "retired-models", shutdown=date(2025, 5, 24), qualifier=FIRM,
               replacements=("gemini-embedding-001",)),
        vertex("imagetext", RETIRED, "retired-models", shutdown=date(2025, 9, 24), qualifier=FIRM),
    ]


def test_vertex_retired_models_heading_alone_does_not_retire():
    # Fetched before their dates, the rows under "Retired models" are going, not gone: the heading is no date.
    status = {r.model: r.status for r in page(VERTEX_PAGE, VERTEX, as_of=date(2025, 5, 1))}
    assert (status["textembedding-gecko@003"], status["imagetext"], status["veo-2.0-generate-001"]) == (
        DEPRECATED, DEPRECATED, DEPRECATED)


# --- Mistral models overview -----------------------------------------------------------------------------------

MISTRAL_PAGE = """\
    ## Featured Models

    [Mistral Medium 3.5 Our frontier model.](/models/medium-3-5)

    ### Generalist models

    [Mistral Medium 3.5 Our frontier model.v26.04](/models/medium-3-5)[Ministral 3 8B v25.12](/models/ministral-3-8b)

    ### Deprecated & retired models

    | Model | Version | API | Deprecation | Retirement | Alternative |
    | --- | --- | --- | --- | --- | --- |
    | [Medium 3.1](/models/m31) | 25.08 | mistral-medium-2508 | 5/22/2026 | 8/31/2026 | [M 3.5](/models/medium-3-5) |
    | [Voxtral Transcribe](/models/t) | 25.07 | voxtral-mini-2507 | 2/27/2026 | 5/31/2026 | [V 2](/models/voxtral-2) |
    | [Voxtral Mini](/models/v) | 25.07 | voxtral-mini-2507 | 2/27/2026 | 5/31/2026 | [V 2](/models/voxtral-2) |
    | [Mistral 7B](/models/a) | 0.3 | open-mistral-7b | 11/30/2024 | 3/30/2025 | [3 8B](/models/ministral-3-8b) |
    | [Mistral 7B](/models/b) | 0.2 | open-mistral-7b | 11/30/2024 | 6/16/2025 | [3 8B](/models/ministral-3-8b) |
    | [Mathstral 7B ↗](/models/c) | 0.1 |  |  |  | [3 8B](/models/ministral-3-8b) |
"""


def mistral(model: str, status: ModelStatus, anchor: str, **fields: object) -> DeprecationRow:
    return row("mistral", "api", model, status, f"{MISTRAL}#{anchor}", **fields)  # type: ignore[arg-type]


def test_mistral_api_ids_us_dates_duplicates_versions_and_cards():
    table = "deprecated-retired-models"
    assert page(MISTRAL_PAGE, MISTRAL, as_of=date(2026, 6, 1)) == [
        # Fetched on June 1, 2026: retiring on 8/31/2026, not yet retired.
        mistral("mistral-medium-2508", DEPRECATED, table, announced=date(2026, 5, 22), shutdown=date(2026, 8, 31),
                qualifier=FIRM, replacements=("medium-3-5",)),
        # Two rows, one API id, the same facts: one row. Retired on 5/31/2026, before the fetch day.
        mistral("voxtral-mini-2507", RETIRED, table, announced=date(2026, 2, 27), shutdown=date(2026, 5, 31),
                qualifier=FIRM, replacements=("voxtral-2",)),
        # One API id, two retirement dates: the version keeps them apart.
        mistral("open-mistral-7b", RETIRED, table, version="0.3", announced=date(2024, 11, 30),
                shutdown=date(2025, 3, 30), qualifier=FIRM, replacements=("ministral-3-8b",)),
        mistral("open-mistral-7b", RETIRED, table, version="0.2", announced=date(2024, 11, 30),
                shutdown=date(2025, 6, 16), qualifier=FIRM, replacements=("ministral-3-8b",)),
        # Mathstral 7B has no API id: no row. Cards are current models, named by their page; the one listed
        # under Featured and again under its category is one row, under the category.
        mistral("medium-3-5", ACTIVE, "generalist-models"),
        mistral("ministral-3-8b", ACTIVE, "generalist-models"),
    ]


# --- Cohere deprecations and models ---------------------------------------------------------------------------

COHERE_PAGE = """\
    ## Deprecation History

    ### 2026-04-04: Embed v2.0, Aya Expanse 8B

    Effective April 4th, 2026, the following models will be retired:

    * `embed-english-v2.0`
    * `c4ai-aya-expanse-8b`

    We encourage you to migrate to our latest models:

    * Embedding tasks alternatives:
      * `embed-v4.0`
    * Chat tasks alternatives:
      * `command-a-03-2025`

    ### 2025-09-15: Various older command models, endpoints, fine-tuning

    Effective September 15, 2025, the following deprecations will roll out.

    Deprecated Models:

    * `command-r-03-2024`  (and the alias `command-r`)
    * `summarize` (Refer to the migration guide for alternatives).

    For command model replacements, we recommend you use `command-r-08-2024` instead.

    Retired Fine-Tuning Capabilities:
    Fine-tuning for the `command-light` and `rerank` models is being retired.

    Deprecated Features and API Endpoints:

    * `/v1/generate` (Legacy generative endpoint)
    * `/v1/chat` parameters: `connectors`, `search_queries_only`
    * Slack App integration

    ### 2024-12-02: Rerank v2.0

    | Shutdown Date | Deprecated Model      | Deprecated Model Price | Recommended Replacement |
    | ------------- | --------------------- | ---------------------- | ----------------------- |
    | 2025-04-30    | `rerank-english-v2.0` | \\$1.00 / 1K searches   | `rerank-v3.5`           |
"""


def cohere(model: str, status: ModelStatus, anchor: str, **fields: object) -> DeprecationRow:
    return row("cohere", "api", model, status, f"{COHERE}#{anchor}", **fields)  # type: ignore[arg-type]


def test_cohere_lists_aliases_endpoints_alternative_groups_and_tables():
    april = "2026-04-04-embed-v2-0-aya-expanse-8b"
    september = "2025-09-15-various-older-command-models-endpoints-fine-tuning"
    assert page(COHERE_PAGE, COHERE, as_of=date(2026, 8, 20)) == [
        # "will be retired" on a date: the shutdown. Each model gets the alternatives of its kind; the Aya
        # model has none of its kind, so it gets the group no retired model belongs to (chat).
        cohere("embed-english-v2.0", RETIRED, april, announced=date(2026, 4, 4), shutdown=date(2026, 4, 4),
               qualifier=FIRM, replacements=("embed-v4.0",)),
        cohere("c4ai-aya-expanse-8b", RETIRED, april, announced=date(2026, 4, 4), shutdown=date(2026, 4, 4),
               qualifier=FIRM, replacements=("command-a-03-2025",)),
        # "Deprecated" in Cohere's words has no shutdown date yet. The alias deprecates with its model; the
        # fine-tuning sentence and the `/v1/chat` parameters are about features; Slack has no id.
        cohere("command-r-03-2024", DEPRECATED, september, announced=date(2025, 9, 15),
               replacements=("command-r-08-2024",)),
        cohere("command-r", DEPRECATED, september, announced=date(2025, 9, 15), replacements=("command-r-08-2024",)),
        cohere("summarize", DEPRECATED, september, announced=date(2025, 9, 15)),
        cohere("/v1/generate", DEPRECATED, september, announced=date(2025, 9, 15)),
        cohere("rerank-english-v2.0", RETIRED, "2024-12-02-rerank-v2-0", announced=date(2024, 12, 2),
               shutdown=date(2025, 4, 30), qualifier=FIRM, replacements=("rerank-v3.5",)),
    ]


def test_cohere_models_page_status_column_and_platform_tables():
    text = """\
        ## Command

        | Model Name          | Status                   | Description          |
        | ------------------- | ------------------------ | -------------------- |
        | `command-a-03-2025` | Live                     | Our best model.      |
        | `command-r`         | Deprecated Sept 15, 2025 | Alias for `command-r-03-2024` |
        | `c4ai-aya-vision-8b` | Retired Apr 4, 2026     | A vision model.      |

        | Model Name           | Amazon Bedrock Model ID   | Oracle OCI Generative AI Service |
        | -------------------- | ------------------------- | -------------------------------- |
        | `embed-english-v2.0` | N/A                       | `cohere.embed-english-v2.0`      |

        ## Rerank

        | Model Name    | Description        | Context Length |
        | ------------- | ------------------ | -------------- |
        | `rerank-v3.5` | A reranking model. | 4k             |
    """
    url = f"{COHERE_MODELS}#command"
    assert page(text, COHERE_MODELS, vendor="cohere") == [
        row("cohere", "api", "command-a-03-2025", ACTIVE, url),
        row("cohere", "api", "command-r", DEPRECATED, url, announced=date(2025, 9, 15)),
        row("cohere", "api", "c4ai-aya-vision-8b", RETIRED, url, shutdown=date(2026, 4, 4), qualifier=FIRM),
        row("cohere", "api", "rerank-v3.5", ACTIVE, f"{COHERE_MODELS}#rerank"),  # no Status column: on offer
    ]


# --- Groq deprecations ---------------------------------------------------------------------------------------------

GROQ_PAGE = """\
    ## [Deprecation History](#deprecation-history)

    ### [April 14, 2025: Multiple Model Deprecations](#april-14-2025-multiple-model-deprecations)

    In line with our commitment, on April 7, 2025, we emailed users to announce the deprecation of several models.

    | Deprecated Model | Shutdown Date | Recommended Replacement Model ID |
    | --- | --- | --- |
    | qwen-2.5-32b | 04/14/25 | qwen-qwq-32b meta-llama/llama-4-scout-17b-16e-instruct |
    | deepseek-r1-distill-llama-70b-specdec | 04/14/25 | deepseek-r1-distill-llama-70b or deepseek-r1-distill-qwen-32b |

    ### [March 24, 2025: DeepSeek R1 Distill Llama 70B (Speculative Decoding)](#march-24-2025-deepseek-r1)

    On March 17, 2025, we emailed all users of the `deepseek-r1-distill-llama-70b-specdec` model.

    | Model ID                              | Shutdown Date | Recommended Replacement Model ID |
    | ------------------------------------- | ------------- | -------------------------------- |
    | deepseek-r1-distill-llama-70b-specdec | 03/24/25      | deepseek-r1-distill-llama-70b    |

    ### [November 25, 2024: Llama 3.2 90B Text Preview](#november-25-2024-llama-32-90b-text-preview)

    In November 2024, we emailed all Llama 3.2 90B Text Preview users.

    | Model ID | Shutdown Date | Recommended Replacement Model ID |
    | --- | --- | --- |
    | llama-3.2-90b-text-preview | 11/25/24 | llama-3.2-90b-vision-preview llama-3.1-70b-versatile (text-only) |
"""


def test_groq_two_digit_years_replacement_lists_anchors_and_the_later_announcement():
    april = f"{GROQ}#april-14-2025-multiple-model-deprecations"
    # Fetched on April 8, 2025: the April 14 shutdowns are still ahead, November 25, 2024 past.
    assert page(GROQ_PAGE, GROQ, as_of=date(2025, 4, 8)) == [
        row("groq", "api", "qwen-2.5-32b", DEPRECATED, april, announced=date(2025, 4, 7), shutdown=date(2025, 4, 14),
            qualifier=FIRM, replacements=("qwen-qwq-32b", "meta-llama/llama-4-scout-17b-16e-instruct")),
        # Named again in an older entry (March 24): the April announcement governs.
        row("groq", "api", "deepseek-r1-distill-llama-70b-specdec", DEPRECATED, april, announced=date(2025, 4, 7),
            shutdown=date(2025, 4, 14), qualifier=FIRM,
            replacements=("deepseek-r1-distill-llama-70b", "deepseek-r1-distill-qwen-32b")),
        # "In November 2024" is no day: no announcement date. The remark in parentheses is not an id.
        row("groq", "api", "llama-3.2-90b-text-preview", RETIRED, f"{GROQ}#november-25-2024-llama-32-90b-text-preview",
            shutdown=date(2024, 11, 25), qualifier=FIRM,
            replacements=("llama-3.2-90b-vision-preview", "llama-3.1-70b-versatile")),
    ]


def test_groq_shutdown_is_ahead_until_the_fetch_day_reaches_it():
    text = """\
        ### [August 16, 2026: llama-3.1-8b-instant](#august-16-2026-llama318binstant)

        On June 17, 2026, we emailed users to announce the deprecation of `llama-3.1-8b-instant`.

        | Deprecated Model     | Shutdown Date | Recommended Replacement Model ID |
        | -------------------- | ------------- | -------------------------------- |
        | llama-3.1-8b-instant | 08/16/26      | openai/gpt-oss-20b               |
    """
    expected = row("groq", "api", "llama-3.1-8b-instant", DEPRECATED, f"{GROQ}#august-16-2026-llama318binstant",
                   announced=date(2026, 6, 17), shutdown=date(2026, 8, 16), qualifier=FIRM,
                   replacements=("openai/gpt-oss-20b",))
    assert page(text, GROQ, as_of=date(2026, 8, 15)) == [expected]
    assert page(text, GROQ, as_of=date(2026, 8, 16)) == [replace(expected, status=RETIRED)], "on the day itself"


# --- xAI -----------------------------------------------------------------------------------------------------------

def test_xai_models_pricing_table_sub_headers_and_regions():
    html = """<!doctype html><html><body><main>
      <h1>Models and Pricing</h1>
      <h2 id="model-pricing">Model Pricing</h2>
      <table><thead><tr><th>Model</th><th>Context</th><th>Pricing</th></tr></thead><tbody>
        <tr><td colspan="3"></td></tr>
        <tr><td>Language models</td><td></td><td>Per million tokens</td></tr>
        <tr><td><span>grok-4-0709</span></td><td>256,000</td><td>$3.00</td></tr>
        <tr><td><span>grok-2-vision-1212<div>us-east-1</div></span></td><td>32,768</td><td>$2.00</td></tr>
        <tr><td><span>grok-2-vision-1212<div>eu-west-1</div></span></td><td>32,768</td><td>$2.00</td></tr>
        <tr><td>Image generation models</td><td></td><td>Per image output</td></tr>
      </tbody></table>
    </main></body></html>"""
    url = f"{XAI_MODELS}#model-pricing"
    assert extract_page(html, url=XAI_MODELS) == [
        row("xai", "api", "grok-4-0709", ACTIVE, url),
        row("xai", "api", "grok-2-vision-1212", ACTIVE, url, version="us-east-1"),
        row("xai", "api", "grok-2-vision-1212", ACTIVE, url, version="eu-west-1"),
    ]


def test_xai_retirement_notice_maps_retired_models_to_redirect_targets():
    text = """\
        # Grok Model Retirement on May 15, 2026

        **Effective May 15, 2026 at 12:00 PM PT**, the following models will be retired from the xAI API:

        * `grok-4-0709`
        * `grok-code-fast-1`
        * `grok-2-1212`

        ## Recommended Replacements

        | Model being retired | Redirect target after May 15 |
        |---|---|
        | `grok-4-0709` | `grok-4.3` with `low` reasoning effort |
        | `grok-code-fast-1` | `grok-build-0.1` |
    """
    table, notice = f"{XAI_NOTICE}#recommended-replacements", f"{XAI_NOTICE}#grok-model-retirement-on-may-15-2026"
    shutdown = {"shutdown": date(2026, 5, 15), "qualifier": FIRM}
    assert page(text, XAI_NOTICE, as_of=date(2026, 5, 1)) == [
        row("xai", "api", "grok-4-0709", DEPRECATED, table, replacements=("grok-4.3",), **shutdown),
        row("xai", "api", "grok-code-fast-1", DEPRECATED, table, replacements=("grok-build-0.1",), **shutdown),
        row("xai", "api", "grok-2-1212", DEPRECATED, notice, **shutdown),  # in the list only: no redirect named
    ]
    # "will be retired" on May 15: fetched after it, the date says they are gone.
    assert {r.status for r in page(text, XAI_NOTICE, as_of=date(2026, 5, 15))} == {RETIRED}
