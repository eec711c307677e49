"""The Jinja environment every statement template runs in, ours and moderators' alike: sandboxed (a
template cannot reach Python's internals, call methods that change data, or read files outside the
template folders), strict (a misspelled name is an error, not an empty string) and escaping every value
it prints as Markdown text unless Continuity wrote it (`text.Md`)."""

from __future__ import annotations

import traceback
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

from bot.statements.render.text import finalize

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class StatementTemplateError(Exception):
    """A template could not be rendered; the message names the file and the line."""


def environment(extra: Path | None = None) -> SandboxedEnvironment:
    """Templates are looked up in `extra` (a moderator's folder) first, then in ours, so a moderator's
    template can `{% include "_method.en.md.j2" %}` or extend one of ours."""
    folders = [str(extra)] if extra else []
    env = SandboxedEnvironment(
        loader=FileSystemLoader([*folders, str(TEMPLATES)]), undefined=StrictUndefined, finalize=finalize,
        autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["cap"] = _cap  # `capitalize` would lower the rest (`API` → `api`)
    return env


def _cap(value: object) -> object:
    return value[:1].upper() + value[1:] if isinstance(value, str) else value


def render(env: SandboxedEnvironment, name: str, context: dict, *, shown_as: str | None = None) -> str:
    """`name` rendered with `context`; any failure becomes a `StatementTemplateError` naming the line."""
    shown = shown_as or name
    try:
        return env.get_template(name).render(context)
    except TemplateSyntaxError as error:
        raise StatementTemplateError(
            f"{error.filename or shown}, line {error.lineno}: {error.message}") from None
    except SecurityError as error:
        raise StatementTemplateError(
            f"{shown}, line {_line(error, env, shown)}: refused by the sandbox: {error}") from None
    except (TemplateError, TypeError, ValueError, AttributeError, KeyError, IndexError,
            ZeroDivisionError) as error:
        raise StatementTemplateError(f"{shown}, line {_line(error, env, shown)}: {error}") from None


def _line(error: BaseException, env: SandboxedEnvironment, shown: str) -> str:
    """The template line the error came from: Jinja rewrites its tracebacks so that a template's frames
    carry the template's file name and line."""
    folders = [Path(f).resolve() for f in env.loader.searchpath]  # type: ignore[union-attr]
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        if path.suffix == ".j2" or any(path.resolve().is_relative_to(f) for f in folders):
            line = f"{frame.lineno}" + ("" if path.name == Path(shown).name else f" (in {path.name})")
    return line or "?"
