"""The testimony rules every front door shares, through the command table and the core's FormService on a
real database: what is stored, what is refused (and that nothing is stored then), consent records,
moderation kept inside each community, withdrawal and deletion down to the bytes of the database file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.commands import BY_PATH, run, run_text
from bot.domain import PlatformName, Target
from bot.errors import InvalidInput, NotAllowed, UserError
from bot.forms import KEEP, FormService, earlier_answer
from bot.presentation import Actor, Ask, Message
from bot.pseudonyms import Pseudonyms
from bot.testimonies import service as testimony_service
from bot.testimonies.form import CONSENT_TEXT_VERSION, MEANING_LIMIT
from bot.testimonies.service import PER_DAY
from tests.testimony_form import ANSWERS, answer_form, give_testimony, receipt_in

SECRET = b"test-secret-that-is-long-enough-for-hmac"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services(services, clock):
    """The real services, with the testimonies and forms on a clock the test turns."""
    pseudonyms = Pseudonyms(SECRET)
    testimonies = testimony_service.TestimonyService(services.store, pseudonyms, lambda: {}, clock=clock)
    forms = FormService(services.store, pseudonyms, testimonies.form_specs(), clock=clock)
    return replace(services, testimonies=testimonies, forms=forms)


async def member(services, user: str, group: str = "-1001", *, moderator: bool = False,
                 private: bool = False) -> Actor:
    community = await services.people.community(PlatformName.TELEGRAM, group, f"Group {group}")
    if private:
        return Actor(PlatformName.TELEGRAM, user, "Ada", "en", None, False, Target(PlatformName.TELEGRAM, user),
                     private=True)
    return Actor(PlatformName.TELEGRAM, user, "Ada", "en", community, moderator, Target(PlatformName.TELEGRAM, group))


async def rows(services, sql: str, params=()):
    return [dict(r) for r in await services.store.db.fetch_all(sql, params)]


def database_bytes(settings) -> bytes:
    folder = Path(settings.database_path).parent
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.name.startswith("continuity.db"))


async def test_a_testimony_is_stored_as_reviewed_with_its_consent_record(services):
    ada = await member(services, "7001")
    reply = await give_testimony(services, ada, models="4o, Claude 3 Opus", consent="2", health=True,
                                 meaning="Write to ada@example.org or call +34 612 345 678. It kept me company "
                                         "every night when my depression was at its worst.")
    assert reply.severity.value == "success"
    receipt = receipt_in(reply)
    [stored] = await rows(services, "SELECT * FROM testimonies")
    assert stored["receipt"] == receipt and stored["status"] == "pending"
    assert stored["author"] == services.people.pseudonym(ada) and "7001" not in str(stored)
    assert "ada@example.org" not in stored["meaning"] and "612" not in stored["meaning"]
    assert "[e-mail]" in stored["meaning"] and "[phone]" in stored["meaning"]
    assert stored["redactions"] == '{"email": 1, "phone": 1}'
    assert stored["models"] == '["4o", "claude-3-opus"]'
    assert stored["models_text"] == "4o, Claude 3 Opus"
    assert stored["detected_language"] == "en" and stored["language"] == "en"
    [consent] = await rows(services, "SELECT * FROM consent_records")
    assert (consent["level"], consent["health"], consent["text_version"]) == (2, 1, CONSENT_TEXT_VERSION)
    assert consent["author"] == stored["author"]


async def test_the_review_shows_what_will_be_stored_and_what_was_redacted(services):
    ada = await member(services, "7001")
    ask = await run(services, ada, BY_PATH["testify"], campaign="")
    assert isinstance(ask, Ask)
    forms = services.forms
    progress = await forms.start(ada, ask)
    consent_field = forms.form(progress).field("consent")
    assert "never quote you" in consent_field.explanation and "/withdraw" in consent_field.explanation
    assert "cannot be recalled" in consent_field.explanation
    answers = {**ANSWERS, "meaning": "Mail me at ada@example.org. It helps me speak when my voice fails me."}
    for key in [f.key for f in forms.form(progress).fields][:-1]:
        progress = await forms.give(progress, ada, {key: answers[key]})
    review = forms.form(progress).fields[progress.step]
    assert review.key == "confirm"
    assert "Removed before storing: 1 e-mail address." in review.explanation
    assert "Mail me at [e-mail]. It helps me speak" in review.explanation
    assert "Consent: Quote me without a name" in review.explanation


async def test_not_confirming_stores_nothing_and_keeps_the_form(services):
    ada = await member(services, "7001")
    with pytest.raises(InvalidInput, match="Nothing was stored"):
        await give_testimony(services, ada, confirm=False)
    assert await rows(services, "SELECT id FROM testimonies") == []
    assert await services.forms.current(ada) is not None, "the form stays open to be changed"


@pytest.mark.parametrize(("changes", "refusal"), [
    ({"meaning": "x" * (MEANING_LIMIT + 1)}, "at most 4000 characters"),
    ({"meaning": "😀" * 50_000}, "at most 4000 characters"),
    ({"meaning": ""}, "is required"),
    ({"meaning": "   \n  "}, "is required"),
    ({"uses": []}, "is required"),
    ({"uses": ["sorcery"]}, "must be one or more of"),
    ({"consent": "3"}, "must be one of"),
    ({"consent": ""}, "is required"),
    ({"health": None}, "is required"),
    ({"display_name": "n" * 81}, "at most 80 characters"),
])
async def test_bad_answers_are_refused_with_what_to_change_and_nothing_is_stored(services, changes, refusal):
    ada = await member(services, "7001")
    with pytest.raises(InvalidInput) as refused:
        await give_testimony(services, ada, **changes)
    assert refusal in refused.value.text()
    assert await rows(services, "SELECT id FROM testimonies") == []
    assert await rows(services, "SELECT id FROM consent_records") == []


async def test_hostile_text_is_stored_inert(services):
    ada = await member(services, "7001")
    hostile = ("@everyone look <@123456789012345678> <@&987654321098765432> \u202eevil\u202c \u200bzero\u2060 "
               "NUL\x00byte **bold** <b>html</b> [link](https://example.org) \u2066isolate\u2069 ends here.")
    await give_testimony(services, ada, meaning=hostile, display_name="@admin\u202e")
    [stored] = await rows(services, "SELECT meaning, display_name FROM testimonies")
    text = stored["meaning"]
    for hidden in ("\u202e", "\u202c", "\u200b", "\u2060", "\x00", "\u2066", "\u2069"):
        assert hidden not in text
    assert "@everyone" not in text and "＠everyone" in text
    assert "123456789012345678" not in text and "987654321098765432" not in text
    assert text.count("[mention]") == 2
    assert "**bold** <b>html</b>" in text, "markup is kept as text: renderers escape it"
    assert stored["display_name"] == "[handle]"


async def test_a_flood_is_refused_kindly_and_the_next_day_is_open_again(services, clock):
    ada = await member(services, "7001")
    for number in range(PER_DAY):
        await give_testimony(services, ada, meaning=f"Testimony number {number}: " + "a different story " * number)
    with pytest.raises(InvalidInput, match="come back tomorrow"):
        await run(services, ada, BY_PATH["testify"], campaign="")
    assert len(await rows(services, "SELECT id FROM testimonies")) == PER_DAY
    clock.now += timedelta(days=1, seconds=1)
    await give_testimony(services, ada, meaning="A new day, and something else entirely to say about the model.")
    assert len(await rows(services, "SELECT id FROM testimonies")) == PER_DAY + 1


async def test_the_same_text_again_is_refused_as_a_near_duplicate(services):
    ada, bo = await member(services, "7001"), await member(services, "7002")
    await give_testimony(services, ada)
    with pytest.raises(InvalidInput, match="nearly the same"):
        await give_testimony(services, ada, meaning=ANSWERS["meaning"].replace("winter", "Winter") + "!")
    await give_testimony(services, bo)  # another person may say the same
    assert len(await rows(services, "SELECT id FROM testimonies")) == 2


async def test_members_cannot_review_and_moderators_see_only_their_own_community(services):
    ada = await member(services, "7001", "-1001")
    mod_a = await member(services, "9001", "-1001", moderator=True)
    mod_b = await member(services, "9002", "-1002", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    with pytest.raises(NotAllowed):
        await run_text(services, ada, f"review {receipt} approve")
    assert (await run_text(services, mod_b, "review")).body == "No testimonies are waiting for review."
    with pytest.raises(InvalidInput, match=f"no testimony {receipt} in this community"):
        await run_text(services, mod_b, f"review {receipt} approve")
    assert [r["status"] for r in await rows(services, "SELECT status FROM testimonies")] == ["pending"]
    card = await run_text(services, mod_a, "review")
    assert isinstance(card, Message) and receipt in card.title and "long winter" in card.body
    assert "7001" not in str(card) and services.people.pseudonym(ada) not in str(card)
    done = await run_text(services, mod_a, f"review {receipt} approve")
    assert "approved" in done.body
    [stored] = await rows(services, "SELECT status, reviewed_by FROM testimonies")
    assert stored == {"status": "approved", "reviewed_by": services.people.pseudonym(mod_a)}
    [entry] = await services.store.audit.list_entries(community_id=ada.community.id)
    assert entry.action == "testimony.approved" and entry.detail == {"receipt": receipt}


async def test_a_rejection_needs_a_reason_and_the_author_sees_it(services):
    ada, mod = await member(services, "7001"), await member(services, "9001", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    with pytest.raises(InvalidInput, match="Say why"):
        await run_text(services, mod, f"review {receipt} reject")
    with pytest.raises(InvalidInput, match="say one of"):
        await run_text(services, mod, f"review {receipt} publish")
    await run_text(services, mod, f"review {receipt} reject not about a model")
    mine = await run_text(services, await member(services, "7001", private=True), "mytestimonies")
    assert "not accepted" in mine.fields[0].name and "not about a model" in mine.fields[0].value


async def test_a_blocked_person_cannot_submit_there_and_the_moderator_never_learns_who(services):
    ada, mod = await member(services, "7001", "-1001"), await member(services, "9001", "-1001", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    reply = await run_text(services, mod, f"review {receipt} block")
    assert "7001" not in reply.body and services.people.pseudonym(ada) not in reply.body
    with pytest.raises(InvalidInput, match="stopped new testimonies"):
        await run(services, ada, BY_PATH["testify"], campaign="")
    elsewhere = await member(services, "7001", "-1002")
    await give_testimony(services, elsewhere, meaning="In another community the person is welcome to speak.")
    [entry] = [e for e in await services.store.audit.list_entries() if e.action == "testimony.author_blocked"]
    assert entry.detail == {"receipt": receipt}
    await run_text(services, mod, f"review {receipt} unblock")
    await give_testimony(services, ada, meaning="Unblocked, a second and quite different story to tell here.")


async def test_a_form_begun_before_a_block_is_refused_at_submit(services):
    ada, mod = await member(services, "7001"), await member(services, "9001", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    ask = await run(services, ada, BY_PATH["testify"], campaign="")
    await run_text(services, mod, f"review {receipt} block")
    with pytest.raises(InvalidInput, match="stopped new testimonies"):
        await answer_form(services, ada, ask, {**ANSWERS, "meaning": "Something new that is not stored at all."})
    assert len(await rows(services, "SELECT id FROM testimonies")) == 1


async def test_personal_commands_answer_only_in_private(services):
    ada = await member(services, "7001")
    for line in ("mytestimonies", "mydata", "mydata delete", "withdraw T-AAAAAA", "edit T-AAAAAA"):
        with pytest.raises(InvalidInput, match="only in a private chat"):
            await run_text(services, ada, line)


async def test_withdrawal_leaves_a_tombstone_and_the_words_leave_the_file(services, settings):
    ada = await member(services, "7001")
    words = "my-withdrawn-words-about-a-lonely-winter"
    receipt = receipt_in(await give_testimony(services, ada, meaning=words, display_name="Snowdrop"))
    assert words.encode() in database_bytes(settings)
    private = await member(services, "7001", private=True)
    reply = await run_text(services, private, f"withdraw {receipt}")
    assert "cannot be recalled" in reply.body
    [stored] = await rows(services, "SELECT * FROM testimonies")
    assert stored["status"] == "withdrawn" and stored["withdrawn_at"]
    assert all(stored[c] is None for c in ("meaning", "models", "uses", "asks", "display_name", "models_text"))
    on_disk = database_bytes(settings)
    assert words.encode() not in on_disk and b"Snowdrop" not in on_disk
    assert "withdrawn" in (await run_text(services, private, "mytestimonies")).fields[0].name
    again = await run_text(services, private, f"withdraw {receipt}")
    assert "already withdrawn" in again.body
    with pytest.raises(InvalidInput, match="nothing left to edit"):
        await run_text(services, private, f"edit {receipt}")


async def test_moderators_withdraw_only_imported_testimonies(services):
    ada, mod = await member(services, "7001"), await member(services, "9001", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    with pytest.raises(InvalidInput, match="Only its author can withdraw"):
        await run_text(services, mod, f"review {receipt} withdraw")
    [stored] = await rows(services, "SELECT status, meaning FROM testimonies")
    assert stored["status"] == "pending" and stored["meaning"]


async def test_nobody_can_withdraw_or_edit_someone_elses(services):
    ada, bo = await member(services, "7001"), await member(services, "7002", private=True)
    receipt = receipt_in(await give_testimony(services, ada))
    for line in (f"withdraw {receipt}", f"edit {receipt}"):
        with pytest.raises(InvalidInput, match="You have no testimony"):
            await run_text(services, bo, line)
    [stored] = await rows(services, "SELECT status, meaning FROM testimonies")
    assert stored["status"] == "pending" and stored["meaning"]


async def test_editing_an_approved_testimony_sends_it_back_to_review_with_what_changed(services):
    ada, mod = await member(services, "7001"), await member(services, "9001", moderator=True)
    receipt = receipt_in(await give_testimony(services, ada))
    await run_text(services, mod, f"review {receipt} approve")
    private = await member(services, "7001", private=True)
    ask = await run_text(services, private, f"edit {receipt}")
    assert isinstance(ask, Ask) and ask.prefill["~meaning"] == ANSWERS["meaning"]
    changed = {**ANSWERS, "meaning": ANSWERS["meaning"] + " Now I also use it to learn Japanese.", "consent": "0"}
    reply = await answer_form(services, private, ask, changed)
    assert "review the changes" in reply.body
    [stored] = await rows(services, "SELECT status, previous_meaning, changed_fields FROM testimonies")
    assert stored == {"status": "pending", "previous_meaning": ANSWERS["meaning"],
                      "changed_fields": '["meaning", "consent"]'}
    levels = [r["level"] for r in await rows(services, "SELECT level FROM consent_records ORDER BY id")]
    assert levels == [1, 0], "a changed consent is a new record; the first stays"
    card = await run_text(services, mod, "review")
    assert [f.value for f in card.fields if f.name == "Changed since the last review"] == [
        "What it means, and what losing it costs; May statements quote you?"]


async def test_my_data_holds_mine_and_nobody_elses_and_delete_takes_it_all(services, settings):
    ada, bo = await member(services, "7001"), await member(services, "7002")
    await give_testimony(services, ada, meaning="Ada's own words about the model she relies on.")
    await give_testimony(services, bo, meaning="Bo's own words, which must stay where they are.")
    private = await member(services, "7001", private=True)
    export = await run_text(services, private, "mydata")
    [attachment] = export.attachments
    text = attachment.data.decode()
    assert "Ada's own words" in text and "Bo's own words" not in text and attachment.filename.endswith(".json")
    ask = await run_text(services, private, "mydata delete")
    assert isinstance(ask, Ask)
    kept = await answer_form(services, private, ask, {"sure": False})
    assert kept.body == "Nothing was deleted."
    assert len(await rows(services, "SELECT id FROM testimonies")) == 2
    gone = await answer_form(services, private, ask, {"sure": True})
    assert gone.title == "Deleted"
    remaining = await rows(services, "SELECT meaning FROM testimonies")
    assert [r["meaning"] for r in remaining] == ["Bo's own words, which must stay where they are."]
    assert await services.store.export_person(services.people.pseudonym(ada)) == {}
    on_disk = database_bytes(settings)
    assert b"Ada's own words" not in on_disk and b"Bo's own words" in on_disk


async def test_campaigns_belong_to_their_community(services, clock):
    mod_a = await member(services, "9001", "-1001", moderator=True)
    mod_b = await member(services, "9002", "-1002", moderator=True)
    reply = await run_text(services, mod_a, "campaign create Save 4o | Keep GPT-4o in ChatGPT | gpt-4o | 2026-12-31")
    assert "Save 4o" in reply.body
    with pytest.raises(InvalidInput, match="already a campaign"):
        await run_text(services, mod_a, "campaign create save 4o")
    with pytest.raises(NotAllowed):
        await run_text(services, await member(services, "7001"), "campaign create Mine")
    listed = await run_text(services, mod_a, "campaign list")
    assert [f.name for f in listed.fields] == ["The community's testimonies (default)", "Save 4o"]
    assert [f.name for f in (await run_text(services, mod_b, "campaign list")).fields] == [
        "The community's testimonies (default)"]
    ada = await member(services, "7001", "-1001")
    receipt = receipt_in(await give_testimony(services, ada, campaign="Save 4o"))
    [stored] = await rows(services, "SELECT c.name FROM testimonies t JOIN campaigns c ON c.id = t.campaign_id "
                                    "WHERE t.receipt = ?", (receipt,))
    assert stored["name"] == "Save 4o"
    with pytest.raises(InvalidInput, match="Did you mean “Save 4o”"):
        await run(services, ada, BY_PATH["testify"], campaign="Save 40")
    with pytest.raises(InvalidInput, match="no campaign “Save 4o” here"):
        await run(services, await member(services, "7002", "-1002"), BY_PATH["testify"], campaign="Save 4o")
    clock.now = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput, match="closed on 2026-12-31"):
        await run(services, ada, BY_PATH["testify"], campaign="Save 4o")


async def test_one_communitys_testimonies_never_reach_another(services):
    """Two communities, the same person in both: each moderator counts and reviews only their own."""
    ada_a, ada_b = await member(services, "7001", "-1001"), await member(services, "7001", "-1002")
    mod_a = await member(services, "9001", "-1001", moderator=True)
    mod_b = await member(services, "9002", "-1002", moderator=True)
    first = receipt_in(await give_testimony(services, ada_a, meaning="Told in the first community only."))
    second = receipt_in(await give_testimony(services, ada_b, meaning="Told in the second community only."))
    card_a, card_b = await run_text(services, mod_a, "review"), await run_text(services, mod_b, "review")
    assert first in card_a.title and "(1 in all)" in card_a.title and "first community" in card_a.body
    assert second in card_b.title and "(1 in all)" in card_b.title and "second community" in card_b.body
    await run_text(services, mod_a, f"review {first} approve")
    statuses = {r["receipt"]: r["status"] for r in await rows(services, "SELECT receipt, status FROM testimonies")}
    assert statuses == {first: "approved", second: "pending"}


async def test_a_missing_or_unreadable_receipt_says_what_is_expected(services):
    private = await member(services, "7001", private=True)
    for line, expected in (("withdraw", "Use: /withdraw <receipt>."), ("edit T-AAAAAA extra", "Use: /edit <receipt>."),
                           ("withdraw ¿qué?", "You have no testimony ¿QUÉ?.")):
        with pytest.raises(UserError) as refused:
            await run_text(services, private, line)
        assert expected in refused.value.text()
    with pytest.raises(InvalidInput, match="Give the receipt"):
        await services.testimonies.withdraw(private, " ")


async def test_going_back_in_an_edit_offers_the_answer_again_instead_of_losing_it(services):
    ada = await member(services, "7001")
    receipt = receipt_in(await give_testimony(services, ada))
    private = await member(services, "7001", private=True)
    forms = services.forms
    progress = await forms.start(private, await run_text(services, private, f"edit {receipt}"))
    for _question in ("models", "uses", "meaning"):
        progress = await forms.give(progress, private, {forms.form(progress).fields[progress.step].key: KEEP})
    assert progress.answers["meaning"] == ANSWERS["meaning"]
    progress = await forms.back(progress)
    assert forms.form(progress).fields[progress.step].key == "meaning" and "meaning" not in progress.answers
    assert earlier_answer(forms.form(progress), progress) == ANSWERS["meaning"], "the long text is still there"
    progress = await forms.give(progress, private, {"meaning": KEEP})
    assert progress.answers["meaning"] == ANSWERS["meaning"]
