"""``carnet.Client``: the blocking client, on :class:`httpx.Client`."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import TracebackType
from typing import IO, Any, TypeVar, Unpack

import httpx

from carnet.client import export as export_ops
from carnet.client import hooks as hook_ops
from carnet.client import imports as import_ops
from carnet.client import operations as ops
from carnet.client.base import DEFAULT_TIMEOUT, BaseClient, streamed
from carnet.client.export import ContactStream
from carnet.client.finding import Lookup, NumberMatches
from carnet.client.hooks import Delivery, Reply, Webhook
from carnet.client.imports import ImportJob, ProgressReader, UploadOptions, UploadProgress
from carnet.client.models import (
    BatchReport,
    Contact,
    ContactChanges,
    ContactFields,
    ContactPage,
    Group,
    StopEntry,
)
from carnet.client.operations import Operation, PageCursor
from carnet.client.privacy import AuditPage, Erasure
from carnet.client.retry import Retry

T = TypeVar("T")


class Client(BaseClient):
    """A client of carnet's API (or any server speaking SMS Partner's v1 contact API).

    ``api_key`` and ``base_url`` default to ``CARNET_API_KEY`` and ``CARNET_URL``
    (then ``http://127.0.0.1:8000``). ``transport`` is handed to httpx, so tests
    may pass ``httpx.MockTransport`` or ``httpx.WSGITransport``. Use it as a
    context manager, or call :meth:`close`.
    """

    _http: httpx.Client

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        retry: Retry | None = None,
    ) -> None:
        super().__init__(api_key, base_url, retry=retry)
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout, transport=transport, headers=self.headers
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def _send(self, op: Operation[T]) -> T:
        # The I/O loop of an exchange (see BaseClient._exchange): send, sleep, repeat.
        exchange = self._exchange(op)
        attempt = next(exchange)
        try:
            while True:
                if attempt.delay:
                    time.sleep(attempt.delay)
                try:
                    response = self._http.send(attempt.request, stream=op.stream)
                    if op.stream and not streamed(response):
                        try:
                            response.read()
                        finally:
                            response.close()
                except httpx.TransportError as exc:
                    attempt = exchange.throw(exc)
                else:
                    attempt = exchange.send(response)
        except StopIteration as done:
            value: T = done.value
            return value

    # -- groups --------------------------------------------------------------

    def add_group(self, name: str) -> Group:
        """Create a group."""
        return self._send(ops.add_group(name))

    def list_groups(self) -> list[Group]:
        """Every group of the account, oldest first, with its contact count."""
        return self._send(ops.list_groups())

    def delete_group(self, group_id: str) -> None:
        """Delete a group and its contacts."""
        self._send(ops.delete_group(group_id))

    # -- contacts ------------------------------------------------------------

    def add_contact(
        self, group_id: str, phone_number: str, **fields: Unpack[ContactFields]
    ) -> Contact:
        """Add one contact; raises ``StopListed``, ``DuplicateContact``, ``InvalidFields`` ..."""
        return self._send(ops.add_contact(group_id, phone_number, fields))

    def add_contacts(
        self,
        group_id: str,
        rows: Iterable[Mapping[str, object] | Contact],
        *,
        dry_run: bool = False,
        keep_invalid_optional: bool = False,
        upsert: bool = False,
        results: bool = True,
    ) -> BatchReport:
        """Add any number of rows, a request per ``BATCH_SIZE`` rows; one merged report.

        A row is a mapping with wire names (``phoneNumber``, ``shortUrlPartnr``)
        or Python names (``phone_number``, ``short_url``), or a :class:`Contact`.
        Rows are read lazily; no rows means no request and an empty report.
        ``dry_run`` judges each batch and stores nothing; ``keep_invalid_optional``
        stores a row with a valid number without its bad optional fields (warnings);
        ``upsert`` updates a contact whose number the group holds with the row's
        non-empty fields (counted in ``updated``) instead of refusing the row.
        ``results=False`` leaves the report's per-row ``results`` empty (counts only),
        which saves reading a result per row of a large import.
        """
        report = BatchReport(group_id)
        options = ops.batch_options(
            dry_run=dry_run, keep_invalid_optional=keep_invalid_optional, upsert=upsert
        )
        for op in ops.add_batches(group_id, rows, options, results=results):
            report.merge(self._send(op))
        return report

    def get_contact(self, contact_id: str) -> Contact:
        """One contact."""
        return self._send(ops.get_contact(contact_id))

    def update_contact(self, contact_id: str, **fields: Unpack[ContactChanges]) -> Contact:
        """Change the given fields (``""`` clears one) and answer the whole contact."""
        return self._send(ops.update_contact(contact_id, fields))

    def delete_contact(self, contact_id: str) -> None:
        """Delete a contact."""
        self._send(ops.delete_contact(contact_id))

    def list_contacts(self, group_id: str, page: int = 1) -> ContactPage:
        """One page of a group's contacts, oldest first, with the group's total."""
        return self._send(ops.list_contacts(group_id, page))

    def iter_pages(self, group_id: str) -> Iterator[ContactPage]:
        """Every page of a group's contacts, oldest first; ``total`` counts the group."""
        cursor = PageCursor()
        while cursor.next is not None:
            page = self.list_contacts(group_id, cursor.next)
            cursor.read(page)
            yield page

    def iter_contacts(self, group_id: str) -> Iterator[Contact]:
        """Every contact of a group, oldest first, one page request at a time."""
        for page in self.iter_pages(group_id):
            yield from page.contacts

    def export_contacts(self, group_id: str) -> ContactStream:
        """Every contact of a group, oldest first, in one streamed answer (carnet's own).

        Raises ``NotFoundError`` for an unknown group before anything is read.
        Use the stream in a ``with`` block; ``total`` is the group's size.
        """
        return ContactStream(self._send(export_ops.export_contacts(group_id)))

    # -- the stop list -------------------------------------------------------

    def add_stop(self, phone_number: str) -> int:
        """Put a number on the stop list; answers the entry's id (the existing one if any)."""
        return self._send(ops.add_stop(phone_number))

    def list_stops(self) -> list[StopEntry]:
        """The account's stop list, oldest first."""
        return self._send(ops.list_stops())

    def delete_stop(self, stop_id: int | str) -> None:
        """Take an entry off the stop list."""
        self._send(ops.delete_stop(stop_id))

    # -- renaming, moving and copying (carnet's own) ---------------------------

    def rename_group(self, group_id: str, name: str) -> Group:
        """Give a group a new name."""
        return self._send(ops.rename_group(group_id, name))

    def move_contacts(self, contact_ids: Iterable[str], group_id: str) -> BatchReport:
        """Move contacts into a group, keeping their ids; one merged report, a row an id.

        The group's stop list and numbers apply row by row, as to a batch.
        """
        report = BatchReport(group_id)
        for op in ops.transfer_batches("/v1/contact/move", contact_ids, group_id):
            report.merge(self._send(op))
        return report

    def copy_contacts(self, contact_ids: Iterable[str], group_id: str) -> BatchReport:
        """Copy contacts into a group as new contacts (new ids, in each row's ``contact_id``)."""
        report = BatchReport(group_id)
        for op in ops.transfer_batches("/v1/contact/copy", contact_ids, group_id):
            report.merge(self._send(op))
        return report

    # -- finding a number ----------------------------------------------------

    def search_contacts(self, phone_number: str) -> NumberMatches:
        """Every contact with this number, any spelling, across the account's groups
        (carnet's own), and whether the number is on the stop list."""
        return self._send(ops.search_contacts(phone_number))

    def lookup(self, phone_numbers: Iterable[str]) -> list[Lookup]:
        """Country, type, network and formats of up to 500 numbers, one result each, in
        order; an invalid number is a result with ``success`` False."""
        return self._send(ops.lookup(phone_numbers))

    # -- a person's data and the audit trail (carnet's own) --------------------

    def export_person(self, phone_number: str) -> dict[str, Any]:
        """Everything the account holds about a number (any spelling), as a document."""
        return self._send(ops.export_person(phone_number))

    def erase_person(self, phone_number: str) -> Erasure:
        """Erase a number's contacts and kept import rows; its stop-list entry stays."""
        return self._send(ops.erase_person(phone_number))

    def list_audit(
        self,
        page: int = 1,
        *,
        action: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> AuditPage:
        """A page of the audit trail, newest first (``since``/``until``: dates or times)."""
        return self._send(ops.list_audit(page, action, since, until))

    # -- import jobs (carnet's own) ------------------------------------------

    def upload_import(
        self,
        group_id: str,
        file: str | os.PathLike[str] | IO[bytes],
        *,
        name: str | None = None,
        column_map: Mapping[str, str] | None = None,
        date_format: str | None = None,
        sheet: str | None = None,
        keep_invalid_optional: bool = False,
        dry_run: bool = False,
        skip_existing: bool = False,
        on_progress: UploadProgress | None = None,
    ) -> ImportJob:
        """Upload a spreadsheet (a path, or a binary file open for reading) to be imported
        into the group by the server, as a job; answers the job, queued.

        The file is read as it is sent; ``on_progress(sent, total)`` follows the bytes.
        ``column_map`` (column -> field), ``date_format`` and ``sheet`` say how to read
        it, as ``carnet import`` takes them.
        """
        options = UploadOptions(
            column_map, date_format, sheet, keep_invalid_optional, dry_run, skip_existing
        )
        with contextlib.ExitStack() as stack:
            if isinstance(file, str | os.PathLike):
                name = name or os.fspath(file)
                file = stack.enter_context(open(file, "rb"))
            reader = ProgressReader(file, on_progress)
            op = import_ops.upload_import(group_id, name or "upload", reader, options)
            return self._send(op)

    def get_import(self, import_id: str) -> ImportJob:
        """An import job: its status, progress and counts."""
        return self._send(import_ops.get_import(import_id))

    def wait_import(
        self,
        import_id: str,
        *,
        poll: float = 1.0,
        on_progress: Callable[[ImportJob], object] | None = None,
    ) -> ImportJob:
        """Ask for the job every ``poll`` seconds until it has ended; answers it ended.

        ``on_progress`` is given the job each time.
        """
        while True:
            job = self.get_import(import_id)
            if on_progress is not None:
                on_progress(job)
            if job.ended:
                return job
            time.sleep(poll)

    def list_imports(self, page: int = 1) -> list[ImportJob]:
        """A page of the account's import jobs, newest first."""
        return self._send(import_ops.list_imports(page))

    def cancel_import(self, import_id: str) -> ImportJob:
        """Cancel a job: at once when queued, after its current batch when running."""
        return self._send(import_ops.cancel_import(import_id))

    def import_rejects(
        self, import_id: str, *, warnings: bool = False, excel: bool = False
    ) -> bytes:
        """The job's refused rows (with ``warnings``, its rows stored without some field)
        as the CSV file ``carnet import --rejects`` writes (``excel``: as ``--excel``)."""
        return self._send(import_ops.import_rejects(import_id, warnings=warnings, excel=excel))

    # -- webhooks and replies (carnet's own) -----------------------------------------

    def add_webhook(self, url: str, events: Iterable[str]) -> Webhook:
        """A webhook sending ``events`` to ``url``; its ``secret`` is in this answer only."""
        return self._send(hook_ops.add_webhook(url, events))

    def list_webhooks(self) -> list[Webhook]:
        return self._send(hook_ops.list_webhooks())

    def delete_webhook(self, webhook_id: str) -> None:
        self._send(hook_ops.delete_webhook(webhook_id))

    def list_deliveries(self, webhook_id: str, page: int = 1) -> list[Delivery]:
        """A page of the webhook's deliveries, newest first."""
        return self._send(hook_ops.list_deliveries(webhook_id, page))

    def list_replies(self, page: int = 1) -> list[Reply]:
        """A page of the replies received at the account's replies URL, newest first."""
        return self._send(hook_ops.list_replies(page))
