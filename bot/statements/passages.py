"""A testimony's text as passages (sentences) that can be quoted one at a time, and whether a passage
mentions health or disability, in English, Spanish, Japanese and Chinese.

The health test decides what may be quoted without the person's separate yes, so it leans one way: a
passage that might be about health is treated as being about it. A word list, not a model: it runs
offline, explains itself, and a moderator can read what it looks for. It checks every language's list
whatever the passage's language (people mix: "mi TDAH", "我的ADHD", "うつ病 depression")."""

from __future__ import annotations

import re
from functools import cache

LANGUAGES = ("en", "es", "ja", "zh")

# --- sentences ---------------------------------------------------------------------------------------------

# Closing quotes and brackets stay with the sentence they close: 「…です。」 or "…it was."
_CLOSERS = "\"'”’」』）)】〕»›"
# Full-width terminators end a sentence wherever they stand; a run of them (？！) is one end.
_CJK_END = re.compile(rf"[。！？!?．｡]+[{re.escape(_CLOSERS)}]*")
# A Latin terminator ends a sentence only before white space (so 4.5, gpt-4.1 and example.org stay whole).
_LATIN_END = re.compile(rf"(?:\.{{3}}|…|[.!?]+)[{re.escape(_CLOSERS)}]*(?=\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")
# Words a full stop follows without ending a sentence, in the four languages' Latin-script usage.
_ABBREVIATIONS = frozenset("""
mr mrs ms dr prof st jr sr vs etc e.g i.e eg ie approx no nos vol fig cf inc ltd co corp dept est min max
sra srta dra dres lic ing ud uds vd vds pág pag núm num tel av avda aprox p p.ej ej ee.uu eeuu ee uu cía
jan feb mar apr jun jul aug sep sept oct nov dec ene abr ago dic
""".split())
_LINE_BREAKS = re.compile(r"\s*\n\s*")
_HAS_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def split_passages(text: str, language: str | None = None) -> list[str]:
    """The sentences of `text`, in order, trimmed, none empty. Line breaks always end a passage (people write
    lists); `。！？` end one anywhere, `.!?` only before a space and not after an abbreviation or an initial.
    `language` is a hint for future rules; the rules above hold for all four languages."""
    passages: list[str] = []
    for line in _LINE_BREAKS.split(text.strip()):
        if line:
            passages.extend(_split_line(line))
    return passages


def _split_line(line: str) -> list[str]:
    cuts = {m.end() for m in _CJK_END.finditer(line)} if _HAS_CJK.search(line) else set()
    for m in _LATIN_END.finditer(line):
        if not _abbreviation(line[:m.end()].rstrip(_CLOSERS)):
            cuts.add(m.end())
    found, start = [], 0
    for cut in sorted(cuts):
        piece = line[start:cut].strip()
        if piece:
            found.append(piece)
        start = cut
    rest = line[start:].strip()
    if rest:
        found.append(rest)
    return found


def _abbreviation(before: str) -> bool:
    """Whether the full stop ending `before` belongs to an abbreviation or an initial, not a sentence's end."""
    if not before.endswith(".") or before.endswith(".."):
        return False
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1)
    if len(word) == 1 and word.isupper():   # an initial: J. R. R. Tolkien
        return True
    word = word.lower()
    return word in _ABBREVIATIONS or word.rstrip(".") in _ABBREVIATIONS


# --- health and disability ---------------------------------------------------------------------------------

# Latin-script terms match at word starts (`depress` finds depression, depressed); each is a regex fragment.
_LATIN_TERMS: dict[str, tuple[str, ...]] = {
    "en": (
        r"ill\b", r"illness", r"sick", r"disease", r"disorder", r"condition\b", r"depress", r"anxi", r"panic",
        r"autis", r"on the spectrum", r"asperger", r"adhd\b", r"add\b(?=[^a-z]*(?:and|&|brain|diagnos))",
        r"c?ptsd\b", r"asd\b", r"hsp\b", r"trauma", r"bipolar", r"schizo", r"psychos", r"psychot", r"ocd\b", r"bpd\b",
        r"anorexi", r"bulimi", r"eating disorder", r"disab", r"handicap", r"blind\b", r"blindness",
        r"visually impaired", r"low vision", r"partially sighted", r"deaf", r"hard of hearing", r"hearing aid",
        r"sign language", r"screen reader", r"wheelchair", r"mobility", r"paralys", r"paralyz", r"amput",
        r"medicat", r"meds\b", r"pills?\b", r"antidepress", r"ssri", r"prescri", r"therap", r"psychiatr",
        r"psycholog", r"counsel", r"suicid", r"self[- ]harm", r"kill myself", r"end my life", r"want(?:ed)? to die",
        r"not (?:want|wanting) to (?:live|be alive)", r"chronic", r"pain\b(?=\s*(?:flare|management|killer|relie))",
        r"fibromyalg", r"migraine", r"cancer", r"chemo", r"tumou?r", r"diagnos", r"dyslexi", r"dyspraxi",
        r"neurodiver", r"neurotypical", r"mental(?:ly)?\b(?=\s*(?:health|ill|breakdown|crisis|disorder|state))",
        r"mental health", r"breakdown", r"hospital", r"\bpsych ward", r"insomnia", r"can't sleep", r"epilep",
        r"seizure", r"diabet", r"long covid", r"chronic fatigue", r"me/cfs", r"burn(?:ed|t)? ?out", r"dementia",
        r"alzheimer", r"parkinson", r"stroke\b(?! of)", r"addict", r"alcoholi", r"relapse", r"sobriety", r"rehab",
        r"health", r"doctor", r"nurse", r"patient", r"symptom", r"face blind", r"prosopagnos", r"misophoni",
        r"sensory overload", r"meltdown", r"stutter", r"aphasi", r"grief counsel",
    ),
    "es": (
        r"enferm", r"depresi", r"deprimid", r"ansiedad", r"ansios", r"p[aá]nico", r"autis", r"asperger",
        r"tdah\b", r"tept\b", r"postraum[aá]tic", r"trauma", r"trastorno", r"bipolar", r"esquizofren",
        r"discapaci", r"minusv[aá]lid", r"diversidad funcional", r"ciego", r"ciega", r"ceguera",
        r"baja visi[oó]n", r"sordo", r"sorda", r"sordera", r"lengua de señas", r"lengua de signos",
        r"silla de ruedas", r"movilidad reducida", r"medicaci", r"medicament", r"pastillas", r"antidepresiv",
        r"terapia", r"terapeuta", r"psiquiatr", r"psic[oó]log", r"suicid", r"autolesi", r"quitarme la vida",
        r"quer[ií]a morir", r"quiero morir", r"ganas de morir", r"no quer[ií]a vivir", r"dolor cr[oó]nico",
        r"cr[oó]nic", r"fibromialg", r"migraña", r"c[aá]ncer", r"quimio", r"tumor", r"diagn[oó]stic",
        r"dislexi", r"neurodiver", r"neurot[ií]pic", r"salud", r"hospital", r"ingres(?:ad[oa]|é) en",
        r"insomnio", r"epilep", r"convulsi", r"diabet", r"covid persistente", r"fatiga cr[oó]nica", r"demencia",
        r"alzh[eé]imer", r"parkinson", r"adicci", r"reca[ií]da", r"m[eé]dic[oa]s?\b", r"paciente", r"s[ií]ntoma",
        r"crisis de (?:ansiedad|p[aá]nico)", r"colapso", r"agotamiento", r"burn ?out", r"toc\b",
    ),
}
# Japanese and Chinese have no spaces between words: substrings, with the few that read alike kept out.
_CJK_TERMS: dict[str, tuple[str, ...]] = {
    "ja": (
        r"うつ(?!く|ら|る|り|す|し|つ|せ|ろ|む|ぶ|わ|っ)", r"鬱", r"欝", r"障害", r"障がい", r"障碍", r"不安障害",
        r"不安症", r"不安発作", r"発達障害", r"病気", r"(?<![臆毛语語通])病(?!院|気)", r"病院", r"精神科", r"心療内科",
        r"メンタル", r"(?<![火麻])薬", r"服薬", r"治療", r"カウンセ", r"セラピ", r"自閉", r"ADHD", r"PTSD",
        r"トラウマ", r"パニック", r"自殺", r"死にたい", r"消えたい", r"希死念慮", r"自傷", r"リスカ", r"リストカット",
        r"慢性", r"痛み(?=.{0,6}(?:続|止|薬|慢性|治))", r"疼痛", r"車椅子", r"車いす", r"視覚", r"全盲", r"盲", r"弱視",
        r"聴覚", r"ろう者", r"難聴", r"失明", r"手話", r"診断", r"適応障害", r"双極", r"統合失調", r"不眠",
        r"眠れな", r"体調", r"入院", r"通院", r"持病", r"難病", r"癌", r"がん(?!ば|ばり|ばる|ばれ|ばろ|ばっ)",
        r"抗うつ", r"睡眠薬", r"医者", r"医師", r"主治医", r"症状", r"発作", r"てんかん", r"認知症", r"依存症",
        r"摂食", r"拒食", r"過食", r"神経発達", r"ニューロダイバー", r"身体", r"健康", r"介護",
        r"リハビリ", r"闘病", r"療養", r"休職",
    ),
    "zh": (
        r"抑郁", r"抑鬱", r"憂鬱", r"忧郁", r"焦虑", r"焦慮", r"残疾", r"殘疾", r"残障", r"殘障", r"障碍", r"障礙",
        r"自闭", r"自閉", r"孤独症", r"孤獨症", r"生病", r"(?<![毛语語通])病", r"疾病", r"医院", r"醫院",
        r"(?<![火解弹彈])药", r"(?<![火解弹彈])藥", r"治疗", r"治療", r"心理咨询", r"心理諮詢",
        r"心理医生", r"心理醫生", r"心理治疗",
        r"精神科", r"精神分裂", r"多动症", r"多動症", r"注意力缺陷", r"ADHD", r"PTSD", r"创伤", r"創傷", r"惊恐",
        r"驚恐", r"恐慌", r"自杀", r"自殺", r"轻生", r"輕生", r"想死", r"不想活", r"自残", r"自殘", r"自伤", r"自傷",
        r"慢性", r"疼痛", r"轮椅", r"輪椅", r"失明", r"盲人", r"视障", r"視障", r"视力障", r"聋", r"聾", r"听障",
        r"聽障", r"手语", r"手語", r"诊断", r"診斷", r"确诊", r"確診", r"双相", r"雙相", r"躁郁", r"躁鬱", r"失眠",
        r"睡不着", r"睡不著", r"癌", r"化疗", r"化療", r"健康", r"身心", r"医生", r"醫生", r"症状", r"症狀",
        r"发作", r"發作", r"癫痫", r"癲癇", r"阿尔茨海默", r"痴呆", r"失智", r"成瘾", r"成癮", r"住院", r"神经多样",
        r"神經多樣", r"情绪崩溃", r"情緒崩潰", r"崩溃", r"崩潰", r"心理问题", r"心理問題", r"精神状态", r"精神狀態",
        r"读写障碍", r"閱讀障礙", r"脸盲", r"臉盲",
    ),
}


@cache
def _pattern() -> re.Pattern[str]:
    latin = "|".join(term for terms in _LATIN_TERMS.values() for term in terms)
    cjk = "|".join(term for terms in _CJK_TERMS.values() for term in terms)
    return re.compile(rf"(?<![^\W\d_])(?:{latin})|{cjk}", re.IGNORECASE)


def mentions_health(passage: str, language: str | None = None) -> bool:
    """Whether `passage` mentions health or disability (an illness, a condition, a treatment, a disability,
    self-harm) in any of the four languages. `language` is the testimony's; every list is checked anyway."""
    return _pattern().search(passage) is not None


def health_terms(passage: str) -> list[str]:
    """What `mentions_health` found in `passage`, for a moderator wondering why a passage was held back."""
    return [m.group(0) for m in _pattern().finditer(passage)]
