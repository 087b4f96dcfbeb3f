"""The commands that talk to a server: run as a user would, against ``carnet serve``."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
import typer.main

from carnet import Client
from carnet.cli import app as cli_app
from support.files import ALREADY_THERE, MESSY_REPORT, STOPPED, expected_errors, write_messy
from support.servers import BOOTSTRAP_KEY, Server, free_port, run_cli


def env_for(server: Server, key: str = BOOTSTRAP_KEY) -> dict[str, str]:
    return {"CARNET_URL": server.url, "CARNET_API_KEY": key}


def test_group_and_stop_commands(server: Server) -> None:
    env = env_for(server)
    added = run_cli("group", "add", "Clients", env=env)
    assert added.returncode == 0, added.stderr
    group_id = added.stdout.strip()
    listed = json.loads(run_cli("group", "list", "--json", env=env).stdout)
    assert [(g["id"], g["name"], g["contactCount"]) for g in listed] == [(group_id, "Clients", 0)]
    plain = run_cli("group", "list", env=env).stdout.splitlines()
    assert plain[0].split("\t")[:3] == [group_id, "Clients", "0"]

    stop_id = run_cli("stop", "add", "06 99 99 99 99", env=env).stdout.strip()
    stops = json.loads(run_cli("stop", "list", "--json", env=env).stdout)
    assert [(str(s["id"]), s["phoneNumber"]) for s in stops] == [(stop_id, "+33699999999")]
    assert run_cli("stop", "delete", stop_id, env=env).returncode == 0
    assert json.loads(run_cli("stop", "list", "--json", env=env).stdout) == []

    assert run_cli("group", "delete", group_id, env=env).returncode == 0
    assert json.loads(run_cli("group", "list", "--json", env=env).stdout) == []
    again = run_cli("group", "delete", group_id, env=env)
    assert again.returncode == 1 and "not found" in again.stderr.lower()


def test_import_of_a_messy_file(server: Server, tmp_path: Path) -> None:
    env = env_for(server)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        group = client.add_group("Import")
        client.add_stop(STOPPED)
        client.add_contact(group.id, ALREADY_THERE)
    messy = write_messy(tmp_path)
    rejects = tmp_path / "rejects.csv"
    result = run_cli(
        "import", str(messy), "--group", group.id, "--rejects", str(rejects), "--json", env=env
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for name in ("rows", "imported", "refused", "blankLines"):
        assert report[name] == MESSY_REPORT[name], name
    assert report["errors"] == expected_errors()
    assert report["encoding"] == "UTF-8 with BOM" and report["delimiter"] == ";"
    # Not a terminal: plain progress lines on standard error.
    assert "Importing messy.csv: 100%" in result.stderr
    with rejects.open(encoding="utf-8", newline="") as f:
        assert len(list(csv.reader(f, delimiter=";"))) == 1 + 7

    with Client(BOOTSTRAP_KEY, server.url) as client:
        phones = {c.phone: c for c in client.iter_contacts(group.id)}
    assert set(phones) == {"+33612345678", "+33622222222", "+33633333333"}
    assert phones["+33612345678"].date == "1990-02-28"
    assert phones["+33622222222"].firstname == "Ok; quoted"

    # The same file again: every valid number is now already in the group (the
    # repeated one too, as it was stored before this batch).
    human = run_cli("import", str(messy), "--group", group.id, "--silent", env=env)
    assert human.returncode == 0
    assert human.stderr == ""
    assert "messy.csv: 9 row(s) read" in human.stdout
    assert "0 imported" in human.stdout
    assert "4 already in the group (allreadyInGroupe)" in human.stdout


def test_export_then_import_gives_back_the_same_contacts(server: Server, tmp_path: Path) -> None:
    env = env_for(server)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        source = client.add_group("Source")
        target = client.add_group("Copy")
        rows = [
            {
                "phoneNumber": f"06 12 {i:06d}",
                "firstname": f"Zoé {i}",
                "lastname": 'Le "Grand", fils',
                "date": "1990-02-28" if i % 2 else "",
                "url": f"https://example.org/{i}?a=1&b=2",
                "shortUrlPartnr": "https://s.io/x",
                "custom1": "line one\nline two",
                "custom2": "a;b,c\tz",
                "custom4": "€",
                "consentAt": "2026-03-02T10:15:00Z" if i % 3 else "",
                "consentSource": f"form {i}",
            }
            for i in range(150)  # two pages
        ]
        rows.append({"phoneNumber": "+4915123456789"})
        assert client.add_contacts(source.id, rows).imported == 151

    exported = tmp_path / "export.csv"
    result = run_cli("export", "--group", source.id, "-o", str(exported), env=env)
    assert result.returncode == 0, result.stderr
    assert "Exported 151 contact(s)" in result.stderr
    assert "Exporting: 100% (151 of 151)" in result.stderr
    on_stdout = run_cli("export", "--group", source.id, "--silent", env=env)
    assert on_stdout.stdout == exported.read_text(encoding="utf-8")
    assert on_stdout.stderr == ""

    imported = run_cli("import", str(exported), "--group", target.id, "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] == 151
    copy = tmp_path / "copy.csv"
    assert run_cli("export", "--group", target.id, "-o", str(copy), env=env).returncode == 0

    def contacts(path: Path) -> list[dict[str, str]]:
        with path.open(encoding="utf-8", newline="") as f:
            return [
                {k: v for k, v in row.items() if k not in ("id", "created_at", "group_id")}
                for row in csv.DictReader(f)
            ]

    original = contacts(exported)
    assert original == contacts(copy)
    assert original[0]["phone"] == "+33612000000"
    assert original[1]["lastname"] == 'Le "Grand", fils'
    assert original[1]["custom1"] == "line one\nline two"
    assert original[-1]["phone"] == "+4915123456789"
    assert (original[1]["consent_at"], original[1]["consent_source"]) == (
        "2026-03-02T10:15:00+00:00",
        "form 1",
    )


def test_failures_say_why_and_exit_non_zero(server: Server, tmp_path: Path) -> None:
    messy = write_messy(tmp_path)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        group_id = client.add_group("g").id

    wrong_key = run_cli("import", str(messy), "--group", group_id, env=env_for(server, "nope"))
    assert wrong_key.returncode == 1
    assert "API key" in wrong_key.stderr

    unknown = run_cli("import", str(messy), "--group", "no-such-group", env=env_for(server))
    assert unknown.returncode == 1
    assert "Group 'no-such-group' not found" in unknown.stderr

    down = f"http://127.0.0.1:{free_port()}"
    unreachable = run_cli(
        "import", str(messy), "--group", group_id, "--url", down, env=env_for(server)
    )
    assert unreachable.returncode == 1
    assert f"cannot reach the carnet server at {down}" in unreachable.stderr

    no_phone = tmp_path / "no-phone.csv"
    no_phone.write_text("name,email\nAna,a@b.c\n")
    header = run_cli("import", str(no_phone), "--group", group_id, env=env_for(server))
    assert header.returncode == 1 and "no phone number column" in header.stderr

    no_key_env = {k: v for k, v in os.environ.items() if k != "CARNET_API_KEY"}
    no_key_env["CARNET_URL"] = server.url
    missing = run_cli("group", "list", env={**no_key_env, "CARNET_API_KEY": ""})
    assert missing.returncode == 1 and "No API key" in missing.stderr

    with Client(BOOTSTRAP_KEY, server.url) as client:
        assert client.list_contacts(group_id).total == 0  # nothing half-done


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in getattr(group, "commands", {}).items():
        found.append((*prefix, name))
        found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("command", _commands(typer.main.get_command(cli_app)), ids=" ".join)
def test_every_command_has_complete_help(command: tuple[str, ...]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    body = result.stdout.split("Usage:", 1)[1]
    assert len(body.split()) > 8, result.stdout  # a description, not just a usage line
    talks_to_a_server = command[0] in ("import", "export") or (
        command[0] in ("group", "stop") and len(command) == 2
    )
    if talks_to_a_server:
        assert "--url" in result.stdout and "CARNET_URL" in result.stdout
        assert "--api-key" in result.stdout and "CARNET_API_KEY" in result.stdout
