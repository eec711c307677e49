"""The alerts test's house (the bot on both fakes, with every front door attached) serves these tests too."""

from tests.e2e.test_alerts import house  # noqa: F401 (a fixture, found by pytest by its name here)
