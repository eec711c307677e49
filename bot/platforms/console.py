"""The console front door: commands from standard input, one per line, answers as plain text.

It needs no token, so a self-hoster can try every feature before connecting a platform, and it can be
scripted: when standard input is not a terminal it prints no prompt or banner, and end of input exits 0.
The person at the console is the moderator of a local community called `console`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import stat
import sys
from collections.abc import Awaitable, Callable
from typing import TextIO

from bot.domain import PlatformName
from bot.errors import UnknownCommand, UserError
from bot.i18n import _, translate, use_locale
from bot.presentation import Actor, Capabilities, Form, Message, PartSent, Target
from bot.services import Services

Handler = Callable[[Actor, str], Awaitable[Message]]

COMMUNITY_ID = "console"


def render_text(message: Message, *, bold: bool = False) -> str:
    """A Message as plain text: title, body, fields indented under their names, link, footer."""
    lines: list[str] = []
    if message.title:
        lines.append(f"\033[1m{message.title}\033[0m" if bold else message.title)
    lines.append(message.body)
    for field in message.fields:
        lines.append(f"  {field.name}: {field.value}" if field.inline else f"  {field.name}\n    {field.value}")
    if message.link:
        lines.append(message.link)
    if message.footer:
        lines.append(message.footer)
    return "\n".join(lines)


def _pollable(stream: TextIO) -> bool:
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError):  # e.g. an in-memory stream
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)


class _LineReader:
    """Reads standard input without blocking the event loop, and can be cancelled at shutdown.

    Pipes and terminals are read through the event loop; a regular file (`< script.txt`) cannot be
    polled, but reading it never blocks for long, so a thread does.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._reader: asyncio.StreamReader | None = None
        self._transport: asyncio.BaseTransport | None = None

    async def open(self) -> None:
        if _pollable(self._stream):
            reader = asyncio.StreamReader()
            self._transport, _protocol = await asyncio.get_running_loop().connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader), self._stream)
            self._reader = reader

    async def readline(self) -> str | None:
        """The next line without its newline, or None at end of input."""
        if self._reader is not None:
            raw = await self._reader.readline()
            line = raw.decode("utf-8", errors="replace") if raw else None
        else:
            line = await asyncio.to_thread(self._stream.readline) or None
        return None if line is None else line.rstrip("\r\n")

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
            with contextlib.suppress(OSError, ValueError):
                # The event loop made the terminal non-blocking; give the shell back a normal one.
                os.set_blocking(self._stream.fileno(), True)


class ConsoleFrontDoor:
    name = PlatformName.CONSOLE
    capabilities = Capabilities(max_message_length=1_000_000, max_form_fields=100)

    def __init__(self, services: Services, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> None:
        self._services = services
        self._stdout = stdout
        self._lines = _LineReader(stdin)
        self._interactive = stdin.isatty() and stdout.isatty()
        self._client_locale = os.environ.get("LC_ALL") or os.environ.get("LANG")
        self._commands: dict[str, Handler] = {
            "help": self._sync(services.general.help),
            "about": self._sync(services.general.about),
            "privacy": self._sync(services.general.privacy),
            "language": services.people.set_language,
            "deprecations": services.watch_commands.deprecations,
            "sources": services.watch_commands.sources_text,
            "survey": services.watch_commands.survey_text,
            "alerts": services.alert_commands.alerts_text,
            "notice": services.alert_commands.notice_text,
        }

    @staticmethod
    def _sync(handler: Callable[[Actor], Message]) -> Handler:
        async def run(actor: Actor, _args: str) -> Message:
            return handler(actor)
        return run

    async def actor(self) -> Actor:
        people = self._services.people
        community = await people.community(PlatformName.CONSOLE, COMMUNITY_ID, COMMUNITY_ID)
        return await people.actor(PlatformName.CONSOLE, "console", "console", client_locale=self._client_locale,
                                  community=community, is_moderator=True,
                                  channel=Target(PlatformName.CONSOLE, COMMUNITY_ID))

    async def start(self) -> None:
        await self._lines.open()
        # The console hears every notice unless its person subscribed otherwise: they arrive through the
        # same outbox as on the platforms, printed by `send`.
        await self._services.alert_commands.subscribe_if_none(await self.actor())

    async def run(self) -> None:
        """Answer commands until end of input."""
        if self._interactive:
            actor = await self.actor()
            with use_locale(actor.locale):
                self._print(_("Continuity console. Type /help for commands; Ctrl-D leaves."))
        while (line := await self._readline("> ")) is not None:
            await self.handle(line)

    async def stop(self) -> None:
        self._lines.close()

    async def handle(self, line: str) -> None:
        line = line.strip()
        if not line or line.startswith("#"):
            return
        actor = await self.actor()
        with use_locale(actor.locale):
            name, _sep, args = line.partition(" ")
            try:
                handler = self._commands.get(name.removeprefix("/").lower()) if name.startswith("/") else None
                if handler is None:
                    raise UnknownCommand(name[:40])
                self._print(render_text(await handler(actor, args.strip()), bold=self._interactive))
            except UserError as error:
                self._print(translate(actor.locale, error.message, **error.params))

    async def send(self, target: Target, message: Message, *, nonce: str | None = None, skip_parts: int = 0,
                   on_part: PartSent | None = None) -> str:
        self._print(render_text(message, bold=self._interactive))
        return "console"

    async def present_form(self, actor: Actor, form: Form) -> dict[str, str] | None:
        """Ask one field per line; an invalid answer is explained and asked again. None at end of input."""
        answers: dict[str, str] = {}
        with use_locale(actor.locale):
            self._print(form.title)
            for field in form.fields:
                question = field.label
                if field.choices:
                    question += f" [{' / '.join(field.choices)}]"
                if not field.required:
                    question += " " + _("(optional, leave empty to skip)")
                while True:
                    self._print(question)
                    raw = await self._readline("> ")
                    if raw is None:
                        return None
                    try:
                        answers[field.key] = field.clean(raw)
                        break
                    except UserError as error:
                        self._print(translate(actor.locale, error.message, **error.params))
        return answers

    async def _readline(self, prompt: str) -> str | None:
        if self._interactive:
            self._stdout.write(prompt)
            self._stdout.flush()
        return await self._lines.readline()

    def _print(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()
