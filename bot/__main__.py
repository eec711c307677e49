"""Command line: `python -m bot run | console | migrate`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from datetime import date

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
    extract = commands.add_parser(
        "extract", help="print the retirement rows a vendor page shows (or, with --diff, the notices between two "
                        "copies)")
    extract.add_argument("location", nargs="*", metavar="PATH_OR_URL",
                         help="a saved copy or the address of a vendor page; with --diff: OLD NEW")
    extract.add_argument("--vendor", help="the page family when it cannot be told from the address")
    extract.add_argument("--diff", action="store_true", help="compare two copies: OLD NEW")
    extract.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help="the day the copy is read (release notes: a date before it means retired); with "
                              "--diff, the day the change is seen (default: today)")
    extract.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


async def _extract(args: argparse.Namespace, allow_private: bool) -> None:
    from bot.watch.snapshot import notice_json, snapshot_notices, snapshot_rows

    if args.diff:
        if len(args.location) != 2:
            raise SystemExit("extract --diff needs two copies: OLD NEW")
        notices = await snapshot_notices(*args.location, args.vendor, as_of=args.as_of or date.today(),
                                         allow_private=allow_private)
        records = [notice_json(n) for n in notices]
    else:
        if len(args.location) != 1:
            raise SystemExit("extract needs one PATH_OR_URL")
        records = [row.to_json() for row in await snapshot_rows(args.location[0], args.vendor,
                                                                allow_private=allow_private, as_of=args.as_of)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for record in records:
        print("  ".join(f"{key}={value}" for key, value in record.items() if value not in (None, [], "")))
    print(f"{len(records)} {'notices' if args.diff else 'rows'}", file=sys.stderr)


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
    from bot.errors import UserError
    from bot.i18n import translate

    try:
        if args.command == "extract":
            asyncio.run(_extract(args, settings.watch_allow_private_addresses))
        elif args.command == "migrate":
            asyncio.run(app.migrate_only(settings))
        else:
            asyncio.run(app.run(settings, console=args.command == "console"))
    except UserError as error:
        print(translate(settings.default_locale, error.message, **error.params), file=sys.stderr)
        return EXIT_ERROR
    except ContinuityError as error:
        log.error("%s", error)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
