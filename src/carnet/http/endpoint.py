"""How a route runs: read the wire, authenticate, call the domain off the event loop."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from carnet.domain.accounts import authenticate
from carnet.domain.records import Account
from carnet.http.ratelimit import limit_key
from carnet.http.wire import Params, api_key, read_params, render, success_body, wants_xml
from carnet.storage import Store


@dataclass(frozen=True, slots=True)
class Call:
    """One authenticated request, as the domain needs it."""

    store: Store
    account: Account
    params: Params

    def get(self, name: str) -> Any:
        return self.params.get(name)


Handler = Callable[[Call], Mapping[str, Any]]


async def answer(request: Request, handler: Handler) -> Response:
    """Run ``handler`` for this request and wrap its result in the success envelope.

    Checks run in the contract's order: the body's size (middleware), its JSON,
    the API key, then whatever the handler checks. The per-key rate limit is
    counted once the key is read, before it is looked up.
    """
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    key = api_key(params, request)
    await limit_key(request, key)

    def run() -> Mapping[str, Any]:
        account = authenticate(store, key)
        return handler(Call(store, account, params))

    payload = await run_in_threadpool(run)
    return render(success_body(payload), xml=wants_xml(params, request))
