"""Which extractor reads a page is decided by the address's own host, never by a vendor's name appearing
anywhere else in it: a community's page cannot pass itself off as a vendor's by mentioning it."""

import pytest

from bot.watch.pages import UnknownPageFamily, family_for


@pytest.mark.parametrize(("url", "family"), [
    ("https://platform.openai.com/docs/deprecations", "openai"),
    ("https://developers.openai.com/api/docs/deprecations.md", "openai"),
    ("HTTPS://Platform.OpenAI.com:443/docs/deprecations?lang=en#gpt-4", "openai"),
    ("https://platform.openai.com./docs/deprecations", "openai"),  # the root's dot is the same host
    ("https://eu.platform.openai.com/docs/deprecations", "openai"),  # a subdomain is the vendor's too
    ("https://github.com/MicrosoftDocs/azure-ai-docs/blob/main/model-retirements.md", "azure"),
    ("https://help.openai.com/en/articles/6825453-chatgpt-release-notes", "release-notes"),
])
def test_a_vendors_own_host_names_its_family(url, family):
    assert family_for(url) == family


@pytest.mark.parametrize("url", [
    "https://evil.example/?x=platform.openai.com/docs/deprecations",      # in the query
    "https://evil.example/#platform.openai.com/docs/deprecations",        # in the fragment
    "https://evil.example/platform.openai.com/docs/deprecations",         # in the path
    "https://platform.openai.com.evil.example/docs/deprecations",         # a lookalike host
    "https://platform.openai.com@evil.example/docs/deprecations",         # credentials, not the host
    "https://evilplatform.openai.com.example/docs/deprecations",
    "https://notplatform-openai.com/docs/deprecations",
    "https://evil.example/redirect?to=https://docs.anthropic.com/en/docs/deprecations",
    "https://raw.githubusercontent.com/someone/MicrosoftDocs/retirement.md",  # not MicrosoftDocs' own tree
    "ftp://platform.openai.com/docs/deprecations",
    "pages/platform.openai.com/docs/deprecations.md",                     # not a web address at all
    "https://[::1/deprecations",                                           # unparseable
])
def test_an_address_that_merely_mentions_a_vendor_is_not_its_page(url):
    with pytest.raises(UnknownPageFamily):
        family_for(url)


def test_a_family_named_explicitly_still_reads_a_mirror():
    assert family_for("https://mirror.example/openai-deprecations.md", "openai") == "openai"
