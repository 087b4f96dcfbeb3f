"""The clients' lookup, search, rename, move and copy, against the real app on both engines."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from starlette.applications import Starlette

import carnet
from carnet import AsyncClient
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.servers import BOOTSTRAP_KEY, Server


@pytest.fixture
def app(store: Store, settings: Settings) -> Starlette:
    return create_app(settings, store=store)


def test_the_async_client_finds_renames_moves_and_copies(app: Starlette, key: str) -> None:
    async def scenario() -> None:
        transport = httpx.ASGITransport(app)
        async with AsyncClient(key, "http://carnet", transport=transport) as client:
            [france, wrong] = await client.lookup(["06 12 34 56 78", "12"])
            assert (france.success, france.country, france.prefix_code) == (True, "France", 33)
            assert (france.phone, france.type) == ("+33612345678", "Mobile")
            assert france.formats.international == "+33 6 12 34 56 78"
            assert (wrong.request, wrong.success, wrong.phone) == ("12", False, "")

            source = await client.add_group("source")
            target = await client.rename_group((await client.add_group("old")).id, "target")
            assert target.name == "target"
            assert [g.name for g in await client.list_groups()] == ["source", "target"]
            ana = await client.add_contact(source.id, "0611111111", firstname="Ana")
            bob = await client.add_contact(source.id, "0622222222")
            await client.add_stop("0622222222")

            copied = await client.copy_contacts([ana.id], target.id)
            assert (copied.rows, copied.imported) == (1, 1)
            copy_id = copied.results[0].contact_id
            assert copy_id and copy_id != ana.id
            found = await client.search_contacts("+33 6 11 11 11 11")
            assert [c.id for c in found.contacts] == [ana.id, copy_id]
            assert [c.group_id for c in found.contacts] == [source.id, target.id]
            assert (found.phone, found.stop_sms, found.stop_id) == ("+33611111111", False, None)

            moved = await client.move_contacts([bob.id, ana.id, "nope"], target.id)
            assert (moved.rows, moved.imported, moved.refused) == (3, 0, 3)
            assert moved.errors["stopSms"] == moved.errors["allreadyInGroupe"] == 1
            assert moved.errors["notFound"] == 1
            stopped = await client.search_contacts("0622222222")
            assert stopped.stop_sms and stopped.stop_id
            assert [c.group_id for c in stopped.contacts] == [source.id]
            with pytest.raises(carnet.NotFoundError):
                await client.rename_group("nope", "x")

    asyncio.run(scenario())


def test_the_sync_client_over_a_socket(server: Server) -> None:
    with carnet.Client(BOOTSTRAP_KEY, server.url) as client:
        [germany] = client.lookup(["+4915123456789"])
        assert (germany.country, germany.prefix_code) == ("Germany", 49)
        a, b = client.add_group("a"), client.add_group("b")
        ids = [c.contact_id for c in client.add_contacts(
            a.id, [{"phone_number": f"06123{n:05d}"} for n in range(620)]
        ).results]  # fmt: skip
        report = client.move_contacts(ids, b.id)  # two requests: 500, then 120
        assert (report.rows, report.imported) == (620, 620)
        assert {g.name: g.contact_count for g in client.list_groups()} == {"a": 0, "b": 620}
        assert client.rename_group(a.id, "empty").name == "empty"
        [moved] = client.search_contacts("0612300000").contacts
        assert (moved.id, moved.group_id) == (ids[0], b.id)
