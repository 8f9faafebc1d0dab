"""Join codes and personal respondent tokens for team rounds (pure: no Flask, no SQL).

A join code is what a lead reads out or projects: six characters from an alphabet without
look-alikes (no 0/O, 1/I/L), so it survives being typed on a phone. A personal token is
what keeps a respondent's answers theirs: it is unguessable, only its SHA-256 is stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

JOIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
TOKEN_BYTES = 24  # as secrets.token_urlsafe(24): 32 URL-safe characters
NONCE_BYTES = 24

_CODE_RE = re.compile(f"^[{JOIN_ALPHABET}]{{{CODE_LENGTH}}}$")
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
_NONCE_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")


def new_code() -> str:
    """A random join code (uniqueness is the storage's job)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str | None) -> str | None:
    """The code as typed -> canonical form, or None when it cannot be a join code.

    People type codes in lower case and with spaces or a dash in the middle; those are
    forgiven. Anything outside the alphabet makes the code invalid.
    """
    if raw is None:
        return None
    code = re.sub(r"[\s\-.]", "", raw).upper()
    return code if _CODE_RE.match(code) else None


def new_nonce() -> str:
    """A one-time value carried in a join form; the same form sent twice carries the same one."""
    return secrets.token_urlsafe(NONCE_BYTES)


def is_nonce(value: str | None) -> bool:
    """Does a posted value look like one new_nonce() made (not tampered with)?"""
    return bool(value) and bool(_NONCE_RE.match(value or ""))


def derive_token(secret: str | bytes, round_id: int, nonce: str) -> str:
    """The personal token for a join form: HMAC of the round and the form's nonce.

    Derived rather than random so a double submit of the same form maps to the same
    respondent. Without the app's secret key the token cannot be computed from the
    nonce, and the nonce is as random as a token itself.
    """
    key = secret.encode() if isinstance(secret, str) else secret
    mac = hmac.new(key, f"round-join:{round_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:TOKEN_BYTES]).decode().rstrip("=")


def new_token() -> str:
    """A random personal token (for respondents created without a join form)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(value: str | None) -> bool:
    """True when the value has a token's shape (cheap check before any lookup)."""
    return bool(value) and bool(_TOKEN_RE.match(value or ""))


def token_hash(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
