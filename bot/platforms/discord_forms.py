"""Forms on Discord: each page of at most five questions is a modal of `Label`s around a text input, a
radio group, a checkbox group, a checkbox or a select; an explanation too long for a label's description
(the consent levels, the review of a testimony) is a text display of its own above it. A modal cannot
answer a modal, so the next page opens from a button in an ephemeral message. Submits are read from the
interaction's own data and the form from the database, never from the library's in-memory modal, so they
work after a restart too."""

from __future__ import annotations

from typing import Any

import discord

from bot.domain import FormProgress
from bot.forms import DRAFT
from bot.presentation import Answer, FieldKind, Form, FormField

PREFIX = "cf"  # custom ids: "cf:<token>:<page>" for a modal, "cf:<token>:<page>:open" for its button
PAGE = 5       # Discord's limit of top-level components in a modal
_LABEL, _DESCRIPTION, _PLACEHOLDER, _TITLE, _TEXT = 45, 100, 100, 45, 4000


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _displays(field: FormField) -> list[str]:
    """The text displays that carry a field's explanation when a label's description cannot. A text display is
    markdown, and an explanation may quote the person (the review of what will be stored), so it is escaped: an
    asterisk they typed is shown as one. Each piece is escaped on its own, so no escape is cut in two and each
    piece's first line is escaped as the start of a line that it is."""
    text = field.explanation or ""
    if len(text) <= _DESCRIPTION:
        return []
    pieces = []
    while text:
        size = _fitting(text)
        if size < len(text):  # end a piece at a line break, else a space, if one is near its end
            cut = max(text.rfind("\n", size - size // 10, size), text.rfind(" ", size - size // 10, size))
            size = cut + 1 if cut > 0 else size
        pieces.append(discord.utils.escape_markdown(text[:size]))
        text = text[size:]
    return [piece for piece in pieces if piece.strip()]


def _fitting(text: str) -> int:
    """The longest start of `text` that fits one text display once escaped (escaping can double its length)."""
    def fits(size: int) -> bool:
        return len(discord.utils.escape_markdown(text[:size])) <= _TEXT

    low, high = 1, min(len(text), _TEXT)
    if fits(high):
        return high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def _cost(field: FormField) -> int:
    return 1 + len(_displays(field))


def pages(form: Form) -> list[tuple[FormField, ...]]:
    return form.pages(PAGE, _cost)


def page_of(form: Form, progress: FormProgress) -> int:
    """The page holding the next question (one past the last when every answer is in)."""
    asked = 0
    for number, page in enumerate(pages(form)):
        asked += len(page)
        if progress.step < asked:
            return number
    return len(pages(form))


def modal_for(form: Form, progress: FormProgress) -> discord.ui.Modal:
    page, all_pages = page_of(form, progress), pages(form)
    title = form.title if len(all_pages) == 1 else f"{form.title} ({page + 1}/{len(all_pages)})"
    modal = discord.ui.Modal(title=_clip(title, _TITLE), custom_id=f"{PREFIX}:{progress.token}:{page}", timeout=None)
    for field in all_pages[page]:
        displays = _displays(field)
        for text in displays:
            modal.add_item(discord.ui.TextDisplay(text))
        description = _clip(field.explanation, _DESCRIPTION) if field.explanation and not displays else None
        modal.add_item(discord.ui.Label(text=_clip(field.label, _LABEL), description=description,
                                        component=_component(field, progress.answers.get(
                                            field.key, progress.answers.get(DRAFT + field.key)))))
    return modal


def _component(field: FormField, answered: Answer | None) -> discord.ui.Item[Any]:
    if field.is_text:
        style = discord.TextStyle.paragraph if field.kind == FieldKind.PARAGRAPH else discord.TextStyle.short
        return discord.ui.TextInput(custom_id=field.key, style=style, required=field.required,
                                    min_length=field.min_length or None, max_length=min(field.max_length, _TEXT),
                                    placeholder=_clip(field.placeholder, _PLACEHOLDER) if field.placeholder else None,
                                    default=answered if isinstance(answered, str) and answered else None)
    if field.kind == FieldKind.YESNO:
        return discord.ui.Checkbox(custom_id=field.key, default=answered is True)
    if field.kind == FieldKind.CHOICE and 2 <= len(field.choices) <= 10:
        return discord.ui.RadioGroup(custom_id=field.key, required=field.required, options=[
            discord.RadioGroupOption(label=c.label, value=c.value, default=c.value == answered) for c in field.choices])
    if field.kind == FieldKind.MULTI and len(field.choices) <= 10:
        chosen = answered if isinstance(answered, list) else []
        return discord.ui.CheckboxGroup(custom_id=field.key, required=field.required,
                                        min_values=1 if field.required else 0, max_values=len(field.choices),
                                        options=[discord.CheckboxGroupOption(label=c.label, value=c.value,
                                                                             default=c.value in chosen)
                                                 for c in field.choices])
    many = field.kind == FieldKind.MULTI
    return discord.ui.Select(custom_id=field.key, required=field.required, min_values=0 if many else 1,
                             max_values=min(len(field.choices), 25) if many else 1,
                             options=[discord.SelectOption(label=c.label, value=c.value) for c in field.choices[:25]])


def submitted(form: Form, page: int, data: dict[str, Any]) -> dict[str, object]:
    """The answers of one page from a MODAL_SUBMIT's `data.components` (labels, or legacy action rows)."""
    values: dict[str, object] = {}
    for top in data.get("components", []):
        for item in [top.get("component", {})] if top.get("type") == 18 else top.get("components", []):
            if "custom_id" in item:
                values[item["custom_id"]] = item["values"] if "values" in item else item.get("value")
    all_pages = pages(form)
    fields = all_pages[page] if page < len(all_pages) else ()
    answers: dict[str, object] = {}
    for field in fields:
        raw = values.get(field.key)
        if field.kind == FieldKind.YESNO:
            raw = raw is True  # an unticked checkbox is a no
        elif field.kind == FieldKind.CHOICE and isinstance(raw, list):
            raw = raw[0] if raw else ""  # a select sends a list even for one choice
        answers[field.key] = raw
    return answers


def open_button(form: Form, progress: FormProgress, label: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label=_clip(label, 80), style=discord.ButtonStyle.primary,
                                    custom_id=f"{PREFIX}:{progress.token}:{page_of(form, progress)}:open"))
    return view
