"""The generic extractor (vendors without their own) on small hand-written pages: the retirement tables it reads,
the tables it must leave alone, and the exact rows expected."""

from __future__ import annotations

from datetime import date
from textwrap import dedent

import pytest

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier
from bot.watch.pages import UnknownPageFamily, extract_page, family_for
from bot.watch.pages.generic import vendor_for

ACTIVE, DEPRECATED, RETIRED = ModelStatus.ACTIVE, ModelStatus.DEPRECATED, ModelStatus.RETIRED
FIRM, EARLIEST, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST, ShutdownQualifier.TBD

ACME = "https://docs.acme.ai/models/lifecycle"


def page(text: str, url: str = ACME) -> list[DeprecationRow]:
    return extract_page(dedent(text), url=url)


def acme(model: str, status: ModelStatus, shutdown: date | None, qualifier: ShutdownQualifier, anchor: str,
         replacements: tuple[str, ...] = (), announced: date | None = None) -> DeprecationRow:
    return DeprecationRow("acme", "api", model, status, announced=announced, shutdown=shutdown,
                          shutdown_qualifier=qualifier, replacements=replacements, url=f"{ACME}#{anchor}")


def test_a_deprecation_table_with_code_spans_a_status_column_and_earliest_dates():
    rows = page("""
        # Model lifecycle

        ## Model status

        | API model name | Status | Deprecated on | Retirement date | Recommended replacement |
        | --- | --- | --- | --- | --- |
        | `acme-large-2` | Active | N/A | No earlier than June 1, 2028 | N/A |
        | `acme-large-2024-05-01` | Deprecated | 2026-01-15 | No earlier than March 1, 2027 | `acme-large-2` |
        | `acme-small-1` | Retired | 2025-06-01 | December 1, 2025 | `acme-small-2` |
        | Acme Vision (beta) | Deprecated | 2026-01-15 | March 1, 2027 | `acme-large-2` |
        | acme-live-1 | Live | N/A | 2027-01-01 | N/A |
        """)
    assert rows == [
        acme("acme-large-2", ACTIVE, date(2028, 6, 1), EARLIEST, "model-status"),
        acme("acme-large-2024-05-01", DEPRECATED, date(2027, 3, 1), EARLIEST, "model-status", ("acme-large-2",),
             date(2026, 1, 15)),
        acme("acme-small-1", RETIRED, date(2025, 12, 1), FIRM, "model-status", ("acme-small-2",), date(2025, 6, 1)),
        acme("acme-live-1", ACTIVE, date(2027, 1, 1), FIRM, "model-status"),
    ], "a display name with a space is not an id: no row; 'Live' is active even with a firm date"


def test_without_a_status_only_a_firm_date_makes_a_model_deprecated():
    rows = page("""
        ## Upcoming retirements

        | Model | Shutdown date | Replacement |
        | --- | --- | --- |
        | `acme-chat-0613` | 2026-10-23 | `acme-chat-2` |
        | `acme-chat-2` | Not sooner than 2027-10-01 | — |
        | `acme-chat-3` | TBD | — |
        """)
    assert rows == [acme("acme-chat-0613", DEPRECATED, date(2026, 10, 23), FIRM, "upcoming-retirements",
                         ("acme-chat-2",))]


def test_a_heading_that_names_a_state_gives_it_but_model_names_in_headings_do_not():
    rows = page("""
        ## Deprecated models

        | Model | Shutdown date |
        | --- | --- |
        | `acme-old` | TBD |

        ## 2025-11-25: Acme 3.2 90B Text Preview

        | Model ID | Shutdown date |
        | --- | --- |
        | acme-3.2-90b-text-preview | Not sooner than 2026-01-01 |
        | acme-3.2-90b-text-0901 | 2025-12-01 |
        """)
    assert rows == [
        acme("acme-old", DEPRECATED, None, TBD, "deprecated-models"),
        acme("acme-3.2-90b-text-0901", DEPRECATED, date(2025, 12, 1), FIRM, "2025-11-25-acme-3-2-90b-text-preview"),
    ], "'Preview' in a model's name is no state: an earliest date alone gives nothing"


def test_several_ids_in_one_cell_in_html_and_a_dated_heading_anchor():
    rows = page("""
        <html><body><main>
        <h2 id="june-2026">Retiring in June 2026</h2>
        <table>
          <tr><th>Deprecated model</th><th>Deprecation date</th><th>Successor</th></tr>
          <tr><td><code>acme-embed-1</code>, <code>acme-embed-1-latest</code></td><td>June 30, 2026</td>
              <td><code>acme-embed-2</code></td></tr>
          <tr><td>acme-rerank-v1 | acme-rerank-v1.1</td><td>6/15/2026</td><td>acme-rerank-v2 or acme-rerank-v3</td></tr>
        </table>
        </main></body></html>
        """)
    assert rows == [
        acme(m, DEPRECATED, date(2026, 6, 30), FIRM, "june-2026", ("acme-embed-2",))
        for m in ("acme-embed-1", "acme-embed-1-latest")
    ] + [
        acme(m, DEPRECATED, date(2026, 6, 15), FIRM, "june-2026", ("acme-rerank-v2", "acme-rerank-v3"))
        for m in ("acme-rerank-v1", "acme-rerank-v1.1")
    ]


def test_xiaomi_style_offline_time_with_dotted_dates_and_a_replacement_time_column():
    rows = page("""
        ### Deprecated model on 2026.6.30

        | Deprecated Model | Offline Time | System replacement time | System Replacement Model | Replacement Impact |
        | --- | --- | --- | --- | --- |
        | mimo-v2-pro | Beijing Time 2026.6.30 00:00 | Beijing Time 2026.6.1 00:00 | mimo-v2.5-pro | Fully adapted |
        """, url="https://mimo.mi.com/docs/en-US/updates/deprecate")
    assert rows == [DeprecationRow(
        "xiaomi", "api", "mimo-v2-pro", DEPRECATED, shutdown=date(2026, 6, 30), shutdown_qualifier=FIRM,
        replacements=("mimo-v2.5-pro",), url="https://mimo.mi.com/docs/en-US/updates/deprecate#deprecated-model-on-2026-6-30")]


def test_a_pricing_table_gives_nothing():
    assert page("""
        ## Pricing

        | Model | Input price (per 1M tokens) | Output price (per 1M tokens) | Effective date |
        | --- | --- | --- | --- |
        | `acme-large-2` | $2.00 | $8.00 | 2026-01-01 |
        | `acme-small-2` | $0.20 | $0.80 | 2026-01-01 |
        """) == []


def test_a_model_catalogue_without_dates_gives_nothing_even_under_a_deprecated_heading():
    assert page("""
        ## Deprecated Models

        | Model Name | Description | Context |
        | --- | --- | --- |
        | `acme-k2-preview` | Deprecated | 128k |
        | `acme-latest` | Deprecated on 2026-01-28 | 128k |

        | Feature | acme-large-2 | acme-small-2 |
        | --- | --- | --- |
        | Shutdown date | 2027-01-01 | 2027-01-01 |
        """) == []


def test_no_url_means_no_vendor_and_no_rows():
    assert extract_page("| Model | Shutdown date |\n| --- | --- |\n| `m-1` | 2026-01-01 |\n", vendor="generic") == []


@pytest.mark.parametrize(("url", "vendor"), [
    ("https://www.alibabacloud.com/help/en/model-studio/model-depreciation", "alibaba"),
    ("https://inference-docs.cerebras.ai/support/deprecation.md", "cerebras"),
    ("https://mimo.mi.com/docs/en-US/updates/deprecate", "xiaomi"),
    ("https://platform.kimi.ai/docs/models.md", "moonshot"),
    ("https://docs.fireworks.ai/updates/changelog.md", "fireworks"),
    ("https://docs.z.ai/release-notes/new-released.md", "zai"),
    ("https://docs.example.co.uk/models", "example"),
    ("http://127.0.0.1:8080/page", "127.0.0.1"),
    (None, None),
])
def test_vendor_comes_from_the_registrable_name_of_the_host(url, vendor):
    assert vendor_for(url) == vendor


def test_extract_page_falls_back_to_generic_only_when_no_family_is_named_or_recognised():
    table = "## Retirements\n\n| Model | Sunset date |\n| --- | --- |\n| `m-1` | 2026-01-01 |\n"
    assert [r.model for r in extract_page(table, url="https://docs.newvendor.ai/deprecations")] == ["m-1"]
    with pytest.raises(UnknownPageFamily):
        family_for("https://docs.newvendor.ai/deprecations")  # still unknown to whoever asks for a known page
    with pytest.raises(UnknownPageFamily):
        extract_page(table, url="https://docs.newvendor.ai/deprecations", vendor="no-such-family")



def test_a_retired_heading_makes_a_row_deprecated_until_its_date_passes():
    text = """\
        ## Retired models

        | Model ID | Retirement date |
        | --- | --- |
        | `acme-1` | 2026-06-01 |
        | `acme-2` | 2026-12-01 |
        """
    rows = {r.model: r.status for r in extract_page(dedent(text), url=ACME, as_of=date(2026, 8, 20))}
    assert rows == {"acme-1": RETIRED, "acme-2": DEPRECATED}
