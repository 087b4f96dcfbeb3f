"""Backups: ``carnet backup``/``restore`` of a served SQLite file; the README's pg_dump.

The SQLite backup is taken while clients keep adding contacts through the
server; what it holds is then served again after a restore, and the API shows
exactly the contacts the backup held. The PostgreSQL commands are the README's,
run as written.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from carnet.storage.database import normalise_url
from support.servers import new_account, run_cli, start_server

README = (Path(__file__).parent.parent / "README.md").read_text()


def contacts_in(url: str, key: str, group: str) -> int:
    answer = httpx.get(
        f"{url}/v1/contact/list", params={"apiKey": key, "groupId": group}, timeout=60
    )
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total"])


def test_a_backup_taken_under_writes_restores_to_what_it_held(tmp_path: Path) -> None:
    db = tmp_path / "carnet.db"
    url = f"sqlite:///{db}"
    key = new_account(url)
    server = start_server(url, tmp_path)
    stop = threading.Event()
    added: list[int] = []
    failed: list[Exception] = []

    def keep_adding(group: str) -> None:
        try:
            with httpx.Client(base_url=server.url, timeout=60) as http:
                n = 0
                while not stop.is_set():
                    contact = {"phoneNumber": f"06{10000000 + n:08d}"}
                    body = {"apiKey": key, "groupId": group, "contact": contact}
                    answer = http.post("/v1/contact/add", json=body)
                    assert answer.status_code == 200, answer.text
                    n += 1
                added.append(n)
        except Exception as exc:  # the test waits for adds: it must hear why none come
            failed.append(exc)

    def wait_for_contacts(group: str, at_least: int) -> None:
        deadline = time.monotonic() + 120
        while (total := contacts_in(server.url, key, group)) < at_least:
            assert not failed, f"the adds stopped: {failed[0]!r}"
            assert time.monotonic() < deadline, f"{total} contacts after 120 s"
            time.sleep(0.01)

    try:
        group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"})
        group_id = group.json()["groupId"]
        writer = threading.Thread(target=keep_adding, args=(group_id,))
        writer.start()
        wait_for_contacts(group_id, 20)
        made = run_cli("backup", str(tmp_path / "saved.db"), "--database-url", url)
        after_backup = contacts_in(server.url, key, group_id)
        wait_for_contacts(group_id, after_backup + 20)
        stop.set()
        writer.join(timeout=120)
        assert not failed, f"the adds stopped: {failed[0]!r}"
        refused = run_cli("restore", str(tmp_path / "saved.db"), "--database-url", url)
        total_before_restore = contacts_in(server.url, key, group_id)
    finally:
        stop.set()
        server.stop()
    assert made.returncode == 0, made.stderr
    assert re.match(r"Backed up .*carnet\.db to .*saved\.db \(\d+ pages\)", made.stdout)
    assert refused.returncode == 1
    assert "a server is using" in refused.stderr and "stop it, then restore" in refused.stderr
    saved = sqlite3.connect(tmp_path / "saved.db")
    in_backup = saved.execute("SELECT count(*) FROM contacts").fetchone()[0]
    assert saved.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    saved.close()
    assert 20 <= in_backup <= after_backup < total_before_restore == added[0]

    restored = run_cli("restore", str(tmp_path / "saved.db"), "--database-url", url)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout
    server = start_server(url, tmp_path)
    try:
        assert contacts_in(server.url, key, group_id) == in_backup
    finally:
        server.stop()


def test_backup_and_restore_say_what_is_wrong(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'carnet.db'}"
    new_account(url)
    not_a_db = tmp_path / "notes.txt"
    not_a_db.write_text("hello")
    cases = [
        (("restore", str(not_a_db)), "is not a carnet database"),
        (("restore", str(tmp_path / "nothing.db")), "there is no backup at"),
        (("backup", str(not_a_db)), "exists already"),
        (("backup", str(tmp_path / "b.db"), "--database-url",
          "postgresql://postgres@127.0.0.1/x"), "back up PostgreSQL with pg_dump"),
    ]  # fmt: skip
    for args, message in cases:
        extra = () if "--database-url" in args else ("--database-url", url)
        done = run_cli(*args, *extra)
        assert done.returncode == 1 and message in done.stderr, (args, done.stderr)
        assert "Traceback" not in done.stderr


def readme_postgres_backup() -> str:
    """The README's pg_dump / pg_restore block."""
    found = re.search(r"<!-- not run: PostgreSQL[^>]*-->\n```sh\n(.*?)```", README, re.DOTALL)
    assert found, "the README shows the pg_dump / pg_restore commands"
    return found.group(1)


@pytest.mark.postgres
def test_the_readmes_pg_dump_and_pg_restore_move_every_row(
    postgres_url: str, tmp_path: Path
) -> None:
    key = new_account(postgres_url)
    server = start_server(postgres_url, tmp_path)
    try:
        group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"})
        group_id = group.json()["groupId"]
        rows = [{"phoneNumber": f"06{20000000 + n:08d}"} for n in range(300)]
        body = {"apiKey": key, "groupId": group_id, "contactsList": rows}
        assert httpx.post(server.url + "/v1/contact/add", json=body).status_code == 200
    finally:
        server.stop()
    source = make_url(postgres_url)
    target = source.set(database=f"carnet_restored_{uuid.uuid4().hex[:10]}")
    admin = create_engine(normalise_url(postgres_url), isolation_level="AUTOCOMMIT")
    env = {
        **os.environ,
        "DATABASE_URL": source.set(drivername="postgresql").render_as_string(False),
        "RESTORED_URL": target.set(drivername="postgresql").render_as_string(False),
        "RESTORED": str(target.database),
        "PGHOST": source.host or "127.0.0.1",
        "PGUSER": source.username or "postgres",
    }
    try:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", readme_postgres_backup()],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        restored_url = target.render_as_string(hide_password=False)
        server = start_server(restored_url, tmp_path)
        try:
            assert contacts_in(server.url, key, group_id) == 300
        finally:
            server.stop()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        admin.dispose()
