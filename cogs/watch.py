"""/deprecations …, /sources … and /survey … on Discord."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.i18n import N_, NC_
from bot.platforms.discord import ContinuityBot, about
from bot.watch.commands import CATEGORIES, PAGE_FAMILIES


class Watch(commands.Cog):
    # Discord cannot run a command that has subcommands, so /deprecations is a group like /sources: members
    # pick "list" or "calendar" from the menu. Telegram and the console still take /deprecations 4o.
    deprecations = app_commands.Group(name=locale_str(NC_("command", "deprecations")),
                                      description=about("deprecations"))
    sources = app_commands.Group(name=locale_str(NC_("command", "sources")),
                                 description=about("sources"), guild_only=True)
    survey = app_commands.Group(name=locale_str(NC_("command", "survey")),
                                description=about("survey"), guild_only=True)

    def __init__(self, bot: ContinuityBot) -> None:
        self.bot = bot

    @deprecations.command(name=locale_str(NC_("command", "list")), description=about("deprecations list"))
    @app_commands.rename(query=locale_str(NC_("command", "query")))
    @app_commands.describe(query=locale_str(N_("A model (4o, claude-3-haiku) or a vendor (OpenAI); empty for all.")))
    async def deprecations_list(self, interaction: discord.Interaction, query: str | None = None) -> None:
        await self.bot.run(interaction, "deprecations list", query=query or "")

    @deprecations.command(name=locale_str(NC_("command", "calendar")), description=about("deprecations calendar"))
    async def deprecations_calendar(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "deprecations calendar")

    @sources.command(name=locale_str(NC_("command", "list")), description=about("sources list"))
    async def sources_list(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "sources list")

    @sources.command(name=locale_str(NC_("command", "add")), description=about("sources add"))
    @app_commands.rename(url=locale_str(NC_("command", "address")), category=locale_str(NC_("command", "category")),
                         page=locale_str(NC_("command", "page")))
    @app_commands.describe(url=locale_str(N_("The web address of the page or feed.")),
                           category=locale_str(N_("What kind of news it brings.")),
                           page=locale_str(N_("Which vendor's page it is, when the address does not say.")))
    @app_commands.choices(category=[app_commands.Choice(name=c, value=c) for c in CATEGORIES],
                          page=[app_commands.Choice(name=f, value=f) for f in PAGE_FAMILIES])
    async def sources_add(self, interaction: discord.Interaction, url: str, category: str | None = None,
                          page: str | None = None) -> None:
        await self.bot.run(interaction, "sources add", url=url, category=category or "", page=page or "", slow=True)

    @sources.command(name=locale_str(NC_("command", "remove")), description=about("sources remove"))
    @app_commands.rename(source=locale_str(NC_("command", "number")))
    @app_commands.describe(source=locale_str(N_("The source's number from /sources list.")))
    async def sources_remove(self, interaction: discord.Interaction, source: int) -> None:
        await self.bot.run(interaction, "sources remove", source_id=str(source))

    @sources.command(name=locale_str(NC_("command", "check")), description=about("sources check"))
    @app_commands.rename(source=locale_str(NC_("command", "number")))
    @app_commands.describe(source=locale_str(N_("The source's number from /sources list.")))
    async def sources_check(self, interaction: discord.Interaction, source: int) -> None:
        await self.bot.run(interaction, "sources check", source_id=str(source), slow=True)

    @survey.command(name=locale_str(NC_("command", "report")), description=about("survey report"))
    @app_commands.rename(url=locale_str(NC_("command", "address")), deadline=locale_str(NC_("command", "deadline")),
                         note=locale_str(NC_("command", "note")))
    @app_commands.describe(url=locale_str(N_("The survey's web address.")),
                           deadline=locale_str(N_("When it closes, like 2026-12-31.")),
                           note=locale_str(N_("A short note for the moderators.")))
    async def survey_report(self, interaction: discord.Interaction, url: str | None = None,
                            deadline: str | None = None, note: str | None = None) -> None:
        """With no address, the form asks for everything."""
        await self.bot.run(interaction, "survey report", url=url or "", deadline=deadline or "", note=note or "")

    @survey.command(name=locale_str(NC_("command", "review")), description=about("survey review"))
    @app_commands.rename(report=locale_str(NC_("command", "number")), decision=locale_str(NC_("command", "decision")))
    @app_commands.describe(report=locale_str(N_("The report's number.")),
                           decision=locale_str(N_("Approve or reject it.")))
    @app_commands.choices(decision=[app_commands.Choice(name=locale_str(N_("approve")), value="approve"),
                                    app_commands.Choice(name=locale_str(N_("reject")), value="reject")])
    async def survey_review(self, interaction: discord.Interaction, report: int | None = None,
                            decision: str | None = None) -> None:
        await self.bot.run(interaction, "survey review", report_id=str(report) if report is not None else "",
                           decision=decision or "")


async def setup(bot: ContinuityBot) -> None:
    await bot.add_cog(Watch(bot))
