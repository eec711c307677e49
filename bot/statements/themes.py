"""Themes: what groups of testimonies speak of, found offline, one language at a time.

Each language is cut into words by a tool that runs on this machine and downloads nothing: Chinese with
jieba (its dictionary ships in the package; the cache it builds goes to a temporary folder this process
owns and removes at exit), Japanese with SudachiPy and the `sudachidict_small` dictionary package, English
and Spanish with a regular expression and stop-word lists. The words become TF-IDF vectors (scikit-learn)
and the testimonies are grouped with k-means (a fixed seed); the number of themes is the one, from 2 to 8,
whose grouping separates best (the cosine silhouette score; ties go to fewer themes) among those in which
every group reaches the statement's suppression threshold (so every group found can be shown).

What a theme shows is held to the statement's consent rules:
- every testimony the statement counts shapes the themes and their sizes, consent 0 included;
- a label is made only of words that occur in the quotable passages (`Statement.quotes`, which already obey
  consent and the health rule) of at least `MIN_SUPPORT` testimonies, so no label carries words a person
  did not let a statement quote, nor words only one person wrote;
- the quotes are the statement's own `Quote`s, from the testimonies nearest the theme's centre;
- a theme smaller than the statement's suppression threshold is not shown.

The same statement and texts give the same themes, whatever order the texts come in."""

from __future__ import annotations

import asyncio
import atexit
import logging
import re
import shutil
import tempfile
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.statements.model import Quote, Statement, Theme

log = logging.getLogger(__name__)

LANGUAGES = ("en", "es", "ja", "zh")
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
CLUSTER_SAMPLE = 3000  # above this many testimonies in a language, k-means runs on a fixed sample
SEPARATORS = {"en": ", ", "es": ", ", "ja": "・", "zh": "、"}


async def find_themes(statement: Statement, texts: Mapping[str, str]) -> tuple[Theme, ...]:
    """The themes of `statement`'s testimonies in English, Spanish, Japanese and Chinese. `texts` maps a
    receipt to the testimony's whole text (`bot.statements.aggregate.theme_texts` gives it); only the
    receipts the statement includes are read. The work runs on a worker thread."""
    return await asyncio.to_thread(themes_of, statement, texts)


def themes_of(statement: Statement, texts: Mapping[str, str]) -> tuple[Theme, ...]:
    """`find_themes` without the thread: largest first within each language, languages in `LANGUAGES`
    order."""
    from threadpoolctl import threadpool_limits

    quotes: dict[str, list[Quote]] = defaultdict(list)
    for quote in statement.quotes:
        quotes[quote.receipt].append(quote)

    found: list[Theme] = []
    # One thread: the groups are small enough that more threads cost more than they give (twenty times
    # slower on two cores), and the bot's other work keeps the rest of the machine.
    with threadpool_limits(limits=1):
        for language in LANGUAGES:
            found.extend(_themes_in(language, statement, texts, quotes))
    return tuple(found)


def _themes_in(language: str, statement: Statement, texts: Mapping[str, str],
               quotes: Mapping[str, list[Quote]]) -> list[Theme]:
    receipts = sorted(item.receipt for item in statement.included
                      if item.language == language and (texts.get(item.receipt) or "").strip())
    if len(receipts) < max(MIN_TESTIMONIES, statement.threshold):
        return []
    docs = [_Doc(receipt, texts[receipt], tuple(sorted(quotes.get(receipt, ()), key=lambda q: q.index)))
            for receipt in receipts]
    return language_themes(language, docs, min_size=statement.threshold)


@dataclass(frozen=True, slots=True)
class _Doc:
    receipt: str
    text: str
    quotes: tuple[Quote, ...]  # what of it may be quoted; empty at consent 0


def language_themes(language: str, docs: Sequence[_Doc], *, min_size: int) -> list[Theme]:
    """The themes of `docs`, all in `language`, sorted by receipt."""
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import silhouette_score

    tokenize = tokenizer(language)
    raw = [tokenize(doc.text) for doc in docs]
    raw_quoted = [[tokenize(quote.text) for quote in doc.quotes] for doc in docs]
    fold = _folding(language, raw)
    words = [[fold.get(w, w) for w in ws] for ws in raw]
    quoted = [[[fold.get(w, w) for w in ws] for ws in passages] for passages in raw_quoted]
    # A label shows a word as the quotable passages write it (`stories` may be folded into `story`, which
    # only a count-only testimony wrote: the label then says `stories`).
    written: dict[str, Counter[str]] = defaultdict(Counter)
    for passages in raw_quoted:
        for ws in passages:
            for w in ws:
                written[fold.get(w, w)][w] += 1

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
    for k in range(2, min(MAX_THEMES, len(usable) // min_size, len(usable) - 1) + 1):
        model = KMeans(n_clusters=k, n_init=starts, random_state=SEED).fit(fit_on)
        if len(set(model.labels_)) < 2:
            continue
        score = round(float(silhouette_score(fit_on, model.labels_, metric="cosine")), 6)
        labels = model.labels_ if fit_on is points else model.predict(points)
        shown = bool(np.bincount(labels).min() >= min_size)
        if shown not in best or score > best[shown][0]:  # ties keep the fewer themes
            best[shown] = (score, labels)
    if not best:
        return []
    assignment = best[True][1] if True in best else best[False][1]

    # Who may lend a word to a label: testimonies whose quotable passages hold it.
    support: Counter[str] = Counter()
    for passages in quoted:
        support.update({w for ws in passages for w in ws})
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


# --- words -------------------------------------------------------------------------------------------------

def tokenizer(language: str) -> Callable[[str], list[str]]:
    """The function that cuts a text in `language` into the words themes are made of (lower case, no stop
    words, no numbers)."""
    return {"en": _latin_words("en"), "es": _latin_words("es"), "ja": _japanese_words,
            "zh": _chinese_words}[language]


_LATIN_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")

# A short list of Spanish words that carry no theme (articles, pronouns, prepositions, common verbs).
_SPANISH_STOP = frozenset("""
a al algo algunas algunos ante antes aquí así aunque bien cada casi como con contra cual cuando cómo de del
desde donde dos durante e el ella ellas ellos en entre era eran eres es esa esas ese eso esos esta estaba
estaban estado estamos estar estas este esto estos estoy está están fue fueron fui ha había habían han has
hasta hay he hemos la las le les lo los me mi mis mucho muchos muy más mí nada ni no nos nosotros nuestra
nuestras nuestro nuestros o os otra otras otro otros para pero poco por porque puede pueden qué que quien
se sea ser si sido siempre sin sino sobre solo su sus sí también tan tanto te tenemos tener tengo tenía
tiene tienen todo todos toda todas tu tus tú un una uno unos unas usted vez y ya yo él éramos estoy
hace hacer hacía hecho ir va voy vamos vez veces mismo misma cosa cosas día días año años ahora luego
otro cual cuales algo alguien nadie nunca uso usaba usar modelo modelos
""".split())


def _latin_words(language: str) -> Callable[[str], list[str]]:
    if language == "en":
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
        stop = frozenset(ENGLISH_STOP_WORDS) | {"i'm", "it's", "don't", "can't", "i've", "i'd", "i'll", "model",
                                                "models", "really", "just", "like", "use", "used", "using"}
    else:
        stop = _SPANISH_STOP

    def words(text: str) -> list[str]:
        found = []
        for match in _LATIN_WORD.finditer(text.lower().replace("’", "'")):
            word = match.group(0)
            if word.endswith("'s"):
                word = word[:-2]
            if len(word) > 2 and word not in stop:
                found.append(word)
        return found

    return words


def _folding(language: str, documents: list[list[str]]) -> dict[str, str]:
    """Plural forms of English and Spanish mapped to the singular, when the singular occurs too (`friends`
    → `friend`, `historias` → `historia`, `stories` → `story`), so both count as one word."""
    if language not in ("en", "es"):
        return {}
    seen = {w for ws in documents for w in ws}
    fold = {}
    for word in seen:
        candidates = [word[:-1]] if word.endswith("s") and not word.endswith("ss") else []
        if word.endswith("es"):
            candidates.append(word[:-2])
        if language == "en" and word.endswith("ies"):
            candidates.insert(0, word[:-3] + "y")
        for candidate in candidates:
            if candidate in seen and candidate != word:
                fold[word] = candidate
                break
    return fold


# Japanese: content words by part of speech, in their dictionary form.
_JA_KEEP = {"名詞": {"普通名詞", "固有名詞"}, "動詞": {"一般"}, "形容詞": {"一般"}}
_JA_STOP = frozenset("こと もの よう ため とき 時 方 感じ 事 物 私 自分 今 前 後 中 上 下 日 人 する ある いる なる "
                     "れる られる できる 思う 言う いう くれる もらう 使う 良い よい 無い ない モデル".split())
_HAS_CJK_OR_LATIN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fffA-Za-z]")
_sudachi_lock = threading.Lock()
_sudachi: Any = None


def _japanese_words(text: str) -> list[str]:
    global _sudachi
    with _sudachi_lock:
        if _sudachi is None:
            from sudachipy import Dictionary, SplitMode
            _sudachi = Dictionary(dict="small").tokenizer(SplitMode.C)
        morphemes = [(m.dictionary_form(), m.part_of_speech()) for m in _sudachi.tokenize(text)]
    found = []
    for form, pos in morphemes:
        if pos[1] not in _JA_KEEP.get(pos[0], ()) or form in _JA_STOP or not _HAS_CJK_OR_LATIN.search(form):
            continue
        if len(form) < 2 and not re.search(r"[\u4e00-\u9fff]", form):
            continue  # a lone kana is a fragment, not a theme
        found.append(form.lower() if form.isascii() else form)
    return found


# Chinese: words of two characters or more (single characters are mostly grammar), without common ones.
_ZH_STOP = frozenset("""
我们 你们 他们 她们 它们 自己 什么 怎么 这个 那个 这些 那些 这样 那样 因为 所以 但是 可是 而且 如果 虽然 然后
还是 或者 就是 不是 没有 可以 能够 已经 一直 一个 一些 一样 一起 时候 现在 以后 以前 之前 之后 非常 特别 真的
觉得 知道 感觉 还有 以及 每天 今天 很多 更多 所有 其他 任何 比较 这么 那么 为了 通过 关于 对于 作为 起来 出来
不能 不会 需要 应该 可能 模型 这种 那种 东西 事情 有点 有些 还要 不要 只是 只有 甚至 一定 如何 为什么
""".split())
_jieba_lock = threading.Lock()
_jieba: Any = None


def _chinese_words(text: str) -> list[str]:
    with _jieba_lock:
        segmenter = _jieba or _start_jieba()
        pieces = segmenter.lcut(text)
    found = []
    for piece in pieces:
        piece = piece.strip().lower()
        if piece.isascii():
            if len(piece) > 1 and piece.isalpha():
                found.append(piece)
        elif len(piece) > 1 and _HAS_CJK_OR_LATIN.search(piece) and piece not in _ZH_STOP:
            found.append(piece)
    return found


def _start_jieba() -> Any:
    """A jieba segmenter of our own whose cache lives in a temporary folder this process made (removed at
    exit), readable by this user alone (mode 0700), never a shared path another user could plant a cache in."""
    global _jieba
    import jieba

    jieba.setLogLevel(logging.WARNING)
    folder = tempfile.mkdtemp(prefix="continuity-jieba-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    segmenter = jieba.Tokenizer()
    segmenter.tmp_dir = folder
    segmenter.initialize()
    _jieba = segmenter
    return segmenter
