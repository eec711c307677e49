"""/statement preview and /statement export on Discord: a moderator's statement of their own server's
testimonies, answered (like every answer) in an ephemeral reply only they see."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.i18n import N_, NC_
from bot.platforms.discord import ContinuityBot, about
from bot.statements.bundle import exports
from bot.statements.render.common import KINDS

TEMPLATES = {"letter": N_("an open letter to a vendor"), "consultation": N_("a submission to a public consultation"),
             "un_portal": N_("a submission to the UN Digital Cooperation Portal"), "press": N_("a press summary")}
assert tuple(TEMPLATES) == KINDS


def _options(command):
    """The same options on both subcommands."""
    command = app_commands.rename(
        format=locale_str(NC_("command", "format")), template=locale_str(NC_("command", "template")),
        campaign=locale_str(NC_("command", "campaign")), since=locale_str(NC_("command", "since")),
        until=locale_str(NC_("command", "until")))(command)
    command = app_commands.describe(
        format=locale_str(N_("What to write; a bundle holds every format and a manifest to check them.")),
        template=locale_str(N_("Which document the Markdown, HTML and PDF hold.")),
        campaign=locale_str(N_("Only this campaign's testimonies; empty for all of this server's.")),
        since=locale_str(N_("Only testimonies given on or after this day (2026-04-01).")),
        until=locale_str(N_("Only testimonies given on or before this day (2026-04-30).")))(command)
    return app_commands.choices(
        format=[app_commands.Choice(name=name, value=name) for name in exports()],
        template=[app_commands.Choice(name=locale_str(about_it), value=kind) for kind, about_it in TEMPLATES.items()],
    )(command)


class Statements(commands.Cog):
    statement = app_commands.Group(name=locale_str(NC_("command", "statement")), description=about("statement"),
                                   guild_only=True)

    def __init__(self, bot: ContinuityBot) -> None:
        self.bot = bot

    @statement.command(name=locale_str(NC_("command", "preview")), description=about("statement preview"))
    @_options
    async def preview(self, interaction: discord.Interaction, format: str | None = None, template: str | None = None,
                      campaign: str | None = None, since: str | None = None, until: str | None = None) -> None:
        await self.bot.run(interaction, "statement preview", slow=True, format=format or "", template=template or "",
                           campaign=campaign or "", since=since or "", until=until or "")

    @statement.command(name=locale_str(NC_("command", "export")), description=about("statement export"))
    @_options
    async def export(self, interaction: discord.Interaction, format: str | None = None, template: str | None = None,
                     campaign: str | None = None, since: str | None = None, until: str | None = None) -> None:
        await self.bot.run(interaction, "statement export", slow=True, format=format or "", template=template or "",
                           campaign=campaign or "", since=since or "", until=until or "")


async def setup(bot: ContinuityBot) -> None:
    await bot.add_cog(Statements(bot))
