"""What a source's words may hold once they are shown to people: nothing that reorders or hides the text
around it. Feeds and pages are written by others: a right-to-left override (U+202E) in a title shows what
follows it backwards, in the alert and in every line after it on some clients, and a zero-width space inside a
model's name makes it match no model. Joiners (U+200C, U+200D) stay, as emoji sequences and Persian and Indic
scripts need them; so do the left-to-right and right-to-left marks, which right-to-left text uses and which
move nothing but punctuation."""

from __future__ import annotations

import re

# C0 and C1 controls but tab and line breaks (what a wrong encoding leaves; never text), the zero-width space,
# the bidirectional embeddings, overrides and isolates, the word joiner and invisible operators, the BOM.
_HIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def visible(text: str) -> str:
    return _HIDDEN.sub("", text)
