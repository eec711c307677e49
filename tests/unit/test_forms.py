import pytest

from bot.errors import InvalidInput
from bot.presentation import FieldStyle, Form, FormField

FORM = Form("example", "Example", (
    FormField("name", "Name", max_length=10),
    FormField("story", "Story", style=FieldStyle.PARAGRAPH, min_length=5, required=False),
    FormField("consent", "Consent", choices=("yes", "no")),
))


def test_answers_are_trimmed_and_kept():
    assert FORM.clean({"name": "  Ana ", "story": "", "consent": "yes"}) == \
        {"name": "Ana", "story": "", "consent": "yes"}


@pytest.mark.parametrize(("answers", "reason"), [
    ({"name": "", "consent": "yes"}, "“{label}” is required."),
    ({"name": "x" * 11, "consent": "yes"}, "“{label}” can be at most {max} characters (it has {count})."),
    ({"name": "Ana", "story": "abc", "consent": "yes"}, "“{label}” needs at least {min} characters (it has {count})."),
    ({"name": "Ana", "consent": "maybe"}, "“{label}” must be one of: {choices}."),
])
def test_each_rule_refuses_with_its_own_reason(answers, reason):
    with pytest.raises(InvalidInput) as caught:
        FORM.clean(answers)
    assert caught.value.message == reason
