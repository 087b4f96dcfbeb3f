"""The client, the importer and the contract speak one vocabulary.

Each test fails when ``carnet.contract`` gains, renames or reshapes a field, a
bucket or the batch size and the client side does not follow.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

import httpx
import pytest

import carnet
from carnet import AsyncClient, Client, contract
from carnet.client import fields, operations
from carnet.client.models import Contact, ContactChanges, ContactFields
from carnet.http.app import create_app
from carnet.importer import columns
from carnet.importer.report import BUCKET_LABELS, TOO_LARGE, ImportReport
from carnet.settings import Settings
from carnet.storage import Store

PHONE = next(f for f in contract.CONTACT_FIELDS if f.required)
OPTIONAL = [f for f in contract.CONTACT_FIELDS if not f.required]


def valid_value(field: contract.ContactField) -> str:
    """A value that keeps ``field``'s rule (the number aside), distinct per field."""
    return {
        "date": "1990-02-28",
        "url": f"https://example.org/{field.attribute}",
        "datetime": "2026-03-02T10:15:00+00:00",
    }.get(field.rule, f"v-{field.attribute}")


def in_process(store: Store, settings: Settings, key: str) -> AsyncClient:
    app = create_app(settings, store=store)
    return AsyncClient(api_key=key, base_url="http://carnet", transport=httpx.ASGITransport(app))


def test_every_field_has_a_name_and_a_reader_in_the_client() -> None:
    attributes = {f.name for f in dataclasses.fields(Contact)}
    for f in contract.CONTACT_FIELDS:
        assert f.attribute in attributes, f
        assert fields.REQUEST_NAMES[fields.keyword(f)] == f.wire
        for spelling in (f.wire, f.detail, f.attribute, fields.keyword(f)):
            assert fields.wire_row({spelling: "x"}) == {f.wire: "x"}, spelling
    # The typed keyword arguments name exactly the contract's fields.
    assert ContactFields.__optional_keys__ == {fields.keyword(f) for f in OPTIONAL}
    assert ContactChanges.__optional_keys__ == set(fields.REQUEST_NAMES)
    # Readers: each answer shape, under the names the contract gives it.
    detail = {f.detail: f"d-{f.attribute}" for f in contract.CONTACT_FIELDS}
    sent = {f.wire: f"s-{f.attribute}" for f in contract.CONTACT_FIELDS}
    from_detail = Contact.from_detail({"contactId": "c", **detail})
    from_sent = Contact.from_sent({"contactId": "c", **sent})
    for f in contract.CONTACT_FIELDS:
        assert getattr(from_detail, f.attribute) == f"d-{f.attribute}"
        assert getattr(from_sent, f.attribute) == f"s-{f.attribute}"
    assert from_sent.as_row() == sent


def test_every_field_travels_through_the_client_and_back(
    store: Store, settings: Settings, key: str
) -> None:
    values = {fields.keyword(f): valid_value(f) for f in OPTIONAL}

    async def scenario() -> tuple[Contact, Contact, list[Contact]]:
        async with in_process(store, settings, key) as client:
            group = await client.add_group("every field")
            added = await client.add_contact(group.id, "0612345678", **values)
            detail = await client.get_contact(added.id)
            # Rows spelled with the detail names (as contact/detail answers them).
            copy = await client.add_group("copy")
            row = {f.detail: valid_value(f) for f in OPTIONAL} | {PHONE.detail: "0687654321"}
            report = await client.add_contacts(copy.id, [row])
            assert report.imported == 1, report.results
            return added, detail, [c async for c in client.iter_contacts(copy.id)]

    added, detail, [copied] = asyncio.run(scenario())
    for f in OPTIONAL:
        assert getattr(added, f.attribute) == valid_value(f), f.wire
        assert getattr(detail, f.attribute) == valid_value(f), f.detail
        assert getattr(copied, f.attribute) == valid_value(f), f.detail
    assert (added.phone, detail.phone, copied.phone) == ("+33612345678",) * 2 + ("+33687654321",)


def test_batches_are_the_contracts_size(store: Store, settings: Settings, key: str) -> None:
    assert operations.BATCH_SIZE == contract.BATCH_MAX
    rows = [{PHONE.wire: f"+3361{i:07d}"} for i in range(contract.BATCH_MAX + 1)]
    sizes = [len(op.params["contactsList"]) for op in operations.add_batches("g", rows)]
    assert sizes == [contract.BATCH_MAX, 1]

    async def scenario() -> carnet.BatchReport:
        async with in_process(store, settings, key) as client:
            group = await client.add_group("full")
            return await client.add_contacts(group.id, rows)

    report = asyncio.run(scenario())  # one row more than a batch: never a code 50
    assert (report.rows, report.imported) == (contract.BATCH_MAX + 1, contract.BATCH_MAX + 1)


def test_the_import_report_names_every_bucket_a_row_lands_in(
    store: Store, settings: Settings, key: str
) -> None:
    judged = list(dict.fromkeys(bucket for bucket, _ in contract.BUCKET_ORDER))
    assert list(BUCKET_LABELS) == [*judged, TOO_LARGE]
    assert set(contract.BUCKETS) >= set(judged)
    assert set(columns.OTHER_NAMES) <= set(contract.FIELDS_BY_ATTRIBUTE)

    # One row for each bucket, in a batch sent to the real app.
    text = next(f for f in OPTIONAL if f.rule == "text" and f.limit)
    date = next(f for f in OPTIONAL if f.rule == "date")
    url = next(f for f in OPTIONAL if f.rule == "url")
    rows: list[dict[str, Any]] = [
        {},
        {PHONE.wire: "12"},
        {PHONE.wire: "0611111111", text.wire: "x" * ((text.limit or 0) + 1)},
        {PHONE.wire: "0622222222", date.wire: "1990-02-30"},
        {PHONE.wire: "0633333333", url.wire: "ftp://example.org"},
        {PHONE.wire: "0699999999"},  # on the stop list
        {PHONE.wire: "0612345678"},  # already in the group
        {PHONE.wire: "0644444444"},
        {PHONE.wire: "0644444444"},  # repeated in the batch
    ]

    async def scenario() -> carnet.BatchReport:
        async with in_process(store, settings, key) as client:
            group = await client.add_group("buckets")
            await client.add_contact(group.id, "0612345678")
            await client.add_stop("0699999999")
            return await client.add_contacts(group.id, rows)

    batch = asyncio.run(scenario())
    report = ImportReport(file="f.csv", group_id=batch.group_id)
    report.count_batch(len(rows), batch)
    assert report.refused == dict.fromkeys(judged, 1)
    assert report.rows == report.imported + report.refused_total
    shown = "\n".join(report.lines())
    for bucket in judged:
        assert f"1 {BUCKET_LABELS[bucket]} ({bucket})" in shown


@pytest.mark.parametrize("key", ["errors", "error"])
def test_field_errors_in_upstreams_list_shape_reach_the_exception(key: str) -> None:
    # The body upstream documents for a refused number (SPEC §1); the vendor's Go SDK
    # and its test data name the list "error".
    body = {
        "success": False,
        "code": 9,
        "message": "This phone number is not valid",
        key: [
            {
                "elementId": f"children[{PHONE.wire}].data",
                "message": "This phone number is not valid (922264)",
            }
        ],
    }

    def upstream(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, content=json.dumps(body).encode())

    with (
        Client("k", "http://upstream", transport=httpx.MockTransport(upstream)) as client,
        pytest.raises(carnet.InvalidFields) as raised,
    ):
        client.add_contact("g", "12")
    assert raised.value.errors == {PHONE.wire: "This phone number is not valid (922264)"}
