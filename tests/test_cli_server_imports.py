"""``carnet import --on-server`` and ``carnet imports``, run as a user runs them against
``carnet serve``: the same report and the same rejects file as a local import."""

from __future__ import annotations

import json
import time
from pathlib import Path

from carnet import Client
from support.cli import assert_one_error_line
from support.files import ALREADY_THERE, STOPPED, write_messy
from support.servers import BOOTSTRAP_KEY, Server, run_cli

SAME = ("rows", "imported", "skipped", "refused", "errors", "blankLines", "encoding",
        "delimiter", "columns", "ignoredColumns", "format")  # fmt: skip


def _env(server: Server) -> dict[str, str]:
    return {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}


def test_on_server_gives_the_report_and_rejects_of_a_local_import(
    server: Server, tmp_path: Path
) -> None:
    env = _env(server)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        client.add_stop(STOPPED)
        local_group, remote_group = client.add_group("Local").id, client.add_group("Remote").id
        for group in (local_group, remote_group):
            client.add_contact(group, ALREADY_THERE)
    messy = write_messy(tmp_path)
    local_rejects, remote_rejects = tmp_path / "local.csv", tmp_path / "remote.csv"
    local = run_cli(
        "import", str(messy), "-g", local_group, "--rejects", str(local_rejects), "--json",
        env=env,
    )  # fmt: skip
    remote = run_cli(
        "import", str(messy), "-g", remote_group, "--on-server", "--rejects", str(remote_rejects),
        "--json", env=env,
    )  # fmt: skip
    assert local.returncode == 0 and remote.returncode == 0, (local.stderr, remote.stderr)
    mine, theirs = json.loads(local.stdout), json.loads(remote.stdout)
    assert {k: theirs[k] for k in SAME} == {k: mine[k] for k in SAME}
    assert remote_rejects.read_bytes() == local_rejects.read_bytes()
    # Not a terminal: the upload, then the job, in plain progress lines.
    assert "Uploading messy.csv: 100%" in remote.stderr
    assert "Importing messy.csv on the server: 100%" in remote.stderr
    with Client(BOOTSTRAP_KEY, server.url) as client:
        counts = {g.id: g.contact_count for g in client.list_groups()}
    assert counts[remote_group] == counts[local_group] == 3


def test_detach_then_the_imports_commands(server: Server, tmp_path: Path) -> None:
    env = _env(server)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        group = client.add_group("Later").id
    messy = write_messy(tmp_path)
    detached = run_cli("import", str(messy), "-g", group, "--on-server", "--detach", env=env)
    assert detached.returncode == 0, detached.stderr
    import_id = detached.stdout.strip()
    assert f"carnet imports show {import_id}" in detached.stderr
    deadline = time.monotonic() + 60
    shown: dict[str, object] = {}
    while time.monotonic() < deadline:
        shown = json.loads(run_cli("imports", "show", import_id, "--json", env=env).stdout)
        if shown["status"] == "done":
            break
        time.sleep(0.2)
    assert shown["status"] == "done" and shown["rows"] == 9
    plain = run_cli("imports", "show", import_id, env=env).stdout.splitlines()
    assert plain[0].startswith(f"Import {import_id}: done")
    listed = json.loads(run_cli("imports", "list", "--json", env=env).stdout)
    assert [j["id"] for j in listed] == [import_id]
    rejects = tmp_path / "refused.csv"
    fetched = run_cli("imports", "rejects", import_id, "-o", str(rejects), "--excel", env=env)
    assert fetched.returncode == 0 and rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    # Nothing on the stop list nor in the group this time: 5 of the 9 rows refused.
    assert len(rejects.read_text(encoding="utf-8-sig").splitlines()) == 1 + 5
    cancelled = run_cli("imports", "cancel", import_id, env=env)
    assert cancelled.returncode == 0 and f"Import {import_id}: done" in cancelled.stdout
    unknown = run_cli("imports", "show", "nope", env=env)
    assert_one_error_line(unknown, "not found")
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    refused = run_cli("import", str(bad), "-g", group, "--on-server", env=env)
    assert_one_error_line(refused, ".xlsx or CSV")
