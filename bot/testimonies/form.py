"""The testimony Form, defined once for every front door: its questions, limits and choices, the consent
levels explained before one is chosen, and the review of exactly what will be stored. `words` is the one
place a testimony's answers become what is stored (cleaned, redacted, models matched), so the review shows
what the submit stores."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from bot.domain import ConsentLevel
from bot.errors import InvalidInput
from bot.forms import CONTEXT
from bot.i18n import LOCALE_NAMES, N_, _
from bot.presentation import Choice, FieldKind, Form, FormField
from bot.store.testimonies import Words
from bot.testimonies import intake
from bot.watch import models as model_names

FORM_KEY = "testimony"
# The version of the consent wording below. Change it whenever that wording changes: each consent record
# keeps the version the person read.
CONSENT_TEXT_VERSION = "2026-12-1"
MEANING_MIN = 10
MEANING_LIMIT = 4000
MODELS_LIMIT = 200
NAME_LIMIT = 80
MODELS_AT_MOST = 10

USES = ("companionship", "creative", "work", "accessibility", "learning", "research", "other")
ASKS = ("keep_access", "open_weights", "longer_notice", "legacy_api", "other")
LANGUAGES = ("en", "es", "ja", "zh", "other")


def use_label(value: str) -> str:
    return {
        "companionship": _("Companionship and emotional support"),
        "creative": _("Creative writing"),
        "work": _("Work and coding"),
        "accessibility": _("Accessibility and disability"),
        "learning": _("Learning"),
        "research": _("Research"),
        "other": _("Something else"),
    }[value]


def ask_label(value: str) -> str:
    return {
        "keep_access": _("Keep access to the model"),
        "open_weights": _("Open the weights"),
        "longer_notice": _("Longer notice before a retirement"),
        "legacy_api": _("A legacy API"),
        "other": _("Something else"),
    }[value]


def language_label(value: str) -> str:
    native = {"en": "en", "es": "es", "ja": "ja", "zh": "zh_Hans"}
    return LOCALE_NAMES[native[value]] if value in native else _("Another language")


def consent_label(level: ConsentLevel) -> str:
    return {
        ConsentLevel.COUNT_ONLY: _("Count only, never quote"),
        ConsentLevel.ANONYMOUS: _("Quote me without a name"),
        ConsentLevel.NAMED: _("Quote me with my display name"),
    }[level]


def consent_explanation() -> str:
    """Each level in one plain sentence, then what withdrawal can and cannot do."""
    return "\n".join([
        _("Count only: this community's moderators read your words to review them; statements count your "
          "answers and never quote you."),
        _("Quote me without a name: moderators read your words, and statements sent to vendors or public bodies "
          "may quote passages, with no name."),
        _("Quote me with my display name: the same, and the display name you gave appears beside the quote."),
        _("You can withdraw at any time with /withdraw; a statement already sent cannot be recalled."),
    ])


def testimony_form(answers: Mapping[str, object], known_models: Iterable[str] = ()) -> Form:
    """The questions in the reader's language; the last one reviews what the answers so far will store."""
    models, meaning, name = (_("Which model or models?"), _("What it means, and what losing it costs"),
                             _("Display name (optional)"))
    fields = (
        FormField("models", models, max_length=MODELS_LIMIT, check=stored_within(models, 1, MODELS_LIMIT),
                  placeholder=_("For example: GPT-4o, Claude 3 Opus")),
        FormField("uses", _("How do you use it?"), FieldKind.MULTI,
                  choices=tuple(Choice(v, use_label(v)) for v in USES)),
        FormField("meaning", meaning, FieldKind.PARAGRAPH, min_length=MEANING_MIN, max_length=MEANING_LIMIT,
                  check=stored_within(meaning, MEANING_MIN, MEANING_LIMIT),
                  placeholder=_("In your own words, in any language.")),
        FormField("asks", _("What do you ask for?"), FieldKind.MULTI,
                  choices=tuple(Choice(v, ask_label(v)) for v in ASKS)),
        FormField("display_name", name, required=False, max_length=NAME_LIMIT,
                  check=stored_within(name, 0, NAME_LIMIT),
                  explanation=_("Shown only if you choose to be quoted with your name.")),
        FormField("language", _("The language you wrote in"), FieldKind.CHOICE,
                  choices=tuple(Choice(v, language_label(v)) for v in LANGUAGES)),
        FormField("consent", _("May statements quote you?"), FieldKind.CHOICE,
                  choices=tuple(Choice(str(int(level)), consent_label(level)) for level in ConsentLevel),
                  explanation=consent_explanation()),
        FormField("health", _("Quote passages on health or disability?"), FieldKind.YESNO,
                  explanation=_("Only if you also allow quotes above. No keeps such passages out of every quote.")),
        FormField("confirm", _("Store my testimony"), FieldKind.YESNO, alone=True,
                  explanation=review(answers, known_models)),
    )
    return Form(FORM_KEY, _("Your testimony"), fields)


def stored_within(label: str, least: int, most: int) -> Callable[[str], None]:
    """The Form's limits hold for what is stored as well as for what was typed: removing hidden characters can
    leave too little (ten zero-width spaces are ten characters typed and none stored), and the placeholders
    of redactions can make a text longer ("a@b.io" becomes "[e-mail]")."""
    def check(typed: str) -> None:
        stored = len(intake.clean(typed).text)
        if stored == 0 and least > 0:
            raise InvalidInput(N_("“{label}” is required."), label=label)
        if stored < least:
            raise InvalidInput(N_("“{label}” needs at least {min} characters (it has {count})."), label=label,
                               min=least, count=stored)
        if stored > most:
            raise InvalidInput(N_("“{label}” can be at most {max} characters (it has {count})."), label=label,
                               max=most, count=stored)
    return check


def match_models(typed: str, known_models: Iterable[str]) -> tuple[str, ...]:
    """The names typed (comma-separated, in any script's commas) as known model families where one matches
    (`4o` → gpt-4o), else as written, normalised."""
    known = sorted(set(known_models))
    found: list[str] = []
    for part in intake.split_list(typed)[:MODELS_AT_MOST]:
        families = sorted({model_names.family(m) for m in known if model_names.matches(part, m)})
        for name in families or [model_names.normalise(part)]:
            if name and name not in found:
                found.append(name)
    return tuple(found)


def words(answers: Mapping[str, object], known_models: Iterable[str] = ()) -> Words:
    """What the answers will store: cleaned, redacted, the models matched, the language detected."""
    typed = intake.clean(str(answers.get("models") or ""))
    meaning = intake.clean(str(answers.get("meaning") or ""))
    name = intake.clean(str(answers.get("display_name") or ""))
    return Words(
        models=match_models(typed.text, known_models), models_text=typed.text,
        uses=tuple(_values(answers.get("uses"))), meaning=meaning.text, asks=tuple(_values(answers.get("asks"))),
        display_name=name.text, language=str(answers.get("language") or ""),
        detected_language=intake.detect_language(meaning.text),
        redactions=intake.merge(typed.redactions, meaning.redactions, name.redactions))


def review(answers: Mapping[str, object], known_models: Iterable[str] = ()) -> str:
    """Exactly what will be stored, what was redacted, and the consent given, in plain text."""
    if "meaning" not in answers:
        return _("Here you will see exactly what will be stored before you confirm.")
    stored = words(answers, known_models)
    level = ConsentLevel(int(str(answers.get("consent") or 0)))
    health = answers.get("health") is True
    removed = intake.describe_redactions(stored.redactions)
    campaign = str(answers.get(CONTEXT + "campaign_name") or "")
    lines = [
        _("This is exactly what will be stored:"),
        _("Campaign: {name}", name=campaign) if campaign else "",
        _("Models: {models}", models=", ".join(stored.models) or "—"),
        _("Uses: {uses}", uses=", ".join(use_label(u) for u in stored.uses) or "—"),
        _("Asks: {asks}", asks=", ".join(ask_label(a) for a in stored.asks) or "—"),
        _("Display name: {name}", name=stored.display_name or "—"),
        _("Language: {language}", language=language_label(stored.language) if stored.language else "—"),
        _("Consent: {level}; passages on health or disability: {health}", level=consent_label(level),
          health=_("may be quoted") if health and level > ConsentLevel.COUNT_ONLY else _("never quoted")),
        _("Removed before storing: {what}.", what=removed) if removed else _("Nothing was removed."),
    ]
    return "\n".join(line for line in lines if line) + "\n\n" + stored.meaning


def _values(raw: object) -> list[str]:
    return [str(v) for v in raw] if isinstance(raw, list | tuple) else []
