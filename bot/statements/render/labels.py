"""The words a statement's tables, charts and method section need in each language, beside the templates
(the bot's gettext catalogs hold what the bot says in a chat; a statement is a document of its own)."""

from __future__ import annotations

HTML_LANG = {"en": "en", "es": "es", "ja": "ja", "zh_Hans": "zh-Hans"}

USES = {
    "en": {"companionship": "companionship and emotional support", "creative": "creative writing",
           "work": "work and coding", "accessibility": "accessibility and disability", "learning": "learning",
           "research": "research", "other": "other uses"},
    "es": {"companionship": "compañía y apoyo emocional", "creative": "escritura creativa",
           "work": "trabajo y programación", "accessibility": "accesibilidad y discapacidad",
           "learning": "aprendizaje", "research": "investigación", "other": "otros usos"},
    "ja": {"companionship": "心の支え・話し相手", "creative": "創作", "work": "仕事・プログラミング",
           "accessibility": "アクセシビリティ・障害", "learning": "学習", "research": "研究", "other": "その他"},
    "zh_Hans": {"companionship": "陪伴与情感支持", "creative": "创意写作", "work": "工作与编程",
                "accessibility": "无障碍与残障", "learning": "学习", "research": "研究", "other": "其他用途"},
}
ASKS = {
    "en": {"keep_access": "keep access to the model", "open_weights": "release the weights",
           "longer_notice": "give longer notice before a retirement", "legacy_api": "keep a legacy API",
           "other": "something else"},
    "es": {"keep_access": "mantener el acceso al modelo", "open_weights": "publicar los pesos",
           "longer_notice": "avisar con más antelación antes de retirarlo", "legacy_api": "mantener una API heredada",
           "other": "otra cosa"},
    "ja": {"keep_access": "モデルを使い続けられるようにする", "open_weights": "重みを公開する",
           "longer_notice": "提供終了をもっと早く知らせる", "legacy_api": "旧モデル用のAPIを残す", "other": "その他"},
    "zh_Hans": {"keep_access": "保留对该模型的访问", "open_weights": "开放模型权重",
                "longer_notice": "在停用前更早通知",
                "legacy_api": "保留旧版 API", "other": "其他诉求"},
}
PLATFORMS = {
    "en": {"discord": "Discord", "telegram": "Telegram", "console": "the console", "import": "imported from a file"},
    "es": {"discord": "Discord", "telegram": "Telegram", "console": "la consola", "import": "importados de un archivo"},
    "ja": {"discord": "Discord", "telegram": "Telegram", "console": "コンソール", "import": "ファイルから取り込み"},
    "zh_Hans": {"discord": "Discord", "telegram": "Telegram", "console": "控制台", "import": "从文件导入"},
}
CONSENT = {
    "en": {"0": "counted only, never quoted", "1": "quoted without a name", "2": "quoted with their display name"},
    "es": {"0": "solo se cuentan, nunca se citan", "1": "se citan sin nombre", "2": "se citan con su nombre visible"},
    "ja": {"0": "件数にのみ数え、引用しない", "1": "名前を出さずに引用してよい", "2": "表示名つきで引用してよい"},
    "zh_Hans": {"0": "只计入数量，从不引用", "1": "可匿名引用", "2": "可署名引用"},
}
TABLES = {
    "en": {"model": "Model", "use": "How the model is used", "ask": "What people ask for", "language": "Language",
           "platform": "Where it was given", "community": "Community", "month": "Month", "consent": "Consent",
           "count": "Testimonies", "receipts": "Receipts"},
    "es": {"model": "Modelo", "use": "Para qué se usa", "ask": "Qué se pide", "language": "Idioma",
           "platform": "Dónde se dio", "community": "Comunidad", "month": "Mes", "consent": "Consentimiento",
           "count": "Testimonios", "receipts": "Comprobantes"},
    "ja": {"model": "モデル", "use": "使い方", "ask": "求めていること", "language": "言語",
           "platform": "寄せられた場所",
           "community": "コミュニティ", "month": "月", "consent": "同意", "count": "証言数", "receipts": "受付番号"},
    "zh_Hans": {"model": "模型", "use": "用途", "ask": "诉求", "language": "语言", "platform": "提交渠道",
                "community": "社区", "month": "月份", "consent": "同意级别", "count": "证言数", "receipts": "回执编号"},
}
APPENDIX = {"en": "Appendix A", "es": "Anexo A", "ja": "付録A", "zh_Hans": "附录A"}
CHART_TITLES = {
    "en": {"month": "Testimonies by month", "model": "Testimonies by model", "use": "Testimonies by use",
           "ask": "Testimonies by what is asked", "hidden": "{n} categories under {t} are not drawn.",
           "hidden_one": "1 category under {t} is not drawn."},
    "es": {"month": "Testimonios por mes", "model": "Testimonios por modelo", "use": "Testimonios por uso",
           "ask": "Testimonios por lo que se pide", "hidden": "No se dibujan {n} categorías con menos de {t}.",
           "hidden_one": "No se dibuja 1 categoría con menos de {t}."},
    "ja": {"month": "月別の証言数", "model": "モデル別の証言数", "use": "使い方別の証言数",
           "ask": "求めていること別の証言数",
           "hidden": "{t}件未満の{n}項目は描いていません。", "hidden_one": "{t}件未満の1項目は描いていません。"},
    "zh_Hans": {"month": "按月份的证言数", "model": "按模型的证言数", "use": "按用途的证言数", "ask": "按诉求的证言数",
                "hidden": "少于 {t} 条的 {n} 个类别未绘出。", "hidden_one": "少于 {t} 条的 1 个类别未绘出。"},
}
