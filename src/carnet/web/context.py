"""What a page handler works with: the request, the session, the form, the language.

:func:`page` turns a handler into a Starlette endpoint: it finds the session
(or sends the browser to the sign-in page), checks the CSRF token of every
POST, and gives the handler a :class:`Web`.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from carnet.domain import people, sessions
from carnet.domain.records import Account, SessionRecord
from carnet.storage import Store
from carnet.web import i18n

SESSION_COOKIE = "carnet_session"
ANONYMOUS_CSRF_COOKIE = "carnet_csrf"  # guards the sign-in and language forms before a session
LANGUAGE_COOKIE = "carnet_lang"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"

P = ParamSpec("P")
T = TypeVar("T")

templates = Environment(
    loader=PackageLoader("carnet.web", "templates"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass
class Web:
    """One request to the dashboard, as its handler sees it."""

    request: Request
    store: Store
    session: SessionRecord | None
    language: str
    csrf: str
    form: FormData | None = None
    new_csrf_cookie: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def account(self) -> Account:
        assert self.session is not None
        # The audit trail names the person who acted.
        return people.as_person(self.session.person)

    def _(self, message: str, **values: Any) -> str:
        text = i18n.translations(self.language).gettext(message)
        return text % values if values else text

    def field(self, name: str) -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else ""

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Call the domain off the event loop."""
        return await run_in_threadpool(fn, *args, **kwargs)

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = self.language
        html = templates.get_template(template).render(
            _=self._,
            web=self,
            lang=lang,
            languages=i18n.LANGUAGES,
            csrf=self.csrf,
            person=self.session.person if self.session else None,
            path=self.request.url.path,
            when=lambda value: i18n.format_timestamp(value, lang),
            number=lambda value: i18n.format_number(value, lang),
            phone=i18n.format_phone,
            **context,
        )
        response = HTMLResponse(html, status_code=status)
        self.set_cookies(response)
        return response

    def redirect(self, url: str) -> Response:
        response = RedirectResponse(url, status_code=303)
        self.set_cookies(response)
        return response

    def set_cookies(self, response: Response) -> None:
        if self.new_csrf_cookie:
            self.cookie(response, ANONYMOUS_CSRF_COOKIE, self.csrf)

    def cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        """An HttpOnly, SameSite=Lax cookie, Secure when the request came over https."""
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            httponly=True,
            samesite="lax",
            secure=self.request.url.scheme == "https",
            path="/",
        )


Handler = Callable[[Web], Awaitable[Response]]


async def load(request: Request) -> Web:
    store: Store = request.app.state.store
    token = request.cookies.get(SESSION_COOKIE)
    session = await run_in_threadpool(sessions.find_session, store, token) if token else None
    language = (session.language if session else "") or request.cookies.get(LANGUAGE_COOKIE, "")
    if language not in i18n.LANGUAGES:
        language = i18n.negotiate(request.headers.get("accept-language"))
    if session is not None:
        return Web(request, store, session, language, session.csrf_token)
    csrf = request.cookies.get(ANONYMOUS_CSRF_COOKIE, "")
    fresh = len(csrf) < 32
    return Web(
        request, store, None, language, secrets.token_urlsafe(32) if fresh else csrf, None, fresh
    )


def csrf_ok(web: Web, given: str) -> bool:
    """Whether ``given`` is the CSRF token of this session (or of this browser, signed out)."""
    return bool(given) and hmac.compare_digest(given.encode(), web.csrf.encode())


def page(handler: Handler, *, public: bool = False) -> Callable[[Request], Awaitable[Response]]:
    """The endpoint running ``handler``: signed in (unless ``public``), CSRF checked on POST."""

    async def endpoint(request: Request) -> Response:
        web = await load(request)
        if web.session is None and not public:
            return RedirectResponse("/signin", status_code=303)
        if request.method == "POST":
            web.form = await request.form()
            given = web.request.headers.get(CSRF_HEADER) or web.field(CSRF_FIELD)
            if not csrf_ok(web, given):
                return web.render(
                    "error.html",
                    status=403,
                    message=web._("This form has expired. Go back, reload the page and try again."),
                )
        try:
            return await handler(web)
        finally:
            if web.form is not None:
                await web.form.close()

    endpoint.__name__ = handler.__name__
    return endpoint
