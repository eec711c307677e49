"""Continuity: watches AI model retirements, alerts communities, collects testimonies."""

__version__ = "0.1.0"
HOMEPAGE = "https://github.com/continuity-bot/continuity"
