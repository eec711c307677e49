"""Command line: `python -m bot run | console | migrate | extract | calendar | testimonies import`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__

if TYPE_CHECKING:
    from bot.config import Settings

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
                         help="the day the copy (with --diff: NEW) was fetched; a firm shutdown on or before it "
                              "is retired (default: today)")
    extract.add_argument("--old-as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help="with --diff: the day OLD was fetched (default: the --as-of day)")
    extract.add_argument("--json", action="store_true", help="print JSON instead of a table")
    calendar = commands.add_parser(
        "calendar", help="write an iCalendar file of the upcoming shutdown dates and deadlines a community follows")
    calendar.add_argument("--out", required=True, metavar="FILE", help="where to write the .ics file")
    calendar.add_argument("--community", metavar="PLATFORM:ID",
                          help="the community whose sources count, as discord:<server id>, telegram:<chat id> or "
                               "console (default: the built-in sources, as in a private chat with the bot)")
    calendar.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                          help="the day from which dates count as upcoming (default: today)")
    testimonies = commands.add_parser("testimonies", help="testimonies gathered elsewhere")
    testimony_commands = testimonies.add_subparsers(dest="testimonies_command", metavar="COMMAND", required=True)
    importing = testimony_commands.add_parser(
        "import", help="import testimonies from a CSV or JSON file; they wait for review like any other",
        description="Each row holds the Form's answers: models, uses, meaning, asks, language, consent (0|1|2) and "
                    "health (yes|no) are required, display_name, author (any stable id; only a pseudonym of it is "
                    "kept) and submitted_at are optional. If any row is wrong, nothing is imported.")
    importing.add_argument("file", metavar="FILE", help="a .csv (UTF-8, with a header row) or .json (a list of "
                                                        "objects) file")
    importing.add_argument("--community", required=True, metavar="ID",
                           help="the community's number, or discord:<server id> / telegram:<chat id>")
    importing.add_argument("--campaign", default=None, metavar="NAME",
                           help="an existing campaign of that community (default: its default campaign)")
    return parser


async def _extract(args: argparse.Namespace, allow_private: bool, today: Callable[[], date]) -> None:
    from bot.watch.snapshot import notice_json, snapshot_notices, snapshot_rows

    as_of = args.as_of or today()
    if args.diff:
        if len(args.location) != 2:
            raise SystemExit("extract --diff needs two copies: OLD NEW")
        notices = await snapshot_notices(*args.location, args.vendor, as_of=as_of, old_as_of=args.old_as_of,
                                         allow_private=allow_private)
        records = [notice_json(n) for n in notices]
    else:
        if len(args.location) != 1:
            raise SystemExit("extract needs one PATH_OR_URL")
        records = [row.to_json() for row in await snapshot_rows(args.location[0], args.vendor, as_of=as_of,
                                                                allow_private=allow_private)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for record in records:
        print("  ".join(f"{key}={value}" for key, value in record.items() if value not in (None, [], "")))
    print(f"{len(records)} {'notices' if args.diff else 'rows'}", file=sys.stderr)


class _BadArgument(Exception):
    """A command-line argument that cannot be used: the message says why (exit status 2)."""


async def _calendar_file(args: argparse.Namespace, settings: Settings,
                         today: Callable[[], date]) -> tuple[bytes, int]:
    from bot.domain import PlatformName
    from bot.i18n import use_locale
    from bot.store import Store
    from bot.watch.calendar import calendar_file

    platform, _sep, external_id = args.community.partition(":") if args.community else ("", "", "")
    if platform and platform not in {p.value for p in PlatformName}:
        raise _BadArgument(f"--community {args.community}: write it as discord:<server id>, telegram:<chat id> "
                           "or console.")
    store = await Store.open(settings.database_path)
    try:
        community = None
        if platform:
            # The console's one community is called "console" on both sides of the colon.
            community = await store.communities.get_community(PlatformName(platform), external_id or platform)
            if community is None:
                raise _BadArgument(f"No community {args.community} is known to this database; it appears once the "
                                   "bot has served it.")
        with use_locale(community.locale if community and community.locale else settings.default_locale):
            return await calendar_file(store, community.id if community else None, args.as_of or today())
    finally:
        await store.close()


def _calendar(args: argparse.Namespace, settings: Settings, today: Callable[[], date]) -> int:
    try:
        data, count = asyncio.run(_calendar_file(args, settings, today))
        Path(args.out).write_bytes(data)
    except _BadArgument as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    except OSError as error:
        print(f"Cannot write {args.out}: {error.strerror or error}.", file=sys.stderr)
        return EXIT_SETTINGS
    print(f"Wrote {count} event{'' if count == 1 else 's'} to {args.out}.")
    return 0


async def _import_testimonies(args: argparse.Namespace, data: bytes, settings: Settings,
                              now: Callable[[], datetime]) -> str:
    from bot.config import pseudonym_secret
    from bot.i18n import use_locale
    from bot.pseudonyms import Pseudonyms
    from bot.store import Store
    from bot.testimonies import importer
    from bot.testimonies.service import TestimonyService

    pseudonyms = Pseudonyms(pseudonym_secret(settings))
    store = await Store.open(settings.database_path)
    try:
        community = await importer.find_community(store, args.community)
        campaign = await importer.find_campaign(store, community, args.campaign, now())
        testimonies = TestimonyService(store, pseudonyms, dict, clock=now)
        # The Form's questions, and so its messages, in the community's language.
        with use_locale(community.locale or settings.default_locale):
            result = await importer.import_testimonies(data, Path(args.file).name, store=store, testimonies=testimonies,
                                                       pseudonyms=pseudonyms, community=community,
                                                       campaign=campaign, clock=now)
    except importer.ImportRefused as refused:
        raise _BadArgument(importer.problems_text(refused, args.file)) from None
    finally:
        await store.close()
    return importer.describe(result)


def _testimonies(args: argparse.Namespace, settings: Settings, now: Callable[[], datetime]) -> int:
    try:
        try:
            data = Path(args.file).read_bytes()
        except OSError as error:
            raise _BadArgument(f"Cannot read {args.file}: {error.strerror or error}.") from None
        print(asyncio.run(_import_testimonies(args, data, settings, now)))
    except _BadArgument as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    return 0


def main(argv: list[str] | None = None, *, today: Callable[[], date] = date.today,
         now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """`today` is the clock `extract` and `calendar` read when no --as-of is given, `now` the one an import
    stamps testimonies with (tests inject both)."""
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
    from bot.i18n import use_locale

    try:
        if args.command == "extract":
            asyncio.run(_extract(args, settings.watch_allow_private_addresses, today))
        elif args.command == "calendar":
            return _calendar(args, settings, today)
        elif args.command == "testimonies":
            return _testimonies(args, settings, now)
        elif args.command == "migrate":
            asyncio.run(app.migrate_only(settings))
        else:
            asyncio.run(app.run(settings, console=args.command == "console"))
    except UserError as error:
        with use_locale(settings.default_locale):
            print(error.text(), file=sys.stderr)
        return EXIT_ERROR
    except SettingsError as error:  # found only once started, e.g. a DATABASE_PATH that cannot be used
        log.error("%s", error)
        return EXIT_SETTINGS
    except ContinuityError as error:
        log.error("%s", error)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
