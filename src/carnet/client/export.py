"""Reading a whole group from ``contact/export`` (carnet's own) as it arrives.

:func:`export_contacts` is the operation; :class:`ContactStream` and
:class:`AsyncContactStream` read its answer, NDJSON, one contact a line, so
that a group of any size goes through in flat memory. ``total`` is how many
contacts the group held when the export began (``X-Total-Count``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from types import TracebackType
from typing import Any

import httpx

from carnet.client.models import Contact
from carnet.client.operations import Operation
from carnet.errors import NetworkError


def _response(body: dict[str, Any]) -> httpx.Response:
    response: httpx.Response = body["response"]
    return response


def export_contacts(group_id: str) -> Operation[httpx.Response]:
    params = {"groupId": group_id, "format": "ndjson"}
    return Operation("GET", "/v1/contact/export", params, _response, True, stream=True)


def _total(response: httpx.Response) -> int:
    try:
        return int(response.headers.get("X-Total-Count", "0"))
    except ValueError:
        return 0


def _contact(line: str) -> Contact | None:
    return Contact.from_detail(json.loads(line)) if line.strip() else None


def _cut_short(exc: httpx.HTTPError, response: httpx.Response) -> NetworkError:
    where = response.request.url.copy_with(query=None)
    return NetworkError(f"The export from {where} was cut short: {exc}")


class ContactStream:
    """A group's contacts as the server sends them; use it in a ``with`` block."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.total = _total(response)

    def __iter__(self) -> Iterator[Contact]:
        try:
            for line in self._response.iter_lines():
                contact = _contact(line)
                if contact is not None:
                    yield contact
        except httpx.HTTPError as exc:
            raise _cut_short(exc, self._response) from exc

    def close(self) -> None:
        self._response.close()

    def __enter__(self) -> ContactStream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


class AsyncContactStream:
    """A group's contacts as the server sends them; use it in an ``async with`` block."""

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self.total = _total(response)

    async def __aiter__(self) -> AsyncIterator[Contact]:
        try:
            async for line in self._response.aiter_lines():
                contact = _contact(line)
                if contact is not None:
                    yield contact
        except httpx.HTTPError as exc:
            raise _cut_short(exc, self._response) from exc

    async def aclose(self) -> None:
        await self._response.aclose()

    async def __aenter__(self) -> AsyncContactStream:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
