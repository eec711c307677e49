"""Command line: `python -m bot run | console | migrate | extract | calendar | testimonies import | export |
verify | backup`."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__
from bot.i18n import _, _n, terminal_locale, use_locale

if TYPE_CHECKING:
    from bot.config import Settings

log = logging.getLogger("bot")

EXIT_ERROR = 1
EXIT_SETTINGS = 2
EXIT_DAMAGED = 3  # the database failed SQLite's check: restore a backup


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description=_("Continuity: watches AI model retirements, alerts communities, collects testimonies."),
    )
    parser.add_argument("--version", action="version", version=f"Continuity {__version__}")
    parser.add_argument("--env-file", default=".env", help=_("settings file to read (default: .env)"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help=_("start every platform whose token is set (the console if none is)"))
    commands.add_parser("console", help=_("talk to the bot in this terminal; no token needed"))
    commands.add_parser("migrate", help=_("create or upgrade the database, then exit"))
    extract = commands.add_parser(
        "extract", help=_("print the retirement rows a vendor page shows (or, with --diff, the notices between two "
                          "copies)"))
    extract.add_argument("location", nargs="*", metavar="PATH_OR_URL",
                         help=_("a saved copy or the address of a vendor page; with --diff: OLD NEW"))
    extract.add_argument("--vendor", help=_("the page family when it cannot be told from the address"))
    extract.add_argument("--diff", action="store_true", help=_("compare two copies: OLD NEW"))
    extract.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help=_("the day the copy (with --diff: NEW) was fetched; a firm shutdown on or before it "
                                "is retired (default: today)"))
    extract.add_argument("--old-as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help=_("with --diff: the day OLD was fetched (default: the --as-of day)"))
    extract.add_argument("--json", action="store_true", help=_("print JSON instead of a table"))
    calendar = commands.add_parser(
        "calendar", help=_("write an iCalendar file of the upcoming shutdown dates and deadlines a community follows"))
    calendar.add_argument("--out", required=True, metavar="FILE", help=_("where to write the .ics file"))
    calendar.add_argument("--community", metavar="PLATFORM:ID",
                          help=_("the community whose sources count, as discord:<server id>, telegram:<chat id> or "
                                 "console (default: the built-in sources, as in a private chat with the bot)"))
    calendar.add_argument("--as-of", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                          help=_("the day from which dates count as upcoming (default: today)"))
    testimonies = commands.add_parser("testimonies", help=_("testimonies gathered elsewhere"))
    testimony_commands = testimonies.add_subparsers(dest="testimonies_command", metavar="COMMAND", required=True)
    importing = testimony_commands.add_parser(
        "import", help=_("import testimonies from a CSV or JSON file; they wait for review like any other"),
        description=_("Each row holds the Form's answers: models, uses, meaning, asks, language, consent (0|1|2) and "
                      "health (yes|no) are required, display_name, author (any stable id; only a pseudonym of it is "
                      "kept) and submitted_at are optional. If any row is wrong, nothing is imported."))
    importing.add_argument("file", metavar="FILE", help=_("a .csv (UTF-8, with a header row) or .json (a list of "
                                                          "objects) file"))
    importing.add_argument("--community", required=True, metavar="ID",
                           help=_("the community's number, or discord:<server id> / telegram:<chat id>"))
    importing.add_argument("--campaign", default=None, metavar="NAME",
                           help=_("an existing campaign of that community (default: its default campaign)"))
    _export_parser(commands)
    backup = commands.add_parser(
        "backup", help=_("copy the database consistently, even while the bot runs"),
        description=_("The copy is SQLite's own backup of one moment, checked before it replaces anything. "
                      "pseudonym.key (or PSEUDONYM_SECRET) is not in it: keep the key too, apart from the copies."))
    backup.add_argument("path", metavar="PATH",
                        help=_("the file to write, or a folder (with a trailing /, made if missing) to write "
                               "continuity-<UTC time>.db into"))
    return parser


def _cannot_write(path: object, error: OSError) -> str:
    return _("Cannot write {path}: {reason}.", path=path, reason=error.strerror or error)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text}: expected a day as YYYY-MM-DD, e.g. 2026-04-15",
                                           text=repr(text))) from None


def _moment(text: str) -> datetime:
    """An ISO time; a day alone is its midnight, and a time without an offset is UTC (as in an import)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text}: expected an ISO time such as 2026-04-15T12:00:00Z or "
                                           "2026-04-15", text=repr(text))) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _threshold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(_("{text}: expected a whole number of at least 1 (default 5)",
                                           text=repr(text)))
    return value


def _models(text: str) -> tuple[str, ...]:
    models = tuple(part.strip() for part in text.split(",") if part.strip())
    if not models:
        raise argparse.ArgumentTypeError(_("{text}: expected one or more models separated by commas, e.g. 4o,o1",
                                           text=repr(text)))
    return models


def _template(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(_("{text}: no such file; expected a Jinja template file such as "
                                           "my-letter.md.j2 (see the README's Statements section)", text=repr(text)))
    return path


def _export_parser(commands: argparse._SubParsersAction) -> None:
    from bot.statements.bundle import exports
    from bot.statements.render.common import KINDS, LOCALES
    from bot.testimonies.form import LANGUAGES

    formats = exports()
    export = commands.add_parser(
        "export", help=_("write a statement of the approved testimonies, as their consent allows"),
        description=_("Formats: {formats}. A format of one file is written to --out (or into it, when it is a "
                      "folder); csv writes its files into the folder --out names. Counts under --threshold are "
                      "suppressed.", formats="; ".join(f"{name}: {fmt.description}" for name, fmt in formats.items())))
    export.add_argument("--format", required=True, choices=list(formats), help=_("what to write"))
    export.add_argument("--out", required=True, metavar="PATH", help=_("the file (csv: the folder) to write"))
    export.add_argument("--community", metavar="ID", help=_("only this community: its number, or discord:<server id> "
                                                            "/ telegram:<chat id> (default: every community)"))
    export.add_argument("--campaign", metavar="NAME", help=_("only this campaign, by name (\"\" for the default one)"))
    export.add_argument("--since", type=_day, metavar="YYYY-MM-DD", help=_("testimonies given on or after this day"))
    export.add_argument("--until", type=_day, metavar="YYYY-MM-DD", help=_("testimonies given on or before this day"))
    export.add_argument("--language", choices=LANGUAGES, help=_("only testimonies written in this language"))
    export.add_argument("--models", type=_models, metavar="A,B", help=_("only testimonies about these models"))
    export.add_argument("--kind", choices=KINDS, default="letter",
                        help=_("the document md, html, pdf and bundle write: an open letter to a vendor, a submission "
                               "to a public consultation, to the UN Digital Cooperation Portal, or a press summary"))
    export.add_argument("--locale", choices=LOCALES, default="en", help=_("the document's language (default en)"))
    export.add_argument("--template", type=_template, metavar="FILE",
                        help=_("your own Jinja template instead of --kind's (it runs in a sandbox)"))
    export.add_argument("--threshold", type=_threshold, default=None, metavar="N",
                        help=_("counts under N are suppressed (default 5)"))
    export.add_argument("--at", type=_moment, default=None, metavar="ISO-TIME",
                        help=_("the statement's time: consent as it stood then, and every timestamp of the files; "
                               "the same database and --at give byte-identical files (default: now)"))
    verify = commands.add_parser("verify", help=_("check every file of a statement bundle against its manifest"))
    verify.add_argument("bundle", metavar="BUNDLE", help=_("a statement-bundle.zip"))


async def _extract(args: argparse.Namespace, allow_private: bool, today: Callable[[], date]) -> None:
    from bot.watch.snapshot import notice_json, snapshot_notices, snapshot_rows

    as_of = args.as_of or today()
    if args.diff:
        if len(args.location) != 2:
            raise SystemExit(_("extract --diff needs two copies: OLD NEW"))
        notices = await snapshot_notices(*args.location, args.vendor, as_of=as_of, old_as_of=args.old_as_of,
                                         allow_private=allow_private)
        records = [notice_json(n) for n in notices]
    else:
        if len(args.location) != 1:
            raise SystemExit(_("extract needs one PATH_OR_URL"))
        records = [row.to_json() for row in await snapshot_rows(args.location[0], args.vendor, as_of=as_of,
                                                                allow_private=allow_private)]
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for record in records:
        print("  ".join(f"{key}={value}" for key, value in record.items() if value not in (None, [], "")))
    print(_n("{n} notice", "{n} notices", len(records)) if args.diff else _n("{n} row", "{n} rows", len(records)),
          file=sys.stderr)


class _BadArgument(Exception):
    """A command-line argument that cannot be used: the message says why (exit status 2)."""


async def _calendar_file(args: argparse.Namespace, settings: Settings,
                         today: Callable[[], date]) -> tuple[bytes, int]:
    from bot.domain import PlatformName
    from bot.store import Store
    from bot.watch.calendar import calendar_file

    platform, _sep, external_id = args.community.partition(":") if args.community else ("", "", "")
    if platform and platform not in {p.value for p in PlatformName}:
        raise _BadArgument(_("--community {community}: write it as discord:<server id>, telegram:<chat id> or "
                             "console.", community=args.community))
    store = await Store.open(settings.database_path)
    try:
        community = None
        if platform:
            # The console's one community is called "console" on both sides of the colon.
            community = await store.communities.get_community(PlatformName(platform), external_id or platform)
            if community is None:
                raise _BadArgument(_("No community {community} is known to this database; it appears once the bot "
                                     "has served it.", community=args.community))
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
        print(_cannot_write(args.out, error), file=sys.stderr)
        return EXIT_SETTINGS
    print(_n("Wrote {n} event to {path}.", "Wrote {n} events to {path}.", count, path=args.out))
    return 0


async def _import_testimonies(args: argparse.Namespace, data: bytes, settings: Settings,
                              now: Callable[[], datetime]) -> str:
    from bot.config import pseudonym_secret
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
        result = await importer.import_testimonies(data, Path(args.file).name, store=store, testimonies=testimonies,
                                                   pseudonyms=pseudonyms, community=community, campaign=campaign,
                                                   clock=now)
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
            raise _BadArgument(_("Cannot read {path}: {reason}.", path=args.file,
                                 reason=error.strerror or error)) from None
        print(asyncio.run(_import_testimonies(args, data, settings, now)))
    except _BadArgument as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    return 0


async def _statement(args: argparse.Namespace, settings: Settings, at: datetime):
    from bot.statements.aggregate import build_statement
    from bot.statements.model import DEFAULT_THRESHOLD, Filters, Options
    from bot.store import Store
    from bot.testimonies import importer

    try:
        options = Options(generated_at=at, threshold=args.threshold or DEFAULT_THRESHOLD)
    except ValueError as error:
        raise _BadArgument(_("--at {at}: {reason}.", at=args.at, reason=error)) from None
    store = await Store.open(settings.database_path)
    try:
        community = None
        if args.community:
            try:
                community = await importer.find_community(store, args.community)
            except importer.ImportRefused as refused:
                text = "; ".join(map(str, refused.problems))
                raise _BadArgument(text[:1].upper() + text[1:]) from None
        campaign = None
        if args.campaign is not None:
            campaign = args.campaign.strip()
            communities = [community] if community else await store.communities.list_communities()
            names = {c.name for each in communities for c in await store.testimonies.campaigns(each.id)}
            if campaign.lower() not in {name.lower() for name in names}:
                known = ", ".join(f"“{name}”" for name in sorted(n for n in names if n)) or _("none but the default")
                raise _BadArgument(_("--campaign {campaign}: no such campaign in {community}. Expected one of: {known} "
                                     "(\"\" for the default campaign).", campaign=args.campaign, known=known,
                                     community=community.name) if community else
                                   _("--campaign {campaign}: no such campaign. Expected one of: {known} (\"\" for "
                                     "the default campaign).", campaign=args.campaign, known=known))
        try:
            filters = Filters(community_id=community.id if community else None, campaign=campaign,
                              models=args.models or (), since=args.since, until=args.until, language=args.language)
        except ValueError as error:
            raise _BadArgument(_("--since/--until: {reason}; expected --since on or before --until.",
                                 reason=error)) from None
        return await build_statement(store, filters, options, themes=True)
    finally:
        await store.close()


def _targets(fmt, out: Path) -> tuple[Path, list[str]]:
    """Where a format's files go, checked before anything is built: a single file at --out (or inside it,
    when it is a folder), several inside the folder --out (made if it does not exist yet)."""
    if fmt.single:
        target = out / Path(fmt.files[0]).name if out.is_dir() else out
        if not target.parent.is_dir():
            raise _BadArgument(_("Cannot write {path}: the folder {folder} does not exist.", path=out,
                                 folder=target.parent))
        return target.parent, [target.name]
    if out.exists() and not out.is_dir():
        raise _BadArgument(_("--out {path}: the {format} format writes {count} files ({files}); expected a folder, "
                             "not a file.", path=out, format=fmt.name, count=len(fmt.files),
                             files=", ".join(fmt.files)))
    if not out.parent.is_dir():
        raise _BadArgument(_("Cannot write {path}: the folder {folder} does not exist.", path=out, folder=out.parent))
    return out, [Path(name).name for name in fmt.files]


def _write(folder: Path, names: list[str], files: dict[str, bytes]) -> None:
    """Each file written whole, then moved into place, readable by its owner only (it holds people's words):
    an export that fails leaves no torn file."""
    from bot.files import write_private_atomically

    folder.mkdir(exist_ok=True)
    for name, data in zip(names, files.values(), strict=True):
        write_private_atomically(folder / name, data)


def _export(args: argparse.Namespace, settings: Settings, now: Callable[[], datetime]) -> int:
    from tqdm import tqdm

    from bot.statements import bundle
    from bot.statements.render.common import Presentation, iso
    from bot.statements.render.environment import StatementTemplateError

    fmt = bundle.exports()[args.format]
    at = args.at or now()
    show = sys.stdout.isatty() and sys.stderr.isatty()
    steps = 2 + (bundle.steps() if fmt is bundle.FORMAT else 1)
    try:
        folder, names = _targets(fmt, Path(args.out))
        if not Path(settings.database_path).is_file():
            raise _BadArgument(_("No database at {path} (DATABASE_PATH): nothing to export.",
                                 path=settings.database_path))
        with tqdm(total=steps, desc=f"export {fmt.name}", unit="step", file=sys.stderr, disable=not show,
                  leave=False) as bar:
            bar.set_postfix_str(_("reading the testimonies"))
            statement = asyncio.run(_statement(args, settings, at))
            bar.update()

            def done(step: str) -> None:
                bar.set_postfix_str(step)
                bar.update()

            presentation = Presentation(args.kind, args.locale, args.template)
            if fmt is bundle.FORMAT:
                files = {bundle.FILE: bundle.bundle(statement, presentation, progress=done)}
            else:
                files = fmt.render(statement, presentation)
                done(fmt.name)
            _write(folder, names, files)
            done(_("written"))
    except _BadArgument as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    except StatementTemplateError as error:
        print(_("The template cannot be used: {reason}. Nothing was written.", reason=error), file=sys.stderr)
        return EXIT_SETTINGS
    except OSError as error:
        print(_cannot_write(args.out, error), file=sys.stderr)
        return EXIT_SETTINGS
    where = str(folder / names[0]) if fmt.single else _("{files} to {folder}/", files=", ".join(names), folder=folder)
    print(_("Wrote {where}: {total} testimonies, {quotes} quotable passages, {withdrawn} withdrawn; consent as of "
            "{moment}, counts under {threshold} suppressed.", where=where, total=statement.total,
            quotes=len(statement.quotes), withdrawn=statement.withdrawn, moment=iso(statement.generated_at),
            threshold=statement.threshold))
    print(_("A statement already sent cannot be recalled: export again after a withdrawal."))
    return 0


def _backup(args: argparse.Namespace, settings: Settings, now: Callable[[], datetime]) -> int:
    from bot.store.backup import BackupRefused, backup

    try:
        made = backup(Path(settings.database_path), Path(args.path), now(), folder=args.path.endswith(("/", os.sep)))
    except BackupRefused as refused:
        print(refused, file=sys.stderr)
        return EXIT_SETTINGS
    print(_("Backed up {database} to {path} ({size} MB in {seconds} s); the copy passed SQLite's check.",
            database=settings.database_path, path=made.path, size=f"{made.size / 1_000_000:.1f}",
            seconds=f"{made.seconds:.1f}"))
    if settings.pseudonym_secret is None:
        print(_("Keep {key} as well, somewhere else: without it people's pseudonyms change and they cannot reach "
                "what they gave.", key=settings.data_dir / "pseudonym.key"))
    return 0


def _verify(args: argparse.Namespace) -> int:
    from bot.statements.bundle import BundleUnreadable, manifest_size, verify

    try:
        problems = verify(args.bundle)
    except BundleUnreadable as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    if problems:
        print(_("{bundle} does not match its manifest:", bundle=args.bundle))
        for problem in problems:
            print(f"  {problem}")
        return EXIT_ERROR
    count = manifest_size(args.bundle)
    print(_n("The {n} file matches the manifest.", "All {n} files match the manifest.", count))
    return 0


def main(argv: list[str] | None = None, *, today: Callable[[], date] = date.today,
         now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> int:
    """`today` is the clock `extract` and `calendar` read when no --as-of is given, `now` the one an import
    stamps testimonies with and an export without --at is dated by (tests inject both). What it prints is in
    the terminal's language (`terminal_locale`), else DEFAULT_LOCALE."""
    with use_locale(terminal_locale() or "en"):
        return _main(argv, today, now)


def _main(argv: list[str] | None, today: Callable[[], date], now: Callable[[], datetime]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_SETTINGS
    if args.command == "verify":  # a recipient's check: no settings, no database
        return _verify(args)

    from bot.config import load_settings
    from bot.errors import SettingsError
    from bot.logs import setup_logging

    try:
        settings = load_settings(args.env_file)
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_SETTINGS
    setup_logging(settings.log_level, settings.secrets())
    with use_locale(terminal_locale() or settings.default_locale):
        return _command(args, settings, today, now)


def _command(args: argparse.Namespace, settings: Settings, today: Callable[[], date],
             now: Callable[[], datetime]) -> int:
    from bot import app
    from bot.errors import ContinuityError, DatabaseDamaged, SettingsError, UserError

    try:
        if args.command == "extract":
            asyncio.run(_extract(args, settings.watch_allow_private_addresses, today))
        elif args.command == "calendar":
            return _calendar(args, settings, today)
        elif args.command == "testimonies":
            return _testimonies(args, settings, now)
        elif args.command == "export":
            return _export(args, settings, now)
        elif args.command == "backup":
            return _backup(args, settings, now)
        elif args.command == "migrate":
            asyncio.run(app.migrate_only(settings))
        else:
            asyncio.run(app.run(settings, console=args.command == "console"))
    except UserError as error:
        print(error.text(), file=sys.stderr)
        return EXIT_ERROR
    except SettingsError as error:  # found only once started, e.g. a DATABASE_PATH that cannot be used
        log.error("%s", error)
        return EXIT_SETTINGS
    except DatabaseDamaged as error:
        log.error("%s", error)
        return EXIT_DAMAGED
    except ContinuityError as error:
        log.error("%s", error)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
