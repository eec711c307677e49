"""Asking a form again after its submit was refused: the earlier answers stay as defaults, not as given."""

from __future__ import annotations

from bot.domain import PlatformName
from bot.forms import DRAFT
from bot.presentation import Actor, Ask
from bot.watch.commands import SURVEY_FORM

ANSWERS = {"url": "https://example.org/s", "organiser": "vendor", "audience": ["app"], "deadline": "",
           "note": "", "public": False}


async def test_revisit_turns_the_answers_from_a_step_into_drafts_and_asks_from_there(services):
    community = await services.people.community(PlatformName.DISCORD, "2000", "Keep 4o")
    actor = Actor(PlatformName.DISCORD, "4000", "member", "en", community=community)
    forms = services.forms
    progress = await forms.answer(await forms.begin(actor, Ask(SURVEY_FORM)), ANSWERS)
    assert forms.is_complete(progress)

    again = await forms.revisit(progress, 1)
    assert again.step == 1 and not forms.is_complete(again)
    assert again.answers == {"url": "https://example.org/s", **{DRAFT + k: v for k, v in ANSWERS.items() if k != "url"}}
    stored = await forms.current(actor)
    assert stored is not None and (stored.step, stored.answers) == (again.step, again.answers), "kept in the database"

    given = await forms.answer(again, {"organiser": "research", "audience": ["api"]})
    assert given.step == 3, "the next question not given again is asked next"
    assert given.answers["organiser"] == "research" and DRAFT + "organiser" not in given.answers
