"""Who is using the console: the session cookie, the key behind it, and the role each page needs.

Every page depends on :func:`viewer` with the roles it admits; every form handler also calls
:meth:`Viewer.check_csrf`. A missing or expired session sends the browser to the sign-in page;
a signed-in user without the role gets a 403 page, never the data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from genguard.web import services
from genguard.vocabulary import Role
from genguard.console.session import COOKIE, Session, Signer

#: Roles that may sign in to the console at all (a service key is for machines).
CONSOLE_ROLES = frozenset({Role.REVIEWER, Role.ADMIN, Role.AUDITOR})


class SignInRequired(Exception):
    """No valid session: redirect to the sign-in page (GET) or refuse (POST)."""


class Forbidden(Exception):
    """Signed in, but the role does not admit this page or action."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Viewer:
    """The signed-in user of one request."""

    key_id: int
    name: str
    role: Role
    session: Session
    signer: Signer

    @property
    def actor(self) -> str:
        """The identity the audit trail records: the same ``key:N`` the API records."""
        return f"key:{self.key_id}"

    @property
    def csrf(self) -> str:
        return self.signer.csrf(self.session)

    def may(self, *roles: Role) -> bool:
        return self.role in {*roles, Role.ADMIN}

    async def check_csrf(self, request: Request) -> None:
        """Refuse a form whose CSRF field does not match this session's token."""
        form = await request.form()
        value = form.get("csrf")
        if not isinstance(value, str) or not self.signer.csrf_ok(self.session, value):
            raise Forbidden("the form's security token is missing or stale; reload the page and try again")


def signer(request: Request) -> Signer:
    return request.app.state.console_signer


def current(request: Request) -> Viewer | None:
    """The viewer of a valid session whose key is still live and still has the signed-in role."""
    sign = signer(request)
    session = sign.read(request.cookies.get(COOKIE))
    if session is None:
        return None
    key = services.keys(request).get(session.key_id)
    if key is None or key.revoked_at is not None or key.role != session.role:
        return None
    if session.role not in CONSOLE_ROLES:
        return None
    return Viewer(session.key_id, key.name, session.role, session, sign)


def viewer(*roles: Role) -> Callable[[Request], Viewer]:
    """A dependency admitting ``roles`` (admin always): the page's role check."""
    allowed = {*roles, Role.ADMIN}

    def check(request: Request) -> Viewer:
        who = current(request)
        if who is None:
            raise SignInRequired()
        if who.role not in allowed:
            names = ", ".join(sorted(r.value for r in allowed))
            raise Forbidden(f"this page is for: {names}; you are signed in as {who.role.value}")
        return who

    return check
