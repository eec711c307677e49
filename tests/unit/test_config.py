import stat

import pytest

from bot.config import load_settings, pseudonym_secret
from bot.errors import SettingsError
from tests.conftest import make_settings


def test_defaults_point_at_the_real_services(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None)
    assert settings.discord_token is None and settings.telegram_token is None
    assert str(settings.database_path) == "data/continuity.db"
    assert settings.discord_api_base == "https://discord.com/api/v10"
    assert settings.telegram_api_base == "https://api.telegram.org/bot"
    assert settings.default_locale == "en"


def test_values_come_from_the_env_file(tmp_path):
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_TOKEN=123:abc\nDISCORD_TOKEN=\nlog_level=debug\nDEFAULT_LOCALE=ja\n")
    settings = load_settings(env)
    assert settings.telegram_token is not None and settings.telegram_token.get_secret_value() == "123:abc"
    assert settings.discord_token is None, "an empty line copied from .env.example means 'not set'"
    assert settings.log_level == "DEBUG"
    assert settings.default_locale == "ja"


@pytest.mark.parametrize(("line", "named"), [
    ("LOG_LEVEL=LOUD", "LOG_LEVEL"),
    ("DEFAULT_LOCALE=fr", "DEFAULT_LOCALE"),
    ("DISCORD_API_BASE=discord.com", "DISCORD_API_BASE"),
    ("DISCORD_DEV_GUILD=my-server", "DISCORD_DEV_GUILD"),
])
def test_a_bad_setting_is_named_with_what_to_do(tmp_path, line, named):
    env = tmp_path / ".env"
    env.write_text(line + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert named in str(caught.value)
    assert ".env.example" in str(caught.value)


def test_a_bad_secret_is_reported_without_its_value(tmp_path):
    env = tmp_path / ".env"
    env.write_text("PSEUDONYM_SECRET=short-sEcReT\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert "PSEUDONYM_SECRET" in str(caught.value)
    assert "short-sEcReT" not in str(caught.value)


def test_the_pseudonym_key_is_generated_once_and_kept(tmp_path):
    settings = make_settings(tmp_path, pseudonym_secret=None)
    first = pseudonym_secret(settings)
    key_file = tmp_path / "data" / "pseudonym.key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert pseudonym_secret(settings) == first
    assert len(first) >= 32


def test_a_configured_pseudonym_secret_wins(tmp_path):
    settings = make_settings(tmp_path, pseudonym_secret="configured-secret-value-of-32-characters")
    assert pseudonym_secret(settings) == b"configured-secret-value-of-32-characters"
    assert not (tmp_path / "data" / "pseudonym.key").exists()


@pytest.mark.parametrize("content", ["", "   \n", "a" * 31])
def test_a_short_or_empty_key_file_is_refused_with_what_to_do(tmp_path, content):
    settings = make_settings(tmp_path, pseudonym_secret=None)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "pseudonym.key").write_text(content)
    with pytest.raises(SettingsError) as caught:
        pseudonym_secret(settings)
    assert "at least 32" in str(caught.value) and "Delete the file" in str(caught.value)


def test_a_short_pseudonym_secret_is_refused_with_how_to_make_one(tmp_path):
    env = tmp_path / ".env"
    env.write_text("PSEUDONYM_SECRET=" + "s" * 31 + "\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(env)
    assert "PSEUDONYM_SECRET: must be at least 32 characters" in str(caught.value)
    assert "secrets.token_hex(32)" in str(caught.value)
    env.write_text("PSEUDONYM_SECRET=" + "s" * 32 + "\n")
    assert load_settings(env).pseudonym_secret is not None
