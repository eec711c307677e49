"""/alerts … and /notice post on Discord."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.i18n import N_, NC_
from bot.platforms.discord import ContinuityBot, about


class Alerts(commands.Cog):
    alerts = app_commands.Group(name=locale_str(NC_("command", "alerts")),
                                description=about("alerts"))
    ping = app_commands.Group(name=locale_str(NC_("command", "ping")), parent=alerts,
                              description=locale_str(N_("Direct messages with alerts, for you.")))
    notice = app_commands.Group(name=locale_str(NC_("command", "notice")),
                                description=about("notice"), guild_only=True)

    def __init__(self, bot: ContinuityBot) -> None:
        self.bot = bot

    @alerts.command(name=locale_str(NC_("command", "subscribe")), description=about("alerts subscribe"))
    @app_commands.rename(categories=locale_str(NC_("command", "categories")),
                         vendors=locale_str(NC_("command", "vendors")), models=locale_str(NC_("command", "models")),
                         role=locale_str(NC_("command", "role")), digest=locale_str(NC_("command", "digest")))
    @app_commands.describe(
        categories=locale_str(N_("Kinds, comma-separated: deprecation, reminder, survey, news, status (default: "
                                 "the first three).")),
        vendors=locale_str(N_("Only these vendors, separated by commas (openai, anthropic, google …).")),
        models=locale_str(N_("Only these models or patterns, separated by commas (gpt-4o*, claude-3-*, 4o).")),
        role=locale_str(N_("A role to mention with each alert.")),
        digest=locale_str(N_("Bundle notices into one message per hour or day.")))
    @app_commands.choices(digest=[app_commands.Choice(name=locale_str(N_("off")), value="off"),
                                  app_commands.Choice(name=locale_str(N_("hourly")), value="hourly"),
                                  app_commands.Choice(name=locale_str(N_("daily")), value="daily")])
    async def subscribe(self, interaction: discord.Interaction, categories: str | None = None,
                        vendors: str | None = None, models: str | None = None, role: discord.Role | None = None,
                        digest: str | None = None) -> None:
        await self.bot.run(interaction, "alerts subscribe", categories=categories or "", vendors=vendors or "",
                           models=models or "", role=str(role.id) if role else None, digest=digest or "")

    @alerts.command(name=locale_str(NC_("command", "unsubscribe")), description=about("alerts unsubscribe"))
    async def unsubscribe(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "alerts unsubscribe")

    @alerts.command(name=locale_str(NC_("command", "list")), description=about("alerts list"))
    async def list_(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "alerts list")

    @alerts.command(name=locale_str(NC_("command", "test")), description=about("alerts test"))
    async def test(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "alerts test", slow=True)

    @alerts.command(name=locale_str(NC_("command", "resume")), description=about("alerts resume"))
    @app_commands.rename(number=locale_str(NC_("command", "number")))
    @app_commands.describe(number=locale_str(N_("The subscription's number from /alerts list; empty: this "
                                                 "channel's.")))
    async def resume(self, interaction: discord.Interaction, number: int | None = None) -> None:
        await self.bot.run(interaction, "alerts resume", number=str(number) if number is not None else "")

    @ping.command(name=locale_str(NC_("command", "on")), description=about("alerts ping on"))
    @app_commands.rename(models=locale_str(NC_("command", "models")), daily=locale_str(NC_("command", "daily")))
    @app_commands.describe(models=locale_str(N_("Only these models or patterns, separated by commas; empty: all.")),
                           daily=locale_str(N_("One bundled message a day instead of each alert.")))
    async def ping_on(self, interaction: discord.Interaction, models: str | None = None, daily: bool = False) -> None:
        await self.bot.run(interaction, "alerts ping on", models=models or "", daily=daily, slow=True)

    @ping.command(name=locale_str(NC_("command", "off")), description=about("alerts ping off"))
    async def ping_off(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "alerts ping off")

    @notice.command(name=locale_str(NC_("command", "post")), description=about("notice post"))
    @app_commands.rename(title=locale_str(NC_("command", "title")), text=locale_str(NC_("command", "text")),
                         link=locale_str(NC_("command", "link")), models=locale_str(NC_("command", "models")),
                         deadline=locale_str(NC_("command", "deadline")))
    @app_commands.describe(title=locale_str(N_("A short title.")), text=locale_str(N_("What people should know.")),
                           link=locale_str(N_("A web address to read more.")),
                           models=locale_str(N_("Models it concerns, separated by commas.")),
                           deadline=locale_str(N_("A deadline to remind people of, like 2026-12-31.")))
    async def post(self, interaction: discord.Interaction, title: str = "", text: str = "", link: str = "",
                   models: str = "", deadline: str = "") -> None:
        """With no title, the form asks for everything."""
        await self.bot.run(interaction, "notice post", title=title, text=text, link=link, models=models,
                           deadline=deadline)


async def setup(bot: ContinuityBot) -> None:
    await bot.add_cog(Alerts(bot))
