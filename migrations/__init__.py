"""Numbered SQL migrations, applied in order by `bot.store.migrate` (a package so they ship with the bot)."""
