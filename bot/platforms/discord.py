"""The Discord front door: a discord.py `commands.Bot` that loads the cogs in `cogs/`.

It asks only for the `guilds` intent: slash commands and modals arrive as interactions, so the bot never
needs to read message content. Cogs stay thin through `ContinuityBot.answer()`, which builds the Actor,
sets the reply language, calls the core and maps errors to replies in one place.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.alerts.pacing import Pacer
from bot.commands import BY_PATH, TOP_BY_NAME, answer, something_went_wrong
from bot.commands import run as run_command
from bot.domain import FormProgress, PlatformName, Severity, Target
from bot.errors import DeliveryFailed, InvalidInput, PlatformLoginFailed, UserError
from bot.i18n import N_, _, match_locale, translate, translations, use_locale
from bot.platforms import discord_forms
from bot.platforms.attachments import fit
from bot.presentation import Actor, Ask, Capabilities, Message, MessageField, PartSent, RateLimit, Reply
from bot.services import Services

log = logging.getLogger(__name__)

EXTENSIONS = ("cogs.general", "cogs.watch", "cogs.alerts", "cogs.testimonies", "cogs.statements")

# Discord's documented limits for embeds.
_TITLE, _DESCRIPTION, _FIELDS, _FIELD_NAME, _FIELD_VALUE, _FOOTER, _TOTAL = 256, 4096, 25, 256, 1024, 2048, 6000
FILES_PER_MESSAGE = 10  # Discord refuses a message with more
_URL = 2048  # an embed with a longer link is refused whole (HTTP 400): such a link is left out instead

COLOURS = {
    Severity.INFO: discord.Colour.blurple(),
    Severity.SUCCESS: discord.Colour.green(),
    Severity.WARNING: discord.Colour.orange(),
    Severity.CRITICAL: discord.Colour.red(),
}

_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# discord.py's escape_markdown, but for masked links: it escapes one with a backslash before the first `[` of a
# line and leaves the rest of the line up to its last `)` as it was, so "[a](x) **b** [c](https://…)" kept its
# bold and its second link, whose words hide where it goes. Here every markup character is escaped one by one,
# and in a text that could hold a masked link (it has "](") every `[` too; links are left as they are (Discord
# shows them as links anyway).
_LINK = r"(?P<url><[^: >]+:/[^ >]+>|(?:https?|steam)://[^\s<]+[^<.,:;\"'\]\s])"  # discord.py's own
_LINE_START = r"^>(?:>>)?\s|^#{1,3}|^\s*-"  # a quote, heading, list or subtext
_NUMBERED = r"(?P<number>^[ \t]*\d{1,9})(?=\.\s)"  # a numbered list's "1.": its dot is what is escaped
_MARKDOWN = re.compile(rf"{_LINK}|{_NUMBERED}|(?P<markup>[_\\~|*`]|{_LINE_START})", re.MULTILINE)
_MARKDOWN_AND_LINKS = re.compile(rf"{_LINK}|{_NUMBERED}|(?P<markup>[_\\~|*`\[]|{_LINE_START})", re.MULTILINE)


def _escape(text: str) -> str:
    # Clipped before escaping too: escaping a 4 MB title only to keep its first 256 characters would
    # hold the event loop for a long while.
    text = _clip(text, _DESCRIPTION + 1)
    markdown = _MARKDOWN_AND_LINKS if "](" in text else _MARKDOWN
    return markdown.sub(lambda found: found["url"] or (found["number"] + "\\" if found["number"] is not None
                                                       else "\\" + found["markup"]), text)


def render_embed(message: Message) -> discord.Embed:
    """A Message as an embed within Discord's limits. Text is escaped: it is never markup."""
    escape = _escape
    budget = _TOTAL
    title = _clip(escape(message.title), _TITLE) if message.title else None
    footer = _clip(message.footer, _FOOTER) if message.footer else None
    budget -= len(title or "") + len(footer or "")
    fields = []
    for field in message.fields[:_FIELDS]:
        name, value = _clip(escape(field.name), _FIELD_NAME), _clip(_field_value(field) or "-", _FIELD_VALUE)
        if len(name) + len(value) > budget - 1:
            break
        budget -= len(name) + len(value)
        fields.append((name, value, field.inline))
    embed = discord.Embed(
        title=title,
        description=_clip(escape(message.body), min(_DESCRIPTION, max(budget, 1))),
        url=message.link if message.link and len(message.link) <= _URL else None,
        colour=COLOURS[message.severity],
    )
    for name, value, inline in fields:
        embed.add_field(name=name, value=value, inline=inline)
    if footer:
        embed.set_footer(text=footer)
    return embed


def _field_value(field: MessageField) -> str:
    """Escaped text; a day is shown with Discord's timestamp markup, in each reader's calendar and language."""
    if field.when is None:
        return _escape(field.value)
    stamp = int(datetime(field.when.year, field.when.month, field.when.day, tzinfo=UTC).timestamp())
    return f"<t:{stamp}:D> (<t:{stamp}:R>)"


# Discord recognises a nonce (with enforce_nonce) "in the past few minutes"; a resend later than this looks
# in the channel first. Short on purpose: a look too many costs one request, a look too few a duplicate.
NONCE_WINDOW = 60.0
HISTORY_LOOK = 200  # messages after the first attempt searched for it


def _same_embed(embed: discord.Embed, wanted: discord.Embed) -> bool:
    """What identifies an alert: its title, link and fields (dates are Discord timestamps, the same text
    whatever the day), not the description (it may count days)."""
    return (embed.title, embed.url, [(f.name, f.value) for f in embed.fields]) == \
        (wanted.title, wanted.url, [(f.name, f.value) for f in wanted.fields])


def allowed_mentions(message: Message) -> discord.AllowedMentions:
    """Only the roles a subscription names may be pinged; nothing a feed wrote can mention anyone."""
    return discord.AllowedMentions(everyone=False, users=False, replied_user=False,
                                   roles=[discord.Object(int(r)) for r in message.mention_roles])


class ContinuityTranslator(app_commands.Translator):
    """Localises command names and descriptions from the same catalogs as every other string."""

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        ours = match_locale(locale.value)
        if ours is None or ours == "en":
            return None
        names = (app_commands.TranslationContextLocation.command_name,
                 app_commands.TranslationContextLocation.group_name,
                 app_commands.TranslationContextLocation.parameter_name)
        if context.location in names:
            text = translations(ours).pgettext("command", string.message)
            # Discord refuses names with capitals or spaces; fall back to English rather than fail sync.
            valid = text != string.message and text == text.lower() and _COMMAND_NAME.match(text)
            return text if valid else None
        text = translate(ours, string.message)
        return text if text != string.message else None


def described(path: str) -> dict[str, locale_str]:
    """The name and description of the table's command `path`, for a slash command or subcommand."""
    return {"name": locale_str(path.split()[-1]), "description": about(path)}


def about(path: str) -> locale_str:
    command = BY_PATH.get(path)
    return locale_str(command.description if command is not None else TOP_BY_NAME[path].description)


def is_moderator(interaction: discord.Interaction, role_setting: str | None) -> bool:
    """Manage Server, or a role named or numbered as MODERATOR_ROLE (or the community's own setting)."""
    if interaction.guild is None or not isinstance(interaction.user, discord.Member):
        return False
    if interaction.permissions.manage_guild:
        return True
    if role_setting:
        wanted = role_setting.strip().lstrip("@").lower()
        return any(wanted in (str(role.id), role.name.lower()) for role in interaction.user.roles)
    return False


class ContinuityBot(commands.Bot):
    def __init__(self, services: Services, **options: object) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, help_command=None,
                         allowed_mentions=discord.AllowedMentions.none(), **options)  # type: ignore[arg-type]
        self.services = services
        self.tree.on_error = self._on_app_command_error

    async def setup_hook(self) -> None:
        await self.tree.set_translator(ContinuityTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self._sync_commands()

    async def _sync_commands(self) -> None:
        guild_id = self.services.settings.discord_dev_guild
        try:
            if guild_id is None:
                synced = await self.tree.sync()
            else:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as error:
            log.error("Could not register slash commands (HTTP %s). Invite the bot with the "
                      "applications.commands scope, then restart.", error.status)
            return
        log.info("Registered %d slash commands %s", len(synced),
                 "globally" if guild_id is None else f"in guild {guild_id}")

    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.services.people.community(PlatformName.DISCORD, str(guild.id), guild.name)

    async def actor(self, interaction: discord.Interaction) -> Actor:
        people = self.services.people
        community = None
        if interaction.guild is not None:
            community = await people.community(PlatformName.DISCORD, str(interaction.guild.id),
                                               interaction.guild.name)
        role_setting = (community.moderator_role if community else None) or self.services.settings.moderator_role
        return await people.actor(
            PlatformName.DISCORD, str(interaction.user.id), interaction.user.display_name,
            client_locale=interaction.locale.value, community=community,
            is_moderator=is_moderator(interaction, role_setting),
            channel=Target(PlatformName.DISCORD, str(interaction.channel_id)) if interaction.channel_id else None,
            private=True,  # every answer is ephemeral
        )

    async def run(self, interaction: discord.Interaction, path: str, *, slow: bool = False, **options: Any) -> None:
        """Run the table's command `path` with the typed options of a slash command, in the person's language.
        `slow` work (fetching a page) is deferred first: Discord wants an answer within 3 seconds. A command
        that may answer with a form is never slow: a modal must be the first response."""
        if slow:
            await interaction.response.defer(ephemeral=True, thinking=True)
        actor = await self.actor(interaction)
        with use_locale(actor.locale):
            reply = await answer(lambda: run_command(self.services, actor, BY_PATH[path], **options), what=f"/{path}")
            await self._respond(interaction, actor, reply)

    async def _respond(self, interaction: discord.Interaction, actor: Actor, reply: Reply | None) -> None:
        if isinstance(reply, Ask):
            ask = reply
            reply = await answer(lambda: self._ask(interaction, actor, ask), what="A Discord form")
        if isinstance(reply, Message):
            await self._reply(interaction, reply, ephemeral=True)

    async def _ask(self, interaction: discord.Interaction, actor: Actor, ask: Ask) -> Message | None:
        return await self._page(interaction, actor, await self.services.forms.start(actor, ask))

    async def _page(self, interaction: discord.Interaction, actor: Actor, progress: FormProgress) -> Message | None:
        """The form's next page as a modal, or a button that opens it where a modal cannot be the answer;
        the submit's reply once every page is in."""
        forms = self.services.forms
        if forms.is_complete(progress):
            return await forms.finish(progress, actor)
        form = forms.form(progress)
        if interaction.type == discord.InteractionType.modal_submit or interaction.response.is_done():
            pages = len(discord_forms.pages(form))
            label = _("Continue ({page}/{pages})", page=discord_forms.page_of(form, progress) + 1, pages=pages)
            await self._reply(interaction, Message(body=_("Thank you. There is more to answer:")), ephemeral=True,
                              view=discord_forms.open_button(form, progress, label))
            return None
        modal = discord_forms.modal_for(form, progress)
        await interaction.response.send_modal(modal)
        modal.stop()  # the submit is read from the database's form, so it survives a restart
        return None

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Modal submits and buttons of our forms (custom ids "cf:…"); everything else is the library's."""
        data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
        parts = str(data.get("custom_id", "")).split(":")
        if parts[0] != discord_forms.PREFIX or len(parts) < 3 or not parts[2].isdigit():
            return
        token, page = parts[1], int(parts[2])
        actor = await self.actor(interaction)
        with use_locale(actor.locale):
            if interaction.type == discord.InteractionType.modal_submit:
                reply = await answer(lambda: self._submitted(interaction, actor, token, page, data),
                                     what="A Discord form page")
            else:
                reply = await answer(lambda: self._reopen(interaction, actor, token), what="A Discord form button")
            await self._respond(interaction, actor, reply)

    async def _current(self, actor: Actor, token: str) -> FormProgress:
        progress = await self.services.forms.current(actor, token)
        if progress is None:
            raise InvalidInput(N_("That form is no longer open. Give the command again to start a new one."))
        return progress

    async def _reopen(self, interaction: discord.Interaction, actor: Actor, token: str) -> Message | None:
        progress = await self._current(actor, token)
        if self.services.forms.is_complete(progress):
            # Every answer is in, yet the form is open: its submit was refused. Its pages again from the
            # first, each answer as the default, so whichever answer the refusal names can be changed.
            progress = await self.services.forms.revisit(progress)
        return await self._page(interaction, actor, progress)

    async def _submitted(self, interaction: discord.Interaction, actor: Actor, token: str, page: int,
                         data: dict[str, Any]) -> Message | None:
        forms = self.services.forms
        progress = await self._current(actor, token)
        form = forms.form(progress)
        if page != discord_forms.page_of(form, progress):
            raise InvalidInput(N_("That page of the form was already sent."))
        try:
            result = await forms.give(progress, actor, discord_forms.submitted(form, page, data))
        except UserError as error:  # say what to change, with a button to open the page again
            await self._reply(interaction, Message(body=error.text(), severity=Severity.WARNING),
                              ephemeral=True, view=discord_forms.open_button(form, progress, _("Try again")))
            return None
        return result if isinstance(result, Message) else await self._page(interaction, actor, result)

    @staticmethod
    async def _reply(interaction: discord.Interaction, message: Message, *, ephemeral: bool,
                     view: discord.ui.View | None = None) -> None:
        """The message as an embed with its files, each within the interaction's upload limit (compressed or
        split, and the message says so), ten to a message as Discord takes them."""
        attachments, notes = fit(message.attachments, interaction.filesize_limit, "Discord")
        if notes:
            message = replace(message, body="\n\n".join([message.body, *notes]).strip())
        files = [discord.File(io.BytesIO(a.data), filename=a.filename) for a in attachments]
        kwargs: dict[str, Any] = {"embed": render_embed(message), "ephemeral": ephemeral,
                                  "allowed_mentions": allowed_mentions(message), "files": files[:FILES_PER_MESSAGE]}
        if view is not None:
            kwargs["view"] = view
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)
        for start in range(FILES_PER_MESSAGE, len(files), FILES_PER_MESSAGE):
            await interaction.followup.send(files=files[start:start + FILES_PER_MESSAGE], ephemeral=ephemeral)
        if view is not None:
            view.stop()  # its button is read by `on_interaction`, whether or not the bot restarted since

    async def _on_app_command_error(self, interaction: discord.Interaction,
                                    error: app_commands.AppCommandError) -> None:
        """Anything a command did not handle: the log gets the traceback, the person a short, kind reply."""
        command = interaction.command.qualified_name if interaction.command else "?"
        log.error("Command /%s failed", command, exc_info=error)
        locale = match_locale(interaction.locale.value) or self.services.settings.default_locale
        with use_locale(locale):
            reply = something_went_wrong()
        try:
            await self._reply(interaction, reply, ephemeral=True)
        except discord.HTTPException:
            log.warning("Could not tell the person about the failure of /%s", command)


class DiscordFrontDoor:
    name = PlatformName.DISCORD
    # Published limits: 50 requests/s per bot, about 5 messages per 5 s per channel (and per direct chat).
    capabilities = Capabilities(max_message_length=2000, max_form_fields=5, markup="markdown", embeds=True,
                                overall=RateLimit(50, 1.0), per_channel=RateLimit(5, 5.0),
                                per_person=RateLimit(5, 5.0), nonce_window=NONCE_WINDOW)

    def __init__(self, services: Services, **bot_options: object) -> None:
        settings = services.settings
        assert settings.discord_token is not None
        self.pacer = Pacer(self.capabilities)  # interaction answers do not count against the global limit
        self._token = settings.discord_token.get_secret_value()
        # discord.py reads these class attributes; a REST proxy or a test fake is set here.
        discord.http.Route.BASE = settings.discord_api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
        self.bot = ContinuityBot(services, **bot_options)

    async def start(self) -> None:
        try:
            await self._login()
        except BaseException:
            await self.bot.close()  # the library's HTTP session is open even when login fails
            raise

    async def _login(self) -> None:
        try:
            await self.bot.login(self._token)
        except discord.LoginFailure:
            raise PlatformLoginFailed(
                "Discord refused DISCORD_TOKEN (401 Unauthorized). Copy a fresh token from the Developer "
                "Portal (your application → Bot → Reset Token) into .env, then start again.") from None
        except (aiohttp.ClientError, OSError) as error:
            raise PlatformLoginFailed(
                f"Could not reach Discord at {discord.http.Route.BASE} ({type(error).__name__}). Check the "
                "network, or DISCORD_API_BASE if you set it.") from None

    async def run(self) -> None:
        await self.bot.connect(reconnect=True)

    async def stop(self) -> None:
        await self.bot.close()

    async def _channel(self, target: Target) -> discord.abc.Messageable:
        if target.direct:
            return await self.bot.create_dm(discord.Object(int(target.channel_id)))
        return self.bot.get_partial_messageable(int(target.thread_id or target.channel_id))

    def place_name(self, target: Target) -> str | None:
        """The channel's name (and its thread's) as the gateway's cache knows them."""
        channel = self.bot.get_channel(int(target.channel_id))
        if channel is None or not isinstance(getattr(channel, "name", None), str):
            return None
        if not target.thread_id:
            return f"#{channel.name}"
        thread = self.bot.get_channel(int(target.thread_id))
        return f"#{channel.name} / {getattr(thread, 'name', None) or target.thread_id}"

    async def find_posted(self, target: Target, message: Message, since: float) -> str | None:
        """The bot's own message with this alert's embed, among the first HISTORY_LOOK after `since`."""
        wanted, me = render_embed(message), self.bot.user
        try:
            channel = await self._channel(target)
            async for posted in channel.history(after=datetime.fromtimestamp(since, UTC), limit=HISTORY_LOOK):
                if me is not None and posted.author.id == me.id and posted.embeds and \
                        _same_embed(posted.embeds[0], wanted):
                    return str(posted.id)
        except (discord.Forbidden, discord.NotFound):
            return None  # the history cannot be read: the send that follows says what is wrong
        except discord.HTTPException as error:
            raise DeliveryFailed(N_("Discord had a problem (HTTP {status})."), status=error.status) from None
        except (aiohttp.ClientError, OSError) as error:
            raise DeliveryFailed(N_("Could not reach Discord ({error})."), error=type(error).__name__) from None
        return None

    async def send(self, target: Target, message: Message, *, nonce: str | None = None, skip_parts: int = 0,
                   on_part: PartSent | None = None) -> str:
        """One message with one embed. With a nonce Discord enforces it: a retry of a send that did arrive
        returns the message already posted instead of posting it again."""
        content = " ".join(f"<@&{role}>" for role in message.mention_roles) or None
        try:
            channel = await self._channel(target)
            sent = await channel.send(content=content, embed=render_embed(message),
                                      allowed_mentions=allowed_mentions(message), nonce=nonce)
        except discord.Forbidden as error:
            if target.direct:
                raise DeliveryFailed(N_(
                    "Discord does not let the bot message this person (their direct messages are closed). They can "
                    "allow direct messages from server members, then run /alerts ping on again."), pause=True) from None
            raise DeliveryFailed(N_("Discord refused access to the channel (code {code}). Give the bot View Channel, "
                                    "Send Messages and Embed Links there."), pause=True, code=error.code) from None
        except discord.NotFound:
            raise DeliveryFailed(N_("The channel no longer exists (Discord: Unknown Channel). Subscribe another "
                                    "channel with /alerts subscribe."), pause=True) from None
        except discord.RateLimited as error:
            raise DeliveryFailed(N_("Discord asked to slow down."), retry_after=error.retry_after) from None
        except discord.HTTPException as error:
            if error.status >= 500:
                raise DeliveryFailed(N_("Discord had a problem (HTTP {status})."), status=error.status) from None
            raise DeliveryFailed(N_("Discord refused the message (HTTP {status}, code {code})."), final=True,
                                 status=error.status, code=error.code) from None
        except (aiohttp.ClientError, OSError) as error:
            raise DeliveryFailed(N_("Could not reach Discord ({error})."), error=type(error).__name__) from None
        if on_part is not None:
            await on_part(1, str(sent.id))
        return str(sent.id)

