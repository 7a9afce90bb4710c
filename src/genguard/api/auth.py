"""API-key authentication and role checks for every ``/v1`` route.

Keys arrive as ``Authorization: Bearer <key>`` or ``X-API-Key: <key>``. Only their SHA-256 is
stored (see ``genguard.auth.keys``); the secret is never logged.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Depends, HTTPException, Request

from genguard.web import services
from genguard.api.limits import PRINCIPAL_STATE, api_secret
from genguard.auth.keys import Principal
from genguard.vocabulary import Role


def principal(request: Request) -> Principal:
    """The caller the request gate authenticated from the headers (before any body was read)."""
    found = request.scope.get("state", {}).get(PRINCIPAL_STATE)
    if found is None:  # routes outside the gate's /v1 prefix would land here
        secret = api_secret(request.headers)
        found = services.keys(request).authenticate(secret) if secret else None
    if found is None:
        raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})
    return found


def require(*roles: Role) -> Callable[..., Principal]:
    """A dependency that admits the given roles (admin is always admitted)."""
    allowed = {*roles, Role.ADMIN}

    def check(who: Principal = Depends(principal)) -> Principal:
        if who.role not in allowed:
            raise HTTPException(403, f"role {who.role.value!r} may not do this")
        return who

    return check
