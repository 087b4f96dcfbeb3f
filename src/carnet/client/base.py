"""What ``Client`` and ``AsyncClient`` share, without doing any I/O.

Each call of the API is an :class:`~carnet.client.operations.Operation`. The
base turns one into an *exchange*: a generator, as httpx's auth flows are, that
yields each :class:`Attempt` to make (a request, and how long to wait before
sending it) and receives the response that came back. It builds the request
(``apiKey`` in the JSON body of a POST, in the query of a GET, as SPEC §7 asks),
asks the retry policy whether to send it again, and returns the answer's value
or raises the matching :class:`~carnet.errors.CarnetError`. The two clients only
run the loop that sends, one blocking, one awaiting.
"""

from __future__ import annotations

import os
from collections.abc import Generator
from dataclasses import dataclass
from typing import TypeVar

import httpx

from carnet import __version__
from carnet.client.answers import read_answer
from carnet.client.operations import Operation
from carnet.client.retry import Retry
from carnet.errors import AuthenticationError, NetworkError

T = TypeVar("T")

DEFAULT_SERVER_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True, slots=True)
class Attempt:
    """Send ``request``, after waiting ``delay`` seconds."""

    request: httpx.Request
    delay: float = 0.0


# What an exchange yields, is sent, and returns.
Exchange = Generator[Attempt, httpx.Response, T]


class BaseClient:
    """Settings, request building and the exchange of one call, shared by both clients."""

    _http: httpx.Client | httpx.AsyncClient

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        retry: Retry | None = None,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("CARNET_API_KEY")
        if not key:
            raise AuthenticationError("No API key: pass api_key= or set CARNET_API_KEY")
        self._api_key = key
        self.base_url = root_url(base_url or os.environ.get("CARNET_URL") or DEFAULT_SERVER_URL)
        self.retry = retry if retry is not None else Retry()
        self.headers = {"User-Agent": f"carnet-client/{__version__}"}

    def __repr__(self) -> str:
        # Never the key.
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def build_request(
        self, http: httpx.Client | httpx.AsyncClient, op: Operation[T]
    ) -> httpx.Request:
        """The request for ``op``, with the key where the upstream API expects it."""
        params = {"apiKey": self._api_key, **op.params}
        if op.files is not None:
            return http.build_request(op.method, op.path, data=params, files=op.files)
        if op.method == "GET":
            return http.build_request("GET", op.path, params=params)
        return http.build_request(op.method, op.path, json=params)

    def _exchange(self, op: Operation[T]) -> Exchange[T]:
        """The attempts of one call: yields each, receives its response, returns the value.

        A transport error thrown in at the ``yield`` becomes a :class:`NetworkError`.
        """
        attempt, delay = 0, 0.0
        while True:
            try:
                response = yield Attempt(self.build_request(self._http, op), delay)
            except httpx.TransportError as exc:
                raise NetworkError(f"Cannot reach {self.base_url}: {exc}") from exc
            wait = self.retry.wait(
                attempt=attempt,
                status=response.status_code,
                retry_after=response.headers.get("Retry-After"),
                idempotent=op.idempotent,
            )
            if wait is None:
                if op.stream and streamed(response):
                    return op.read({"response": response})
                if op.raw and response.status_code == 200 and _is_file(response):
                    return op.read({"content": response.content})
                return read_answer(op.path, op.read, response)
            attempt, delay = attempt + 1, wait


def streamed(response: httpx.Response) -> bool:
    """Whether a streamed call's answer is the file itself (else it is read whole)."""
    return response.status_code == 200 and _is_file(response)


def _is_file(response: httpx.Response) -> bool:
    """Whether an answer is a file (CSV) rather than the API's JSON or XML."""
    media = response.headers.get("content-type", "")
    return not media.startswith(("application/json", "application/xml"))


def root_url(url: str) -> str:
    """The server's root: a trailing ``/`` or ``/v1`` is dropped, as paths carry ``/v1``."""
    url = url.strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    return url
