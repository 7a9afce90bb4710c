"""Sign-in with an API key, sign-out, and the console's home page (the dashboard)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from genguard.web import services
from genguard.web.bodies import StrictRoute
from genguard.console.access import CONSOLE_ROLES, Viewer, current, signer, viewer
from genguard.console.render import PREFIX, page, redirect
from genguard.console.session import COOKIE, LIFETIME_S

router = APIRouter(route_class=StrictRoute, prefix=PREFIX)
#: Login CSRF: a random value in a cookie and in the form (there is no session to bind to yet).
LOGIN_COOKIE = "gg_console_login"


def _set_cookie(response: Response, name: str, value: str, max_age: int) -> None:
    response.set_cookie(name, value, max_age=max_age, path=PREFIX, httponly=True, samesite="strict",
                        secure=False)  # plain HTTP on loopback in tests; behind TLS the proxy adds Secure


def _login_page(request: Request, *, error: str | None = None, status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = page(request, "login.html", None, status=status, login_token=token, login_error=error)
    _set_cookie(response, LOGIN_COOKIE, token, 600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    if current(request) is not None:
        return redirect("/")
    return _login_page(request)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, api_key: Annotated[str, Form(max_length=200)] = "",
          login_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    """Exchange an API key for a session; the key itself is never stored in the browser."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, login_token):
        return _login_page(request, error="The sign-in form expired. Please try again.", status=403)
    who = services.keys(request).authenticate(api_key.strip())
    if who is None:
        return _login_page(request, error="That API key is not valid.", status=401)
    if who.role not in CONSOLE_ROLES:
        return _login_page(request, error=f"A {who.role.value} key cannot sign in to the console.", status=403)
    services.audit(request).record("console.signed_in", {"role": who.role.value},
                                   actor=f"key:{who.key_id}", subject=f"key:{who.key_id}")
    response = redirect("/")
    _set_cookie(response, COOKIE, signer(request).issue(who.key_id, who.role), LIFETIME_S)
    response.delete_cookie(LOGIN_COOKIE, path=PREFIX)
    return response


@router.post("/logout")
async def logout(request: Request, who: Annotated[Viewer, Depends(viewer(*CONSOLE_ROLES))]) -> Response:
    await who.check_csrf(request)
    services.audit(request).record("console.signed_out", {}, actor=who.actor, subject=who.actor)
    response = redirect("/login")
    response.delete_cookie(COOKIE, path=PREFIX)
    return response
