"""Signing in and out, and choosing the language."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response

from carnet.domain import people, sessions
from carnet.web import i18n
from carnet.web.context import (
    ANONYMOUS_CSRF_COOKIE,
    LANGUAGE_COOKIE,
    SESSION_COOKIE,
    Web,
    csrf_ok,
)

_YEAR = 365 * 24 * 3600


async def home(web: Web) -> Response:
    return RedirectResponse("/groups" if web.session else "/signin", status_code=303)


async def sign_in_page(web: Web) -> Response:
    if web.session is not None:
        return web.redirect("/groups")
    return web.render("signin.html", email="", error=None)


async def sign_in(web: Web) -> Response:
    email = web.field("email")
    try:
        person = await web.run(people.sign_in, web.store, email, web.field("password"))
    except people.TooManyAttempts:
        return web.render("too_many.html", status=429)
    except people.SignInFailed:
        error = web._("Wrong email or password.")
        return web.render("signin.html", status=401, email=email, error=error)
    token = await web.run(sessions.open_session, web.store, person, web.language)
    response = web.redirect("/groups")
    web.cookie(response, SESSION_COOKIE, token)
    response.delete_cookie(ANONYMOUS_CSRF_COOKIE, path="/")
    return response


async def sign_out(web: Web) -> Response:
    """``GET /signout?csrf=…``: a link, guarded by the session's CSRF token."""
    if web.session is not None and csrf_ok(web, web.request.query_params.get("csrf", "")):
        await web.run(sessions.end_session, web.store, web.session)
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _back(target: str) -> str:
    # Only a path of this site: never "//host" or "https://…".
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/groups"
    return target


async def choose_language(web: Web) -> Response:
    """``GET /language/{code}?csrf=…&back=…``: remembered in the session (a cookie before it)."""
    code = web.request.path_params["code"]
    back = _back(web.request.query_params.get("back", "/groups"))
    response = web.redirect(back)
    if code not in i18n.LANGUAGES or not csrf_ok(web, web.request.query_params.get("csrf", "")):
        return response
    if web.session is not None:
        await web.run(sessions.set_language, web.store, web.session, code)
    else:
        web.cookie(response, LANGUAGE_COOKIE, code, max_age=_YEAR)
    return response
