"""The rules that decide what is news: never miss a retirement, never cry wolf."""

from datetime import date

from bot.domain import DeprecationRow, KnownRow, ModelStatus, NoticeKind, ShutdownQualifier, SourceRank, StatedRow
from bot.watch.diff import diff_rows

TODAY = date(2026, 8, 20)
FIRM, EARLIEST = ShutdownQualifier.FIRM, ShutdownQualifier.EARLIEST
PAGE, FEED, COMMUNITY = SourceRank.BUILTIN_PAGE, SourceRank.BUILTIN_FEED, SourceRank.COMMUNITY


def row(model="gpt-4o-2024-05-13", status=ModelStatus.DEPRECATED, shutdown=date(2026, 10, 23), qualifier=FIRM,
        replacements=("gpt-5",), url="https://x/#a", vendor="openai") -> DeprecationRow:
    return DeprecationRow(vendor, "api", model, status, shutdown=shutdown, shutdown_qualifier=qualifier,
                          replacements=replacements, url=url)


def known(*rows, missing=0):
    return {r.key: KnownRow(r, missing) for r in rows}


def stated(*rows, source_id=9, rank=PAGE):
    """What other built-in sources state."""
    return {r.key: StatedRow(r, source_id, rank) for r in rows}


def kinds(changes):
    return [(n.kind, n.model, n.old_value, n.new_value) for n in changes.notices]


def diff(before, after, **options):
    settings = {"source_id": 1, "rank": PAGE, "baseline": False, "today": TODAY} | options
    return diff_rows(before, after, **settings)


def test_the_first_read_is_a_baseline_that_announces_nothing():
    changes = diff({}, [row()], baseline=True)
    assert changes.notices == [] and changes.upserts == [row()]


def test_a_new_deprecation_is_announced_once_with_its_date():
    changes = diff({}, [row()])
    assert kinds(changes) == [(NoticeKind.NEW_DEPRECATION, "gpt-4o-2024-05-13", None, "2026-10-23")]
    assert changes.notices[0].due_date == date(2026, 10, 23) and changes.notices[0].detail == "gpt-5"
    assert diff(known(row()), [row()]).notices == [], "the same page again says nothing"


def test_a_new_model_only_listed_with_an_earliest_date():
    listed = row(status=ModelStatus.ACTIVE, shutdown=date(2027, 6, 9), qualifier=EARLIEST)
    assert kinds(diff({}, [listed])) == [(NoticeKind.MODEL_LISTED, listed.model, None, "2027-06-09")]


def test_history_newly_listed_is_silent():
    old = row(status=ModelStatus.RETIRED, shutdown=date(2024, 6, 6))
    changes = diff({}, [old])
    assert changes.notices == [] and changes.upserts == [old]


def test_a_moved_date_is_one_notice_from_to():
    changes = diff(known(row()), [row(shutdown=date(2026, 11, 30))])
    assert kinds(changes) == [(NoticeKind.DATE_CHANGED, "gpt-4o-2024-05-13", "2026-10-23", "2026-11-30")]


def test_status_changes_and_a_deprecation_says_its_date_in_one_notice():
    active = row(status=ModelStatus.ACTIVE, shutdown=date(2027, 1, 1), qualifier=EARLIEST)
    deprecated = row(shutdown=date(2026, 12, 1))
    assert kinds(diff(known(active), [deprecated])) == \
        [(NoticeKind.NEW_DEPRECATION, deprecated.model, "active", "deprecated")]
    retired = row(status=ModelStatus.RETIRED)
    assert kinds(diff(known(row()), [retired])) == [(NoticeKind.STATUS_CHANGED, retired.model, "deprecated", "retired")]


def test_an_earliest_date_becoming_firm():
    before = row(status=ModelStatus.ACTIVE, qualifier=EARLIEST)
    after = row(status=ModelStatus.ACTIVE, qualifier=FIRM)
    assert kinds(diff(known(before), [after])) == [(NoticeKind.DATE_FIRM, after.model, "earliest", "2026-10-23")]


def test_rewording_and_new_replacements_are_silent_updates():
    after = row(replacements=("gpt-5.6-sol",), url="https://x/#b")
    changes = diff(known(row()), [after])
    assert changes.notices == [] and changes.upserts == [after]


def test_a_row_is_removed_only_after_two_missing_polls_and_silently():
    first = diff(known(row()), [])
    assert first.missing == {row().key: 1} and first.removed == [] and first.notices == []
    second = diff(known(row(), missing=1), [])
    assert second.removed == [row().key] and second.notices == []


def test_a_row_that_comes_back_resets_its_misses_without_news():
    changes = diff(known(row(), missing=1), [row()])
    assert changes.upserts == [row()] and changes.notices == []


def test_what_other_sources_state_is_never_counted_missing():
    assert diff({}, [], builtin_word=stated(row())).missing == {}


def test_an_aggregator_cannot_overrule_a_vendor_page():
    page_row = row()
    aggregator_row = row(shutdown=date(2026, 10, 22))
    changes = diff({}, [aggregator_row], source_id=2, rank=FEED, builtin_word=stated(page_row, source_id=1))
    assert changes.notices == [], "the page has the word"
    assert changes.upserts == [aggregator_row], "kept as the aggregator's own, for whoever muted the page"
    changes = diff(known(aggregator_row), [row(shutdown=date(2026, 10, 25))], source_id=2, rank=FEED,
                   builtin_word=stated(page_row, source_id=1))
    assert changes.notices == [], "nor can it move the page's date"
    # …but the page may correct what the aggregator said first.
    changes = diff({}, [page_row], source_id=1, builtin_word=stated(aggregator_row, source_id=2, rank=FEED))
    assert kinds(changes) == [(NoticeKind.DATE_CHANGED, page_row.model, "2026-10-22", "2026-10-23")]


def test_the_same_event_from_two_builtin_sources_has_one_key():
    from_page = diff({}, [row()], source_id=1).notices[0]
    from_feed = diff({}, [row(url="https://aggregator/x")], source_id=2, rank=FEED).notices[0]
    assert from_page.dedup_key == from_feed.dedup_key
    assert diff({}, [row()], source_id=2, rank=FEED, builtin_word=stated(row(), rank=FEED)).notices == [], \
        "what another built-in source already said is not news again"


def test_a_community_source_speaks_only_for_itself_and_below_every_builtin():
    invented = row(shutdown=date(2026, 9, 1))
    changes = diff({}, [invented], source_id=7, rank=COMMUNITY, builtin_word=stated(row(), rank=FEED))
    assert changes.notices == [] and changes.upserts == [invented], "a built-in source states this model"
    mirrored = diff({}, [row(model="mirror-only")], source_id=7, rank=COMMUNITY)
    assert kinds(mirrored) == [(NoticeKind.NEW_DEPRECATION, "mirror-only", None, "2026-10-23")]
    own, builtin = mirrored.notices, diff({}, [row(model="mirror-only")], source_id=1).notices
    assert own[0].dedup_key != builtin[0].dedup_key, "it can never take the place of a built-in notice"
    assert own[0].dedup_key.startswith("source7:")


def test_a_bulk_listing_is_one_summary_notice_but_every_row_is_stored():
    many = [row(model=f"model-{i}") for i in range(30)]
    changes = diff(known(row()), [row(shutdown=date(2026, 11, 1)), *many])
    assert sorted(n.kind for n in changes.notices) == [NoticeKind.DATE_CHANGED, NoticeKind.MANY_LISTED]
    summary = next(n for n in changes.notices if n.kind == NoticeKind.MANY_LISTED)
    assert summary.new_value == "30" and len(summary.models) == 30
    assert len(changes.upserts) == 31
    few = diff({}, [row(model=f"model-{i}") for i in range(25)])
    assert [n.kind for n in few.notices] == [NoticeKind.NEW_DEPRECATION] * 25


def test_legacy_with_a_firm_end_date_is_a_new_deprecation():
    active = row(status=ModelStatus.ACTIVE, shutdown=None, qualifier=ShutdownQualifier.TBD)
    legacy = row(status=ModelStatus.LEGACY, shutdown=date(2026, 9, 10))
    assert kinds(diff(known(active), [legacy])) == [(NoticeKind.NEW_DEPRECATION, legacy.model, "active", "legacy")]
    undated = row(status=ModelStatus.LEGACY, shutdown=None, qualifier=ShutdownQualifier.TBD)
    assert kinds(diff(known(active), [undated])) == [(NoticeKind.STATUS_CHANGED, legacy.model, "active", "legacy")]


def test_a_row_that_stops_being_retired_is_never_announced_as_such():
    # A reading corrected (retired by a heading before, deprecated by its date now): a silent update.
    retired = row(status=ModelStatus.RETIRED)
    changes = diff(known(retired), [row()])
    assert changes.notices == [] and changes.upserts == [row()]
    # The vendor moved the date later: that is the news, as a moved date.
    later = row(shutdown=date(2027, 1, 20))
    assert kinds(diff(known(retired), [later])) == [
        (NoticeKind.DATE_CHANGED, "gpt-4o-2024-05-13", "2026-10-23", "2027-01-20")]
