"""discord.py cogs, one per feature. Thin: read the interaction, call the core, render the result."""
