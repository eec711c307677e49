"""Fixtures every test level shares: settings on a temporary database, the store, the services, and the
research corpus (skipped with a reason when it is absent, so a plain clone still passes)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.services import Services
from bot.store import Store

PROJECT = Path(__file__).resolve().parents[1]

# The fakes listen on loopback; a proxy from the environment must not swallow those requests.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))


@pytest.fixture
def corpus() -> Path:
    """`../shared/research-corpus` beside the project, or CONTINUITY_CORPUS."""
    path = Path(os.environ.get("CONTINUITY_CORPUS", PROJECT.parent / "shared" / "research-corpus"))
    if not path.is_dir():
        pytest.skip(f"research corpus not found at {path} (set CONTINUITY_CORPUS to run these tests)")
    return path


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_path": tmp_path / "data" / "continuity.db",
        "pseudonym_secret": "test-secret-that-is-long-enough-for-hmac",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def store(settings: Settings) -> AsyncIterator[Store]:
    opened = await Store.open(settings.database_path)
    yield opened
    await opened.close()


@pytest.fixture
def services(settings: Settings, store: Store) -> Services:
    return build_services(settings, store)
