"""The guard in tests/conftest.py: a test that reaches past loopback, or asks the system resolver for any
name, fails; even when the code it runs swallows the error."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.conftest import NetworkGuard, NetworkUsed

pytest_plugins = ["pytester"]

OUTSIDE = ("192.0.2.1", 80)  # TEST-NET-1: never routed, so not even a packet could leave if the guard failed


def _refused(guard: NetworkGuard, attempt) -> str:
    with pytest.raises(NetworkUsed) as caught:
        attempt()
    assert guard.attempts, "the attempt is recorded for the test's teardown"
    guard.attempts.clear()  # this test means to try; any other test doing so fails
    return str(caught.value)


def test_connecting_past_loopback_is_refused(network_guard):
    with socket.socket() as sock:
        assert "192.0.2.1" in _refused(network_guard, lambda: sock.connect(OUTSIDE))
    with socket.socket() as sock:
        _refused(network_guard, lambda: sock.connect_ex(OUTSIDE))
    with socket.socket(socket.AF_INET6) as sock:
        _refused(network_guard, lambda: sock.connect_ex(("2001:db8::1", 80, 0, 0)))
    _refused(network_guard, lambda: socket.create_connection(OUTSIDE, timeout=1))


@pytest.mark.parametrize("name", ["localhost", "example.org"])
def test_any_name_through_the_system_resolver_is_refused(network_guard, name):
    assert name in _refused(network_guard, lambda: socket.getaddrinfo(name, 80))
    _refused(network_guard, lambda: socket.gethostbyname(name))


async def test_asyncio_lookups_and_connections_are_refused(network_guard):
    loop = asyncio.get_running_loop()
    with pytest.raises(NetworkUsed):
        await loop.getaddrinfo("localhost", 80)
    with pytest.raises(NetworkUsed):
        await asyncio.open_connection(*OUTSIDE)
    network_guard.attempts.clear()


def test_loopback_addresses_are_allowed(network_guard):
    assert socket.getaddrinfo("127.0.0.1", 80)[0][4][0] == "127.0.0.1"
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert network_guard.attempts == []


def test_a_test_that_swallows_the_error_still_fails(pytester):
    pytester.makeconftest("from tests.conftest import network_guard  # noqa: F401\n")
    pytester.makepyfile("""
        import socket

        def test_quietly_online():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=1)
            except Exception:
                pass  # code under test that hides the failure
    """)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*a test tried to use the network: connect to ('192.0.2.1', 80)*"])
