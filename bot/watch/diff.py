"""What changed between what a source said before and what it says now. Pure: data in, decisions out.

Rules, chosen so moderators can rely on it to never miss a retirement and never cry wolf:
- The first read of a source is a baseline: it records what is there and announces nothing.
- A new model with a deprecation or a firm future date is a new deprecation; a new model that is only
  listed (active, "not sooner than …", no date) is "model listed"; a new row already past its date is
  history, recorded silently.
- A moved date, a status change (deprecated → retired) and an earliest date becoming firm are notices;
  rewording, a rewritten replacement or a new link in an old entry are silent updates, and so is a row that
  stops being retired without its date moving (an earlier reading corrected, not news).
- A row must be missing on two consecutive polls before it counts as removed, and removal is not alerted.
- A source that suddenly lists many new rows at once (more than BULK_NEW_ROWS: a page that grew a
  history section, an aggregator that added a vendor) gets one summary notice instead of one per row;
  the rows are all stored, so /deprecations and the reminders still know every date.
- Each source is compared with what *it* said before (its rows are its own: `bot.store.deprecations`).
  What a higher-ranked built-in source states (`SourceRank`: a vendor's page over the aggregator, any
  built-in source over a community's own) is stored but never announced by the lower one, so two sources
  that disagree cannot make a date flip back and forth. A built-in source stating a model for the first
  time is compared with what the other built-in sources said: the same event from two of them is one
  notice (and one dedup key), and a page correcting the aggregator is a moved date.
- A community's own source speaks only for itself: its notices' keys carry its id, so they can never take
  the place of (and so silence) a built-in notice that other communities are waiting for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from bot.domain import (
    Category,
    DeprecationRow,
    KnownRow,
    ModelStatus,
    Notice,
    NoticeKind,
    RowKey,
    ShutdownQualifier,
    SourceRank,
    StatedRow,
)

REMOVED_AFTER_MISSING_POLLS = 2
BULK_NEW_ROWS = 25
_ENDED = (ModelStatus.DEPRECATED, ModelStatus.RETIRED)


@dataclass
class RowChanges:
    notices: list[Notice] = field(default_factory=list)
    upserts: list[DeprecationRow] = field(default_factory=list)
    missing: dict[RowKey, int] = field(default_factory=dict)  # key -> new count of consecutive misses
    removed: list[RowKey] = field(default_factory=list)


def diff_rows(previous: Mapping[RowKey, KnownRow], seen: Iterable[DeprecationRow], *, source_id: int,
              rank: SourceRank, baseline: bool, today: date,
              builtin_word: Mapping[RowKey, StatedRow] | None = None) -> RowChanges:
    """`previous`: what this source stated before; `builtin_word`: what the other built-in sources state."""
    changes = RowChanges()
    others = builtin_word or {}
    scope = "" if rank > SourceRank.COMMUNITY else f"source{source_id}:"
    seen_keys: set[RowKey] = set()
    listed: list[Notice] = []  # notices about rows new to us, which a bulk listing folds into one
    for row in seen:
        if row.key in seen_keys:
            continue
        seen_keys.add(row.key)
        before = previous.get(row.key)
        if before is None or before.row != row or before.removed or before.missing_polls:
            changes.upserts.append(row)
        other = others.get(row.key)
        if baseline or (other is not None and other.rank > rank):
            continue  # stored as this source's word, announced by whoever outranks it
        said = before.row if before and not before.removed else None
        if said is None and other is not None and rank > SourceRank.COMMUNITY:
            said = other.row  # another built-in source said it first: the same event, or a correction of it
        (changes.notices if said else listed).extend(_notices(said, row, today, source_id, scope))
    if len(listed) > BULK_NEW_ROWS:
        changes.notices.append(Notice(
            kind=NoticeKind.MANY_LISTED, category=Category.DEPRECATION, title=str(len(listed)),
            dedup_key=f"many_listed:{source_id}:{today.isoformat()}:{len(listed)}", new_value=str(len(listed)),
            models=tuple(sorted({n.model for n in listed if n.model})), source_id=source_id))
    else:
        changes.notices.extend(listed)
    for key, before in previous.items():
        if key in seen_keys or before.removed:
            continue
        misses = before.missing_polls + 1
        changes.missing[key] = misses
        if misses >= REMOVED_AFTER_MISSING_POLLS:
            changes.removed.append(key)
    return changes


def _notices(before: DeprecationRow | None, row: DeprecationRow, today: date, source_id: int,
             scope: str) -> list[Notice]:
    if before is None:
        if row.shutdown is not None and row.shutdown < today:
            return []  # history newly listed, not news
        if row.status in _ENDED or (row.shutdown and row.shutdown_qualifier == ShutdownQualifier.FIRM):
            return [_notice(NoticeKind.NEW_DEPRECATION, row, source_id, scope, None, _iso(row.shutdown))]
        return [_notice(NoticeKind.MODEL_LISTED, row, source_id, scope, None, _iso(row.shutdown))]

    # One notice per change of a row, the most important one: a new deprecation says its date too. A row that
    # was retired and now is not is our reading corrected (status follows the dates and words, see
    # `dates.status_on`), or a date moved later, which the date notice below says: never "retired → deprecated".
    if before.status != row.status and before.status != ModelStatus.RETIRED:
        # "Legacy" with a firm end date is how Bedrock and Azure announce a retirement.
        retiring = row.status == ModelStatus.DEPRECATED or (
            row.status == ModelStatus.LEGACY and row.shutdown_qualifier == ShutdownQualifier.FIRM)
        became_deprecated = retiring and before.status not in _ENDED
        kind = NoticeKind.NEW_DEPRECATION if became_deprecated else NoticeKind.STATUS_CHANGED
        return [_notice(kind, row, source_id, scope, before.status.value, row.status.value)]
    if before.shutdown != row.shutdown and row.shutdown is not None:
        return [_notice(NoticeKind.DATE_CHANGED, row, source_id, scope, _iso(before.shutdown), _iso(row.shutdown))]
    firmed = before.shutdown_qualifier != ShutdownQualifier.FIRM and row.shutdown_qualifier == ShutdownQualifier.FIRM
    if before.shutdown == row.shutdown and row.shutdown is not None and firmed:
        return [_notice(NoticeKind.DATE_FIRM, row, source_id, scope, before.shutdown_qualifier.value,
                        _iso(row.shutdown))]
    return []


def _notice(kind: NoticeKind, row: DeprecationRow, source_id: int, scope: str, old: str | None,
            new: str | None) -> Notice:
    vendor, platform, model, version = row.key
    return Notice(
        kind=kind, category=Category.DEPRECATION, title=row.model,
        dedup_key=f"{scope}{kind.value}:{vendor}:{platform}:{model}:{version}:{old or ''}->{new or ''}",
        vendor=row.vendor, platform=row.platform, model=row.model, url=row.url,
        old_value=old, new_value=new, due_date=row.shutdown, models=(row.model,),
        detail=", ".join(row.replacements), source_id=source_id,
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
