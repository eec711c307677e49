"""A statement as Markdown, from one of the templates (`<kind>.<locale>.md.j2`) or a moderator's own file.
The method section, the tables, the themes, the appendix of receipts and the annex of every quotable
passage are rendered first from our partials and given to the template as `method`, `numbers`, `themes`,
`appendix` and `passages`; a moderator's template that leaves the method section out gets it appended,
since every statement states how it was made."""

from __future__ import annotations

from pathlib import Path

from bot.statements.model import Statement
from bot.statements.render import labels
from bot.statements.render.common import PLAIN, Format, Presentation
from bot.statements.render.context import build_context
from bot.statements.render.environment import StatementTemplateError, environment, render
from bot.statements.render.text import LaterMd, Md

__all__ = ["FORMAT", "StatementTemplateError", "render_markdown"]

FILE = "statement.md"


def render_markdown(statement: Statement, kind: str, locale: str, template_path: str | Path | None = None,
                    *, figures: str = "", context: dict | None = None) -> str:
    """The statement as Markdown. `template_path` is a moderator's template file (any name), read in the
    sandbox; `figures` is what stands where the template prints `{{ figures }}` (the HTML page puts its
    charts there; in Markdown it is nothing); `context` is `build_context`'s, when the caller has it."""
    context = dict(context or build_context(statement, kind, locale))
    context["labels"] = labels.TABLES[locale]
    context["figures"] = Md(figures)
    path = Path(template_path) if template_path else None
    if path is not None and not path.is_file():
        raise StatementTemplateError(f"{path}: no such template file")
    ours = environment()  # the method section, tables and appendix are always ours

    def part(name: str) -> str:
        return render(ours, f"_{name}.{locale}.md.j2", context).strip() + "\n"

    for name in ("numbers", "themes", "appendix", "passages"):
        context[name] = LaterMd(lambda name=name: part(name))  # made if the template prints it
    context["method"] = Md(part("method"))
    if path is None:
        text = render(ours, f"{kind}.{locale}.md.j2", context)
    else:
        text = render(environment(path.parent.resolve()), path.name, context, shown_as=str(path))
        if context["method"].strip() not in text:
            text = text.rstrip("\n") + "\n\n" + context["method"]
    return _tidy(text)


def _tidy(text: str) -> str:
    """A blank line after every heading, at most one blank line in a row, and one newline at the end."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip()
        if line and lines and lines[-1].startswith("#"):
            lines.append("")
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"


def _files(statement: Statement, presentation: Presentation = PLAIN) -> dict[str, bytes]:
    text = render_markdown(statement, presentation.kind, presentation.locale, presentation.template)
    return {FILE: text.encode("utf-8")}


FORMAT = Format("md", "the statement as Markdown, from a template", (FILE,), _files)
