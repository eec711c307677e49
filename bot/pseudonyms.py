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

    def of(self, platform: PlatformName, user_id: str) -> str:
        digest = hmac.new(self._secret, f"{platform.value}:{user_id}".encode(), hashlib.sha256).digest()
        return "p_" + base64.b32encode(digest[:15]).decode("ascii").lower()
