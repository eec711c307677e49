"""One log format for the whole process, and the guarantees around it.

Libraries log request URLs and payloads at DEBUG/INFO (httpx puts the Telegram token in every URL;
discord.py logs message bodies and gateway events). So their loggers are held at INFO (the HTTP
clients at WARNING) whatever LOG_LEVEL says, and every line passes a redactor that removes the secrets
as a last guard.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# Libraries whose DEBUG (or, for HTTP clients, INFO) output can contain tokens or message text.
_LIBRARY_FLOOR = {
    "discord": logging.INFO, "telegram": logging.INFO, "apscheduler": logging.WARNING,
    "aiosqlite": logging.INFO, "aiohttp": logging.WARNING, "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
    # what renders a statement: fontTools tells of every table it prunes while subsetting the CJK font
    "fontTools": logging.WARNING, "matplotlib": logging.WARNING, "fpdf": logging.WARNING,
}


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__(FORMAT)
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


def _not_about_voice(record: logging.LogRecord) -> bool:
    # discord.py warns at every start that voice support is missing; a text-only bot never needs it.
    return "voice will NOT be supported" not in record.getMessage()


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(secrets))
    handler.addFilter(_not_about_voice)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, floor in _LIBRARY_FLOOR.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
