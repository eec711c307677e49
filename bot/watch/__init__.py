"""Watching: sources are fetched, feeds and pages are read into rows and items, and changes become notices."""
