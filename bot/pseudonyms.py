"""Stable pseudonyms for people: an HMAC of platform and user id under the instance's secret.

The same person gets the same pseudonym across restarts, a different one on another instance, and the
raw platform id cannot be read back from it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from bot.domain import PlatformName


class Pseudonyms:
    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def of(self, platform: PlatformName | str, user_id: str) -> str:
        """`platform` may also be a namespace of our own ("import:3": people known only to a file imported
        into community 3), kept apart from every platform's by its name."""
        namespace = platform.value if isinstance(platform, PlatformName) else platform
        digest = hmac.new(self._secret, f"{namespace}:{user_id}".encode(), hashlib.sha256).digest()
        return "p_" + base64.b32encode(digest[:15]).decode("ascii").lower()
