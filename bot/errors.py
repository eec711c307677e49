"""One error root. Errors a person can cause carry a translatable message; platforms map them to replies."""

from __future__ import annotations

import json
from typing import Any

from bot.i18n import N_, render, use_locale


class ContinuityError(Exception):
    """Base of every error Continuity raises on purpose."""


class Explained(ContinuityError):
    """An error that explains itself to people: `message` is an English msgid with named placeholders and
    `params` fill them, so it is worded in each reader's language when shown, now (`text()`) or later from
    the database (`stored()`, read back with `i18n.from_stored`). A parameter may be another Explained (a
    sentence that builds on another); details such as an address or an HTTP status are parameters, so the
    whole sentence is translated."""

    def __init__(self, message: str, /, **params: Any) -> None:
        self.message, self.params = message, params
        super().__init__(self.reason)

    def as_data(self) -> dict[str, Any]:
        return {"message": self.message,
                "params": {k: v.as_data() if isinstance(v, Explained) else v for k, v in self.params.items()}}

    @property
    def reason(self) -> str:
        """In English, for the log and for columns only operators read (the outbox's `last_error`)."""
        with use_locale("en"):
            return self.text()

    def text(self) -> str:
        """In the current request's language."""
        return render(self.as_data())

    def stored(self) -> str:
        """For a column read back later and shown in the reader's language (see `i18n.from_stored`)."""
        return json.dumps(self.as_data(), ensure_ascii=False)


class NotFound(ContinuityError):
    """The store has no such thing: `what` names its kind ("source", "survey report"), `which` the one asked
    for. Not a UserError: the store does not speak to people; the command that asked words it for them."""

    def __init__(self, what: str, which: object) -> None:
        super().__init__(f"No {what} {which}")
        self.what, self.which = what, which


class AlreadyExists(ContinuityError):
    """The store already holds this (`what`, `which` as for NotFound); the command words it."""

    def __init__(self, what: str, which: object) -> None:
        super().__init__(f"The {what} {which} already exists")
        self.what, self.which = what, which


class LimitReached(ContinuityError):
    """The store refuses to hold more: `what` names the kind, `limit` how many there may be; the command words
    it."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"At most {limit} {what}")
        self.what, self.limit = what, limit


class SettingsError(ContinuityError):
    """The settings cannot be used; the message says which and how to fix it."""


class StoreError(ContinuityError):
    """The database cannot be used as it is."""


class DatabaseUnusable(SettingsError):
    """DATABASE_PATH names something that cannot be opened for reading and writing: a setting to fix."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(
            f"DATABASE_PATH {path} cannot be used: {reason}. Point DATABASE_PATH at a Continuity database, "
            "or at a new file in a folder this user can read and write (a missing folder is created)."
        )


class DatabaseDamaged(StoreError):
    """SQLite's own check found the file damaged: nothing may be read from it or written to it."""

    def __init__(self, path: object, problems: list[str]) -> None:
        shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        super().__init__(
            f"The database {path} is damaged (SQLite's check says: {shown}). Nothing was changed. Stop "
            "Continuity and restore your latest backup as the README's “Backups and restoring” says; to save "
            "what can still be read, run: sqlite3 DAMAGED.db .recover | sqlite3 recovered.db"
        )


class SchemaTooNew(StoreError):
    def __init__(self, path: str, found: int, known: int) -> None:
        super().__init__(
            f"The database {path} has schema version {found}, but this Continuity only knows up to "
            f"{known}: it was used by a newer version. Upgrade Continuity, or point DATABASE_PATH at "
            "another file. Nothing was changed."
        )
        self.found, self.known = found, known


class MigrationFailed(StoreError):
    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"Migration {name} failed and was rolled back: {reason}")


class PlatformLoginFailed(ContinuityError):
    """A platform refused our token or could not be reached; the message says what to do."""


class Usage(ContinuityError):
    """The words typed after a command do not fit it; the answer path replies with the command's usage."""


class UserError(Explained):
    """Something a person asked for cannot be done; said in the person's language (`text()`)."""


class UnknownCommand(UserError):
    def __init__(self, command: str) -> None:
        super().__init__(N_("Unknown command {command}. Send /help to see the commands."), command=command)


class NotAllowed(UserError):
    def __init__(self) -> None:
        super().__init__(N_("Only the community's moderators can do that."))


class InvalidInput(UserError):
    """A form answer or argument was refused; nothing was changed."""


class DeliveryFailed(Explained):
    """A message could not be delivered. The front door decides what kind of failure it is:

    - `pause`: the target itself cannot be used (no access, deleted, the bot was blocked or removed);
      its subscription is paused and the moderators are told.
    - `final`: this message will never go through as it is; it is marked failed, the target stays.
    - otherwise it is temporary: retried later, after `retry_after` seconds when the platform said so.

    The message is shown to moderators in their language: it says what happened and, where there is one,
    what to do.
    """

    def __init__(self, message: str, *, pause: bool = False, final: bool = False,
                 retry_after: float | None = None, **params: Any) -> None:
        self.pause, self.final, self.retry_after = pause, final, retry_after
        super().__init__(message, **params)
