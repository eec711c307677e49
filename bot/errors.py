"""One error root. Errors a person can cause carry a translatable message; platforms map them to replies."""

from __future__ import annotations

from typing import Any

from bot.i18n import N_
from bot.i18n import stored as stored_message


class ContinuityError(Exception):
    """Base of every error Continuity raises on purpose."""


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


class UserError(ContinuityError):
    """Something a person asked for cannot be done. `message` is an English msgid with placeholders,
    translated in the person's language when it is shown."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message, self.params = message, params


class UnknownCommand(UserError):
    def __init__(self, command: str) -> None:
        super().__init__(N_("Unknown command {command}. Send /help to see the commands."), command=command)


class NotAllowed(UserError):
    def __init__(self) -> None:
        super().__init__(N_("Only the community's moderators can do that."))


class InvalidInput(UserError):
    """A form answer or argument was refused; nothing was changed."""


class DeliveryFailed(ContinuityError):
    """A message could not be delivered. The front door decides what kind of failure it is:

    - `pause`: the target itself cannot be used (no access, deleted, the bot was blocked or removed);
      its subscription is paused and the moderators are told.
    - `final`: this message will never go through as it is; it is marked failed, the target stays.
    - otherwise it is temporary: retried later, after `retry_after` seconds when the platform said so.

    `message` (an English msgid with named placeholders, like UserError's) is shown to moderators in their
    language: it says what happened and, where there is one, what to do.
    """

    def __init__(self, message: str, *, pause: bool = False, final: bool = False,
                 retry_after: float | None = None, **params: Any) -> None:
        self.message, self.params = message, params
        self.pause, self.final, self.retry_after = pause, final, retry_after
        super().__init__(self.reason)

    @property
    def reason(self) -> str:
        """In English, for the log and the outbox's `last_error`."""
        return self.message.format(**self.params) if self.params else self.message

    def stored(self) -> str:
        """For a column read back later and shown in the reader's language (see `i18n.from_stored`)."""
        return stored_message(self.message, **self.params)
