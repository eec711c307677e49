"""A testimony given through the core's FormService, step by step as a front door gives it: the answers a
test starts from, and the walk through the Form (review included) to the receipt."""

from __future__ import annotations

import re
from typing import Any

from bot.commands import BY_PATH, run
from bot.presentation import Actor, Ask, Message

ANSWERS: dict[str, Any] = {
    "models": "GPT-4o",
    "uses": ["companionship", "accessibility"],
    "meaning": "It helped me through a long winter of loneliness; losing it would feel like losing a friend.",
    "asks": ["keep_access", "longer_notice"],
    "display_name": "Winter",
    "language": "en",
    "consent": "1",
    "health": False,
    "confirm": True,
}
RECEIPT = re.compile(r"T-[2-9A-HJ-NP-Z]{6}")


async def give_testimony(services, actor: Actor, campaign: str = "", **changes: Any) -> Message:
    """/testify, then every question answered in order (`changes` replace answers); the submit's reply."""
    answers = {**ANSWERS, **changes}
    ask = await run(services, actor, BY_PATH["testify"], campaign=campaign)
    assert isinstance(ask, Ask)
    return await answer_form(services, actor, ask, answers)


async def answer_form(services, actor: Actor, ask: Ask, answers: dict[str, Any]) -> Message:
    forms = services.forms
    progress = await forms.start(actor, ask)
    while True:
        field = forms.form(progress).fields[progress.step]
        result = await forms.give(progress, actor, {field.key: answers.get(field.key)})
        if isinstance(result, Message):
            return result
        progress = result


def receipt_in(message: Message) -> str:
    match = RECEIPT.search(message.body)
    assert match, message.body
    return match.group(0)
