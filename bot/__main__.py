"""Command line: `python -m bot run | console | migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot import __version__

log = logging.getLogger("bot")

EXIT_ERROR = 1
EXIT_SETTINGS = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Continuity: watches AI model retirements, alerts communities, collects testimonies.",
    )
    parser.add_argument("--version", action="version", version=f"Continuity {__version__}")
    parser.add_argument("--env-file", default=".env", help="settings file to read (default: .env)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="start every platform whose token is set (the console if none is)")
    commands.add_parser("console", help="talk to the bot in this terminal; no token needed")
    commands.add_parser("migrate", help="create or upgrade the database, then exit")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_SETTINGS

    from bot.config import load_settings
    from bot.errors import ContinuityError, SettingsError
    from bot.logs import setup_logging

    try:
        settings = load_settings(args.env_file)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    setup_logging(settings.log_level, settings.secrets())

    from bot import app

    try:
        if args.command == "migrate":
            asyncio.run(app.migrate_only(settings))
        else:
            asyncio.run(app.run(settings, console=args.command == "console"))
    except ContinuityError as error:
        log.error("%s", error)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
