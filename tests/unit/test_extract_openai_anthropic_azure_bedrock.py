"""The OpenAI, Anthropic, Azure and Bedrock extractors on small hand-written pages: each messy thing the real
pages do, a few lines of Markdown or HTML, and the exact rows expected."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.dates import parse_shutdown, status_on
from bot.watch.document import Cell, parse_document
from bot.watch.pages import extract_page
from bot.watch.pages._tables import cell_ids, cell_names, column, dedupe, status_in

ACTIVE, LEGACY = ModelStatus.ACTIVE, ModelStatus.LEGACY
DEPRECATED, RETIRED = ModelStatus.DEPRECATED, ModelStatus.RETIRED
FIRM, EARLIEST, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST, ShutdownQualifier.TBD

OPENAI = "https://developers.openai.com/api/docs/deprecations"
ANTHROPIC = "https://platform.claude.com/docs/en/about-claude/model-deprecations"
AZURE = "https://learn.microsoft.com/en-us/azure/ai-foundry/concepts/model-lifecycle-retirement"
BEDROCK = "https://docs.aws.amazon.com/bedrock/latest/userguide/model-lifecycle.html"


def page(text: str, url: str, *, as_of: date | None = None) -> list[DeprecationRow]:
    """The rows of a hand-written page fetched on `as_of` (None: no day known, only words retire)."""
    return extract_page(dedent(text), url=url, as_of=as_of)


def openai(model: str, status: ModelStatus, announced: date | None, shutdown: date | None, anchor: str,
           replacements: tuple[str, ...] = (), qualifier: ShutdownQualifier = FIRM) -> DeprecationRow:
    return DeprecationRow("openai", "api", model, status, announced=announced, shutdown=shutdown,
                          shutdown_qualifier=qualifier, replacements=replacements, url=f"{OPENAI}#{anchor}")


# --- dates and table helpers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("Mar 1, 2026 (us-east-1, us-east-2, and us-west-2 Regions)", (date(2026, 3, 1), FIRM)),
    ("July 15th, 2025 (all Regions)", (date(2025, 7, 15), FIRM)),
    ("Not sooner than June 9, 2027 (tentative)", (date(2027, 6, 9), EARLIEST)),
    ("2026\u201108\u201126", (date(2026, 8, 26), FIRM)),
    ("No sooner than 5/22/2026", (date(2026, 5, 22), EARLIEST)),
    ("No shutdown date announced", (None, TBD)),
    ("Coming soon", (None, TBD)),
])
def test_dates_with_remarks_in_parentheses_and_other_real_forms(text, expected):
    assert parse_shutdown(text) == expected


def test_cell_ids_reads_aliases_code_spans_and_bare_ids_but_not_prose():
    assert cell_ids(Cell("gpt-4-0613 | gpt-4, gpt-4-completions", ("gpt-4-0613", "gpt-4", "gpt-4-completions"))) == (
        "gpt-4-0613", "gpt-4", "gpt-4-completions")
    assert cell_ids(Cell("gpt-5.6-sol (reasoning.mode: pro)", ("gpt-5.6-sol", "reasoning.mode: pro")),
                    leading=False) == ("gpt-5.6-sol",)
    assert cell_ids(Cell("gpt-5 or gpt-4.1", ("gpt-5", "gpt-4.1*")), leading=False) == ("gpt-5", "gpt-4.1")
    assert cell_ids(Cell("gpt-4o-realtime-preview")) == ("gpt-4o-realtime-preview",)
    assert cell_ids(Cell("New fine-tuning training on babbage-002", ("babbage-002",))) == ()
    assert cell_ids(Cell("Assistants API")) == ()
    assert cell_ids(Cell("Responses API and Conversations API"), leading=False) == ()
    assert cell_names(Cell("N/A")) == ()
    assert cell_names(Cell("Cohere Command R 08-2024")) == ("Cohere Command R 08-2024",)
    assert column(("Shutdown date", "Model snapshot", "Substitute model"), "model", avoid=("substitute",)) == 1
    assert status_in("Legacy versions") == LEGACY and status_in("Generally Available") == ACTIVE


def test_status_on_is_the_one_rule_that_retires_a_row():
    day = date(2026, 8, 20)
    deprecated, retired, active, firm, earliest = DEPRECATED, RETIRED, ACTIVE, FIRM, EARLIEST
    assert status_on(deprecated, date(2026, 8, 20), firm, day) == retired, "on the day itself"
    assert status_on(deprecated, date(2026, 8, 21), firm, day) == deprecated
    assert status_on(active, date(2026, 1, 1), earliest, day) == active, "'not sooner than' passing is no retirement"
    assert status_on(deprecated, date(2026, 1, 1), firm, None) == deprecated, "no day known: dates retire nothing"
    assert status_on(retired, date(2027, 1, 1), firm, day) == retired, "the page's words stand"


def test_dedupe_keeps_one_row_per_model_the_newest_announcement_then_the_firm_date():
    older = DeprecationRow("openai", "api", "m", DEPRECATED, announced=date(2025, 1, 1), shutdown=date(2025, 6, 1),
                           shutdown_qualifier=FIRM)
    newer = DeprecationRow("openai", "api", "m", DEPRECATED, announced=date(2026, 1, 1), shutdown=date(2026, 6, 1),
                           shutdown_qualifier=FIRM)
    earliest = DeprecationRow("openai", "api", "M", LEGACY, announced=date(2026, 1, 1), shutdown=date(2026, 3, 1),
                              shutdown_qualifier=EARLIEST)
    assert dedupe([older, newer]) == [newer] and dedupe([newer, older]) == [newer]
    assert dedupe([earliest, newer]) == [newer], "same announcement: the firm date governs (keys ignore case)"


# --- OpenAI -----------------------------------------------------------------------------------------------

OPENAI_MD = """\
    # Deprecations

    ## Upcoming deprecations

    ### 2026-06-11: GPT-5 and o3 model deprecations

    | Shutdown date | Model / system         | Recommended replacement               |
    | ------------- | ---------------------- | ------------------------------------- |
    | Jan 20, 2027  | `gpt-5-pro-2025-10-06` | `gpt-5.6-sol` (`reasoning.mode: pro`) |

    ### 2026-06-03: Reusable prompts

    | Date         | Update                                                                       |
    | ------------ | ---------------------------------------------------------------------------- |
    | June 3, 2026 | Deprecation announced.                                                       |
    | Nov 30, 2026 | The `v1/prompts` API and reusable prompt objects are scheduled to shut down. |

    ### 2026-06-03: Evals platform

    | Date         | Update                                                  |
    | ------------ | ------------------------------------------------------- |
    | Nov 30, 2026 | The Evals dashboard and API are scheduled to shut down. |

    ### 2026-04-22: Legacy GPT model snapshots

    | Shutdown date    | Model snapshot                                                         | Substitute model |
    | ---------------- | ---------------------------------------------------------------------- | ---------------- |
    | October 23, 2026 | `gpt-4-0613` \\| `gpt-4`, `gpt-4-0613-completions`, `gpt-4-completions` | `gpt-5.6-sol`    |
    | October 23, 2026 | `gpt-4-1106-preview`                                                   | `gpt-5.6-sol`    |

    ### 2025-08-20: Assistants API

    | Shutdown date | Model / system | Recommended replacement             |
    | ------------- | -------------- | ----------------------------------- |
    | 2026\u201108\u201126    | Assistants API | Responses API and Conversations API |

    ## Past deprecations

    ### 2025-09-26: Legacy GPT model snapshots (March 2026 shutdown)

    | Shutdown date | Model / system       | Recommended replacement |
    | ------------- | -------------------- | ----------------------- |
    | 2026-03-26    | `gpt-4-1106-preview` | `gpt-5` or `gpt-4.1*`   |

    \\*For tasks that are especially latency sensitive

    ### 2025-09-15: gpt-4o-realtime-preview models

    | Shutdown date | Model / system          | Recommended replacement |
    | ------------- | ----------------------- | ----------------------- |
    | 2026-05-07    | gpt-4o-realtime-preview | gpt-realtime-1.5        |

    ### 2024-08-29: Fine-tuning training on babbage-002

    | Shutdown date | Model / system                            | Recommended replacement |
    | ------------- | ----------------------------------------- | ----------------------- |
    | 2024-10-28    | New fine-tuning training on `babbage-002` | `gpt-4o-mini`           |

    ### Plain-text aliases

    - gpt-4-0613 | gpt-4, gpt-4-0613-completions
    """


def test_openai_markdown_rows():
    legacy_anchor = "2026-04-22-legacy-gpt-model-snapshots"
    alias = {"announced": date(2026, 4, 22), "shutdown": date(2026, 10, 23), "anchor": legacy_anchor,
             "replacements": ("gpt-5.6-sol",)}
    assert page(OPENAI_MD, OPENAI, as_of=date(2026, 8, 20)) == [
        # `reasoning.mode: pro` is a setting of the replacement, not a model.
        openai("gpt-5-pro-2025-10-06", DEPRECATED, date(2026, 6, 11), date(2027, 1, 20),
               "2026-06-11-gpt-5-and-o3-model-deprecations", ("gpt-5.6-sol",)),
        # A Date | Update table gives a row only for the endpoint it names in code; the Evals product has no id.
        openai("v1/prompts", DEPRECATED, date(2026, 6, 3), date(2026, 11, 30), "2026-06-03-reusable-prompts"),
        # One row per id of "`snapshot` | `alias`, `alias`", all with the same date and replacement.
        openai("gpt-4-0613", DEPRECATED, **alias),
        openai("gpt-4", DEPRECATED, **alias),
        openai("gpt-4-0613-completions", DEPRECATED, **alias),
        openai("gpt-4-completions", DEPRECATED, **alias),
        # Named in 2025 (shut down March 2026) and again in 2026 (October 2026): the newer announcement governs.
        openai("gpt-4-1106-preview", DEPRECATED, **alias),
        # A bare id in plain text counts; "Assistants API" does not, nor a fine-tuning feature of `babbage-002`.
        # Its May 7 shutdown is before the fetch day: retired.
        openai("gpt-4o-realtime-preview", RETIRED, date(2025, 9, 15), date(2026, 5, 7),
               "2025-09-15-gpt-4o-realtime-preview-models", ("gpt-realtime-1.5",)),
    ]


def test_openai_past_deprecations_heading_does_not_retire_a_row_before_its_date():
    # Fetched on May 1, 2026, the row under "Past deprecations" shuts down on May 7: still deprecated.
    rows = {r.model: r for r in page(OPENAI_MD, OPENAI, as_of=date(2026, 5, 1))}
    assert rows["gpt-4o-realtime-preview"].status == DEPRECATED
    assert {r.status for r in rows.values()} == {DEPRECATED}


def test_openai_entry_that_says_its_models_were_shut_down_is_retired_without_a_day():
    text = """\
        ## Past deprecations

        ### 2026-04-22: Legacy GPT model snapshots (July 2026 shutdown)

        On April 22, 2026, we announced the deprecation of the following older OpenAI models. Access to these
        models was shut down on July 23, 2026.

        | Shutdown date | Model snapshot      | Substitute model |
        | ------------- | ------------------- | ---------------- |
        | July 23, 2026 | `gpt-5-chat-latest` | `gpt-5.6-sol`    |
        """
    assert [r.status for r in page(text, OPENAI)] == [RETIRED], "the page's words, for that entry"
    upcoming = text.replace("models was shut down", "models will shut down")
    assert [r.status for r in page(upcoming, OPENAI)] == [DEPRECATED]


OPENAI_HTML = """\
    <!doctype html><html><body><main>
    <h1>Deprecations</h1>
    <h2 id="deprecation-history">Deprecation history</h2>
    <h3 id="2025-09-26-legacy">2025-09-26: Legacy GPT model snapshots</h3>
    <table><thead><tr><th>Shutdown date</th><th>Model / system</th><th>Recommended replacement</th></tr></thead>
    <tbody>
    <tr><td>2026-03-26</td><td><code>gpt-4-0314</code></td>
        <td><code>gpt-5</code> or <code>gpt-4.1</code><sup>*</sup></td></tr>
    <tr><td>2026-03-26</td><td><code>gpt-4-0125-preview</code> (including <code>gpt-4-turbo-preview</code>,
        which points to this snapshot)</td><td><code>gpt-5</code></td></tr>
    </tbody></table>
    <h3 id="2025-04-14-gpt-4-5-preview">2025-04-14: GPT-4.5-preview</h3>
    <table><tr><th>Shutdown date</th><th>Model / system</th><th>Recommended replacement</th></tr>
    <tr><td>2025-07-14</td><td><code>gpt-4.5-preview</code></td><td><code>gpt-4.1</code></td></tr>
    <tr><td>No shutdown date announced</td><td><code>gpt-4.5-preview-tbd</code></td><td>---</td></tr></table>
    <h3 id="2023-06-13-updated-chat-models">2023-06-13: Updated chat models</h3>
    <table><tr><th>Shutdown date</th><th>Legacy model</th><th>Recommended replacement</th></tr>
    <tr><td>at earliest 2024-06-13</td><td><code>gpt-4-0314</code></td><td><code>gpt-4o</code></td></tr>
    <tr><td>at earliest 2026-06-13</td><td><code>gpt-4-0613-legacy</code></td><td><code>gpt-4o</code></td></tr></table>
    </main></body></html>
    """


def test_openai_html_history_rows():
    march = {"announced": date(2025, 9, 26), "shutdown": date(2026, 3, 26), "anchor": "2025-09-26-legacy"}
    assert page(OPENAI_HTML, OPENAI, as_of=date(2025, 11, 13)) == [
        # gpt-4-0314 was a legacy model "at earliest 2024-06-13" in 2023, then got a firm date in 2025.
        openai("gpt-4-0314", DEPRECATED, replacements=("gpt-5", "gpt-4.1"), **march),
        openai("gpt-4-0125-preview", DEPRECATED, replacements=("gpt-5",), **march),
        openai("gpt-4-turbo-preview", DEPRECATED, replacements=("gpt-5",), **march),
        # A shutdown before the fetch day (2025-11-13) is past.
        openai("gpt-4.5-preview", RETIRED, date(2025, 4, 14), date(2025, 7, 14), "2025-04-14-gpt-4-5-preview",
               ("gpt-4.1",)),
        openai("gpt-4.5-preview-tbd", DEPRECATED, date(2025, 4, 14), None, "2025-04-14-gpt-4-5-preview",
               qualifier=TBD),
        openai("gpt-4-0613-legacy", LEGACY, date(2023, 6, 13), date(2026, 6, 13), "2023-06-13-updated-chat-models",
               ("gpt-4o",), EARLIEST),
    ]


def test_openai_html_and_markdown_copies_of_one_entry_give_the_same_rows():
    markdown = """\
        ## Past deprecations

        ### 2025-04-28: o1-preview and o1-mini

        On April 28th, 2025, we notified developers.

        | Shutdown date | Model / system | Recommended replacement |
        | ------------- | -------------- | ----------------------- |
        | 2025-07-28    | `o1-preview`   | `o3`                    |
        """
    html = """\
        <html><body><h2>Past deprecations</h2><h3>2025-04-28: o1-preview and o1-mini</h3>
        <p>On April 28th, 2025, we notified developers.</p>
        <table><tr><th>Shutdown date</th><th>Model / system</th><th>Recommended replacement</th></tr>
        <tr><td>2025-07-28</td><td><code>o1-preview</code></td><td><code>o3</code></td></tr></table></body></html>
        """
    expected = [openai("o1-preview", RETIRED, date(2025, 4, 28), date(2025, 7, 28),
                       "2025-04-28-o1-preview-and-o1-mini", ("o3",))]
    day = date(2025, 11, 13)
    assert page(markdown, OPENAI, as_of=day) == expected and page(html, OPENAI, as_of=day) == expected


def test_openai_entry_without_a_dated_heading_takes_the_date_from_its_text():
    text = """\
        ## Upcoming deprecations

        ### Update to image models

        On May 7th, 2026, we notified developers.

        | Shutdown date | Model / system | Recommended replacement |
        | ------------- | -------------- | ----------------------- |
        | Coming soon   | `dall-e-9`     | ---                     |
        """
    assert page(text, OPENAI) == [openai("dall-e-9", DEPRECATED, date(2026, 5, 7), None, "update-to-image-models",
                                         qualifier=TBD)]


# --- Anthropic --------------------------------------------------------------------------------------------

ANTHROPIC_MD = """\
    ## Model status

    <Note>
      Claude Mythos Preview (`claude-mythos-preview`) is deprecated.
    </Note>

    | API model name            | Current state | Deprecated        | Tentative retirement date         |
    | ------------------------- | ------------- | ----------------- | --------------------------------- |
    | claude-opus-4-5-20251101  | Active        | N/A               | Not sooner than November 24, 2026 |
    | claude-3-haiku-20240307   | Retired       | February 19, 2026 | April 20, 2026                    |

    ## Deprecation history

    ### 2026-02-19: Claude Haiku 3 model

    | Retirement date | Deprecated model          | Recommended replacement     |
    | --------------- | ------------------------- | --------------------------- |
    | April 20, 2026  | `claude-3-haiku-20240307` | `claude-haiku-4-5-20251001` |

    ### 2025-10-28: Claude Sonnet 3.8 model

    | Retirement date | Deprecated model             | Recommended replacement |
    | --------------- | ---------------------------- | ----------------------- |
    | May 19, 2026    | `claude-3-8-sonnet-20250219` | `claude-sonnet-4-6`     |

    ### 2024-09-04: Claude 1 models

    <Note>
      These models were retired November 6, 2024.
    </Note>

    | Retirement date  | Deprecated model | Recommended replacement |
    | ---------------- | ---------------- | ----------------------- |
    | November 6, 2024 | `claude-1.0`     | `claude-3-haiku-20240307` |

    ## API parameter deprecations

    | Parameter     | Status     | Recommended replacement |
    | ------------- | ---------- | ----------------------- |
    | `temperature` | Deprecated | Omit                    |
    """


def test_anthropic_rows_join_the_status_table_and_the_history():
    def row(model, status, announced, shutdown, anchor, replacements=(), qualifier=FIRM):
        return DeprecationRow("anthropic", "api", model, status, announced=announced, shutdown=shutdown,
                              shutdown_qualifier=qualifier, replacements=replacements, url=f"{ANTHROPIC}#{anchor}")

    assert page(ANTHROPIC_MD, ANTHROPIC, as_of=date(2026, 3, 1)) == [
        row("claude-opus-4-5-20251101", ACTIVE, None, date(2026, 11, 24), "model-status", qualifier=EARLIEST),
        # The status table's state and dates, the history's replacement and anchor.
        row("claude-3-haiku-20240307", RETIRED, date(2026, 2, 19), date(2026, 4, 20),
            "2026-02-19-claude-haiku-3-model", ("claude-haiku-4-5-20251001",)),
        # Only in the history: deprecated until its date passes on the fetch day (March 1, 2026). The page
        # names a later date as past (Haiku 3, retired April 20), but that is the page's day, not the fetch's.
        row("claude-3-8-sonnet-20250219", DEPRECATED, date(2025, 10, 28), date(2026, 5, 19),
            "2025-10-28-claude-sonnet-3-8-model", ("claude-sonnet-4-6",)),
        row("claude-1.0", RETIRED, date(2024, 9, 4), date(2024, 11, 6), "2024-09-04-claude-1-models",
            ("claude-3-haiku-20240307",)),
    ]


def test_anthropic_words_retire_without_a_day_and_dates_only_with_one():
    def status(as_of):
        return {r.model: r.status for r in page(ANTHROPIC_MD, ANTHROPIC, as_of=as_of)}

    # No day known: the status table's "Retired" and the entry's "These models were retired …" note speak.
    assert status(None) == {"claude-opus-4-5-20251101": ACTIVE, "claude-3-haiku-20240307": RETIRED,
                            "claude-3-8-sonnet-20250219": DEPRECATED, "claude-1.0": RETIRED}
    # Its firm date passed on the fetch day: retired. A "not sooner than" date passing retires nothing.
    assert status(date(2026, 12, 1)) == {"claude-opus-4-5-20251101": ACTIVE, "claude-3-haiku-20240307": RETIRED,
                                         "claude-3-8-sonnet-20250219": RETIRED, "claude-1.0": RETIRED}


# --- Azure ------------------------------------------------------------------------------------------------

AZURE_FOUNDRY_HTML = """\
    <!DOCTYPE html><html><body><main>
    <h2 id="timelines-for-foundry-models">Timelines for Foundry Models</h2>
    <h4 id="cohere">Cohere</h4>
    <table><thead><tr><th>Model</th><th>Legacy date (UTC)</th><th>Deprecation date (UTC)</th>
    <th>Retirement date (UTC)</th><th>Suggested replacement model</th></tr></thead><tbody>
    <tr><td>Command R+</td><td>February 24, 2025</td><td>March 25, 2025</td><td>June 30, 2025</td>
        <td>Cohere Command R+ 08-2024</td></tr>
    <tr><td>jais-30b-chat</td><td>September 30, 2025</td><td>October 31, 2025</td><td>January 30, 2026</td>
        <td>N/A</td></tr>
    <tr><td>Bria-2.3-Fast</td><td>N/A</td><td>December 31, 2025</td><td>February 28, 2026</td><td>N/A</td></tr>
    </tbody></table>
    <ul><li>Last updated on 2025-10-31</li></ul>
    </main></body></html>
    """


def test_azure_foundry_status_is_read_against_the_fetch_day_not_the_pages_update_date():
    def row(model, status, announced, shutdown, replacements=()):
        return DeprecationRow("azure", "azure", model, status, announced=announced, shutdown=shutdown,
                              shutdown_qualifier=FIRM, replacements=replacements, url=f"{AZURE}#cohere")

    # Fetched on November 13, 2025 ("Last updated on 2025-10-31" decides nothing): each row is on its way to
    # retirement, so deprecated, and retired once its firm retirement date has passed.
    assert page(AZURE_FOUNDRY_HTML, AZURE, as_of=date(2025, 11, 13)) == [
        row("Command R+", RETIRED, date(2025, 2, 24), date(2025, 6, 30), ("Cohere Command R+ 08-2024",)),
        row("jais-30b-chat", DEPRECATED, date(2025, 9, 30), date(2026, 1, 30)),
        row("Bria-2.3-Fast", DEPRECATED, date(2025, 12, 31), date(2026, 2, 28)),
    ]
    later = {r.model: r.status for r in page(AZURE_FOUNDRY_HTML, AZURE, as_of=date(2026, 2, 1))}
    assert later == {"Command R+": RETIRED, "jais-30b-chat": RETIRED, "Bria-2.3-Fast": DEPRECATED}


AZURE_OPENAI_MD = """\
    ### Text generation

    | Model Name | Model Version<sup>1</sup> | Lifecycle Status | Deprecation Date (No New Customers) \
    | Retirement Date | Replacement Model |
    |:--|:--|:--|:--|:--|:--|
    | `gpt-4o` | 2024-05-13 | Generally Available | 2025-05-13 | 2026-03-31 | `gpt-5.1` |
    | `gpt-4o` | 2024-11-20 | Generally Available | 2025-11-20 | No earlier than 2026-06-05 | `gpt-5.1` |
    | `tts` | 001 | Generally Available | No earlier than February 28, 2026 |  |  |

    ## Fine-tuned models

    | Model    | Version    | Training retirement date | Deployment retirement date |
    | -------- | ---------- | ------------------------ | -------------------------- |
    | `gpt-4o` | 2024-08-06 | At base model retirement | At training retirement     |
    """


def test_azure_openai_keeps_versions_apart_and_skips_tables_without_dates():
    def row(version, announced, shutdown, qualifier, replacements, anchor="text-generation"):
        model = "tts" if version == "001" else "gpt-4o"
        return DeprecationRow("azure", "azure", model, ACTIVE, version=version, announced=announced,
                              shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements,
                              url=f"{AZURE}#{anchor}")

    # No update date on this copy: the Lifecycle Status column speaks ("Generally Available" is active).
    assert page(AZURE_OPENAI_MD, AZURE) == [
        row("2024-05-13", date(2025, 5, 13), date(2026, 3, 31), FIRM, ("gpt-5.1",)),
        row("2024-11-20", date(2025, 11, 20), date(2026, 6, 5), EARLIEST, ("gpt-5.1",)),
        row("001", None, None, TBD, ()),
    ]


# --- Bedrock ----------------------------------------------------------------------------------------------

BEDROCK_MD = """\
    ## Legacy and end-of-life (EOL) models

    | Model provider | Model name | Model ID | Regions | Legacy date | EOL date |
    | --- | --- | --- | --- | --- | --- |
    | Anthropic | Claude 3 Haiku | anthropic.claude-3-haiku-20240307-v1:0 | eu-west-1, us-east-1 | March 10, 2026 \
    | September 10, 2026 |
    | Anthropic | Claude 3 Haiku | anthropic.claude-3-haiku-20240307-v1:0 | us-gov-east-1, us-gov-west-1 \
    | March 10, 2026 | September 10, 2026 |
    | Amazon | Nova Reel | amazon.nova-reel-v1:0 | us-east-1 | March 30, 2026 | September 30, 2026 |
    | Amazon | Nova Reel | amazon.nova-reel-v1:0 | ap-northeast-1 | March 30, 2026 | October 30, 2026 |
    """


def test_bedrock_region_groups_merge_when_they_agree_and_stay_apart_when_they_do_not():
    url = f"{BEDROCK}#legacy-and-end-of-life-eol-models"

    def row(model, shutdown, announced, version=None):
        return DeprecationRow("bedrock", "bedrock", model, LEGACY, version=version, announced=announced,
                              shutdown=shutdown, shutdown_qualifier=FIRM, url=url)

    assert page(BEDROCK_MD, BEDROCK) == [
        row("anthropic.claude-3-haiku-20240307-v1:0", date(2026, 9, 10), date(2026, 3, 10)),
        row("amazon.nova-reel-v1:0", date(2026, 9, 30), date(2026, 3, 30), "us-east-1"),
        row("amazon.nova-reel-v1:0", date(2026, 10, 30), date(2026, 3, 30), "ap-northeast-1"),
    ]


BEDROCK_HTML = """\
    <html><body><div id="main-col-body">
    <h2 id="active-versions">Active versions</h2>
    <h6>Note</h6><p>Some models need cross-Region inference.</p>
    <table><thead><tr><th>Provider</th><th>Model name</th><th>Model ID</th><th>Regions supported</th>
    <th>Launch date</th><th>Input modalities</th></tr></thead>
    <tr><td>Anthropic</td><td>Claude Sonnet 4.0</td><td>anthropic.claude-sonnet-4-20250514-v1:0</td>
        <td>us-east-1 us-west-2</td><td>5/22/2025</td><td>No sooner than 5/22/2026</td><td>Text</td></tr>
    <tr><td>Anthropic</td><td>Claude 3.5 Sonnet v1</td><td>anthropic.claude-3-5-sonnet-20240620-v1:0</td>
        <td>ap-south-1 ap-southeast-2</td><td>6/20/2024</td><td>No sooner than 7/30/2025</td><td>Text</td></tr>
    </table>
    <h2 id="versions-for-legacy">Legacy versions</h2>
    <table><thead><tr><th>Model version</th><th>Legacy date</th><th>EOL date</th>
    <th>Recommended model version replacement</th><th>Recommended model ID</th></tr></thead>
    <tr><td>Claude 3.5 Sonnet v1</td><td>August 25, 2025 (us-east-1 and us-west-2 Regions)</td>
        <td>Mar 1, 2026 (us-east-1 and us-west-2 Regions)</td><td>Claude Sonnet 4.5</td>
        <td>anthropic.claude-sonnet-4-5-20250929-v1:0</td></tr>
    </table>
    <h2 id="versions-for-eol">End-of-Life (EOL) versions</h2>
    <table><thead><tr><th>Model version</th><th>Legacy date</th><th>EOL date</th>
    <th>Recommended model version replacement</th><th>Recommended model ID</th></tr></thead>
    <tr><td>Cohere Command</td><td>October 4, 2024</td><td>August 12, 2025</td><td>Cohere Command R</td>
        <td>cohere.command-r-v1:0 and cohere.command-r-plus-v1:0</td></tr>
    </table></div></body></html>
    """


def test_bedrock_older_copy_with_an_untitled_eol_column_and_names_instead_of_ids():
    def row(model, status, shutdown, qualifier, anchor, announced=None, version=None, replacements=()):
        return DeprecationRow("bedrock", "bedrock", model, status, version=version, announced=announced,
                              shutdown=shutdown, shutdown_qualifier=qualifier, replacements=replacements,
                              url=f"{BEDROCK}#{anchor}")

    sonnet = "anthropic.claude-3-5-sonnet-20240620-v1:0"
    assert page(BEDROCK_HTML, BEDROCK, as_of=date(2025, 11, 13)) == [
        # The Active table's header forgets the EOL column; its cell reads "No sooner than …" (an earliest
        # date: passed on the fetch day, it still says nothing about the model being gone).
        row("anthropic.claude-sonnet-4-20250514-v1:0", ACTIVE, date(2026, 5, 22), EARLIEST, "active-versions"),
        # Active in some regions, Legacy in others: two rows, told apart by their regions. The Legacy table
        # names the model; the Active table of the same page gives the id for that name.
        row(sonnet, ACTIVE, date(2025, 7, 30), EARLIEST, "active-versions", version="ap-south-1, ap-southeast-2"),
        row(sonnet, LEGACY, date(2026, 3, 1), FIRM, "versions-for-legacy", date(2025, 8, 25),
            "us-east-1, us-west-2", ("anthropic.claude-sonnet-4-5-20250929-v1:0",)),
        # No id anywhere on the page: the name as written. Its EOL date has passed on the fetch day.
        row("Cohere Command", RETIRED, date(2025, 8, 12), FIRM, "versions-for-eol", date(2024, 10, 4),
            replacements=("cohere.command-r-v1:0", "cohere.command-r-plus-v1:0")),
    ]


def test_bedrock_end_of_life_heading_alone_does_not_retire():
    # Fetched before its EOL date, a model filed under "End-of-Life (EOL) versions" is legacy, not gone.
    rows = {(r.model, r.version): r.status for r in page(BEDROCK_HTML, BEDROCK, as_of=date(2025, 8, 1))}
    assert rows[("Cohere Command", None)] == LEGACY


def test_tables_about_nothing_give_no_rows():
    assert page("| Date | Update |\n| --- | --- |\n| June 3, 2026 | Agent Builder shuts down. |\n", OPENAI) == []
    assert page("# Models\n\n| Model | Context |\n| --- | --- |\n| `gpt-x` | 8k |\n", AZURE) == []
    assert page("## Overview\n\n| Model ID | Regions |\n| --- | --- |\n| a.b-v1:0 | us-east-1 |\n", BEDROCK) == []
    assert extract_page(dedent(OPENAI_MD), vendor="openai")[0].url is None, "no page URL, no link"


def test_document_reads_both_shapes_the_same_way():
    """Guard for the Markdown alias cell: the escaped pipe stays inside one cell."""
    table = next(parse_document("| A | B |\n| - | - |\n| `x` \\| `y` | z |\n").tables())
    assert table.rows[0][0].codes == ("x", "y") and table.rows[0][1].text == "z"
