"""Continuity: watches AI model retirements, alerts communities, collects testimonies."""

__version__ = "0.1.0"
