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
from pathlib import Path
from typing import TextIO

from bot.alerts.pacing import Pacer
from bot.commands import answer, run_text
from bot.domain import FormProgress, PlatformName, Target
from bot.errors import InvalidInput, UnknownCommand
from bot.files import write_private_atomically
from bot.forms import KEEP, FormExpired, answer_from_text, earlier_answer, question_message
from bot.i18n import N_, _, terminal_locale, use_locale
from bot.presentation import Actor, Ask, Attachment, Capabilities, Message, PartSent, Reply
from bot.services import Services

COMMUNITY_ID = "console"
MAX_LINE = 64 * 1024
TOO_LONG = object()  # what `readline` returns for a line over MAX_LINE, whose rest it has skipped


def render_text(message: Message, *, bold: bool = False) -> str:
    """A Message as plain text: title, body, fields indented under their names, link, footer."""
    lines: list[str] = []
    if message.title:
        lines.append(f"\033[1m{message.title}\033[0m" if bold else message.title)
    if message.body or not message.title:
        lines.append(message.body)
    for field in message.fields:
        value = field.value.replace("\n", "\n    ")
        lines.append(f"  {field.name}: {value}" if field.inline else f"  {field.name}\n    {value}")
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
    # /dev/null is a character device too, but epoll cannot wait on it: only a terminal is polled.
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or (stat.S_ISCHR(mode) and stream.isatty())


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
            reader = asyncio.StreamReader(limit=MAX_LINE)
            self._transport, _protocol = await asyncio.get_running_loop().connect_read_pipe(
                lambda: asyncio.StreamReaderProtocol(reader), self._stream)
            self._reader = reader

    async def readline(self) -> str | object | None:
        """The next line without its newline, None at end of input, or TOO_LONG for a line over MAX_LINE."""
        if self._reader is not None:
            try:
                raw = await self._reader.readuntil(b"\n")
            except asyncio.IncompleteReadError as end:
                raw = end.partial  # the last line had no newline, or the input ended
            except asyncio.LimitOverrunError:
                await self._skip_line()
                return TOO_LONG
            line = raw.decode("utf-8", errors="replace") if raw else None
        else:
            line = await asyncio.to_thread(self._stream.readline, MAX_LINE + 1) or None
            if line is not None and len(line) > MAX_LINE and not line.endswith("\n"):
                while (rest := await asyncio.to_thread(self._stream.readline, MAX_LINE)) and not rest.endswith("\n"):
                    pass
                return TOO_LONG
        return None if line is None else line.rstrip("\r\n")

    async def _skip_line(self) -> None:
        assert self._reader is not None
        while True:
            try:
                await self._reader.readuntil(b"\n")
                return
            except asyncio.LimitOverrunError as error:
                await self._reader.readexactly(error.consumed)
            except asyncio.IncompleteReadError:
                return

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
        self.pacer = Pacer(self.capabilities)
        self._stdout = stdout
        self._lines = _LineReader(stdin)
        self._interactive = stdin.isatty() and stdout.isatty()
        self._client_locale = terminal_locale()
        self._files = Path(services.settings.database_path).parent / "files"

    async def actor(self) -> Actor:
        people = self._services.people
        community = await people.community(PlatformName.CONSOLE, COMMUNITY_ID, COMMUNITY_ID)
        return await people.actor(PlatformName.CONSOLE, "console", "console", client_locale=self._client_locale,
                                  community=community, is_moderator=True,
                                  channel=Target(PlatformName.CONSOLE, COMMUNITY_ID), private=True)

    async def start(self) -> None:
        await self._lines.open()
        # The console hears every notice unless its person subscribed otherwise: they arrive through the
        # same outbox as on the platforms, printed by `send`.
        await self._services.alert_commands.subscribe_if_none(await self.actor())

    async def run(self) -> None:
        """Answer commands until end of input; a form left open before a restart goes on where it was."""
        actor = await self.actor()
        with use_locale(actor.locale):
            if self._interactive:
                self._print(_("Continuity console. Type /help for commands; Ctrl-D leaves."))
            await self._reply(actor, await answer(lambda: self._resume(actor), what="Resuming a console form"))
        while (line := await self._readline("> ")) is not None:
            if line is TOO_LONG:
                with use_locale(actor.locale):
                    self._print(_("That line is longer than {max} characters, so it was ignored.", max=MAX_LINE))
                continue
            assert isinstance(line, str)
            await self.handle(line)

    async def stop(self) -> None:
        self._lines.close()

    async def handle(self, line: str) -> None:
        """A command, or the answer to the open form's question."""
        line = line.strip()
        if line.startswith("#"):
            return
        actor = await self.actor()
        with use_locale(actor.locale):
            try:
                form_open = await self._services.forms.current(actor) is not None
            except FormExpired as expired:  # say so once, then go on with what was typed
                self._print(expired.text())
                form_open = False
            if line.startswith("/"):
                reply = await answer(lambda: run_text(self._services, actor, line[1:]), what="A console command")
                await self._reply(actor, reply, asking=form_open)
            elif form_open:
                await self._reply(actor, await answer(lambda: self._give(actor, line), what="A console form"),
                                  asking=True)
            elif line:
                self._show(await answer(lambda: _unknown(line), what="A console line"))

    async def _resume(self, actor: Actor) -> Reply:
        progress = await self._services.forms.current(actor)
        if progress is None:
            return Message(body="")
        self._print(_("You were filling in a form; here is where you left off."))
        return Ask(progress.form_key, resume=True)

    async def _give(self, actor: Actor, text: str) -> Reply:
        forms = self._services.forms
        progress = await forms.current(actor)
        if progress is None:
            raise InvalidInput(N_("No form is open. Commands such as /survey report open one."))
        if forms.is_complete(progress):  # its submit was refused: an answer must change first
            raise InvalidInput(N_("This form waits for a change: /back changes the last answer, /cancel stops it."))
        form = forms.form(progress)
        field = form.fields[progress.step]
        # An empty line keeps the earlier answer, where there is one (an /edit's stored value).
        given = KEEP if not text.strip() and earlier_answer(form, progress) is not None \
            else answer_from_text(field, text)
        result = await forms.give(progress, actor, {field.key: given})
        return result if isinstance(result, Message) else Ask(progress.form_key, resume=True)

    async def _reply(self, actor: Actor, reply: Reply, *, asking: bool = False) -> None:
        """Show a reply; an `Ask` begins (or goes on with) a form and prints its next question."""
        if isinstance(reply, Ask):
            self._show(await answer(lambda: self._question(actor, reply), what="Asking a console form"))
            return
        self._show(reply)
        if asking:
            # A command given in the middle of a form: ask its question again, so the person knows where they are.
            question = await answer(lambda: self._question(actor, Ask("", resume=True)), what="A console form")
            if question.body:
                self._show(question)

    async def _question(self, actor: Actor, ask: Ask) -> Message:
        forms = self._services.forms
        progress: FormProgress | None = await forms.current(actor) if ask.resume else None
        if progress is None and ask.form:
            progress = await forms.start(actor, ask)
        if progress is None:
            return Message(body="")
        if forms.is_complete(progress):  # everything was given up front
            return await forms.finish(progress, actor)
        form = forms.form(progress)
        return question_message(form, progress.step, earlier=earlier_answer(form, progress),
                                keep=_("An empty line keeps it."))

    def _show(self, reply: Reply) -> None:
        if isinstance(reply, Message) and (reply.body or reply.title):
            self._print(render_text(reply, bold=self._interactive))
            for attachment in reply.attachments:
                self._print(_("Saved {name}.", name=str(self._save(attachment))))

    def _save(self, attachment: Attachment) -> Path:
        self._files.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self._files / Path(attachment.filename).name  # never a path the message chose
        write_private_atomically(path, attachment.data)  # a statement or a data export holds people's words
        return path

    async def send(self, target: Target, message: Message, *, nonce: str | None = None, skip_parts: int = 0,
                   on_part: PartSent | None = None) -> str:
        self._print(render_text(message, bold=self._interactive))
        return "console"

    def place_name(self, target: Target) -> str | None:
        return None

    async def find_posted(self, target: Target, message: Message, since: float) -> str | None:
        return None  # it has no nonce, so nothing ever asks

    async def _readline(self, prompt: str) -> str | object | None:
        if self._interactive:
            self._stdout.write(prompt)
            self._stdout.flush()
        return await self._lines.readline()

    def _print(self, text: str) -> None:
        self._stdout.write(text + "\n")
        self._stdout.flush()


async def _unknown(line: str) -> Message:
    raise UnknownCommand(line.split()[0][:40])
