"""Settings from the environment and `.env`: one object, built once and passed down."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.errors import SettingsError
from bot.files import make_private_folder, write_private_atomically
from bot.i18n import LOCALES

log = logging.getLogger(__name__)

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]

# Shorter keys were accepted once (an empty key file even): pseudonyms under them can be recomputed by anyone
# who guesses the key, so they are refused at start rather than used.
MIN_KEY_LENGTH = 32


class Settings(BaseSettings):
    """Every setting, with its default. `.env.example` documents each one for self-hosters."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    telegram_token: SecretStr | None = None
    database_path: Path = Path("./data/continuity.db")
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg"
    discord_dev_guild: int | None = None
    telegram_api_base: str = "https://api.telegram.org/bot"
    log_level: LogLevel = "INFO"
    default_locale: str = "en"
    moderator_role: str | None = None
    pseudonym_secret: SecretStr | None = None
    watch_enabled: bool = True
    watch_builtin_sources: bool = True
    watch_allow_private_addresses: bool = False
    # Comma-separated in .env, not JSON: NoDecode hands the raw text to the validator below.
    reminder_days: Annotated[tuple[int, ...], NoDecode] = (30, 7, 1, 0)
    survey_reminder_days: Annotated[tuple[int, ...], NoDecode] = (3, 1)
    # Seconds a delivery stays claimed while it is sent; after a crash it is sent again once this passes.
    delivery_lease_seconds: float = Field(default=60.0, ge=1.0, le=3600.0)
    # Counts under this are hidden in every statement a moderator exports from a chat.
    statement_threshold: int = Field(default=5, ge=1, le=1000)

    @field_validator("reminder_days", "survey_reminder_days", mode="before")
    @classmethod
    def _day_list(cls, value: object) -> object:
        if isinstance(value, str):
            try:
                days = tuple(sorted({int(part) for part in value.replace(" ", "").split(",") if part}, reverse=True))
            except ValueError:
                raise ValueError("must be whole numbers of days separated by commas, e.g. 30,7,1,0") from None
            if any(day < 0 or day > 365 for day in days):
                raise ValueError("each day must be between 0 and 365")
            return days
        return value

    @field_validator("discord_token", "telegram_token", "pseudonym_secret", "moderator_role", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # `.env.example` is copied with empty values; an empty line means "not set", not "empty token".
        if isinstance(value, str) and not value.strip():
            return None
        return value.strip() if isinstance(value, str) else value

    @field_validator("pseudonym_secret")
    @classmethod
    def _long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < MIN_KEY_LENGTH:
            raise ValueError(f"must be at least {MIN_KEY_LENGTH} characters, or anyone could recompute people's "
                             "pseudonyms; make one with: python -c 'import secrets; print(secrets.token_hex(32))'")
        return value

    @field_validator("discord_dev_guild", mode="before")
    @classmethod
    def _blank_guild_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("default_locale")
    @classmethod
    def _known_locale(cls, value: str) -> str:
        if value not in LOCALES:
            raise ValueError(f"must be one of {', '.join(LOCALES)}")
        return value

    @field_validator("discord_api_base", "telegram_api_base")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("discord_gateway_url")
    @classmethod
    def _ws_url(cls, value: str) -> str:
        if not value.startswith(("ws://", "wss://")):
            raise ValueError("must start with ws:// or wss://")
        return value

    @property
    def data_dir(self) -> Path:
        return self.database_path.parent

    def secrets(self) -> list[str]:
        """Values that must never reach a log line."""
        values = [self.discord_token, self.telegram_token, self.pseudonym_secret]
        return [v.get_secret_value() for v in values if v is not None]


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Build the settings, turning pydantic's report into one readable `SettingsError`."""
    try:
        return Settings(_env_file=env_file)  # type: ignore[call-arg]
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "?"
            message = str(error["msg"]).removeprefix("Value error, ")
            lines.append(f"{name}: {message} (got {error.get('input')!r})" if name not in _SECRET_NAMES
                         else f"{name}: {message}")
        raise SettingsError(
            "Invalid settings:\n  " + "\n  ".join(lines)
            + "\nFix them in .env or the environment (see .env.example for every setting)."
        ) from None


_SECRET_NAMES = {"DISCORD_TOKEN", "TELEGRAM_TOKEN", "PSEUDONYM_SECRET"}


def pseudonym_secret(settings: Settings) -> bytes:
    """The key for pseudonyms: the setting, else a key generated once and kept beside the database.

    Generating it keeps setup at two commands; keeping it means pseudonyms stay stable across restarts.
    """
    if settings.pseudonym_secret is not None:
        return settings.pseudonym_secret.get_secret_value().encode()
    path = settings.data_dir / "pseudonym.key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"The pseudonym key {path} cannot be read ({error}). Make it readable by "
                            "this user, or set PSEUDONYM_SECRET.") from None
    if key is not None:
        if len(key) < MIN_KEY_LENGTH:
            raise SettingsError(
                f"The pseudonym key {path} holds {len(key)} characters; at least {MIN_KEY_LENGTH} are needed, "
                "or anyone could recompute people's pseudonyms. Delete the file to have a new key generated "
                "(pseudonyms made with the old one will change), or set PSEUDONYM_SECRET."
            )
        return key.encode()
    make_private_folder(settings.data_dir)
    key = secrets.token_hex(32)
    write_private_atomically(path, (key + "\n").encode("ascii"))
    log.warning(
        "PSEUDONYM_SECRET is not set: generated one and saved it in %s. Back it up with the database; "
        "without it, people's pseudonyms change.", path,
    )
    return key.encode()
