"""The client library against the real app: in-process (ASGITransport) and over a socket."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import httpx
import pytest
from starlette.applications import Starlette

import carnet
from carnet import AsyncClient, Client
from carnet.client import operations
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.servers import BOOTSTRAP_KEY, Server, free_port

T = TypeVar("T")


def run(awaitable: Awaitable[T]) -> T:
    async def main() -> T:
        return await awaitable

    return asyncio.run(main())


@pytest.fixture
def app(store: Store, settings: Settings) -> Starlette:
    return create_app(settings, store=store)


def in_process(app: Starlette, key: str) -> AsyncClient:
    return AsyncClient(api_key=key, base_url="http://carnet", transport=httpx.ASGITransport(app))


def test_async_client_covers_every_call(app: Starlette, key: str) -> None:
    async def scenario() -> None:
        async with in_process(app, key) as client:
            group = await client.add_group("Clients")
            assert group.name == "Clients" and group.id
            added = await client.add_contact(
                group.id, "06 12 34 56 78", firstname=" Zoé ", short_url="https://s.io/a"
            )
            assert (added.phone, added.firstname, added.short_url) == (
                "+33612345678",
                "Zoé",
                "https://s.io/a",
            )
            assert added.group_id == group.id
            detail = await client.get_contact(added.id)
            assert detail.group_id == group.id and detail.created_at is not None
            assert detail.created_at.utcoffset() is not None
            assert not detail.stop_sms
            changed = await client.update_contact(added.id, lastname="Durand", firstname="")
            assert (changed.lastname, changed.firstname) == ("Durand", "")
            [listed] = await client.list_groups()
            assert (listed.id, listed.contact_count) == (group.id, 1)
            stop_id = await client.add_stop("0699999999")
            assert await client.add_stop("+33 6 99 99 99 99") == stop_id
            [entry] = await client.list_stops()
            assert (entry.id, entry.phone) == (stop_id, "+33699999999")
            await client.delete_stop(stop_id)
            assert await client.list_stops() == []
            await client.delete_contact(added.id)
            with pytest.raises(carnet.NotFoundError):
                await client.get_contact(added.id)
            await client.delete_group(group.id)
            assert await client.list_groups() == []

    run(scenario())


def test_add_contacts_sends_500_row_batches_and_merges_one_report(app: Starlette, key: str) -> None:
    rows: list[dict[str, Any]] = [{"phone_number": f"+3361{i:07d}"} for i in range(1150)]
    rows[10] = {"phoneNumber": "not a number"}
    rows[700] = {"phone": rows[600]["phone_number"]}  # same batch as row 600: duplicatePhone
    rows[1100] = {"phone_number": rows[5]["phone_number"]}  # stored by batch 1: already there

    async def scenario() -> tuple[carnet.BatchReport, list[carnet.Contact], int]:
        async with in_process(app, key) as client:
            group = await client.add_group("Many")
            report = await client.add_contacts(group.id, iter(rows))
            contacts = [c async for c in client.iter_contacts(group.id)]
            empty = await client.add_contacts(group.id, [])
            return report, contacts, empty.rows

    report, contacts, empty_rows = run(scenario())
    assert (report.rows, report.imported, report.refused) == (1150, 1147, 3)
    assert report.errors["invalidePhone"] == 1
    assert report.errors["duplicatePhone"] == 1
    assert report.errors["allreadyInGroupe"] == 1
    assert len(report.results) == 1150
    assert not report.results[10].success and report.results[10].code == 9
    assert report.results[1100].code == 15
    # Every page, in the order they were added (oldest first).
    assert len(contacts) == 1147
    assert [c.phone for c in contacts[:3]] == ["+33610000000", "+33610000001", "+33610000002"]
    assert len({c.id for c in contacts}) == 1147
    assert empty_rows == 0


def test_add_contacts_without_results_gives_the_same_counts(app: Starlette, key: str) -> None:
    rows = [{"phone_number": f"+3362{i % 700:07d}"} for i in range(1000)] + [{"phone": "x"}]

    async def scenario() -> tuple[carnet.BatchReport, carnet.BatchReport]:
        async with in_process(app, key) as client:
            full = await client.add_contacts((await client.add_group("A")).id, rows)
            group = await client.add_group("B")
            return full, await client.add_contacts(group.id, rows, results=False)

    full, counts = run(scenario())
    assert counts.results == [] and len(full.results) == 1001
    assert (counts.rows, counts.imported, counts.refused) == (1001, 700, 301)
    assert (counts.rows, counts.imported, counts.errors) == (full.rows, full.imported, full.errors)


def test_a_refused_rows_fields_and_integer_stop_ids_reach_the_client(
    app: Starlette, key: str
) -> None:
    async def scenario() -> None:
        async with in_process(app, key) as client:
            group = await client.add_group("g")
            rows = [{"phoneNumber": "0611111111", "url": "nope"}, {"phoneNumber": "0622222222"}]
            report = await client.add_contacts(group.id, rows)
            refused, stored = report.results
            assert [(e.field, e.message) for e in refused.errors] == [
                ("url", "must start with http:// or https://")
            ]
            assert stored.errors == ()
            stop_id = await client.add_stop("0633333333")
            [entry] = await client.list_stops()
            assert type(stop_id) is int and entry.id == stop_id
            assert entry.created_at is not None and entry.created_at.utcoffset() is not None
            await client.delete_stop(str(stop_id))  # digits are accepted as well
            assert await client.list_stops() == []

    run(scenario())


def test_export_contacts_streams_the_whole_group(app: Starlette, key: str) -> None:
    async def scenario() -> None:
        async with in_process(app, key) as client:
            group = await client.add_group("g")
            rows = [{"phoneNumber": f"+3361{n:07d}", "firstname": f"n{n}"} for n in range(45)]
            await client.add_contacts(group.id, rows)
            paged = [c async for c in client.iter_contacts(group.id)]
            async with await client.export_contacts(group.id) as stream:
                assert stream.total == 45
                exported = [c async for c in stream]
            assert exported == paged and len(exported) == 45
            with pytest.raises(carnet.NotFoundError):
                await client.export_contacts("no-such-group")

    run(scenario())


def test_contacts_copy_between_groups(app: Starlette, key: str) -> None:
    async def scenario() -> list[carnet.Contact]:
        async with in_process(app, key) as client:
            source = await client.add_group("a")
            target = await client.add_group("b")
            await client.add_contact(
                source.id, "0612345678", firstname="Ana", date="1990-02-28", custom4="x"
            )
            copied = await client.add_contacts(
                target.id, [c async for c in client.iter_contacts(source.id)]
            )
            assert copied.imported == 1
            return [c async for c in client.iter_contacts(target.id)]

    [contact] = run(scenario())
    assert (contact.firstname, contact.date, contact.custom4) == ("Ana", "1990-02-28", "x")


@pytest.mark.parametrize(
    ("call", "error", "code", "status"),
    [
        (lambda c, g: c.add_contact(g, "0612345678"), carnet.DuplicateContact, 15, 409),
        (lambda c, g: c.add_contact(g, "0699999999"), carnet.StopListed, 14, 409),
        (lambda c, g: c.add_contact(g, "12"), carnet.InvalidFields, 9, 400),
        (lambda c, g: c.add_contact(g, "0611111111", url="ftp://x"), carnet.InvalidFields, 17, 400),
        (lambda c, g: c.add_contact("nope", "0611111111"), carnet.NotFoundError, 404, 404),
        (lambda c, g: c.delete_group(""), carnet.MissingParameter, 1, 400),
        (lambda c, g: c.list_contacts(g, page=0), carnet.InvalidParameter, 3, 400),
        (lambda c, g: c.add_contacts(g, [{}] * 501), None, 0, 0),
    ],
)
def test_errors_map_to_their_classes(
    app: Starlette,
    key: str,
    call: Any,
    error: type[carnet.CarnetError] | None,
    code: int,
    status: int,
) -> None:
    async def scenario() -> Any:
        async with in_process(app, key) as client:
            group = await client.add_group("g")
            await client.add_contact(group.id, "0612345678")
            await client.add_stop("0699999999")
            return await call(client, group.id)

    if error is None:  # 501 rows are two batches, never a code 50
        assert run(scenario()).errors["empty"] == 501
        return
    with pytest.raises(error) as raised:
        run(scenario())
    assert (raised.value.code, raised.value.http_status) == (code, status)
    assert isinstance(raised.value, carnet.CarnetError)
    if code == 17:
        assert "url" in raised.value.errors


def test_wrong_key_is_an_authentication_error(app: Starlette) -> None:
    async def scenario() -> None:
        async with in_process(app, "wrong-key") as client:
            await client.list_groups()

    with pytest.raises(carnet.AuthenticationError) as raised:
        run(scenario())
    assert (raised.value.code, raised.value.http_status) == (10, 401)


def test_unknown_field_is_a_type_error_before_any_request(app: Starlette, key: str) -> None:
    async def scenario() -> None:
        async with in_process(app, key) as client:
            await client.add_contact("any", "0612345678", first_name="x")  # type: ignore[call-arg]

    with pytest.raises(TypeError, match="first_name"):
        run(scenario())


def test_no_key_at_all_is_refused_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARNET_API_KEY", raising=False)
    with pytest.raises(carnet.AuthenticationError, match="CARNET_API_KEY"):
        Client()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARNET_API_KEY", "from-env")
    monkeypatch.setenv("CARNET_URL", "https://contacts.example/v1/")
    with Client() as client:
        assert client.base_url == "https://contacts.example"
        assert "from-env" not in repr(client)
    monkeypatch.delenv("CARNET_URL")
    with Client() as client:
        assert client.base_url == "http://127.0.0.1:8000"


def test_api_key_travels_in_the_body_of_a_post_and_the_query_of_a_get() -> None:
    with Client(api_key="k-123", base_url="http://carnet") as client:
        post = client.build_request(client._http, operations.add_group("G"))
        assert post.method == "POST" and post.url.path == "/v1/group/add"
        assert "apiKey" not in post.url.params
        assert httpx.Response(200, content=post.read()).json() == {"apiKey": "k-123", "name": "G"}
        get = client.build_request(client._http, operations.list_contacts("g1", 2))
        assert get.method == "GET" and get.url.path == "/v1/contact/list"
        assert dict(get.url.params) == {"apiKey": "k-123", "groupId": "g1", "page": "2"}
        assert get.read() == b""


def test_sync_client_over_a_socket(server: Server) -> None:
    with Client(api_key=BOOTSTRAP_KEY, base_url=server.url) as client:
        group = client.add_group("Live")
        report = client.add_contacts(
            group.id,
            [{"phoneNumber": f"06 12 34 {i:02d} 00", "custom1": str(i)} for i in range(30)],
        )
        assert (report.rows, report.imported) == (30, 30)
        contacts = list(client.iter_contacts(group.id))
        assert [c.custom1 for c in contacts] == [str(i) for i in range(30)]
        assert contacts[0].phone == "+33612340000"
        with pytest.raises(carnet.DuplicateContact):
            client.add_contact(group.id, "+33612340000")
    with (
        Client(api_key="wrong", base_url=server.url) as client,
        pytest.raises(carnet.AuthenticationError),
    ):
        client.list_groups()


def test_unreachable_server_is_a_network_error() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Client(api_key="k", base_url=url) as client, pytest.raises(carnet.NetworkError) as raised:
        client.list_groups()
    assert raised.value.code == 0
    assert url in raised.value.message
