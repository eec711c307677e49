from datetime import date

from bot.domain import DeprecationRow, ModelStatus, ShutdownQualifier, SourceRank, StatedRow
from bot.watch.reminders import SurveyDeadline, deprecation_reminders, due_offset, survey_reminders

SHUTDOWN = date(2026, 10, 23)


def row(shutdown=SHUTDOWN, qualifier=ShutdownQualifier.FIRM, source_id=1, rank=SourceRank.BUILTIN_PAGE):
    return StatedRow(DeprecationRow("openai", "api", "gpt-4o", ModelStatus.DEPRECATED, shutdown=shutdown,
                                    shutdown_qualifier=qualifier), source_id, rank)


def test_the_most_urgent_due_offset_wins():
    offsets = (30, 7, 1, 0)
    assert due_offset(SHUTDOWN, date(2026, 9, 22), offsets) is None  # 31 days left
    assert due_offset(SHUTDOWN, date(2026, 9, 23), offsets) == 30
    assert due_offset(SHUTDOWN, date(2026, 10, 18), offsets) == 7, "offline for weeks: only '7 days left'"
    assert due_offset(SHUTDOWN, date(2026, 10, 22), offsets) == 1
    assert due_offset(SHUTDOWN, SHUTDOWN, offsets) == 0
    assert due_offset(SHUTDOWN, date(2026, 10, 24), offsets) is None


def test_each_reminder_has_one_key_and_a_moved_date_gets_new_ones():
    day = date(2026, 10, 16)
    first = deprecation_reminders([row()], day)
    again = deprecation_reminders([row()], day)
    assert [r.dedup_key for r in first] == [r.dedup_key for r in again], "running twice plans the same reminder"
    assert first[0].new_value == "7"
    moved = deprecation_reminders([row(shutdown=date(2026, 10, 20))], day)
    assert moved[0].dedup_key != first[0].dedup_key


def test_a_reminder_carries_its_source_and_a_communitys_own_is_keyed_to_it():
    day = date(2026, 10, 16)
    [shared] = deprecation_reminders([row()], day)
    assert (shared.source_id, shared.community_id) == (1, None), "routed to whoever hears source 1"
    [own] = deprecation_reminders([row(source_id=7, rank=SourceRank.COMMUNITY)], day, community_id=3)
    assert (own.source_id, own.community_id) == (7, 3)
    assert own.dedup_key != shared.dedup_key, "one community's reminder never stands in for everyone's"


def test_no_countdown_to_an_earliest_date():
    assert deprecation_reminders([row(qualifier=ShutdownQualifier.EARLIEST)], date(2026, 10, 22)) == []


def test_survey_reminders_three_days_and_one_day_before():
    survey = SurveyDeadline(5, "Tell OpenAI", date(2026, 12, 10), "https://s", 1)
    assert survey_reminders([survey], date(2026, 12, 6)) == []
    assert survey_reminders([survey], date(2026, 12, 7))[0].new_value == "3"
    assert survey_reminders([survey], date(2026, 12, 9))[0].new_value == "1"
