import pytest

from bot.errors import InvalidInput
from bot.forms import answer_from_text
from bot.presentation import Choice, FieldKind, Form, FormField

COLOURS = (Choice("red", "Red"), Choice("blue", "Blue"), Choice("green", "Green"))
FORM = Form("example", "Example", (
    FormField("name", "Name", max_length=10),
    FormField("story", "Story", kind=FieldKind.PARAGRAPH, min_length=5, required=False),
    FormField("colour", "Colour", FieldKind.CHOICE, choices=COLOURS),
    FormField("likes", "Likes", FieldKind.MULTI, required=False, choices=COLOURS),
    FormField("agree", "Agree", FieldKind.YESNO),
))


def test_answers_are_trimmed_and_kept():
    assert FORM.clean({"name": "  Ana ", "story": "", "colour": "blue", "likes": ["green", "red"], "agree": True}) \
        == {"name": "Ana", "story": "", "colour": "blue", "likes": ["red", "green"], "agree": True}


@pytest.mark.parametrize(("answers", "reason"), [
    ({"name": "", "colour": "red", "agree": True}, "“{label}” is required."),
    ({"name": "x" * 11, "colour": "red", "agree": True}, "“{label}” can be at most {max} characters (it has {count})."),
    ({"name": "Ana", "story": "abc", "colour": "red", "agree": True},
     "“{label}” needs at least {min} characters (it has {count})."),
    ({"name": "Ana", "colour": "maybe", "agree": True}, "“{label}” must be one of: {choices}."),
    ({"name": "Ana", "colour": "red", "likes": ["red", "pink"], "agree": True},
     "“{label}” must be one or more of: {choices}."),
    ({"name": "Ana", "colour": "red"}, "“{label}” is required."),
    ({"name": "Ana", "colour": "red", "agree": "perhaps"}, "“{label}” takes a yes or a no."),
])
def test_each_rule_refuses_with_its_own_reason(answers, reason):
    with pytest.raises(InvalidInput) as caught:
        FORM.clean(answers)
    assert caught.value.message == reason


@pytest.mark.parametrize(("key", "typed", "expected"), [
    ("colour", "2", "blue"),
    ("colour", "Green", "green"),
    ("likes", "3, 1", ["red", "green"]),
    ("likes", "", []),
    ("agree", "yes", True),
    ("agree", "N", False),
    ("name", "  Ana  ", "Ana"),
])
def test_typed_answers_become_what_the_rule_checks(key, typed, expected):
    field = FORM.field(key)
    assert field.clean(answer_from_text(field, typed)) == expected


def test_a_choice_number_out_of_range_is_refused_not_taken_as_another():
    field = FORM.field("colour")
    with pytest.raises(InvalidInput):
        field.clean(answer_from_text(field, "4"))


def test_pages_hold_at_most_the_size():
    assert [len(page) for page in FORM.pages(2)] == [2, 2, 1]
