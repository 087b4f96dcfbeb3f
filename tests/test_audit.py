"""The audit trail (carnet's own), on both engines: an entry for each kind of change, as
``GET /v1/audit/list`` and ``carnet audit list`` show it; none holding a number, a name
or a key (the whole database read); none for a change that failed."""

from __future__ import annotations

import json
from typing import Any

from starlette.testclient import TestClient

from carnet.domain import audit
from carnet.domain.accounts import create_account, list_accounts, revoke_keys, rotate_key
from carnet.domain.people import add_person, remove_person
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.api import Api
from support.jobs import finished, upload
from support.servers import BOOTSTRAP_KEY, Server, run_cli
from support.traces import tables_with_number, tables_with_text
from support.web import PASSWORD, Dashboard

FILE = "Téléphone;Prénom\r\n0611111111;Léa\r\n0622222222;Noé\r\nabc;Bad\r\n".encode()


def entries(api: Api, **params: Any) -> list[dict[str, Any]]:
    answer = api.get("/v1/audit/list", **params)
    assert answer.status_code == 200, answer.text
    found: list[dict[str, Any]] = answer.json()["entries"]
    return found


def every_change(api: Api) -> dict[str, str]:
    """One change of each kind the API makes; the ids they made."""
    group = api.group("Clients")
    contact = api.add(group, phoneNumber="0612345678", firstname="Camille", lastname="Durand")
    contact_id = contact.json()["contact"]["contactId"]
    api.post("/v1/contact/update", contactId=contact_id, contact={"firstname": "Camilla"})
    rows = [{"phoneNumber": "0633333333", "firstname": "Jonas"}, {"phoneNumber": "nope"}]
    api.post("/v1/contact/add", groupId=group, contactsList=rows)
    stop_id = str(api.post("/v1/stop-sms/add", phoneNumber="0644444444").json()["stopId"])
    api.post("/v1/stop-sms/delete", id=stop_id)
    job = finished(api, upload(api, group, FILE).json()["importId"])
    api.post("/v1/contact/delete", contactId=contact_id)
    api.post("/v1/person/erase", phoneNumber="0633333333")
    doomed = api.group("Doomed")
    api.post("/v1/group/delete", groupId=doomed)
    return {"group": group, "contact": contact_id, "stop": stop_id, "import": job["importId"],
            "doomed": doomed}  # fmt: skip


def test_each_kind_of_change_is_one_entry_newest_first(api: Api) -> None:
    made = every_change(api)
    found = entries(api)
    actions = [e["action"] for e in reversed(found)]
    assert actions == [
        "account.created",
        "key.created",
        "group.added",
        "contact.added",
        "contact.updated",
        "contacts.added",
        "stop.added",
        "stop.deleted",
        "import.started",
        "import.finished",
        "contact.deleted",
        "person.erased",
        "group.added",
        "group.deleted",
    ]
    by_action = {e["action"]: e for e in found}
    who = f"key:{api.key[:6]}"
    assert {e["who"] for e in found[:-2]} == {who}
    assert {e["who"] for e in found[-2:]} == {"command line"}
    assert by_action["contact.added"]["ids"] == [made["contact"], made["group"]]
    assert by_action["contact.updated"]["counts"] == {"fields": 1}
    assert by_action["contacts.added"]["ids"] == [made["group"]]
    assert by_action["contacts.added"]["counts"] == {"rows": 2, "imported": 1, "refused": 1}
    assert by_action["stop.deleted"]["ids"] == [made["stop"]]
    assert by_action["import.finished"]["ids"] == [made["import"], made["group"]]
    assert by_action["import.finished"]["counts"] == {
        "rows": 3,
        "imported": 2,
        "skipped": 0,
        "refused": 1,
    }
    assert by_action["import.finished"]["who"] == who
    erased = by_action["person.erased"]["counts"]
    assert {k: erased[k] for k in ("contacts", "importRows", "replies")} == {
        "contacts": 1,
        "importRows": 0,
        "replies": 0,
    }
    assert by_action["group.deleted"]["ids"] == [made["doomed"]]
    assert all(e["at"].endswith("+00:00") for e in found)


def test_no_entry_holds_a_number_a_name_or_a_key(api: Api, store: Store) -> None:
    every_change(api)
    for national in ("612345678", "633333333", "644444444", "611111111"):
        assert "audit_entries" not in tables_with_number(store, national), national
    names = ("Camille", "Camilla", "Durand", "Jonas", "Léa", "Noé")
    assert "audit_entries" not in tables_with_text(store, api.key, *names)
    assert "audit_entries" in tables_with_text(store, f"key:{api.key[:6]}")


def test_keys_created_rotated_and_revoked_are_entries(api: Api, store: Store) -> None:
    new_key = rotate_key(store, "alice")
    revoke_keys(store, "alice")
    _, key = create_account(store, "carol")
    alice = Api(api.client, new_key)
    assert alice.get("/v1/audit/list").json()["code"] == 10  # revoked
    carol = entries(Api(api.client, key))
    assert [e["action"] for e in carol] == ["key.created", "account.created"]
    mine = [(e["action"], e["counts"]) for e in _entries_of(store, "alice")]
    assert mine[:2] == [("key.revoked", {"revoked": 1}), ("key.rotated", {"revoked": 1})]


def _entries_of(store: Store, account: str) -> list[dict[str, Any]]:
    """The account's entries, read by the domain's own listing (its keys are revoked)."""
    [owner] = [a for a in list_accounts(store) if a.name == account]
    page = audit.list_audit(store, owner)
    return [{"action": e.action, "counts": dict(e.counts)} for e in page.entries]


def test_a_change_that_fails_writes_no_entry(api: Api) -> None:
    group = api.group()
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    api.post("/v1/stop-sms/add", phoneNumber="0699999999")
    before = entries(api)
    failures = [
        api.add(group, phoneNumber="0612345678"),  # 15
        api.add(group, phoneNumber="0699999999"),  # 14
        api.add(group, phoneNumber="0622222222", date="2021-02-30"),  # 16
        api.add("no-such-group", phoneNumber="0622222222"),  # 404
        api.post("/v1/contact/update", contactId=contact_id, contact={"url": "nope"}),  # 17
        api.post("/v1/contact/delete", contactId="no-such-contact"),  # 404
        api.post("/v1/group/delete", groupId="no-such-group"),  # 404
        api.post("/v1/stop-sms/delete", id="123"),  # 404
        api.post("/v1/contact/add", groupId=group, contactsList=[{"phoneNumber": "x"}]),
        api.post(
            "/v1/contact/add",
            groupId=group,
            contactsList=[{"phoneNumber": "0633333333"}],
            dryRun=True,
        ),  # a dry run
        api.post("/v1/stop-sms/add", phoneNumber="06 99 99 99 99"),  # stopped already
        api.post("/v1/person/erase", phoneNumber="12"),  # 9
    ]
    assert [a.json()["code"] for a in failures][:8] == [15, 14, 16, 404, 17, 404, 404, 404]
    assert entries(api) == before


def test_the_list_filters_by_action_and_time_and_pages(api: Api) -> None:
    for n in range(25):
        api.group(f"g{n}")
    added = entries(api, action="group.added")
    assert len(added) == 20 and {e["action"] for e in added} == {"group.added"}
    answer = api.get("/v1/audit/list", action="group.added", page=2).json()
    assert (answer["currentPage"], answer["total"], len(answer["entries"])) == (2, 25, 5)
    assert [e["id"] for e in added] == sorted((e["id"] for e in added), reverse=True)
    today = added[0]["at"][:10]
    assert len(entries(api, **{"from": today, "to": today, "action": "group.added"})) == 20
    assert entries(api, to="2000-01-01") == []
    assert entries(api, **{"from": "2999-01-01T00:00:00Z"}) == []
    refused = [
        api.get("/v1/audit/list", action="group.exploded"),
        api.get("/v1/audit/list", **{"from": "yesterday"}),
        api.get("/v1/audit/list", page="0"),
    ]
    assert [(r.status_code, r.json()["code"]) for r in refused] == [(400, 3)] * 3
    assert (
        api.get("/v1/audit/list", _format="xml")
        .headers["content-type"]
        .startswith("application/xml")
    )


def test_another_accounts_entries_are_not_listed(api: Api, other_api: Api) -> None:
    api.group("mine")
    assert [e["action"] for e in entries(other_api)] == ["key.created", "account.created"]


def test_carnet_audit_list(server: Server) -> None:
    env = {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}
    group = run_cli("group", "add", "Clients", env=env).stdout.strip()
    listed = run_cli("audit", "list", "--json", "--action", "group.added", env=env)
    assert listed.returncode == 0, listed.stderr
    [entry] = json.loads(listed.stdout)
    assert (entry["action"], entry["ids"], entry["who"]) == (
        "group.added",
        [group],
        f"key:{BOOTSTRAP_KEY[:6]}",
    )
    plain = run_cli("audit", "list", env=env).stdout.splitlines()
    assert plain[0].split("\t")[1:4] == [f"key:{BOOTSTRAP_KEY[:6]}", "group.added", group]


def test_an_entry_goes_with_its_transaction_when_it_rolls_back(api: Api, store: Store) -> None:
    group = api.group()
    before = entries(api)
    [account] = [a for a in list_accounts(store) if a.name == "alice"]
    try:
        with store.write() as q:
            q.delete_group(q.group(account.id, group).id)  # type: ignore[union-attr]
            audit.record(q, account, "group.deleted", [group])
            raise RuntimeError("the change fails after its entry was written")
    except RuntimeError:
        pass
    assert entries(api) == before
    assert [g["id"] for g in api.get("/v1/group/list").json()["groups"]] == [group]


def test_people_added_signed_in_and_removed_are_audited_by_their_email_as_who(
    api: Api, store: Store, settings: Settings
) -> None:
    """The dashboard's people: ``who`` is the person's email; ids name them by number."""
    email = "ann@example.org"
    add_person(store, email, "alice", PASSWORD)
    with TestClient(create_app(settings, store=store)) as c:
        web = Dashboard(c)
        assert web.sign_in(email).status_code == 303
        assert web.sign_in(email, "not the password").status_code == 401
    remove_person(store, email)
    entries = api.get("/v1/audit/list").json()["entries"]
    users = [(e["action"], e["who"]) for e in entries if e["action"].startswith("user.")]
    assert users == [
        ("user.removed", "command line"),
        ("user.signed_in", email),
        ("user.added", "command line"),
    ]
    person_ids = {tuple(e["ids"]) for e in entries if e["action"].startswith("user.")}
    assert len(person_ids) == 1 and next(iter(person_ids))[0].startswith("person:")
    assert all(email not in str(e["ids"]) for e in entries)
