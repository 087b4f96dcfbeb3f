"""What ``Client`` and ``AsyncClient`` share, without doing any I/O.

Each API call is an :class:`Operation`: the method, path and parameters of one
request, whether it is idempotent, and how to read its answer. The base builds
the :class:`httpx.Request` (``apiKey`` in the JSON body of a POST, in the query
of a GET, as SPEC §7 asks), reads answers into typed values or the matching
:class:`~carnet.errors.CarnetError`, and asks the retry policy how long to wait.
The two clients only send.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any, Generic, TypeVar

import httpx

from carnet import __version__, contract
from carnet.client.models import (
    REQUEST_NAMES,
    BatchReport,
    Contact,
    ContactPage,
    Group,
    StopEntry,
    wire_fields,
    wire_row,
)
from carnet.client.retry import Retry, parse_retry_after
from carnet.errors import (
    AuthenticationError,
    CarnetError,
    RateLimited,
    ServerError,
    error_for_code,
    error_for_status,
)

T = TypeVar("T")

DEFAULT_SERVER_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 30.0
BATCH_SIZE = contract.BATCH_MAX

_OPTIONAL_FIELDS = frozenset(REQUEST_NAMES) - {"phone_number"}
_CHANGEABLE_FIELDS = frozenset(REQUEST_NAMES)


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One request of the API and how to read its answer."""

    method: str
    path: str
    params: dict[str, Any]
    read: Callable[[dict[str, Any]], T]
    idempotent: bool


def _nothing(body: dict[str, Any]) -> None:
    return None


class BaseClient:
    """Settings, request building and answer decoding shared by both clients."""

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

    # -- requests and answers ------------------------------------------------

    def build_request(
        self, http: httpx.Client | httpx.AsyncClient, op: Operation[T]
    ) -> httpx.Request:
        """The request for ``op``, with the key where the upstream API expects it."""
        params = {"apiKey": self._api_key, **op.params}
        if op.method == "GET":
            return http.build_request("GET", op.path, params=params)
        return http.build_request(op.method, op.path, json=params)

    def retry_wait(self, op: Operation[T], response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before sending ``op`` again, or None to read the answer now."""
        return self.retry.wait(
            attempt=attempt,
            status=response.status_code,
            retry_after=response.headers.get("Retry-After"),
            idempotent=op.idempotent,
        )

    def read_answer(self, op: Operation[T], response: httpx.Response) -> T:
        """The answer's value, or raise the :class:`CarnetError` its envelope names."""
        body = _envelope(response)
        if body is None:
            raise _not_an_envelope(response)
        if response.status_code != 200 or body.get("success") is not True:
            raise _error(body, response)
        try:
            return op.read(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise ServerError(
                f"Unexpected answer from {op.path}: {exc!r}", http_status=response.status_code
            ) from exc

    # -- the operations --------------------------------------------------------

    def _add_group(self, name: str) -> Operation[Group]:
        def read(body: dict[str, Any]) -> Group:
            return Group(id=str(body["groupId"]), name=str(body.get("name", name)))

        return Operation("POST", "/v1/group/add", {"name": name}, read, idempotent=False)

    def _list_groups(self) -> Operation[list[Group]]:
        def read(body: dict[str, Any]) -> list[Group]:
            return [Group.from_wire(g) for g in body["groups"]]

        return Operation("GET", "/v1/group/list", {}, read, idempotent=True)

    def _delete_group(self, group_id: str) -> Operation[None]:
        return Operation("POST", "/v1/group/delete", {"groupId": group_id}, _nothing, True)

    def _add_contact(
        self, group_id: str, phone_number: str, fields: Mapping[str, object]
    ) -> Operation[Contact]:
        contact = {"phoneNumber": phone_number, **wire_fields(fields, _OPTIONAL_FIELDS)}

        def read(body: dict[str, Any]) -> Contact:
            return Contact.from_sent(body["contact"], group_id)

        params = {"groupId": group_id, "contact": contact}
        return Operation("POST", "/v1/contact/add", params, read, idempotent=False)

    def _add_batch(self, group_id: str, rows: list[dict[str, object]]) -> Operation[BatchReport]:
        def read(body: dict[str, Any]) -> BatchReport:
            return BatchReport.from_wire(body, group_id)

        params = {"groupId": group_id, "contactsList": rows}
        return Operation("POST", "/v1/contact/add", params, read, idempotent=False)

    def _batches(
        self, group_id: str, rows: Iterable[Mapping[str, object] | Contact]
    ) -> Iterator[Operation[BatchReport]]:
        """One ``contact/add`` per 500 rows, built lazily so any number of rows fits."""
        wire_rows = (wire_row(row) for row in rows)
        while batch := list(islice(wire_rows, BATCH_SIZE)):
            yield self._add_batch(group_id, batch)

    def _get_contact(self, contact_id: str) -> Operation[Contact]:
        def read(body: dict[str, Any]) -> Contact:
            return Contact.from_detail(body["contact"])

        params = {"contactId": contact_id}
        return Operation("GET", "/v1/contact/detail", params, read, idempotent=True)

    def _update_contact(self, contact_id: str, fields: Mapping[str, object]) -> Operation[Contact]:
        changes = wire_fields(fields, _CHANGEABLE_FIELDS)

        def read(body: dict[str, Any]) -> Contact:
            return Contact.from_sent(body["contact"])

        params = {"contactId": contact_id, "contact": changes}
        return Operation("POST", "/v1/contact/update", params, read, idempotent=True)

    def _delete_contact(self, contact_id: str) -> Operation[None]:
        params = {"contactId": contact_id}
        return Operation("POST", "/v1/contact/delete", params, _nothing, idempotent=True)

    def _list_contacts(self, group_id: str, page: int) -> Operation[ContactPage]:
        params = {"groupId": group_id, "page": page}
        return Operation("GET", "/v1/contact/list", params, ContactPage.from_wire, True)

    def _add_stop(self, phone_number: str) -> Operation[str]:
        def read(body: dict[str, Any]) -> str:
            return str(body["stopId"])

        # Idempotent: a number already on the list answers with its existing id.
        params = {"phoneNumber": phone_number}
        return Operation("POST", "/v1/stop-sms/add", params, read, idempotent=True)

    def _list_stops(self) -> Operation[list[StopEntry]]:
        def read(body: dict[str, Any]) -> list[StopEntry]:
            return [StopEntry.from_wire(e) for e in body["data"]]

        return Operation("GET", "/v1/stop-sms/list", {}, read, idempotent=True)

    def _delete_stop(self, stop_id: str) -> Operation[None]:
        return Operation("GET", "/v1/stop-sms/delete", {"id": stop_id}, _nothing, True)


def next_page(page: ContactPage, seen: int) -> int | None:
    """The page to ask for after ``page``, or None when the group has been read."""
    if not page.contacts or seen >= page.total:
        return None
    return page.number + 1


def root_url(url: str) -> str:
    """The server's root: a trailing ``/`` or ``/v1`` is dropped, as paths carry ``/v1``."""
    url = url.strip().rstrip("/")
    if url.endswith("/v1"):
        url = url[: -len("/v1")]
    return url


def _envelope(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or "success" not in body or "code" not in body:
        return None
    return body


def _error(body: dict[str, Any], response: httpx.Response) -> CarnetError:
    errors = body.get("errors")
    try:
        code = int(body["code"])
    except (TypeError, ValueError):
        code = response.status_code
    error = error_for_code(
        code,
        str(body.get("message") or response.reason_phrase),
        errors={str(k): str(v) for k, v in errors.items()} if isinstance(errors, dict) else None,
        http_status=response.status_code,
    )
    _note_retry_after(error, response)
    return error


def _not_an_envelope(response: httpx.Response) -> CarnetError:
    status = response.status_code
    error = error_for_status(
        status if status != 200 else 502,
        f"HTTP {status} from {response.request.url.copy_with(query=None)}: not a carnet answer",
    )
    _note_retry_after(error, response)
    return error


def _note_retry_after(error: CarnetError, response: httpx.Response) -> None:
    if isinstance(error, RateLimited):
        seconds = parse_retry_after(response.headers.get("Retry-After"))
        if seconds is not None:
            error.retry_after = seconds
