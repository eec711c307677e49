"""Forms on Telegram: one question at a time in the private chat, with inline buttons for choices
(toggles plus Done for several), Skip for optional questions, Back; typed answers work too. Where the
person is in the form lives in the database (`FormService`), so a restart between two steps loses nothing.
A form begun in a group goes on in the private chat through a deep link (`/start f<token>`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, ContextTypes, MessageHandler, filters

from bot.commands import answer
from bot.domain import FormProgress
from bot.errors import InvalidInput
from bot.forms import DRAFT, KEEP, answer_from_text, earlier_answer, question_message
from bot.i18n import N_, _
from bot.presentation import Actor, Answer, Ask, FieldKind, Message, Reply

if TYPE_CHECKING:
    from bot.platforms.telegram.front_door import TelegramFrontDoor

DEEP_LINK_PREFIX = "f"


def register(door: TelegramFrontDoor) -> None:
    conversation = Conversation(door)
    door.application.add_handlers([
        CallbackQueryHandler(conversation.on_button, pattern=r"^f:"),
        MessageHandler(filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                       conversation.on_text),
    ])
    door.conversation = conversation


class Conversation:
    def __init__(self, door: TelegramFrontDoor) -> None:
        self._door = door
        self._forms = door.services.forms

    async def ask(self, update: Update, actor: Actor, ask: Ask) -> Message | None:
        """An `Ask` from a command: in a group, a button to the private chat; there, the next question."""
        progress = await self._forms.start(actor, ask)
        if actor.community is not None:
            link = f"https://t.me/{self._door.application.bot.username}?start={DEEP_LINK_PREFIX}{progress.token}"
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(_("Open the form"), url=link)]])
            await self._door.reply(update, Message(body=_(
                "I will ask the questions in a private chat with you, so your answers stay between us.")),
                reply_markup=keyboard)
            return None
        return await self._next(update, actor, progress)

    async def resume(self, update: Update, actor: Actor, token: str) -> Message | None:
        """`/start f<token>` in the private chat: go on with the form begun in a group."""
        progress = await self._forms.current(actor, token)
        if progress is None:
            raise InvalidInput(N_("That form is no longer open. Give the command again where you started it."))
        return await self._next(update, actor, progress)

    async def _next(self, update: Update, actor: Actor, progress: FormProgress) -> Message | None:
        if self._forms.is_complete(progress):
            return await self._forms.finish(progress, actor)
        form = self._forms.form(progress)
        await self._door.reply(update, question_message(form, progress.step, earlier=self._earlier(progress),
                                                        keep=_("Keep leaves it as it is.")),
                               reply_markup=self._keyboard(progress))
        return None

    def _earlier(self, progress: FormProgress) -> Answer | None:
        """The answer a question may keep (an edit's stored value). A multiple-choice question needs none:
        its earlier choices start ticked, and Done keeps them."""
        form = self._forms.form(progress)
        if form.fields[progress.step].kind == FieldKind.MULTI:
            return None
        return earlier_answer(form, progress)

    def _keyboard(self, progress: FormProgress) -> InlineKeyboardMarkup | None:
        field = self._forms.form(progress).fields[progress.step]
        prefix = f"f:{progress.token}:{progress.step}:"  # at most 64 bytes: the token is 12 characters
        rows: list[list[InlineKeyboardButton]] = []
        if field.kind == FieldKind.CHOICE:
            rows = [[InlineKeyboardButton(c.label, callback_data=f"{prefix}c{i}")] for i, c in enumerate(field.choices)]
        elif field.kind == FieldKind.MULTI:
            chosen = progress.answers.get(DRAFT + field.key, [])
            rows = [[InlineKeyboardButton(("✓ " if c.value in chosen else "") + c.label,
                                          callback_data=f"{prefix}t{i}")] for i, c in enumerate(field.choices)]
            rows.append([InlineKeyboardButton(_("Done"), callback_data=f"{prefix}d")])
        elif field.kind == FieldKind.YESNO:
            rows = [[InlineKeyboardButton(_("Yes"), callback_data=f"{prefix}y"),
                     InlineKeyboardButton(_("No"), callback_data=f"{prefix}n")]]
        last = []
        if self._earlier(progress) is not None:
            last.append(InlineKeyboardButton(_("Keep"), callback_data=f"{prefix}k"))
        if not field.required and field.kind != FieldKind.MULTI:
            last.append(InlineKeyboardButton(_("Skip"), callback_data=f"{prefix}s"))
        if progress.step > 0:
            last.append(InlineKeyboardButton(_("Back"), callback_data=f"{prefix}b"))
        if last:
            rows.append(last)
        return InlineKeyboardMarkup(rows) if rows else None

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A message in the private chat that is not a command: the answer to the open form's question."""
        assert update.effective_message is not None and update.effective_message.text is not None
        text = update.effective_message.text

        async def give(actor: Actor) -> Reply:
            progress = await self._forms.current(actor)
            if progress is None:
                raise InvalidInput(N_("Send /help to see what I can do."))
            if self._forms.is_complete(progress):
                raise InvalidInput(N_("This form waits for a change: /back changes the last answer, /cancel "
                                      "stops it."))
            field = self._forms.form(progress).fields[progress.step]
            return await self._given(update, actor, progress, answer_from_text(field, text))
        await self._door.answer(update, context, give, ask_again=True)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        _f, token, step, action = [*query.data.split(":"), "", "", ""][:4]

        async def press(actor: Actor) -> Reply:
            progress = await self._forms.current(actor, token)
            if progress is None or str(progress.step) != step or update.effective_chat is None \
                    or update.effective_chat.type != ChatType.PRIVATE:
                await query.answer(_("That question was already answered, or the form is closed."))
                return Message(body="")
            await query.answer()
            field = self._forms.form(progress).fields[progress.step]
            kind, index = action[:1], action[1:]
            if kind == "b":
                return await self._next_or_nothing(update, actor, await self._forms.back(progress))
            if kind == "t" and index.isdigit() and int(index) < len(field.choices):
                value = field.choices[int(index)].value
                chosen = list(progress.answers.get(DRAFT + field.key, []))
                chosen = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
                progress = await self._forms.save_draft(progress, field.key, chosen)
                await query.edit_message_reply_markup(self._keyboard(progress))
                return Message(body="")
            given: object
            if kind == "c" and index.isdigit() and int(index) < len(field.choices):
                given = field.choices[int(index)].value
            elif kind == "d":
                given = list(progress.answers.get(DRAFT + field.key, []))
            elif kind in ("y", "n"):
                given = kind == "y"
            elif kind == "s":
                given = None
            elif kind == "k" and self._earlier(progress) is not None:
                given = KEEP
            else:
                return Message(body="")
            return await self._given(update, actor, progress, given)
        await self._door.answer(update, context, press, ask_again=True)

    async def _given(self, update: Update, actor: Actor, progress: FormProgress, raw: object) -> Reply:
        field = self._forms.form(progress).fields[progress.step]
        result = await self._forms.give(progress, actor, {field.key: raw})
        if isinstance(result, Message):
            return result
        return await self._next_or_nothing(update, actor, result)

    async def _next_or_nothing(self, update: Update, actor: Actor, progress: FormProgress) -> Message:
        return await self._next(update, actor, progress) or Message(body="")

    async def ask_again(self, update: Update, actor: Actor) -> None:
        """After a refused answer, or a command given meanwhile: the open form's question once more."""
        async def again() -> Message:
            progress = await self._forms.current(actor)
            if progress is not None and not self._forms.is_complete(progress):
                await self._next(update, actor, progress)
            return Message(body="")
        await answer(again, what="Asking a Telegram form again")
