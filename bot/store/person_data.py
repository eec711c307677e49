"""The one contract for a person's data, as Red-DiscordBot asks of every cog: each repository that keeps
anything about a person names the columns that hold them and can export and delete all of it for a
pseudonym. `Store.export_person` and `Store.delete_person` call them all; a test reads the schema, so a
new table that holds a person cannot slip past."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol

# What a row keeps when the person behind it is deleted but the row must stay (moderation stays accountable,
# an approved survey stays the vendor's).
DELETED = "deleted"

_PERSON_COLUMNS = frozenset({"pseudonym", "actor", "author", "reporter", "reviewer"})


def holds_a_person(column: str) -> bool:
    """The naming rule migrations follow: a column holding a pseudonym (or a person's platform address) is
    named one of these words, or ends in `_by`."""
    return column in _PERSON_COLUMNS or column.endswith("_by")


class PersonData(Protocol):
    # (table, column) pairs this repository answers for.
    person_columns: ClassVar[frozenset[tuple[str, str]]]

    async def export_person(self, pseudonym: str) -> Any: ...

    async def delete_person(self, pseudonym: str) -> None: ...
