"""Starting a command wrong: one ``error: …`` line on standard error, exit 1, no traceback.

Each test runs the real ``carnet`` command, as a user at a shell would.
"""

from __future__ import annotations

import os
import pty
import socket
import subprocess
from pathlib import Path

import pytest

from carnet import __version__
from support.cli import assert_one_error_line
from support.servers import CARNET, run_cli


def test_a_setting_that_does_not_parse(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    for command in (["serve", "--database-url", db], ["account", "list", "--database-url", db]):
        result = run_cli(*command, env={"CARNET_RATE_LIMIT": "abc"})
        assert_one_error_line(result, "CARNET_RATE_LIMIT", "whole number")
    bad_level = run_cli("serve", "--database-url", db, env={"CARNET_LOG_LEVEL": "loud"})
    assert_one_error_line(bad_level, "CARNET_LOG_LEVEL")
    assert "serving" not in bad_level.stdout
    assert not (tmp_path / "c.db").exists()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("bogus://", "bogus"),
        ("sqlite:////nonexistent/dir/c.db", "unable to open database file"),
        ("postgresql://nobody@127.0.0.1:1/x", "Connection refused"),
    ],
)
def test_a_database_that_cannot_be_opened(url: str, reason: str) -> None:
    for command in (["account", "create", "x"], ["account", "list"], ["serve", "--port", "0"]):
        result = run_cli(*command, "--database-url", url)
        if command[1:2] == ["list"] and url.startswith("sqlite"):
            assert_one_error_line(result, "no database at /nonexistent/dir/c.db")
            continue
        assert_one_error_line(result, "cannot open the database", reason)


def test_serve_on_a_taken_port_says_so_before_anything_else(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli(
            "serve", "--port", str(port), "--database-url", f"sqlite:///{tmp_path}/c.db"
        )
    assert_one_error_line(result, f"cannot listen on 127.0.0.1:{port}", "in use")
    assert result.stdout == ""  # neither "carnet serving on" nor a default key
    assert not (tmp_path / "c.db").exists()


def test_version() -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"carnet {__version__}"


def test_account_commands_say_which_database_and_list_creates_none(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"CARNET_DATABASE_URL": ""}
    listed = run_cli("account", "list", cwd=elsewhere, env=env)
    assert_one_error_line(listed, f"no database at {elsewhere / 'carnet.db'}")
    rotated = run_cli("account", "rotate-key", "shop", cwd=elsewhere, env=env)
    assert_one_error_line(rotated, "no account named 'shop'", "no database at")
    assert list(elsewhere.iterdir()) == []  # nothing created

    created = run_cli("account", "create", "shop", cwd=elsewhere, env=env)
    assert created.returncode == 0, created.stderr
    assert f"Database: sqlite:///carnet.db ({elsewhere / 'carnet.db'})" in created.stderr
    listed = run_cli("account", "list", cwd=elsewhere, env=env)
    assert listed.returncode == 0, listed.stderr
    assert f"({elsewhere / 'carnet.db'})" in listed.stderr
    assert listed.stdout.startswith("shop\t")


def test_account_list_prints_a_table_on_a_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    assert run_cli("account", "create", "shop", "--database-url", db).returncode == 0
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [*CARNET, "account", "list", "--database-url", db],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
            timeout=60,
        )
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: all is read
                break
            if not chunk:
                break
            output += chunk
    finally:
        os.close(leader)
    assert proc.returncode == 0, proc.stderr
    text = output.decode()
    assert "Accounts" in text and "createdAt" in text and "shop" in text
    assert "─" in text  # a drawn table, not tab-separated lines
