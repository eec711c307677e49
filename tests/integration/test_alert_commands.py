"""/alerts … and /notice post as the core answers them, on the real services and a temporary database:
what they store, who may use them, and refusals that change nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.alerts.commands import AlertCommands
from bot.alerts.matching import PINGS_PER_HOUR
from bot.commands import run_text
from bot.domain import Category, Notice, NoticeKind, PlatformName
from bot.errors import InvalidInput, NotAllowed
from bot.presentation import Actor, Ask, Target

DISCORD, TELEGRAM, CONSOLE = PlatformName.DISCORD, PlatformName.TELEGRAM, PlatformName.CONSOLE


async def actor(services, *, platform: PlatformName = TELEGRAM, place: str = "-1001", channel: str | None = None,
                thread: str | None = None, user: str = "42", moderator: bool = True,
                private: bool = False) -> Actor:
    if private:
        return Actor(platform, user, "Ada", "en", None, False, Target(platform, user))
    community = await services.people.community(platform, place, f"Place {place}")
    return Actor(platform, user, "Ada", "en", community, moderator, Target(platform, channel or place, thread))


async def subscriptions(services) -> list[dict]:
    rows = await services.store.db.fetch_all("SELECT * FROM subscriptions ORDER BY id")
    return [dict(r) for r in rows]


async def snapshot(services) -> dict[str, list[tuple]]:
    """Everything a command could change."""
    tables = ("subscriptions", "pings", "notices", "deliveries", "audit_log")
    return {t: [tuple(r) for r in await services.store.db.fetch_all(f"SELECT * FROM {t} ORDER BY id")]
            for t in tables}


# --- subscribe -----------------------------------------------------------------------------------------------

async def test_subscribe_with_filters_and_a_digest(services):
    # Ten digits with 0, 1, 8 and 9 fit nowhere else in a row: timestamps have at most four digits in a
    # run, pseudonyms are base32 (a-z, 2-7), ids and counts are small. "42" once matched a ":42" in a time.
    account = "9081726354"
    mod = await actor(services, channel="-1001", thread="17", user=account)
    message = await services.alert_commands.subscribe(mod, categories="deprecation, News", vendors="OpenAI anthropic",
                                                      models="gpt-4o* Claude-3-*", digest="hourly")
    [row] = await subscriptions(services)
    assert message.title == f"Subscribed: #{row['id']}"
    assert (row["community_id"], row["platform"], row["channel_id"], row["thread_id"]) == (
        mod.community.id, "telegram", "-1001", "17")
    assert json.loads(row["categories"]) == ["deprecation", "news"]
    assert json.loads(row["vendors"]) == ["openai", "anthropic"]
    assert json.loads(row["models"]) == ["gpt-4o*", "claude-3-*"]
    assert (row["digest_minutes"], row["mention_role"], row["paused_at"]) == (60, None, None)
    assert row["created_by"] == services.people.pseudonym(mod)
    assert account not in json.dumps(row), "the account id is never stored with a subscription"
    assert "hourly digest" in message.body
    [entry] = await services.store.db.fetch_all("SELECT action, community_id FROM audit_log")
    assert tuple(entry) == ("alerts.subscribed", mod.community.id)


async def test_subscribe_without_categories_takes_what_happens_to_models(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    [row] = await subscriptions(services)
    assert json.loads(row["categories"]) == ["deprecation", "reminder", "survey"]
    assert (json.loads(row["vendors"]), json.loads(row["models"]), row["digest_minutes"]) == ([], [], 0)


async def test_subscribe_daily_and_a_role_on_discord(services):
    mod = await actor(services, platform=DISCORD, place="9000", channel="9001")
    message = await services.alert_commands.subscribe(mod, role="555", digest="daily")
    [row] = await subscriptions(services)
    assert (row["mention_role"], row["digest_minutes"]) == ("555", 1440)
    assert "mentions the chosen role" in message.body


async def test_subscribing_twice_updates_the_one_subscription(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod, categories="news", vendors="openai", digest="daily")
    [first] = await subscriptions(services)
    await services.alert_commands.subscribe(mod, categories="status", models="4o")
    [second] = await subscriptions(services)
    assert second["id"] == first["id"]
    assert json.loads(second["categories"]) == ["status"]
    assert (json.loads(second["vendors"]), json.loads(second["models"]), second["digest_minutes"]) == ([], ["4o"], 0)
    # Another topic of the same chat is another subscription.
    await services.alert_commands.subscribe(await actor(services, thread="5"))
    assert len(await subscriptions(services)) == 2


@pytest.mark.parametrize("arguments", [
    {"categories": "deprecation gossip"},
    {"vendors": "openai acme"},
    {"models": "gpt-4o drop;table"},
    {"models": "x" * 61},
    {"models": " ".join(f"m{i}" for i in range(21))},
    {"role": "555"},  # a role outside Discord
    {"digest": "weekly"},
])
async def test_bad_subscribe_input_is_refused_and_changes_nothing(services, arguments):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod, categories="news")
    before = await snapshot(services)
    with pytest.raises(InvalidInput):
        await services.alert_commands.subscribe(mod, **arguments)
    assert await snapshot(services) == before


async def test_a_role_is_refused_on_the_console_too(services):
    mod = await actor(services, platform=CONSOLE, place="local")
    with pytest.raises(InvalidInput, match="Discord only"):
        await services.alert_commands.subscribe(mod, role="1")
    assert await subscriptions(services) == []


async def test_members_cannot_change_subscriptions(services):
    member = await actor(services, moderator=False)
    for call in (services.alert_commands.subscribe(member), services.alert_commands.unsubscribe(member),
                 services.alert_commands.resume(member),
                 services.alert_commands.post_notice(member, "Title", "Text")):
        with pytest.raises(NotAllowed):
            await call
    assert await subscriptions(services) == []
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM notices") == 0


async def test_subscribing_a_private_chat_is_refused(services):
    with pytest.raises(InvalidInput):
        await services.alert_commands.subscribe(await actor(services, private=True))
    assert await subscriptions(services) == []


# --- unsubscribe, list, resume ---------------------------------------------------------------------------

async def test_unsubscribe(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    elsewhere = await actor(services, channel="-1001", thread="3")
    await services.alert_commands.subscribe(elsewhere)
    await services.alert_commands.unsubscribe(mod)
    assert [(r["channel_id"], r["thread_id"]) for r in await subscriptions(services)] == [("-1001", "3")]
    with pytest.raises(InvalidInput):
        await services.alert_commands.unsubscribe(mod)


async def test_unsubscribe_does_not_touch_another_communitys_subscription(services):
    await services.alert_commands.subscribe(await actor(services, place="-1001"))
    # A moderator of another community, standing in a channel id that the first community subscribed.
    other = await actor(services, place="-2002", channel="-1001")
    with pytest.raises(InvalidInput):
        await services.alert_commands.unsubscribe(other)
    assert len(await subscriptions(services)) == 1


async def test_list_shows_subscriptions_and_a_paused_ones_reason(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod, categories="news", vendors="openai")
    paused = await actor(services, thread="8")
    await services.alert_commands.subscribe(paused)
    [active_row, paused_row] = await subscriptions(services)
    assert await services.store.subscriptions.pause_subscription(paused_row["id"], "The bot was removed")

    message = await services.alert_commands.list_alerts(await actor(services, moderator=False))
    assert [(f.name, f.value) for f in message.fields] == [
        (f"#{active_row['id']} #-1001", "news · vendors: openai · on"),
        (f"#{paused_row['id']} #-1001 / 8", "deprecation, reminder, survey · paused: The bot was removed"),
    ]


async def test_list_shows_the_persons_own_direct_messages(services):
    person = await actor(services, private=True, user="31")
    await services.alert_commands.ping_on(person, "4o", daily=True)
    message = await services.alert_commands.list_alerts(person)
    assert [(f.name, f.value) for f in message.fields] == [
        ("Your direct messages", "deprecation, reminder, survey · models: 4o · daily digest · on")]
    ping = await services.store.subscriptions.get_ping(TELEGRAM, services.people.pseudonym(person))
    await services.store.subscriptions.pause_ping(ping.id, "You blocked the bot")
    [field] = (await services.alert_commands.list_alerts(person)).fields
    assert field.value.endswith("· paused: You blocked the bot")
    assert (await services.alert_commands.list_alerts(await actor(services, private=True, user="32"))).fields == ()


async def test_list_in_an_empty_community_says_how_to_start(services):
    message = await services.alert_commands.list_alerts(await actor(services))
    assert message.fields == ()
    assert "Nothing is subscribed yet" in message.body


async def test_resume_a_paused_subscription(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    [row] = await subscriptions(services)
    await services.store.subscriptions.pause_subscription(row["id"], "Missing permission")

    message = await services.alert_commands.resume(mod)
    assert f"#{row['id']} is active again" in message.body
    [row] = await subscriptions(services)
    assert (row["paused_at"], row["paused_reason"]) == (None, None)
    assert "is not paused" in (await services.alert_commands.resume(mod)).body

    await services.store.subscriptions.pause_subscription(row["id"], "Missing permission")
    elsewhere = await actor(services, thread="99")  # by number, from another topic
    await services.alert_commands.resume(elsewhere, f"#{row['id']}")
    assert (await subscriptions(services))[0]["paused_reason"] is None


@pytest.mark.parametrize("number", ["abc", "12345"])
async def test_resume_an_unknown_subscription_is_refused(services, number):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    [row] = await subscriptions(services)
    await services.store.subscriptions.pause_subscription(row["id"], "gone")
    with pytest.raises(InvalidInput):
        await services.alert_commands.resume(mod, number)
    assert (await subscriptions(services))[0]["paused_reason"] == "gone"


async def test_resume_another_communitys_subscription_is_refused(services):
    await services.alert_commands.subscribe(await actor(services, place="-1001"))
    [row] = await subscriptions(services)
    await services.store.subscriptions.pause_subscription(row["id"], "gone")
    with pytest.raises(InvalidInput):
        await services.alert_commands.resume(await actor(services, place="-2002"), str(row["id"]))
    assert (await subscriptions(services))[0]["paused_reason"] == "gone"


# --- the text form ---------------------------------------------------------------------------------------

async def test_alerts_text_subscribe_sorts_the_words(services):
    mod = await actor(services)
    await run_text(services, mod, "alerts subscribe deprecation openai gpt-4o* daily")
    [row] = await subscriptions(services)
    assert json.loads(row["categories"]) == ["deprecation"]
    assert json.loads(row["vendors"]) == ["openai"]
    assert json.loads(row["models"]) == ["gpt-4o*"]
    assert row["digest_minutes"] == 1440


async def test_alerts_text_subscribe_with_capitals_and_several_of_each(services):
    mod = await actor(services)
    await run_text(services, mod, "alerts subscribe News Status Anthropic mistral claude-3-* 4o hourly")
    [row] = await subscriptions(services)
    assert json.loads(row["categories"]) == ["news", "status"]
    assert json.loads(row["vendors"]) == ["anthropic", "mistral"]
    assert json.loads(row["models"]) == ["claude-3-*", "4o"]
    assert row["digest_minutes"] == 60


async def test_alerts_text_other_actions(services):
    mod = await actor(services)
    assert (await run_text(services, mod, "alerts ")).title == "Alerts"
    await run_text(services, mod, "alerts subscribe")
    assert len((await run_text(services, mod, "alerts list")).fields) == 1
    await run_text(services, mod, "alerts ping on gpt-4o daily")
    ping = await services.store.subscriptions.get_ping(TELEGRAM, services.people.pseudonym(mod))
    assert ping is not None and (ping.filter.models, ping.daily) == (("gpt-4o",), True)
    await run_text(services, mod, "alerts ping off")
    assert await services.store.subscriptions.get_ping(TELEGRAM, services.people.pseudonym(mod)) is None
    await run_text(services, mod, "alerts unsubscribe")
    assert await subscriptions(services) == []
    for nonsense in ("frobnicate", "ping", "ping maybe", "unsubscribe now", "resume 1 2"):
        with pytest.raises(InvalidInput):
            await run_text(services, mod, "alerts " + nonsense)


async def test_notice_text_splits_on_bars(services):
    mod = await actor(services)
    await run_text(services, mod, "notice post Keep 4o | Sign the letter | https://example.org/l | 4o")
    [row] = await services.store.db.fetch_all("SELECT title, detail, url, models, due_date FROM notices")
    assert tuple(row) == ("Keep 4o", "Sign the letter", "https://example.org/l", '["4o"]', None)
    for nonsense in ("", "delete x", "post a | b | c | d | e | f"):
        with pytest.raises(InvalidInput):
            await run_text(services, mod, "notice " + nonsense)
    assert await run_text(services, mod, "notice post   ") == Ask("notice.post"), "nothing typed opens the form"
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM notices") == 1


# --- personal pings --------------------------------------------------------------------------------------

async def test_ping_on_and_off(services):
    assert services.alerts.platforms == {}, "no front door attached: no confirmation is sent"
    member = await actor(services, moderator=False, user="7777")
    message = await services.alert_commands.ping_on(member, "gpt-4o 4o")
    assert "gpt-4o, 4o" in message.body
    [row] = await services.store.db.fetch_all("SELECT * FROM pings")
    assert (row["pseudonym"], row["platform"], row["address"], row["community_id"], row["daily"]) == (
        services.people.pseudonym(member), "telegram", "7777", member.community.id, 0)
    assert json.loads(row["models"]) == ["gpt-4o", "4o"]

    await services.alert_commands.ping_on(member, "", daily=True)  # turning it on again replaces it
    [row] = await services.store.db.fetch_all("SELECT models, daily FROM pings")
    assert tuple(row) == ("[]", 1)

    message = await services.alert_commands.ping_off(member)
    assert "account id is forgotten" in message.body
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM pings") == 0
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM pings WHERE address = '7777'") == 0
    assert "were not on" in (await services.alert_commands.ping_off(member)).body


async def test_ping_on_from_a_private_chat_follows_built_in_sources(services):
    person = await actor(services, private=True, user="31")
    await services.alert_commands.ping_on(person)
    [row] = await services.store.db.fetch_all("SELECT community_id, address FROM pings")
    assert tuple(row) == (None, "31")


async def test_ping_on_refuses_a_bad_pattern_and_stores_nothing(services):
    with pytest.raises(InvalidInput):
        await services.alert_commands.ping_on(await actor(services), "gpt-4o <script>")
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM pings") == 0


async def test_a_persons_pings_are_exported_and_deleted(services):
    member = await actor(services, moderator=False, user="7777")
    other = await actor(services, moderator=False, user="8888")
    await services.alert_commands.ping_on(member, "4o")
    await services.alert_commands.ping_on(other)
    pseudonym = services.people.pseudonym(member)
    exported = await services.store.subscriptions.export_person(pseudonym)
    assert [(p["platform"], p["address"], json.loads(p["models"])) for p in exported["pings"]] == [
        ("telegram", "7777", ["4o"])]
    await services.store.subscriptions.delete_person(pseudonym)
    assert await services.store.subscriptions.export_person(pseudonym) == {}
    assert await services.store.subscriptions.get_ping(TELEGRAM, pseudonym) is None
    assert [r[0] for r in await services.store.db.fetch_all("SELECT address FROM pings")] == ["8888"]


# --- /notice post --------------------------------------------------------------------------------------

async def test_post_notice_stores_it_and_routes_it_to_the_communitys_subscriptions(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod, categories="deprecation", digest="hourly")  # categories ignored
    await services.alert_commands.subscribe(await actor(services, thread="2"), models="claude-3-*")  # no match
    outsider = await actor(services, place="-2002")
    await services.alert_commands.subscribe(outsider, categories="news")
    subs = {(r["community_id"], r["thread_id"]): r["id"] for r in await subscriptions(services)}

    message = await services.alert_commands.post_notice(
        mod, "  Keep 4o  ", "Sign the open letter.", "<https://example.org/letter>", "gpt-4o", "2099-12-31")
    assert message.body == "Posted. It goes to 1 subscribed channel or person."

    [notice] = await services.store.db.fetch_all("SELECT * FROM notices")
    assert (notice["kind"], notice["category"], notice["title"], notice["detail"], notice["url"]) == (
        "posted", "news", "Keep 4o", "Sign the open letter.", "https://example.org/letter")
    assert (notice["community_id"], notice["posted_by"], notice["due_date"]) == (
        mod.community.id, services.people.pseudonym(mod), "2099-12-31")
    assert json.loads(notice["models"]) == ["gpt-4o"]
    assert notice["routed_at"] is not None

    deliveries = await services.store.db.fetch_all("SELECT * FROM deliveries")
    assert [(d["notice_id"], d["subscription_id"], d["ping_id"], d["digest"], d["state"]) for d in deliveries] == [
        (notice["id"], subs[(mod.community.id, "")], None, 1, "pending")]
    [entry] = await services.store.db.fetch_all(
        "SELECT actor, detail FROM audit_log WHERE action = 'notice.posted'")
    assert entry["actor"] == services.people.pseudonym(mod)
    assert json.loads(entry["detail"]) == {"notice_id": notice["id"]}


async def test_post_notice_without_models_goes_past_model_filters(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod, models="claude-3-*")
    await services.alert_commands.post_notice(mod, "Meeting on Friday", "")
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM deliveries") == 1


async def test_post_notice_reaches_a_daily_ping_of_the_community(services):
    mod = await actor(services)
    member = await actor(services, moderator=False, user="7777")
    await services.alert_commands.ping_on(member, daily=True)
    await services.alert_commands.post_notice(mod, "Keep 4o", "Sign it")
    [d] = await services.store.db.fetch_all("SELECT ping_id, digest FROM deliveries")
    assert d["ping_id"] is not None and d["digest"] == 1


async def test_post_notice_reaches_a_ping_of_the_community(services):
    mod = await actor(services)
    member = await actor(services, moderator=False, user="7777")
    await services.alert_commands.ping_on(member)
    await services.alert_commands.ping_on(await actor(services, place="-2002", moderator=False, user="8888"))
    await services.alert_commands.post_notice(mod, "Keep 4o", "Sign it")
    [d] = await services.store.db.fetch_all("SELECT ping_id, digest FROM deliveries")
    ping = await services.store.subscriptions.get_ping(TELEGRAM, services.people.pseudonym(member))
    assert (d["ping_id"], d["digest"]) == (ping.id, 0)


async def test_a_persons_direct_messages_beyond_the_hourly_budget_are_bundled(services):
    mod = await actor(services)
    member = await actor(services, moderator=False, user="7777")
    await services.alert_commands.ping_on(member)
    for i in range(PINGS_PER_HOUR + 2):
        await services.alert_commands.post_notice(mod, f"Notice {i}", "")
    rows = await services.store.db.fetch_all("SELECT digest, due_at FROM deliveries ORDER BY id")
    assert [r["digest"] for r in rows] == [0] * PINGS_PER_HOUR + [1, 1]
    hour_ends = {r["due_at"] for r in rows[PINGS_PER_HOUR:]}
    assert len(hour_ends) == 1 and hour_ends.pop() % 3600 == 0, "bundled until the end of the hour"


async def test_the_hourly_budget_counts_notices_routed_in_one_sweep(services):
    member = await actor(services, moderator=False, user="7777")
    await services.alert_commands.ping_on(member)
    await services.store.notices.add_notices([Notice(
        kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title=f"m{i}", dedup_key=f"dep:{i}",
        model=f"m{i}") for i in range(PINGS_PER_HOUR + 1)])
    await services.alerts.route_pending()
    rows = await services.store.db.fetch_all("SELECT digest FROM deliveries ORDER BY id")
    assert [r["digest"] for r in rows] == [0] * PINGS_PER_HOUR + [1]


async def test_post_notice_counts_only_its_own_deliveries(services):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    # A watcher notice stored but not yet routed (the sweep has not run) is routed along with the post.
    await services.store.notices.add_notices([Notice(
        kind=NoticeKind.NEW_DEPRECATION, category=Category.DEPRECATION, title="gpt-4o", dedup_key="dep:gpt-4o",
        vendor="openai", model="gpt-4o")])
    message = await services.alert_commands.post_notice(mod, "Keep 4o", "Sign it")
    assert await services.store.db.fetch_value("SELECT COUNT(*) FROM deliveries") == 2
    assert message.body == "Posted. It goes to 1 subscribed channel or person."


@pytest.mark.parametrize(("arguments", "complaint"), [
    ({"deadline": "2020-01-01"}, "already passed"),
    ({"deadline": "someday"}, "is not a date"),
    ({"link": "example.org/letter"}, "is not a web address"),
    ({"link": "javascript:alert(1)"}, "is not a web address"),
    ({"link": "https://exa mple.org"}, "is not a web address"),
    ({"title": "   "}, "title is required"),
    ({"title": "x" * 201}, "title is required"),
    ({"text": "x" * 2001}, "at most"),
    ({"models": "gpt-4o <b>"}, "not a model name"),
])
async def test_post_notice_refuses_bad_input_and_stores_nothing(services, arguments, complaint):
    mod = await actor(services)
    await services.alert_commands.subscribe(mod)
    before = await snapshot(services)
    values = {"title": "Keep 4o", "text": "Sign it", **arguments}
    with pytest.raises(InvalidInput) as refused:
        await services.alert_commands.post_notice(mod, **values)
    assert complaint in refused.value.message
    assert await snapshot(services) == before


async def test_post_notice_deadline_is_checked_against_today(services):
    today = datetime(2026, 8, 20, 12, tzinfo=UTC)
    commands = AlertCommands(services.store, services.alerts, services.alert_commands._pseudonyms,
                             clock=lambda: today)
    mod = await actor(services)
    with pytest.raises(InvalidInput):
        await commands.post_notice(mod, "Survey", "Closes soon", deadline="2026-08-19")
    await commands.post_notice(mod, "Survey", "Closes today", deadline="2026-08-20")
    [row] = await services.store.db.fetch_all("SELECT due_date FROM notices")
    assert row["due_date"] == "2026-08-20"


async def test_two_digest_words_are_refused_rather_than_read_as_a_model(services):
    mod = await actor(services)
    with pytest.raises(InvalidInput):
        await run_text(services, mod, "alerts subscribe hourly daily")
    assert await subscriptions(services) == []


async def test_forgetting_a_moderator_keeps_what_they_set_up_but_not_their_pseudonym(services):
    mod = await actor(services)
    pseudonym = services.people.pseudonym(mod)
    await services.alert_commands.subscribe(mod)
    await services.alert_commands.post_notice(mod, "Export your chats", "Before the shutdown.")
    store = services.store
    assert (await store.subscriptions.export_person(pseudonym))["subscriptions_created"][0]["channel_id"] == "-1001"
    assert [n["title"] for n in await store.notices.export_person(pseudonym)] == ["Export your chats"]

    await store.subscriptions.delete_person(pseudonym)
    await store.notices.delete_person(pseudonym)
    assert await store.subscriptions.export_person(pseudonym) == {}
    assert await store.notices.export_person(pseudonym) == []
    assert len(await subscriptions(services)) == 1, "the community's subscription stays"
    assert await store.db.fetch_value("SELECT COUNT(*) FROM notices WHERE title = 'Export your chats'") == 1


@pytest.mark.parametrize(("typed", "suggestion"), [("deprecations", "deprecation"), ("openia", "openai"),
                                                   ("daly", "daily")])
async def test_a_near_miss_is_a_typo_not_a_model_pattern(services, typed, suggestion):
    mod = await actor(services)
    with pytest.raises(InvalidInput) as refused:
        await run_text(services, mod, f"alerts subscribe {typed} 4o")
    assert refused.value.params == {"word": typed, "suggestion": suggestion}
    assert await subscriptions(services) == []


async def test_model_names_close_to_nothing_are_patterns(services):
    await run_text(services, await actor(services), "alerts subscribe grok sonnet gpt-4o*")
    [row] = await subscriptions(services)
    assert json.loads(row["models"]) == ["grok", "sonnet", "gpt-4o*"]
