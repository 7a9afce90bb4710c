"""Console sessions: an HMAC-signed, expiring token in an HttpOnly, SameSite=Strict cookie.

The token names the API key that signed in, never the key's secret, so a stolen cookie cannot
be turned into API access. It is stateless so that every uvicorn worker accepts it; the signing
secret is ``GENGUARD_CONSOLE_SECRET`` or a random one kept in ``<home>/console.secret`` (mode
0600), shared by the workers of one home. Each request re-reads the key, so revoking a key or
changing its role ends its sessions at once. The CSRF token is an HMAC of the session nonce:
forms carry it, and a POST without the matching value is refused.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from genguard.vocabulary import Role

COOKIE = "gg_console"
#: Absolute lifetime of a session: a working shift.
LIFETIME_S = 8 * 3600


@dataclass(frozen=True)
class Session:
    """What a valid cookie says: which key signed in, as which role, until when."""

    key_id: int
    role: Role
    expires: int
    nonce: str


def load_secret(home: Path, configured: str | None = None) -> bytes:
    """The signing secret: ``configured`` (``GENGUARD_CONSOLE_SECRET``), else the home's secret
    file (created once)."""
    if configured:
        return configured.encode("utf-8")
    path = home / "console.secret"
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(secrets.token_bytes(32))
    return path.read_bytes()


class Signer:
    """Issues and checks session tokens and their CSRF tokens with one secret."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the console secret must be at least 16 bytes")
        self._secret = secret

    def _mac(self, purpose: str, body: str) -> str:
        digest = hmac.new(self._secret, f"{purpose}|{body}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")

    def pseudonym(self, purpose: str, value: str) -> str:
        """A keyed hash of ``value`` for counting or linking it without keeping it (a public
        client's address): unlike a plain hash, it cannot be reversed by trying every address."""
        return self._mac(purpose, value)

    def issue(self, key_id: int, role: Role, *, now: float | None = None) -> str:
        expires = int((now if now is not None else time.time()) + LIFETIME_S)
        body = f"{key_id}.{role.value}.{expires}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._mac('session', body)}"

    def read(self, token: str | None, *, now: float | None = None) -> Session | None:
        """The session a token stands for; None when it is malformed, forged or expired."""
        if not token or len(token) > 512:
            return None
        body, _, mac = token.rpartition(".")
        if not hmac.compare_digest(mac, self._mac("session", body)):
            return None
        try:
            key_id, role, expires, nonce = body.split(".")
            session = Session(int(key_id), Role(role), int(expires), nonce)
        except ValueError:
            return None
        if session.expires <= (now if now is not None else time.time()):
            return None
        return session

    def csrf(self, session: Session) -> str:
        return self._mac("csrf", session.nonce)

    def csrf_ok(self, session: Session, value: str | None) -> bool:
        return value is not None and value != "" and hmac.compare_digest(value, self.csrf(session))
