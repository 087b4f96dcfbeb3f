"""``carnet lookup``, ``carnet contact find|move|copy`` and ``carnet group rename``."""

from __future__ import annotations

import json

from carnet import Client
from support.cli import assert_one_error_line
from support.servers import BOOTSTRAP_KEY, Server, run_cli


def test_lookup_find_rename_move_and_copy(server: Server) -> None:
    env = {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}
    with Client(BOOTSTRAP_KEY, server.url) as client:
        source, target = client.add_group("source").id, client.add_group("old").id
        ana = client.add_contact(source, "0611111111", firstname="Ana").id
        bob = client.add_contact(source, "0622222222").id

    looked = run_cli("lookup", "06 12 34 56 78", "12", "--json", env=env)
    assert looked.returncode == 0, looked.stderr
    [france, wrong] = json.loads(looked.stdout)
    assert (france["phoneNumber"], france["countryCode"], france["type"]) == (
        "+33612345678", "France", "Mobile",
    )  # fmt: skip
    assert wrong["success"] is False
    plain = run_cli("lookup", "+4915123456789", env=env)
    assert plain.stdout.split("\t")[:4] == ["+4915123456789", "True", "+4915123456789", "Germany"]

    renamed = run_cli("group", "rename", target, "Archive", env=env)
    assert renamed.returncode == 0 and "Archive" in renamed.stdout
    assert_one_error_line(run_cli("group", "rename", "nope", "x", env=env), "not found")

    copied = run_cli("contact", "copy", ana, "--group", target, "--json", env=env)
    report = json.loads(copied.stdout)
    assert (report["rows"], report["copied"], report["refused"]) == (1, 1, 0)
    copy_id = report["results"][0]["contactId"]
    moved = run_cli("contact", "move", bob, ana, "nope", "-g", target, env=env)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.splitlines() == [
        "3 contact(s): 1 moved, 2 refused",
        "  1 allreadyInGroupe",
        "  1 notFound",
    ]

    found = run_cli("contact", "find", "+33 6 11 11 11 11", "--json", env=env)
    body = json.loads(found.stdout)
    assert [c["id"] for c in body["contacts"]] == [ana, copy_id]
    assert [c["groupId"] for c in body["contacts"]] == [source, target]
    assert body["stopSms"] is False
    with Client(BOOTSTRAP_KEY, server.url) as client:
        client.add_stop("0622222222")
    stopped = run_cli("contact", "find", "0622222222", env=env)
    assert "on the stop list" in stopped.stderr
    assert stopped.stdout.split("\t")[:2] == [bob, target]
    assert_one_error_line(run_cli("contact", "find", "12", env=env))
