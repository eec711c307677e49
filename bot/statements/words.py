"""The words themes are made of, cut from a text by a tool that runs on this machine and downloads nothing:
Chinese with jieba (its dictionary ships in the package; the cache it builds goes to a temporary folder this
process owns and removes at exit), Japanese with SudachiPy and the `sudachidict_small` dictionary package,
English and Spanish with a regular expression and stop-word lists. Lower case, no stop words, no numbers.
A word never holds white space (the stored form, `bot.statements.analysis`, joins words with spaces)."""

from __future__ import annotations

import atexit
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from typing import Any


def tokenizer(language: str) -> Callable[[str], list[str]]:
    """The function that cuts a text in `language` (one of `passages.LANGUAGES`) into words."""
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


def folding(language: str, documents: list[list[str]]) -> dict[str, str]:
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
        found.extend((form.lower() if form.isascii() else form).split())  # a form may hold a space
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
