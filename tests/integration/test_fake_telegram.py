"""The fake Bot API, driven by the real python-telegram-bot: what later tests can rely on."""

from __future__ import annotations

import asyncio
import datetime as dtm
import os
from collections.abc import AsyncIterator

import pytest
import telegram.error
from telegram import BotCommand, BotCommandScopeAllGroupChats, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from tests.fakes.telegram_api import FakeTelegram, parse_telegram_html
from tests.fakes.telegram_payloads import callback_query, command_message

PRIVATE = 5000
GROUP = -1001234


@pytest.fixture(autouse=True)
def _loopback_not_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB's httpx client honours proxy variables; the fake must be reached directly.
    if any(os.environ.get(name) for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy",
                                             "https_proxy", "all_proxy")):
        current = os.environ.get("NO_PROXY") or os.environ.get("no_proxy") or ""
        value = ",".join(part for part in (current, "127.0.0.1", "localhost") if part)
        monkeypatch.setenv("NO_PROXY", value)
        monkeypatch.setenv("no_proxy", value)
    # RetryAfter.retry_after is an int with a deprecation warning unless this is set.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram()
    await server.start()
    yield server
    await server.stop()


def build_app(fake: FakeTelegram, token: str | None = None) -> Application:
    return (
        ApplicationBuilder()
        .token(token or fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.base_file_url)
        .build()
    )


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("help text")


async def button_pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"got {query.data}")
    await query.edit_message_text(f"chose {query.data}")


@pytest.fixture
async def app(fake: FakeTelegram) -> AsyncIterator[Application]:
    application = build_app(fake)
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CallbackQueryHandler(button_pressed))
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=1)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def test_help_in_private_chat_is_answered_in_that_chat(fake: FakeTelegram, app: Application) -> None:
    fake.push_update(command_message("help", chat_id=PRIVATE))

    call = await fake.wait_for_call("sendMessage")

    assert call.params["chat_id"] == PRIVATE
    assert call.params["text"] == "help text"
    assert fake.texts(PRIVATE) == ["help text"]
    assert fake.sent[PRIVATE][0]["from"]["username"] == "continuity_bot"
    assert [c.method for c in fake.calls[:2]] == ["getMe", "deleteWebhook"]


async def test_help_addressed_to_the_bot_in_a_group(fake: FakeTelegram, app: Application) -> None:
    fake.push_update(command_message("help", chat_id=GROUP, chat_type="supergroup", bot_username="continuity_bot"))

    call = await fake.wait_for_call("sendMessage")

    assert call.params["chat_id"] == GROUP
    assert fake.sent[GROUP][0]["chat"]["type"] == "supergroup"


async def test_a_handled_update_is_acknowledged_by_the_next_offset(fake: FakeTelegram, app: Application) -> None:
    update_id = fake.push_update(command_message("help"))

    delivered = await fake.wait_for_call(
        "getUpdates", lambda c: any(u["update_id"] == update_id for u in c.result or []))
    await fake.wait_until_acknowledged(update_id)  # a later getUpdates came with offset=update_id + 1

    assert delivered.status == 200
    assert fake.pending_updates == []


async def test_set_my_commands_is_recorded_by_scope_and_language(fake: FakeTelegram, app: Application) -> None:
    await app.bot.set_my_commands([BotCommand("help", "What I can do")])
    await app.bot.set_my_commands([BotCommand("alerts", "Alerts here")], scope=BotCommandScopeAllGroupChats(),
                                  language_code="fr")

    assert fake.commands[("default", "")] == [{"command": "help", "description": "What I can do"}]
    assert fake.commands[("all_group_chats", "fr")][0]["command"] == "alerts"
    assert [c.command for c in await app.bot.get_my_commands()] == ["help"]
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)BOT_COMMAND_INVALID"):
        await app.bot.set_my_commands([BotCommand("Help-Me", "bad name")])


async def test_text_over_4096_characters_is_refused(fake: FakeTelegram, app: Application) -> None:
    await app.bot.send_message(PRIVATE, "x" * 4096)
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(PRIVATE, "x" * 4097)
    # Telegram counts what is visible, in UTF-16 units: markup does not count, an emoji counts twice.
    await app.bot.send_message(PRIVATE, "<b>" + "x" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message is too long"):
        await app.bot.send_message(PRIVATE, "😀" * 2049)


@pytest.mark.parametrize("text", ["<b>x", "a < b", "fish & chips", "<b>x</i>", "<div>x</div>",
                                  "<span>x</span>", "<a>x</a>", "&nbsp;"])
async def test_malformed_html_is_refused(fake: FakeTelegram, app: Application, text: str) -> None:
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(PRIVATE, text, parse_mode=ParseMode.HTML)


async def test_well_formed_html_is_accepted_and_its_visible_text_recorded(fake: FakeTelegram,
                                                                         app: Application) -> None:
    await app.bot.send_message(PRIVATE, "&lt;b&gt; is bold", parse_mode=ParseMode.HTML)
    message = await app.bot.send_message(
        PRIVATE, '<a href="https://x">y</a> <b>bold <i>both</i></b> &amp; <tg-spoiler>s</tg-spoiler>'
                 ' <blockquote expandable>q</blockquote> &#128512;',
        parse_mode=ParseMode.HTML,
    )

    assert fake.texts(PRIVATE) == ["<b> is bold", "y bold both & s q 😀"]
    assert fake.sent[PRIVATE][1]["text"].startswith('<a href="https://x">')
    assert message.text == "y bold both & s q 😀"
    assert [e.type for e in message.entities] == ["text_link", "bold", "italic", "spoiler", "expandable_blockquote"]
    assert message.entities[0].url == "https://x"
    # Plain text is taken as it is: no parse_mode, no HTML rules.
    await app.bot.send_message(PRIVATE, "a < b & c")


def test_html_parser_reports_offsets_like_telegram() -> None:
    assert parse_telegram_html("<b>é</b>") == ("é", [{"type": "bold", "offset": 0, "length": 1}])
    with pytest.raises(ValueError, match=r'(?i)start tag "b"'):
        parse_telegram_html("x <b>y")


async def test_callback_data_over_64_bytes_is_refused(fake: FakeTelegram, app: Application) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("go", callback_data="d" * 65)]])
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)BUTTON_DATA_INVALID"):
        await app.bot.send_message(PRIVATE, "choose", reply_markup=keyboard)


async def test_rate_limit_next_raises_retry_after(fake: FakeTelegram, app: Application) -> None:
    fake.rate_limit_next(retry_after=7, method="sendMessage")

    with pytest.raises(telegram.error.RetryAfter) as caught:
        await app.bot.send_message(PRIVATE, "hello")

    assert caught.value.retry_after == dtm.timedelta(seconds=7)
    await app.bot.send_message(PRIVATE, "hello again")  # only the next one was limited
    assert fake.texts(PRIVATE) == ["hello again"]


async def test_blocked_kicked_and_deleted_chats(fake: FakeTelegram, app: Application) -> None:
    fake.block_chat(PRIVATE)
    fake.kick_from_chat(GROUP)
    fake.delete_chat(-42)

    with pytest.raises(telegram.error.Forbidden, match=r"(?i)bot was blocked by the user"):
        await app.bot.send_message(PRIVATE, "hello")
    with pytest.raises(telegram.error.Forbidden, match=r"(?i)kicked from the group chat"):
        await app.bot.send_message(GROUP, "hello")
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)chat not found"):
        await app.bot.send_message(-42, "hello")
    assert fake.sent == {}


async def test_wrong_token_is_refused_at_initialize(fake: FakeTelegram) -> None:
    application = build_app(fake, token="999:not-the-token")

    with pytest.raises(telegram.error.InvalidToken):
        await application.initialize()

    await application.bot.shutdown()
    assert fake.calls[-1].status == 401


async def test_button_press_reaches_the_callback_handler(fake: FakeTelegram, app: Application) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="yes")]])
    await app.bot.send_message(PRIVATE, "Subscribe?", reply_markup=keyboard)

    fake.push_update(callback_query("yes", message=fake.sent[PRIVATE][-1]))

    answered = await fake.wait_for_call("answerCallbackQuery")
    assert answered.status == 200
    assert answered.params["text"] == "got yes"
    edited = await fake.wait_for_call("editMessageText")
    assert edited.status == 200
    assert fake.texts(PRIVATE) == ["chose yes"]
    assert "reply_markup" not in fake.sent[PRIVATE][0]


async def test_send_document_records_the_upload(fake: FakeTelegram, app: Application) -> None:
    message = await app.bot.send_document(GROUP, b"col1,col2\n1,2\n", filename="export.csv", caption="Export")

    call = fake.calls[-1]
    assert call.method == "sendDocument"
    assert call.files["document"] == b"col1,col2\n1,2\n"
    assert call.filenames["document"] == "export.csv"
    assert message.document is not None and message.document.file_name == "export.csv"
    assert fake.sent[GROUP][0]["caption"] == "Export"
    downloaded = await (await app.bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == b"col1,col2\n1,2\n"


async def test_chat_member_status_and_chat_lookup(fake: FakeTelegram, app: Application) -> None:
    fake.set_chat_member(GROUP, 7, "administrator")

    assert (await app.bot.get_chat_member(GROUP, 7)).status == "administrator"
    assert (await app.bot.get_chat_member(GROUP, 8)).status == "member"
    for status in ("creator", "restricted", "left", "kicked"):
        fake.set_chat_member(GROUP, 9, status)
        assert (await app.bot.get_chat_member(GROUP, 9)).status == status
    assert (await app.bot.get_chat(GROUP)).type == "supergroup"
    await app.bot.send_chat_action(PRIVATE, "typing")


async def test_enforced_limits_allow_one_message_per_second_in_a_private_chat(
        fake: FakeTelegram, app: Application) -> None:
    fake.enforce_limits = True

    await app.bot.send_message(PRIVATE, "one")
    with pytest.raises(telegram.error.RetryAfter) as caught:
        await app.bot.send_message(PRIVATE, "two")
    with pytest.raises(telegram.error.RetryAfter):
        await app.bot.send_message(PRIVATE, "three")

    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    await app.bot.send_message(PRIVATE + 1, "another chat is not held back")
    assert fake.texts(PRIVATE) == ["one"]


async def test_enforced_limits_allow_twenty_messages_per_minute_in_a_group(
        fake: FakeTelegram, app: Application) -> None:
    fake.enforce_limits = True
    fake.global_limit = 1000  # isolate the per-group window

    for n in range(20):
        await app.bot.send_message(GROUP, f"message {n}")
    with pytest.raises(telegram.error.RetryAfter) as caught:
        await app.bot.send_message(GROUP, "one too many")

    assert dtm.timedelta(seconds=50) < caught.value.retry_after <= dtm.timedelta(seconds=60)


async def test_unknown_method_and_edit_of_unknown_message(fake: FakeTelegram, app: Application) -> None:
    with pytest.raises(telegram.error.EndPointNotFound):
        await app.bot.do_api_request("sendTeleportation", api_kwargs={"chat_id": PRIVATE})
    with pytest.raises(telegram.error.BadRequest, match=r"(?i)message to edit not found"):
        await app.bot.edit_message_text("new", chat_id=PRIVATE, message_id=424242)


async def test_stop_does_not_wait_for_a_long_poll(fake: FakeTelegram) -> None:
    application = build_app(fake)
    await application.initialize()
    # A long poll that would last a minute ends when the server stops.
    poll = application.bot.get_updates(timeout=60, read_timeout=70)
    task = asyncio.create_task(poll)
    await fake.wait_until_polled()
    await fake.stop()
    assert await asyncio.wait_for(task, 2) == ()
    await application.shutdown()
