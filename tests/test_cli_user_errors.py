"""A newcomer's slips with the commands that talk to a server, run as they ran them.

The real ``carnet`` command against a real ``carnet serve``: each slip ends in
one ``error: …`` line and exit 1, and nothing half-written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from carnet import Client
from support.cli import assert_one_error_line
from support.files import write_messy
from support.servers import BOOTSTRAP_KEY, Server, run_cli, start_server


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Server]:
    """A server on SQLite: these slips happen before any query of the engine."""
    server = start_server(
        f"sqlite:///{tmp_path / 'c.db'}", tmp_path, env={"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY}
    )
    yield server
    server.stop()


def env_for(server: Server) -> dict[str, str]:
    return {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}


def test_files_that_cannot_be_written(live: Server, tmp_path: Path) -> None:
    with Client(BOOTSTRAP_KEY, live.url) as client:
        group = client.add_group("g").id
        client.add_contact(group, "0612345678")
    messy = write_messy(tmp_path)
    rejects = run_cli(
        "import", str(messy), "-g", group, "--rejects", "/nonexistent/dir/r.csv", env=env_for(live)
    )
    assert_one_error_line(rejects, "/nonexistent/dir/r.csv", "No such file or directory")
    exported = run_cli("export", "-g", group, "-o", "/nonexistent/x.csv", env=env_for(live))
    assert_one_error_line(exported, "cannot write /nonexistent/x.csv", "No such file")
    with Client(BOOTSTRAP_KEY, live.url) as client:
        assert client.list_contacts(group).total == 1  # the import did not start


def test_export_of_an_unknown_group_writes_nothing(live: Server, tmp_path: Path) -> None:
    on_stdout = run_cli("export", "--group", "nope", env=env_for(live))
    assert_one_error_line(on_stdout, "not found")
    assert on_stdout.stdout == ""  # no CSV header in `> out.csv`
    to_file = run_cli("export", "--group", "nope", "-o", str(tmp_path / "x.csv"), env=env_for(live))
    assert_one_error_line(to_file, "not found")
    assert list(tmp_path.glob("x.csv*")) == []


def test_json_of_one_new_thing_is_an_object(live: Server) -> None:
    group = run_cli("group", "add", "Clients", "--json", env=env_for(live))
    assert group.returncode == 0, group.stderr
    added = json.loads(group.stdout)
    assert isinstance(added, dict) and added["name"] == "Clients" and added["id"]
    stop = run_cli("stop", "add", "0699999999", "--json", env=env_for(live))
    assert stop.returncode == 0, stop.stderr
    stopped = json.loads(stop.stdout)
    assert isinstance(stopped, dict) and stopped["id"]


def test_no_key_gives_the_commands_advice_only(live: Server) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CARNET_API_KEY"}
    result = run_cli("group", "list", env={**env, "CARNET_URL": live.url, "CARNET_API_KEY": ""})
    line = assert_one_error_line(result, "No API key", "CARNET_API_KEY", "--api-key")
    assert "api_key=" not in line  # the library's advice is for Python code


def test_a_url_that_is_not_a_carnet_server(live: Server, tmp_path: Path) -> None:
    env = env_for(live)
    wrong = live.url + "/api"
    listed = run_cli("group", "list", "--url", wrong, env=env)
    assert_one_error_line(listed, f"{wrong} is not a carnet server", "root URL")
    imported = run_cli("import", str(write_messy(tmp_path)), "-g", "x", "--url", wrong, env=env)
    assert_one_error_line(imported, "is not a carnet server")
    # The right URL with an unknown group is a plain "not found".
    unknown = run_cli("group", "delete", "nope", env=env)
    line = assert_one_error_line(unknown, "not found")
    assert "not a carnet server" not in line
