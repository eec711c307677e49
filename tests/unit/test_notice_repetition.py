"""A notice never repeats its title as its body, nor a survey's note twice: feeds often give the title again as
the summary, and a survey approved from a report has its note as both title and detail."""

from __future__ import annotations

from datetime import date

from bot.domain import Category, Notice, NoticeKind
from bot.i18n import use_locale
from bot.watch.feeds import parse_feed
from bot.watch.wording import beyond_title, notice_message

TODAY = date(2026, 8, 20)


def news(title: str, detail: str, link: str | None = None) -> Notice:
    """A feed item's notice, as the watch service makes one (title, and the summary as its detail)."""
    return Notice(kind=NoticeKind.NEWS, category=Category.NEWS, title=title, detail=detail[:500], url=link,
                  dedup_key="news:1:x")


def test_a_real_feed_item_whose_summary_is_its_title_is_not_said_twice(corpus):
    parsed = parse_feed((corpus / "feeds" / "rss091-iso8859-1-dicas.xml").read_bytes(), url=None, content_type=None)
    [item] = parsed.items
    assert item.summary == item.title == "bash - Expansão de Parâmetros", "the corpus item this test is about"
    message = notice_message(news(item.title, item.summary, item.link), TODAY)
    assert (message.title, message.body) == ("bash - Expansão de Parâmetros", "")
    assert message.link == "http://www.Dicas-L.com.br/dicas-l/20200406.php"


def test_a_summary_that_begins_with_the_title_keeps_only_what_it_adds():
    message = notice_message(news("GPT-4.5 preview retired", "GPT-4.5 preview retired: use gpt-5.6 instead."), TODAY)
    assert message.body == "use gpt-5.6 instead."
    assert notice_message(news("Update", "Updated pricing for batch jobs"), TODAY).body == \
        "Updated pricing for batch jobs", "a title that is only the start of a word is not repeated"
    assert notice_message(news("Status", ""), TODAY).body == "", "the title is never the body"


def test_a_survey_notice_does_not_say_its_note_twice():
    note = "Tell OpenAI how you use GPT-4o"
    survey = Notice(kind=NoticeKind.SURVEY, category=Category.SURVEY, title=note, detail=note,
                    url="https://survey.example/s", dedup_key="survey:1:https://survey.example/s")
    with use_locale("es"):
        message = notice_message(survey, TODAY)
    assert (message.title, message.body) == (note, "Hay una encuesta abierta.")


def test_a_posted_notice_whose_text_repeats_its_title():
    posted = Notice(kind=NoticeKind.POSTED, category=Category.NEWS, title="Export your chats",
                    detail="Export your chats\nbefore Friday, from Settings.", dedup_key="posted:1:a")
    assert notice_message(posted, TODAY).body == "before Friday, from Settings."
    assert beyond_title(None, "x") == ""
