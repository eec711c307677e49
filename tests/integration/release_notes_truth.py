"""Hand-made truth for the real consumer release notes in the research corpus (`pages/`): which retirements
each copy announces, read from the text by a person, not from the extractor's output.

Each row is (model, platform, shutdown date, qualifier, status), the status as of the copy's own date (its
newest entry, the `as_of` the extractor is given). The comment above each row quotes the sentence it comes
from. What was read and deliberately left out is listed under each copy, so a later reader can argue with it.

How the pages were read (conservatively: a false "retired" is worse than a late notice):
- A retirement is a model said to leave the app (retire, sunset, remove, "no longer available") or to stay
  only for a limited time ("will remain available for the next few weeks": announced, no firm date).
- A launch that says the new model "replaces" or "supersedes" an older one in the picker is not counted: the
  pages themselves show a replaced model can stay ("GPT-5 models remain available for three months under
  the Legacy models dropdown", said when GPT-5.1 replaced GPT-5), so "replaces" alone does not say "gone".
- A date is a full written date, or the section's date when the sentence speaks of now ("we are retiring",
  "we've removed"); "in the coming weeks" or "for three months" is no date (qualifier tbd).
- Status: retired when the page says it is gone, or when its date is on or before the copy's date;
  deprecated otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain import ModelStatus, ShutdownQualifier

RETIRED, DEPRECATED = ModelStatus.RETIRED, ModelStatus.DEPRECATED
FIRM, TBD = ShutdownQualifier.FIRM, ShutdownQualifier.TBD


@dataclass(frozen=True, slots=True)
class Truth:
    model: str
    platform: str
    shutdown: date | None
    qualifier: ShutdownQualifier
    status: ModelStatus


@dataclass(frozen=True, slots=True)
class Copy:
    as_of: date  # the copy's newest entry: the day it shows
    rows: tuple[Truth, ...]


TRUTH: dict[str, Copy] = {
    "openai-chatgpt-enterprise-edu-release-notes-2026-06-25.md": Copy(date(2026, 6, 25), (
        # March 11, 2026, "Retiring GPT-5.1 models": "As of March 11, 2026, GPT-5.1 models are no longer
        # available in ChatGPT. This applies to GPT-5.1 Instant, GPT-5.1 Thinking, and GPT-5.1 Pro."
        Truth("gpt-5.1-instant", "chatgpt", date(2026, 3, 11), FIRM, RETIRED),
        Truth("gpt-5.1-thinking", "chatgpt", date(2026, 3, 11), FIRM, RETIRED),
        Truth("gpt-5.1-pro", "chatgpt", date(2026, 3, 11), FIRM, RETIRED),
        # February 19, 2026, "Retiring GPT-5 legacy models": "As previously announced, we are also retiring
        # GPT-5 (Instant and Thinking), as previously announced. There are no API changes at this time."
        # Present tense, no date of its own: the section's day; before the copy's day, so retired.
        Truth("gpt-5-instant", "chatgpt", date(2026, 2, 19), FIRM, RETIRED),
        Truth("gpt-5-thinking", "chatgpt", date(2026, 2, 19), FIRM, RETIRED),
        # Left out:
        # - November 25, 2025: "GPT-5.1 Auto and GPT-5.1 Thinking are no longer available as Early Access
        #   options" (in a sentence launching GPT-5.1 Instant): they left early access, not the app.
        # - November 12, 2025: "GPT-5 models remain available for three months under the Legacy models
        #   dropdown": the family's retirement announced, made concrete (Instant and Thinking) on Feb 19.
        # - "replaces"/"supersede" in launches: o3-pro for o1-pro (June 18, 2025), GPT-4.1 mini for GPT-4o
        #   mini (May 22, 2025), o3 and o4-mini for o1 and o3-mini (April 24, 2025), o3-mini for o1-mini
        #   (February 13, 2025), o1 for o1-preview (December 12, 2024), GPT-5.3 Instant Mini for GPT-5 Instant
        #   Mini as the rate-limit fallback (April 9, 2026).
        # - Not models: "The legacy deep research mode will be removed on Thursday, March 26, 2026", the
        #   "ChatGPT with Schedules Tasks" option, the canvas admin setting, the Beta label.
    )),
    "openai-chatgpt-release-notes-2025-06-07.md": Copy(date(2025, 6, 7), (
        # April 10, 2025, "Sunsetting GPT-4 in ChatGPT": "Effective April 30, 2025, GPT-4 will be retired from
        # ChatGPT and fully replaced by GPT-4o." (April 30 is before the copy's June 7: retired.) The same
        # entry: "GPT-4 will still be available in the API." — no API retirement.
        Truth("gpt-4", "chatgpt", date(2025, 4, 30), FIRM, RETIRED),
        # Left out: "GPT-4.1 mini replaces GPT-4o mini in the model picker" (May 14, a launch); "Sunsetting
        # Monday GPT" (a personality, not a model); "We've reverted the most recent update to GPT-4o" (April
        # 29, a rollback); "No tools are deprecated".
    )),
    "openai-chatgpt-release-notes-2025-06-13.md": Copy(date(2025, 6, 13), (
        # The same April 10, 2025 entry as the June 7 copy: "Effective April 30, 2025, GPT-4 will be retired
        # from ChatGPT and fully replaced by GPT-4o."
        Truth("gpt-4", "chatgpt", date(2025, 4, 30), FIRM, RETIRED),
        # Left out: June 10, 2025, "o3-pro is available in the model picker for Pro and Team users starting
        # today, replacing o1-pro" (a "now available" sentence); the rest as in the June 7 copy.
    )),
    "anthropic-claude-app-release-notes-2026-02-05.md": Copy(date(2026, 2, 5), (
        # January 16, 2026, "Opus 4 and 4.1 deprecated from Claude and Claude Code": "We've removed Claude
        # Opus 4 and 4.1 from the Claude model selector and Claude Code." Past tense: retired that day.
        Truth("claude-opus-4", "claude.ai", date(2026, 1, 16), FIRM, RETIRED),
        Truth("claude-opus-4-1", "claude.ai", date(2026, 1, 16), FIRM, RETIRED),
        # Left out: every other entry is a launch (Opus 4.6, Opus 4.5, Haiku 4.5, Sonnet 4.5, Opus 4.1).
    )),
    "google-gemini-app-release-notes-2025-12-17.md": Copy(date(2025, 12, 17), (
        # 2025.01.30, "Introducing Gemini 2.0 Flash to Gemini": "Gemini 1.5 Flash and 1.5 Pro will remain
        # available for the next few weeks." An end announced with no date; the page never says it happened.
        Truth("gemini-1.5-flash", "gemini-app", None, TBD, DEPRECATED),
        Truth("gemini-1.5-pro", "gemini-app", None, TBD, DEPRECATED),
        # Left out: "The Gemini Advanced name is retiring" (a plan's name); "Bard is now Gemini" (a rename);
        # "Gemini 3 Flash is now the new default model ... a major capability upgrade over Gemini 2.5 Flash"
        # (a launch naming an older model).
    )),
}
