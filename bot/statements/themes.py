"""Themes: what groups of testimonies speak of, found offline, one language at a time.

Each testimony's words (`bot.statements.words`, kept with its analysis, `bot.statements.analysis`) become
TF-IDF vectors (scikit-learn) and the testimonies are grouped with k-means (a fixed seed); the number of
themes is the one, from 2 to 8, whose grouping separates best (the cosine silhouette score; ties go to fewer
themes) among those in which every group reaches the statement's suppression threshold (so every group
found can be shown).

What a theme shows is held to the statement's consent rules:
- every testimony the statement counts shapes the themes and their sizes, consent 0 included;
- a label is made only of words that occur in the quotable passages (`Statement.quotes`, which already obey
  consent and the health rule) of at least `MIN_SUPPORT` testimonies, so no label carries words a person
  did not let a statement quote, nor words only one person wrote;
- the quotes are the statement's own `Quote`s, from the testimonies nearest the theme's centre;
- a theme smaller than the statement's suppression threshold is not shown.

The same statement and words give the same themes, whatever order the words come in."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.statements.bulk import paused_collector
from bot.statements.model import Quote, Statement, Theme
from bot.statements.passages import LANGUAGES
from bot.statements.words import folding

MIN_TESTIMONIES = 6   # fewer testimonies in a language give no themes
MAX_THEMES = 8
MIN_SUPPORT = 2       # a label's word occurs in the quotable passages of at least this many testimonies
LABEL_WORDS = 3
KEYWORDS = 6
QUOTES_PER_THEME = 3
SEED = 0
DENSE_CELLS = 1_000_000  # a matrix up to this size (8 MB of floats) is clustered dense: faster there,
#                          slower than sparse beyond
RESTART_BUDGET = 50_000  # testimonies × restarts per k-means run
DISTANCE_BLOCK = 250  # rows of the silhouette's distance matrix made at once
CLUSTER_SAMPLE = 3000  # above this many testimonies in a language, k-means runs on a fixed sample
SEPARATORS = {"en": ", ", "es": ", ", "ja": "・", "zh": "、"}


Words = Mapping[str, Sequence[str]]  # receipt → the words of each of its passages, space-separated


async def find_themes(statement: Statement, words: Words) -> tuple[Theme, ...]:
    """The themes of `statement`'s testimonies in English, Spanish, Japanese and Chinese. `words` maps a
    receipt to the words of each passage of the testimony's text, all of them
    (`bot.statements.aggregate.theme_words` gives it); only the receipts the statement includes are read.
    The work runs on a worker thread."""
    return await asyncio.to_thread(themes_of, statement, words)


@paused_collector()
def themes_of(statement: Statement, words: Words) -> tuple[Theme, ...]:
    """`find_themes` without the thread: largest first within each language, languages in `LANGUAGES`
    order."""
    from threadpoolctl import threadpool_limits

    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in statement.quotes:  # a testimony's come in its passages' order (`aggregate.quotable`)
        quotes[quote.receipt].append(quote)

    found: list[Theme] = []
    # One thread: the groups are small enough that more threads cost more than they give (twenty times
    # slower on two cores), and the bot's other work keeps the rest of the machine.
    with threadpool_limits(limits=1):
        for language in LANGUAGES:
            found.extend(_themes_in(language, statement, words, quotes))
    return tuple(found)


def _themes_in(language: str, statement: Statement, words: Words, quotes: Mapping[str, list[Quote]]) -> list[Theme]:
    receipts = sorted(item.receipt for item in statement.included
                      if item.language == language and any(words.get(item.receipt, ())))
    if len(receipts) < max(MIN_TESTIMONIES, statement.threshold):
        return []
    docs = []
    for receipt in receipts:
        passages = words[receipt]
        quoted = tuple(quotes.get(receipt, ()))
        docs.append(_Doc(receipt, " ".join(passages).split(), quoted,
                         [passages[q.index].split() if q.index < len(passages) else [] for q in quoted]))
    return language_themes(language, docs, min_size=statement.threshold)


@dataclass(frozen=True, slots=True)
class _Doc:
    receipt: str
    words: list[str]             # of its whole text
    quotes: tuple[Quote, ...]    # what of it may be quoted; empty at consent 0
    quoted: list[list[str]]      # the words of each of `quotes`


def language_themes(language: str, docs: Sequence[_Doc], *, min_size: int) -> list[Theme]:
    """The themes of `docs`, all in `language`, sorted by receipt."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    raw = [doc.words for doc in docs]
    raw_quoted = [doc.quoted for doc in docs]
    fold = folding(language, raw)
    words = [[fold.get(w, w) for w in ws] for ws in raw] if fold else raw
    quoted = [[[fold.get(w, w) for w in ws] for ws in passages] for passages in raw_quoted] if fold else raw_quoted
    # A label shows a word as the quotable passages write it (`stories` may be folded into `story`, which
    # only a count-only testimony wrote: the label then says `stories`).
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for w, n in Counter(w for passages in raw_quoted for ws in passages for w in ws).items():
        written[fold.get(w, w)][w] = n

    vectorizer = TfidfVectorizer(analyzer=_identity, min_df=2, sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(words)
    except ValueError:  # no word occurs in two testimonies
        return []
    vocabulary = vectorizer.get_feature_names_out()
    rows = matrix.tocsr()  # sparse, each row of unit length: a large statement never becomes a dense matrix
    usable = np.flatnonzero(rows.getnnz(axis=1) > 0)  # a testimony sharing no word with another joins no theme
    if len(usable) < max(MIN_TESTIMONIES, 2 * min_size):
        return []
    points = rows[usable]
    if points.shape[0] * points.shape[1] <= DENSE_CELLS:  # k-means++ on a small sparse matrix is mostly overhead
        points = points.toarray()
    # A large language is clustered on a fixed sample, and every testimony then joins its nearest centre:
    # the groups of 3,000 testimonies are as clear as those of 25,000, at an eighth of the cost.
    fit_on = points
    if len(usable) > CLUSTER_SAMPLE:
        fit_on = points[np.sort(np.random.RandomState(SEED).choice(len(usable), CLUSTER_SAMPLE, replace=False))]
    # k-means restarts: many for a small language (the best of them is stabler), fewer as each one costs more
    starts = max(3, min(100, RESTART_BUDGET // fit_on.shape[0]))

    # The number of themes: the best silhouette among the groupings in which every group is large enough to
    # be shown; only when none is, the best of all, and its small groups are not shown.
    best: dict[bool, tuple[float, Any]] = {}
    distances = _cosine_distances(fit_on)  # once for every k, not once per k as metric="cosine" would
    for k in range(2, min(MAX_THEMES, len(usable) // min_size, len(usable) - 1) + 1):
        model = KMeans(n_clusters=k, n_init=starts, random_state=SEED).fit(fit_on)
        if len(set(model.labels_)) < 2:
            continue
        score = round(float(silhouette_score(distances, model.labels_, metric="precomputed")), 6)
        labels = model.labels_ if fit_on is points else model.predict(points)
        shown = bool(np.bincount(labels).min() >= min_size)
        if shown not in best or score > best[shown][0]:  # ties keep the fewer themes
            best[shown] = (score, labels)
    del distances
    if not best:
        return []
    assignment = best[True][1] if True in best else best[False][1]

    # Who may lend a word to a label: testimonies whose quotable passages hold it.
    support = Counter(w for passages in quoted for w in {w for ws in passages for w in ws})
    index = {w: i for i, w in enumerate(vocabulary)}
    eligible = np.array([support[w] >= MIN_SUPPORT for w in vocabulary])

    total = np.asarray(rows.sum(axis=0)).ravel()
    themes: list[Theme] = []
    for cluster in sorted(set(assignment.tolist())):
        members = usable[assignment == cluster]
        if len(members) < min_size:
            continue
        inside = rows[members]
        centre = np.asarray(inside.mean(axis=0)).ravel()
        present = np.asarray((inside > 0).sum(axis=0)).ravel()
        others = rows.shape[0] - len(members)
        outside = (total - np.asarray(inside.sum(axis=0)).ravel()) / others if others else 0
        score = centre - outside
        order = sorted((i for i in range(len(vocabulary)) if eligible[i] and present[i] >= 2 and score[i] > 0),
                       key=lambda i: (-round(float(score[i]), 9), vocabulary[i]))
        keywords = tuple(min(written[w].items(), key=lambda item: (-item[1], item[0]))[0]
                         for w in (str(vocabulary[i]) for i in order[:KEYWORDS]))
        if not keywords:
            continue  # nothing quotable to name it by
        themes.append(Theme(
            language=language, label=SEPARATORS[language].join(keywords[:LABEL_WORDS]), keywords=keywords,
            size=len(members), receipts=tuple(docs[i].receipt for i in members),
            quotes=_representatives(members, rows, centre, docs, quoted, index)))
    themes.sort(key=lambda theme: (-theme.size, theme.label))
    return _distinct_labels(themes)


def _cosine_distances(points: Any) -> Any:
    """1 − cosine similarity between every two rows, which are of unit length (TF-IDF's l2 norm), in one
    single-precision matrix filled a block of rows at a time: scikit-learn's `cosine_distances` holds three
    double-precision ones at once (and a sparse product larger still), 300 MB at 3,000 rows. The scores are
    rounded to six places; on the export bench's 20,000 testimonies the themes are identical to those of
    double precision, and at 100,000 their agreement with the known themes is too."""
    import numpy as np

    distances = np.empty((points.shape[0], points.shape[0]), dtype=np.float32)
    for start in range(0, points.shape[0], DISTANCE_BLOCK):
        block = points[start:start + DISTANCE_BLOCK] @ points.T
        distances[start:start + DISTANCE_BLOCK] = block.toarray() if hasattr(block, "toarray") else block
    np.subtract(1.0, distances, out=distances)
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    return distances


def _distinct_labels(themes: list[Theme]) -> list[Theme]:
    """No two themes of a language under one label (a reader could not tell them apart): a smaller theme whose
    label a larger one already has takes its next keywords, and a number if it has no more."""
    taken: set[str] = set()
    out = []
    for theme in themes:
        label, words = theme.label, LABEL_WORDS
        while label in taken and words < len(theme.keywords):
            words += 1
            label = SEPARATORS[theme.language].join(theme.keywords[:words])
        number = 2
        while label in taken:
            label, number = f"{theme.label} ({number})", number + 1
        taken.add(label)
        out.append(replace(theme, label=label))
    return out


def _representatives(members: Any, rows: Any, centre: Any, docs: Sequence[_Doc], quoted: list[list[list[str]]],
                     index: dict[str, int]) -> tuple[Quote, ...]:
    """Up to `QUOTES_PER_THEME` quotes: from the quotable members nearest the centre (cosine), each its
    passage nearest the centre."""
    import numpy as np

    norm = float(np.linalg.norm(centre)) or 1.0

    def closeness(vector: Any) -> float:
        length = float(np.linalg.norm(vector))
        return round(float(vector @ centre) / (length * norm), 9) if length else 0.0

    quotable = [int(i) for i in members if docs[i].quotes]
    # rows are of unit length: one product gives every member's cosine to the centre
    near = np.round(rows[quotable] @ centre / norm, 9) if quotable else []
    ranked = [i for _score, _receipt, i in sorted(zip(-np.asarray(near), (docs[i].receipt for i in quotable),
                                                       quotable, strict=True))]
    chosen = []
    for i in ranked[:QUOTES_PER_THEME]:
        def passage_closeness(words: list[str]) -> float:
            vector = np.zeros_like(centre)
            for w in words:
                if w in index:
                    vector[index[w]] += 1.0
            return closeness(vector)

        scores = [passage_closeness(words) for words in quoted[i]]
        best = max(range(len(scores)), key=lambda j: (scores[j], -j))
        chosen.append(docs[i].quotes[best])
    return tuple(chosen)


def _identity(words: list[str]) -> list[str]:
    return words
