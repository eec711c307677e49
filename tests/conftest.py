"""Fixtures every test level shares: settings on a temporary database, the store, the services, and the
research corpus (skipped with a reason when it is absent, so a plain clone still passes)."""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_services
from bot.config import Settings
from bot.services import Services
from bot.store import Store

PROJECT = Path(__file__).resolve().parents[1]

# The fakes listen on loopback; a proxy from the environment must not swallow those requests.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(
    filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1", "localhost"]))


class NetworkUsed(AssertionError):
    """A test tried to reach past this machine, or to ask the system resolver for a name."""


_LOOPBACK = {"127.0.0.1", "::1"}


def _literal(host: Any) -> str | None:
    """`host` as a numeric address, or None when it is a name (or nothing)."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return None
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        return None


class NetworkGuard:
    """Every test runs offline: connections go only to 127.0.0.1 or ::1, and no name goes to the system
    resolver, not even `localhost` (its answer depends on the machine's /etc/hosts and DNS). Attempts raise
    `NetworkUsed` and are also recorded, so a test fails even if the code under test swallows the error.
    asyncio's `loop.getaddrinfo` calls `socket.getaddrinfo` at call time, so it is covered too."""

    def __init__(self) -> None:
        self.attempts: list[str] = []
        self._real_connect = socket.socket.connect
        self._real_connect_ex = socket.socket.connect_ex
        self._real_getaddrinfo = socket.getaddrinfo
        self._real_gethostbyname = socket.gethostbyname

    def _refuse(self, what: str) -> NetworkUsed:
        self.attempts.append(what)
        return NetworkUsed(f"tests never reach the network: {what}")

    def check_address(self, sock: socket.socket, address: Any) -> None:
        if sock.family in (socket.AF_INET, socket.AF_INET6) and _literal(address[0]) not in _LOOPBACK:
            raise self._refuse(f"connect to {address!r}")

    def check_name(self, host: Any) -> None:
        if host is not None and _literal(host) is None:
            raise self._refuse(f"resolve {host!r} through the system resolver")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        guard = self

        def connect(sock: socket.socket, address: Any) -> None:
            guard.check_address(sock, address)
            return guard._real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            guard.check_address(sock, address)
            return guard._real_connect_ex(sock, address)

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            guard.check_name(host)
            return guard._real_getaddrinfo(host, *args, **kwargs)

        def gethostbyname(host: str) -> str:
            guard.check_name(host)
            return guard._real_gethostbyname(host)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
        monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
        monkeypatch.setattr(socket, "gethostbyname", gethostbyname)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    guard.install(monkeypatch)
    yield guard
    if guard.attempts:
        pytest.fail("a test tried to use the network: " + "; ".join(guard.attempts), pytrace=False)


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
def logging_as_it_was() -> Iterator[None]:
    """For tests that call `bot.__main__.main()`, which sets the process's logging up as `python -m bot` must:
    the next test gets pytest's logging back."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


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
