"""Fixtures of the end-to-end tests these build on: the alerts test's house (the bot on both fakes, every front
door attached) and the Telegram testimonies test's fake (a group with its members and moderator)."""

from tests.e2e.test_alerts import house  # noqa: F401 (fixtures, found by pytest by their names here)
from tests.e2e.test_telegram_testimonies import fake  # noqa: F401
