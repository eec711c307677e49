"""A statement as documents people read: Markdown (`markdown`) and a self-contained HTML page (`html`),
both from the Jinja templates in `bot/statements/templates/` or a moderator's own."""
