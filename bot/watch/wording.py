"""How notices and retirement rows read to people, in the current request's language."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_skeleton, format_time

from bot.domain import DeprecationRow, ModelStatus, Notice, NoticeKind, Severity, ShutdownQualifier
from bot.i18n import _, _n, current_locale, from_stored
from bot.presentation import Message, MessageField

VENDORS = {"openai": "OpenAI", "anthropic": "Anthropic", "google": "Google", "azure": "Microsoft Azure",
           "bedrock": "Amazon Bedrock", "mistral": "Mistral", "cohere": "Cohere", "groq": "Groq", "xai": "xAI",
           "alibaba": "Alibaba Cloud", "xiaomi": "Xiaomi", "moonshot": "Moonshot AI", "cerebras": "Cerebras",
           "deepseek": "DeepSeek", "minimax": "MiniMax", "zai": "Z.ai", "fireworks": "Fireworks AI",
           "perplexity": "Perplexity"}
PLATFORMS = {"api": "API", "chatgpt": "ChatGPT", "claude.ai": "claude.ai", "gemini-app": "Gemini app",
             "vertex": "Vertex AI", "bedrock": "Amazon Bedrock", "azure": "Azure"}


def vendor_name(vendor: str | None) -> str:
    return VENDORS.get(vendor or "", vendor or "?")


def platform_name(vendor: str | None, platform: str | None) -> str:
    if platform == "api":
        return f"{vendor_name(vendor)} API"
    return PLATFORMS.get(platform or "", platform or "?")


def countdown(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return _("today")
    if days > 0:
        return _n("in {n} day", "in {n} days", days)
    return _n("{n} day ago", "{n} days ago", -days)


def status_name(status: str) -> str:
    return {ModelStatus.ACTIVE: _("active"), ModelStatus.LEGACY: _("legacy"),
            ModelStatus.DEPRECATED: _("deprecated"), ModelStatus.RETIRED: _("retired")}.get(status, status)


def shutdown_text(row_date: date | None, qualifier: ShutdownQualifier, today: date) -> str:
    if row_date is None:
        return _("no shutdown date announced")
    when = f"{row_date.isoformat()} ({countdown(row_date, today)})"
    return _("not before {date}", date=when) if qualifier == ShutdownQualifier.EARLIEST else when


def row_field(row: DeprecationRow, today: date, *, own: bool = False) -> MessageField:
    """One retirement row; `own`: it comes from a source the community added, not from the catalogue, and
    says so, so nobody mistakes a community's own word for the vendor's."""
    value = shutdown_text(row.shutdown, row.shutdown_qualifier, today)
    if row.replacements:
        value += " · " + _("replacement: {models}", models=", ".join(row.replacements))
    if own:
        value += " · " + _("from a source this community added")
    if row.url:
        value += f" · {row.url}"
    return MessageField(f"{row.model} · {platform_name(row.vendor, row.platform)}", value)


def notice_message(notice: Notice, today: date) -> Message:
    """A notice as people read it: what happened, to what, when, and where it was said."""
    model, where = notice.model or notice.title, platform_name(notice.vendor, notice.platform)
    due = notice.due_date
    fields: list[MessageField] = []
    if notice.model:
        fields.append(MessageField(_("Model"), notice.model, inline=True))
        fields.append(MessageField(_("Platform"), where, inline=True))
    if due:
        label = _("Deadline") if notice.category.value == "survey" or not notice.model else _("Shutdown date")
        fields.append(MessageField(label, f"{due.isoformat()} ({countdown(due, today)})", inline=True, when=due))
    if notice.detail and notice.category.value in ("deprecation", "reminder"):
        fields.append(MessageField(_("Replacement"), notice.detail))

    kind, severity, footer = notice.kind, Severity.WARNING, None
    if kind == NoticeKind.NEW_DEPRECATION:
        title = _("{model} will be retired", model=model)
        body = _("{vendor} announced the retirement of {model} on {platform}.", vendor=vendor_name(notice.vendor),
                 model=model, platform=where)
    elif kind == NoticeKind.DATE_CHANGED:
        title = _("Retirement date moved: {model}", model=model)
        body = _("The shutdown date of {model} on {platform} moved from {old} to {new}.", model=model,
                 platform=where, old=notice.old_value or _("none"), new=notice.new_value or _("none"))
    elif kind == NoticeKind.STATUS_CHANGED:
        retired = notice.new_value == ModelStatus.RETIRED
        title = _("{model} is now {status}", model=model, status=status_name(notice.new_value or ""))
        body = _("{model} on {platform} changed from {old} to {new}.", model=model, platform=where,
                 old=status_name(notice.old_value or ""), new=status_name(notice.new_value or ""))
        severity = Severity.CRITICAL if retired else Severity.WARNING
    elif kind == NoticeKind.DATE_FIRM:
        title = _("Retirement date confirmed: {model}", model=model)
        body = _("The shutdown date of {model} on {platform} is now firm.", model=model, platform=where)
    elif kind == NoticeKind.MODEL_LISTED:
        title = _("{model} has a retirement schedule", model=model)
        body = _("{vendor} now lists {model} on {platform} with a retirement schedule.",
                 vendor=vendor_name(notice.vendor), model=model, platform=where)
        severity = Severity.INFO
    elif kind == NoticeKind.MANY_LISTED:
        count = int(notice.new_value or 0)
        title = _n("{n} model newly listed for retirement", "{n} models newly listed for retirement", count)
        body = _("A watched source now lists {n} more models with retirement dates at once. They are not announced "
                 "one by one; /deprecations shows them all.", n=count)
        fields = []
    elif kind == NoticeKind.REMINDER and notice.category.value == "reminder" and not notice.model:
        title = _("Deadline {when}: {title}", when=countdown(due, today) if due else "?", title=notice.title)
        body = _("A reminder from this community's moderators: the deadline is {date}.",
                 date=due.isoformat() if due else "?")
        footer = _("Posted by this community's moderators.")
    elif kind == NoticeKind.REMINDER and notice.category.value == "survey":
        title = _("Survey closing soon: {title}", title=notice.title)
        body = _("The survey closes {when}. Make your voice heard before then.",
                 when=countdown(due, today) if due else "?")
    elif kind == NoticeKind.REMINDER:
        days = (due - today).days if due else 0
        title = _("{model} retires today", model=model) if days <= 0 else \
            _n("{model} retires in {n} day", "{model} retires in {n} days", days, model=model)
        body = _("{model} on {platform} shuts down on {date}.", model=model, platform=where,
                 date=due.isoformat() if due else "?")
        severity = Severity.CRITICAL if days <= 7 else Severity.WARNING
    elif kind == NoticeKind.SOURCE_FAILING:
        title = _("A watched source is failing: {title}", title=notice.title)
        body = _("Continuity could not read it: {reason} It keeps trying and recovers by itself; moderators can "
                 "check it with /sources check.", reason=from_stored(notice.detail))
        fields = []
    elif kind == NoticeKind.TARGET_PAUSED:
        title = _("Alerts paused: {target}", target=notice.title)
        body = _("Continuity could not post there: {reason} Fix that, then run /alerts resume there.",
                 reason=from_stored(notice.detail))
        fields = []
    elif kind == NoticeKind.POSTED:
        title, body, severity = notice.title, beyond_title(notice.detail, notice.title), Severity.INFO
        footer = _("Posted by this community's moderators.")
        if notice.models:
            fields.append(MessageField(_("Models"), ", ".join(notice.models)))
    elif kind == NoticeKind.SURVEY:
        body = beyond_title(notice.detail, notice.title) or _("A survey is open.")
        title, severity = notice.title, Severity.INFO
    else:  # news, status, status updates: the source's own words
        title, body, severity = notice.title, beyond_title(notice.detail, notice.title), Severity.INFO
        if notice.models:
            fields.append(MessageField(_("Models"), ", ".join(notice.models)))
    return Message(title=title, body=body, fields=tuple(fields), link=notice.url, severity=severity, footer=footer)


def beyond_title(text: str | None, title: str) -> str:
    """What `text` says beyond `title`: feeds often repeat the title as the summary (or begin with it), and a
    survey's note is often its title too; shown twice it reads as a glitch and hides that nothing more was said."""
    text, title = (text or "").strip(), title.strip()
    rest = text[len(title):]
    if not title or not text.startswith(title) or rest[:1].isalnum():  # "Update" does not repeat in "Updated"
        return text
    return rest.lstrip(" \n\t.:;,-–—|")


def day_text(day: date) -> str:
    """A day as the reader writes it, with the month in words so it cannot be misread: `Dec 31, 2026`,
    `31 dic 2026`, `2026年12月31日`."""
    return format_skeleton("yMMMd", day, locale=current_locale())


def moment_text(stamp: str) -> str:
    """A stored UTC time (ISO) as the reader writes it, saying it is UTC."""
    moment = datetime.fromisoformat(stamp).astimezone(UTC)
    time = format_time(moment, "short", tzinfo=UTC, locale=current_locale()).replace("\u202f", " ")  # 10:00 AM
    return f"{day_text(moment.date())} {time} UTC"
