"""Signed values checked once per process: the session cookie and the CSRF token.

Every request of a browser carries the same signed session cookie, and every post of a
workshop phone the same CSRF token; checking their signatures (itsdangerous: HMAC, base64,
JSON, a fresh serializer each time) was about a third of the CPU of a phone's answer. Here a
value whose signature has been checked is remembered, by its exact text, for CACHE_SECONDS:
the same text seen again within that time is the same valid value, so its check is skipped.
A changed, forged or truncated value is a different text and is checked in full as before.
The cost is that a cookie or token may be accepted up to CACHE_SECONDS past its own expiry
(sessions expire after hours, tokens after 8 hours, and the server-side session of a
signed-in user is still checked on every request, so signing out works at once).

Both caches are bounded (MAX_ENTRIES, the oldest dropped first) and per process.
"""

from __future__ import annotations

import copy
import hmac
import threading
import time
from collections import OrderedDict
from typing import Any

from flask import Flask, Request, g, request, session
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

CACHE_SECONDS = 60.0
MAX_ENTRIES = 20_000
# Values handed out as they are; anything else (a dict of a phone's round links, flashed
# messages, which Flask changes in place) is handed out as a deep copy, so a request never
# changes what the next one receives.
_PLAIN = (str, int, float, bool, type(None))


class _Recent:
    """A bounded map of recently checked values, each kept for CACHE_SECONDS."""

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found[0] < time.monotonic():
                del self._items[key]
                return None
            return found[1]

    def put(self, key: str, value: Any) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + CACHE_SECONDS, value)
            self._items.move_to_end(key)
            while len(self._items) > MAX_ENTRIES:
                self._items.popitem(last=False)


class CachedCookieSessions(SecureCookieSessionInterface):
    """Flask's signed cookie sessions, with each cookie's signature checked once per minute."""

    def __init__(self) -> None:
        self._recent = _Recent()

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        value = request.cookies.get(self.get_cookie_name(app))
        if value:
            known = self._recent.get(value)
            if known is not None:
                return self.session_class(
                    {k: v if isinstance(v, _PLAIN) else copy.deepcopy(v) for k, v in known.items()}
                )
        opened = super().open_session(app, request)
        if value and opened is not None:
            self._recent.put(value, copy.deepcopy(dict(opened)))
        return opened


class CachedCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF check, with a token whose signature was checked in the last minute
    accepted by comparing it with the session's token only (the same check, without the
    signature's cost)."""

    def __init__(self) -> None:
        super().__init__()
        self._recent = _Recent()

    def protect(self, apply_exemptions: bool = False) -> None:
        from flask import current_app

        config = current_app.config
        strict = request.is_secure and config["WTF_CSRF_SSL_STRICT"]
        if request.method in config["WTF_CSRF_METHODS"] and not strict:
            # A script's post carries the token in a header: looked at first, so that a JSON
            # post's body is not parsed as a form just to find no token there.
            token = (
                next(
                    (request.headers.get(h) for h in config["WTF_CSRF_HEADERS"] if request.headers.get(h)),
                    None,
                )
                or self._get_csrf_token()
            )
            known = self._recent.get(token) if token else None
            stored = session.get(config["WTF_CSRF_FIELD_NAME"])
            if known is not None and isinstance(stored, str) and hmac.compare_digest(known, stored):
                g.csrf_valid = True
                return
        super().protect(apply_exemptions)
        if g.get("csrf_valid"):
            token = self._get_csrf_token()
            stored = session.get(config["WTF_CSRF_FIELD_NAME"])
            if token and isinstance(stored, str):
                self._recent.put(token, stored)
