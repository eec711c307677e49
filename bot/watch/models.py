"""Model names as people write them. `4o` should find `gpt-4o-2024-05-13` and `chatgpt-4o-latest`;
`GPT-4o` in a news headline should tag the gpt-4o rows; `claude-3-*` is a pattern. One place for it."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable

_SEPARATORS = re.compile(r"[\s_/]+")
_TOKENS = re.compile(r"[-\s_./:]+")
# A dated or numbered snapshot suffix: -2024-05-13, -20240307, -0613, -001, -latest, -v1:0, -preview-05-06
_SNAPSHOT = re.compile(r"(-(\d{4}-\d{2}-\d{2}|\d{8}|\d{4}|\d{3}|latest|v\d+(:\d+)?|preview(-\d{2}-\d{2})?))+$")


def normalise(name: str) -> str:
    """Lower case, spaces and odd separators as hyphens: `GPT 4o` and `gpt-4o` are the same name."""
    return _SEPARATORS.sub("-", name.strip().strip("`").lower()).strip("-")


def family(model_id: str) -> str:
    """The model without its snapshot suffix: `gpt-4o-2024-05-13` → `gpt-4o`."""
    base = _SNAPSHOT.sub("", normalise(model_id))
    return base or normalise(model_id)


def matches(query: str, model_id: str) -> bool:
    """Loose match for people: a glob (`claude-3-*`), or the query's words appearing as whole words of the id,
    in order (`4o` ~ `chatgpt-4o-latest`, `gpt-4o` ~ `gpt-4o-2024-05-13`, `opus 4` ~ `claude-opus-4-1`)."""
    q, m = normalise(query), normalise(model_id)
    if not q:
        return False
    if any(c in q for c in "*?["):
        return fnmatch.fnmatchcase(m, q)
    q_tokens, m_tokens = _TOKENS.split(q), _TOKENS.split(m)
    for start in range(len(m_tokens) - len(q_tokens) + 1):
        if m_tokens[start:start + len(q_tokens)] == q_tokens:
            return True
    # "chatgpt-4o-latest" also answers to "gpt-4o": a token may end with the query's first word.
    joined = "-".join(m_tokens)
    return bool(re.search(rf"(^|-)[a-z]*{re.escape(q)}(-|$)", joined)) and len(q) >= 4


def mentioned(text: str, known_models: Iterable[str]) -> list[str]:
    """Known model ids whose family is named in `text` (a news title or summary), in a stable order."""
    haystack = f" {text.lower()} "
    found = []
    for model_id in sorted(set(known_models)):
        exact, name = normalise(model_id), family(model_id)
        # The whole id anywhere, or its family name standing alone (`GPT-4o` but not `GPT-4o-mini`).
        if _standing(exact, haystack, allow_suffix=True) or (len(name) >= 3 and _standing(name, haystack)):
            found.append(model_id)
    return found


def _standing(name: str, haystack: str, *, allow_suffix: bool = False) -> bool:
    after = r"(?![a-z0-9])" if allow_suffix else r"(?![a-z0-9]|[-.:][a-z0-9])"
    # In prose "GPT 4o" and "GPT-4o" are the same name.
    pattern = re.escape(name).replace(r"\-", r"[-\s]?")
    return bool(re.search(rf"(?<![a-z0-9.:-]){pattern}{after}", haystack))
