"""/help, /about, /privacy and /language on Discord."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.i18n import LOCALE_NAMES, LOCALES, N_, NC_
from bot.platforms.discord import ContinuityBot, described


class General(commands.Cog):
    def __init__(self, bot: ContinuityBot) -> None:
        self.bot = bot

    @app_commands.command(**described("help"))
    async def help(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "help")

    @app_commands.command(**described("about"))
    async def about(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "about")

    @app_commands.command(**described("privacy"))
    async def privacy(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "privacy")

    @app_commands.command(**described("language"))
    @app_commands.rename(language=locale_str(NC_("command", "language")))
    @app_commands.describe(language=locale_str(N_("The language to answer you in; leave empty to see the "
                                                   "current one.")))
    @app_commands.choices(language=[
        app_commands.Choice(name=LOCALE_NAMES[code], value=code) for code in LOCALES
    ] + [app_commands.Choice(name=locale_str(N_("Follow my app's language")), value="auto")])
    async def language(self, interaction: discord.Interaction, language: str | None = None) -> None:
        await self.bot.run(interaction, "language", choice=language or "")


async def setup(bot: ContinuityBot) -> None:
    await bot.add_cog(General(bot))
