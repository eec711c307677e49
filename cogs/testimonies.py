"""/testify, the person's own testimonies and data, /review and /campaign on Discord."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.domain import PlatformName
from bot.i18n import N_, NC_
from bot.platforms.discord import ContinuityBot, about, described


class Testimonies(commands.Cog):
    mydata = app_commands.Group(name=locale_str(NC_("command", "mydata")), description=about("mydata"))
    campaign = app_commands.Group(name=locale_str(NC_("command", "campaign")), description=about("campaign"),
                                  guild_only=True)

    def __init__(self, bot: ContinuityBot) -> None:
        self.bot = bot

    @app_commands.command(**described("testify"))
    @app_commands.guild_only()
    @app_commands.rename(model=locale_str(NC_("command", "model")), campaign=locale_str(NC_("command", "campaign")))
    @app_commands.describe(model=locale_str(N_("The model your testimony is about (you can name more in the form).")),
                           campaign=locale_str(N_("The campaign it is for; empty for this community's own.")))
    async def testify(self, interaction: discord.Interaction, model: str | None = None,
                      campaign: str | None = None) -> None:
        await self.bot.run(interaction, "testify", model=model or "", campaign=campaign or "")

    @testify.autocomplete("model")
    async def _models(self, interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
        community = None
        if interaction.guild is not None:
            community = await self.bot.services.people.community(PlatformName.DISCORD, str(interaction.guild.id),
                                                                 interaction.guild.name)
        names = await self.bot.services.testimonies.model_suggestions(community.id if community else None, typed)
        return [app_commands.Choice(name=name[:100], value=name[:100]) for name in names]  # Discord's limit

    @app_commands.command(**described("mytestimonies"))
    async def mytestimonies(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "mytestimonies")

    @app_commands.command(**described("edit"))
    @app_commands.rename(receipt=locale_str(NC_("command", "receipt")))
    @app_commands.describe(receipt=locale_str(N_("The receipt you were given, like T-7KQ2M9.")))
    async def edit(self, interaction: discord.Interaction, receipt: str) -> None:
        await self.bot.run(interaction, "edit", receipt=receipt)

    @app_commands.command(**described("withdraw"))
    @app_commands.rename(receipt=locale_str(NC_("command", "receipt")))
    @app_commands.describe(receipt=locale_str(N_("The receipt you were given, like T-7KQ2M9.")))
    async def withdraw(self, interaction: discord.Interaction, receipt: str) -> None:
        await self.bot.run(interaction, "withdraw", receipt=receipt)

    @mydata.command(name=locale_str(NC_("command", "export")), description=about("mydata export"))
    async def mydata_export(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "mydata export")

    @mydata.command(name=locale_str(NC_("command", "delete")), description=about("mydata delete"))
    async def mydata_delete(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "mydata delete")

    @app_commands.command(**described("review"))
    @app_commands.guild_only()
    @app_commands.rename(receipt=locale_str(NC_("command", "receipt")),
                         decision=locale_str(NC_("command", "decision")), reason=locale_str(NC_("command", "reason")))
    @app_commands.describe(receipt=locale_str(N_("The testimony to decide on; empty to see the next one waiting.")),
                           decision=locale_str(N_("What to do with it.")),
                           reason=locale_str(N_("Why it is rejected; the author is told.")))
    @app_commands.choices(decision=[
        app_commands.Choice(name=locale_str(N_("approve")), value="approve"),
        app_commands.Choice(name=locale_str(N_("reject")), value="reject"),
        app_commands.Choice(name=locale_str(N_("hide")), value="hide"),
        app_commands.Choice(name=locale_str(N_("block its author here")), value="block"),
        app_commands.Choice(name=locale_str(N_("unblock its author")), value="unblock"),
        app_commands.Choice(name=locale_str(N_("withdraw an imported one for its author")), value="withdraw")])
    async def review(self, interaction: discord.Interaction, receipt: str | None = None,
                     decision: str | None = None, reason: str | None = None) -> None:
        # A decision is told to the author in a direct message before the moderator's answer: Discord is
        # answered first (deferred), or a slow or rate-limited DM would outlast its three seconds.
        await self.bot.run(interaction, "review", receipt=receipt or "", decision=decision or "", reason=reason or "",
                           slow=bool(decision))

    @campaign.command(name=locale_str(NC_("command", "list")), description=about("campaign list"))
    async def campaign_list(self, interaction: discord.Interaction) -> None:
        await self.bot.run(interaction, "campaign list")

    @campaign.command(name=locale_str(NC_("command", "create")), description=about("campaign create"))
    @app_commands.rename(name=locale_str(NC_("command", "name")),
                         description=locale_str(NC_("command", "description")),
                         models=locale_str(NC_("command", "models")), closes=locale_str(NC_("command", "closes")))
    @app_commands.describe(name=locale_str(N_("A short name members will give to /testify.")),
                           description=locale_str(N_("What the testimonies are gathered for.")),
                           models=locale_str(N_("The models it is about, separated by commas.")),
                           closes=locale_str(N_("The last day testimonies are taken (2026-12-31).")))
    async def campaign_create(self, interaction: discord.Interaction, name: str, description: str | None = None,
                              models: str | None = None, closes: str | None = None) -> None:
        await self.bot.run(interaction, "campaign create", name=name, description=description or "",
                           models=models or "", closes=closes or "")


async def setup(bot: ContinuityBot) -> None:
    await bot.add_cog(Testimonies(bot))
