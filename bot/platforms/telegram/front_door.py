"""Starts and stops the python-telegram-bot Application by hand (not `run_polling()`, which wants the
event loop to itself), registers every command of the table and the menu, and answers through `answer()`,
which builds the Actor, sets the reply language and hands the call to the core's one answer path."""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import replace

from telegram import BotCommand, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, Update
from telegram.constants import ChatMemberStatus, ChatType, ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ApplicationBuilder, CommandHandler, ContextTypes, filters
from telegram.warnings import PTBDeprecationWarning

from bot.alerts.pacing import Pacer
from bot.commands import TOP_LEVEL, answer, run_text, served_on, something_went_wrong
from bot.domain import PlatformName, Severity, Target
from bot.errors import DeliveryFailed, PlatformLoginFailed
from bot.i18n import LOCALES, N_, _, choose_locale, translate, use_locale
from bot.platforms.attachments import fit
from bot.platforms.telegram import forms
from bot.platforms.telegram.render import REPLY_PIECES, render_html
from bot.presentation import Actor, Ask, Capabilities, Message, PartSent, RateLimit, Reply
from bot.services import Services

log = logging.getLogger(__name__)

Handler = Callable[[Actor], Awaitable[Reply]]
SERVED = tuple(dict.fromkeys(c.top for c in served_on(PlatformName.TELEGRAM)))

UPLOAD_LIMIT = 50 * 1000 * 1000  # what a bot may send as a document (Bot API, "Sending files")
_MODERATOR_STATUSES = {ChatMemberStatus.OWNER, ChatMemberStatus.ADMINISTRATOR}
# Telegram names languages by ISO 639-1 code.
_TELEGRAM_LANGUAGE = {"es": "es", "ja": "ja", "zh_Hans": "zh"}


# A reply Telegram refuses for its limits is held back and tried again, so often at most:
REPLY_TRIES = 3
REPLY_WAIT_CAP = 30.0  # seconds: a longer wait, and an error now serves the person better than a late answer


class TelegramFrontDoor:
    name = PlatformName.TELEGRAM
    # Published limits: about 30 messages/s overall, 20 per minute in one group, 1 per second in a private chat.
    capabilities = Capabilities(max_message_length=4096, max_form_fields=20, markup="html",
                                overall=RateLimit(30, 1.0), per_channel=RateLimit(20, 60.0),
                                per_person=RateLimit(1, 1.0))

    def __init__(self, services: Services) -> None:
        settings = services.settings
        assert settings.telegram_token is not None
        self.services = services
        self.pacer = Pacer(self.capabilities)  # the alerts and the replies: Telegram counts both against one limit
        base = settings.telegram_api_base
        file_base = base[: -len("/bot")] + "/file/bot" if base.endswith("/bot") else base
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.telegram_token.get_secret_value())
            .base_url(base)
            .base_file_url(file_base)
            .build()
        )
        self.conversation: forms.Conversation
        # Only new messages run a command: an edited one is not a second request.
        self.application.add_handlers([CommandHandler(top, self._command(top), filters=filters.UpdateType.MESSAGE)
                                       for top in ("start", *SERVED)])
        forms.register(self)
        self.application.add_error_handler(self._on_error)
        self._stopped = asyncio.Event()
        self._replies_waiting: set[asyncio.Task[None]] = set()  # replies held back by Telegram's limits
        self._reply_turn = asyncio.Lock()
        self._replies_resume_at = 0.0  # on the loop's clock: no held-back reply is sent before

    async def start(self) -> None:
        app = self.application
        try:
            await app.initialize()
        except InvalidToken:
            raise PlatformLoginFailed(
                "Telegram refused TELEGRAM_TOKEN (401 Unauthorized). Ask @BotFather for the token "
                "(/mybots → your bot → API Token), put it in .env, then start again.") from None
        except NetworkError as error:
            raise PlatformLoginFailed(
                f"Could not reach Telegram ({type(error).__name__}). Check the network, or TELEGRAM_API_BASE "
                "if you set it.") from None
        await self._register_commands()
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES)

    async def _register_commands(self) -> None:
        """The command menu, in English and in every language we have a catalog for."""
        for locale in LOCALES:
            commands = [BotCommand(t.name, translate(locale, t.description)) for t in TOP_LEVEL if t.name in SERVED]
            await self.application.bot.set_my_commands(commands, language_code=_TELEGRAM_LANGUAGE.get(locale))

    async def run(self) -> None:
        await self._stopped.wait()

    async def stop(self) -> None:
        self._stopped.set()
        for task in self._replies_waiting:  # replies still waiting out a limit: the bot is going away
            task.cancel()
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
        await app.shutdown()

    def place_name(self, target: Target) -> str | None:
        return None  # python-telegram-bot keeps no chats, and the Bot API cannot name a forum topic

    async def find_posted(self, target: Target, message: Message, since: float) -> str | None:
        return None  # a bot cannot read back what it sent, and Telegram has no nonce: nothing ever asks

    async def send(self, target: Target, message: Message, *, nonce: str | None = None, skip_parts: int = 0,
                   on_part: PartSent | None = None) -> str:
        """The message as HTML pieces, each reported when delivered, so a retry resumes after the last one.

        Telegram has no idempotency key: a send whose answer is lost (a timeout after Telegram accepted it)
        is sent again on retry. Sending one piece at a time and recording each keeps that to one piece."""
        sent_id = ""
        for index, piece in enumerate(render_html(message)):
            if index < skip_parts:
                continue
            try:
                sent = await self.application.bot.send_message(
                    int(target.channel_id), piece, parse_mode=ParseMode.HTML,
                    message_thread_id=int(target.thread_id) if target.thread_id else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
            except RetryAfter as error:
                raise DeliveryFailed(N_("Telegram asked to slow down."), retry_after=_seconds(error)) from None
            except Forbidden as error:
                if target.direct:
                    raise DeliveryFailed(N_(
                        "Telegram does not let the bot message this person ({description}). They can open a "
                        "private chat with the bot, press Start, then run /alerts ping on again."), pause=True,
                        description=error.message) from None
                raise DeliveryFailed(N_("Telegram refused ({description}). Add the bot to the chat again and let it "
                                        "post there."), pause=True, description=error.message) from None
            except ChatMigrated:
                raise DeliveryFailed(N_("The group became a supergroup and has a new address. Run /alerts subscribe "
                                        "in it again."), pause=True) from None
            except BadRequest as error:
                if "not found" in error.message.lower():
                    raise DeliveryFailed(N_("Telegram cannot find the chat ({description})."), pause=True,
                                         description=error.message) from None
                raise DeliveryFailed(N_("Telegram refused the message ({description})."), final=True,
                                     description=error.message) from None
            except NetworkError as error:  # includes TimedOut
                raise DeliveryFailed(N_("Could not reach Telegram ({error})."), error=type(error).__name__) from None
            sent_id = str(sent.message_id)
            if on_part is not None:
                await on_part(index + 1, sent_id)
        return sent_id

    async def actor(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> Actor:
        user, chat = update.effective_user, update.effective_chat
        assert user is not None and chat is not None
        people = self.services.people
        community, is_moderator = None, False
        # A private chat is a person, not a community: nothing about it is stored.
        if chat.type in (ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL):
            community = await people.community(PlatformName.TELEGRAM, str(chat.id), chat.title or "")
            member = await context.bot.get_chat_member(chat.id, user.id)
            is_moderator = member.status in _MODERATOR_STATUSES
        message = update.effective_message
        topic = message.message_thread_id if message is not None and message.is_topic_message else None
        return await people.actor(PlatformName.TELEGRAM, str(user.id), user.full_name,
                                  client_locale=user.language_code, community=community,
                                  is_moderator=is_moderator,
                                  channel=Target(PlatformName.TELEGRAM, str(chat.id), str(topic) if topic else None),
                                  private=community is None)

    def _command(self, top: str) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]:
        """The words after the command go to the table, which parses them once for Telegram and the console.
        `/start` is `/help`, unless it carries a deep link back into a form begun in a group."""
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            args = " ".join(context.args or [])
            if top == "start" and args.startswith(forms.DEEP_LINK_PREFIX):
                token = args.removeprefix(forms.DEEP_LINK_PREFIX)
                await self.answer(update, context,
                                  lambda actor: self._or_nothing(self.conversation.resume(update, actor, token)))
                return
            line = "help" if top == "start" else f"{top} {args}"
            await self.answer(update, context, lambda actor: run_text(self.services, actor, line))
        return handle

    @staticmethod
    async def _or_nothing(call: Awaitable[Message | None]) -> Reply:
        return await call or Message(body="")

    async def answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, handler: Handler, *,
                     ask_again: bool = False) -> None:
        """Build the Actor, call the core in the person's language, and reply; an `Ask` becomes the form's
        conversation. With `ask_again`, a refused answer is followed by the open form's question again."""
        actor = await self.actor(update, context)
        with use_locale(actor.locale):
            reply = await answer(lambda: handler(actor), what="A Telegram command")
            if isinstance(reply, Ask):
                ask = reply
                reply = await answer(lambda: self._or_nothing(self.conversation.ask(update, actor, ask)),
                                     what="A Telegram form")
            assert isinstance(reply, Message)
            if reply.private and actor.community is not None:
                reply = await self._privately(context, actor, reply)
            if reply.body or reply.title:
                await self.reply(update, reply)
            if ask_again and reply.severity == Severity.WARNING and actor.community is None:
                await self.conversation.ask_again(update, actor)

    async def reply(self, update: Update, message: Message, *,
                    reply_markup: InlineKeyboardMarkup | None = None) -> None:
        """The message as HTML pieces (buttons on the last), then its attachments as documents, in the chat
        (and the forum topic) the update came from."""
        assert update.effective_message is not None
        where = update.effective_message
        chat = Target(PlatformName.TELEGRAM, str(where.chat_id), direct=where.chat.type == ChatType.PRIVATE)
        await self._send(chat, message, where.reply_text, where.reply_document, reply_markup=reply_markup)

    async def _send(self, chat: Target, message: Message, send_text: Callable[..., Awaitable[object]],
                    send_document: Callable[..., Awaitable[object]], *,
                    reply_markup: InlineKeyboardMarkup | None = None) -> None:
        attachments, notes = fit(message.attachments, UPLOAD_LIMIT, "Telegram")
        if notes:
            message = replace(message, body="\n\n".join([message.body, *notes]).strip())
        pieces = render_html(message, max_pieces=REPLY_PIECES)
        calls = [functools.partial(send_text, piece, parse_mode=ParseMode.HTML,
                                   link_preview_options=LinkPreviewOptions(is_disabled=True),
                                   reply_markup=reply_markup if index == len(pieces) - 1 else None)
                 for index, piece in enumerate(pieces)]
        calls += [functools.partial(send_document, InputFile(attachment.data, filename=attachment.filename))
                  for attachment in attachments]
        for index, call in enumerate(calls):
            # Telegram counts replies and alerts against one overall limit: a reply goes now (a person is
            # waiting) and takes a slot of the pacer, so the alerts not yet started wait one slot more. Should
            # replies alone pass the limit, Telegram refuses some, and those wait their turn below.
            self.pacer.reserve(chat)
            try:
                await call()
            except RetryAfter as error:
                self._send_later(chat, calls[index:], _seconds(error))
                return

    def _send_later(self, chat: Target, calls: list[Callable[[], Awaitable[object]]], wait: float) -> None:
        """A reply Telegram refuses for its limits (shared with the alerts going out) is sent once the wait it
        names is over, rather than turned into an error (one more message to refuse), and by a task of its
        own, so the updates behind it are not held up meanwhile."""
        self._hold_replies(wait)
        task = asyncio.create_task(self._patiently(chat, calls))
        self._replies_waiting.add(task)
        task.add_done_callback(self._replies_waiting.discard)

    def _hold_replies(self, wait: float) -> None:
        loop_time = asyncio.get_running_loop().time()
        self._replies_resume_at = max(self._replies_resume_at, loop_time + wait)

    async def _patiently(self, chat: Target, calls: list[Callable[[], Awaitable[object]]]) -> None:
        """Held-back replies go one at a time, in the order they were held back, each piece in its slot of the
        pacer, once any wait Telegram named is over: not all at once at its end, which would only be refused
        again."""
        for _attempt in range(REPLY_TRIES):
            async with self._reply_turn:
                wait = self._replies_resume_at - asyncio.get_running_loop().time()
                if wait > REPLY_WAIT_CAP:
                    break
                await asyncio.sleep(max(wait, 0))
                try:
                    while calls:
                        await asyncio.sleep(self.pacer.reserve(chat))
                        await calls[0]()
                        calls.pop(0)
                    return
                except RetryAfter as error:
                    self._hold_replies(_seconds(error))
                except TelegramError as error:
                    log.warning("A reply held back by Telegram's limits could not be sent (%s)", type(error).__name__)
                    return
        log.warning("A reply was held back by Telegram's limits %d times and was not sent", REPLY_TRIES)

    async def _privately(self, context: ContextTypes.DEFAULT_TYPE, actor: Actor, message: Message) -> Message:
        """`message` sent to the person's private chat; what to say in the group instead."""
        bot, chat = context.bot, int(actor.user_id)  # a person's private chat has their user id
        try:
            await self._send(Target(PlatformName.TELEGRAM, str(chat), direct=True), message,
                             functools.partial(bot.send_message, chat), functools.partial(bot.send_document, chat))
        except Forbidden:  # they never pressed Start with the bot, or blocked it
            return Message(severity=Severity.WARNING, body=_(
                "This answer is for you alone, and I cannot write to you in a private chat yet. Open "
                "https://t.me/{bot}, press Start, then give the command here again.", bot=bot.username))
        return Message(body=_("I sent it to you in our private chat."))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Anything a handler did not handle: the log gets the traceback, the person a short, kind reply."""
        log.error("Handling a Telegram update failed", exc_info=context.error)
        if not isinstance(update, Update) or update.effective_message is None:
            return
        user = update.effective_user
        locale = choose_locale(user.language_code if user else None,
                               default=self.services.settings.default_locale)
        with use_locale(locale):
            reply = something_went_wrong()
        try:
            await self.reply(update, reply)
        except TelegramError:
            log.warning("Could not tell the person about the failure")


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # an int today, a timedelta in PTB 23: both are handled
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return float(wait if isinstance(wait, int) else wait.total_seconds())
