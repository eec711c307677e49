"""People as the core sees them: a pseudonym and their own choices. Decides which language to answer in."""

from __future__ import annotations

from dataclasses import replace

from bot.domain import Community, PlatformName, Severity
from bot.errors import InvalidInput
from bot.i18n import LOCALE_NAMES, LOCALES, N_, _, choose_locale, use_locale
from bot.presentation import Actor, Message, MessageField, Target
from bot.pseudonyms import Pseudonyms
from bot.store import Store

AUTO = "auto"


class PeopleService:
    def __init__(self, store: Store, pseudonyms: Pseudonyms, default_locale: str) -> None:
        self._store = store
        self._pseudonyms = pseudonyms
        self._default_locale = default_locale

    def pseudonym(self, actor: Actor) -> str:
        return self._pseudonyms.of(actor.platform, actor.user_id)

    async def community(self, platform: PlatformName, external_id: str, name: str) -> Community:
        return await self._store.communities.ensure_community(platform, external_id, name)

    async def actor(self, platform: PlatformName, user_id: str, display_name: str, *,
                    client_locale: str | None, community: Community | None,
                    is_moderator: bool, channel: Target | None = None, private: bool = False) -> Actor:
        """An Actor whose `locale` is the language to answer in: the person's own choice, else their
        app's language, else the community's, else the instance default."""
        actor = Actor(platform, str(user_id), display_name, self._default_locale, community, is_moderator, channel,
                      private)
        chosen = (await self._store.people.get_preferences(self.pseudonym(actor))).locale
        locale = choose_locale(chosen, client_locale, community.locale if community else None,
                               default=self._default_locale)
        return replace(actor, locale=locale)

    async def set_language(self, actor: Actor, choice: str) -> Message:
        """`/language [code|auto]`: show, set or clear the person's language."""
        choice = choice.strip()
        if not choice:
            return Message(
                title=_("Language"),
                body=_("I answer you in {language}. Send /language followed by a code to change it, "
                       "or /language auto to follow your app's language.", language=LOCALE_NAMES[actor.locale]),
                fields=tuple(MessageField(code, LOCALE_NAMES[code], inline=True) for code in LOCALES),
            )
        if choice.lower() == AUTO:
            await self._store.people.set_locale(self.pseudonym(actor), None)
            return Message(body=_("Done: I will follow your app's language."), severity=Severity.SUCCESS)
        locale = choice if choice in LOCALES else choose_locale(choice, default="")
        if not locale:
            raise InvalidInput(N_("Unknown language “{code}”. Choose one of: {codes}, or auto."),
                               code=choice[:20], codes=", ".join(LOCALES))
        await self._store.people.set_locale(self.pseudonym(actor), locale)
        with use_locale(locale):
            return Message(body=_("Done: I will answer you in {language}.", language=LOCALE_NAMES[locale]),
                           severity=Severity.SUCCESS)

