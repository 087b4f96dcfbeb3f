"""Import jobs survive their server: SIGKILL at several moments, restarts, and a second
server taking over on PostgreSQL. Real ``carnet serve`` processes, real files.

A 200,000-row file is imported once per engine: killed once mid-job, killed again
right after a checkpoint moved (a batch just committed), then finished by a new
server. The counts must match the file exactly, and so must the group: a batch
stored twice would show as rows "already in the group", one lost as missing rows.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from carnet import Client, ImportJob
from support.import_files import GeneratedFile, write_contacts
from support.servers import BOOTSTRAP_KEY, Server, start_server

# A dead server's jobs are taken over once its lease has run out: short, for the tests.
ENV = {"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY, "CARNET_IMPORT_LEASE_SECONDS": "2"}


def _serve(db_url: str, tmp_path: Path) -> Server:
    return start_server(db_url, tmp_path, env=ENV)


def _job(server: Server, import_id: str) -> ImportJob:
    with Client(BOOTSTRAP_KEY, server.url) as client:
        return client.get_import(import_id)


def _wait_for(
    server: Server, import_id: str, ready: Any, timeout: float = 300, poll: float = 0.05
) -> ImportJob:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = _job(server, import_id)
        if ready(job):
            return job
        assert not job.ended or ready(job), f"ended early: {job}"
        time.sleep(poll)
    raise AssertionError(f"import {import_id} did not get there: {_job(server, import_id)}")


def _check(server: Server, group: str, job: ImportJob, generated: GeneratedFile) -> None:
    assert job.status == "done", job
    assert job.rows == generated.rows
    assert job.imported == generated.distinct_valid
    assert job.refused == {"invalidePhone": generated.invalid, **_repeats(job)}
    assert sum(_repeats(job).values()) == generated.repeated
    assert job.imported + sum(job.refused.values()) == job.rows
    with Client(BOOTSTRAP_KEY, server.url) as client:
        stored = next(g for g in client.list_groups() if g.id == group)
    assert stored.contact_count == generated.distinct_valid


def _repeats(job: ImportJob) -> dict[str, int]:
    # A repeat lands in duplicatePhone (same batch) or allreadyInGroupe (an earlier one).
    return {k: v for k, v in job.refused.items() if k in ("duplicatePhone", "allreadyInGroupe")}


def test_a_large_import_killed_twice_ends_with_exactly_the_files_rows(
    db_url: str, tmp_path: Path
) -> None:
    generated = write_contacts(tmp_path / "contacts.csv", 200_000)
    server = _serve(db_url, tmp_path)
    try:
        with Client(BOOTSTRAP_KEY, server.url) as client:
            group = client.add_group("Big").id
            import_id = client.upload_import(group, generated.path).id
        # Killed in the middle of the job, at whatever it was doing.
        _wait_for(server, import_id, lambda j: j.rows >= 40_000)
        server.kill()
        server = _serve(db_url, tmp_path)
        # Killed again the moment a batch (and its checkpoint) has been committed.
        before = _wait_for(server, import_id, lambda j: j.rows > 40_000).rows
        _wait_for(server, import_id, lambda j: j.rows > before, poll=0.002)
        server.kill()
        server = _serve(db_url, tmp_path)
        done = _wait_for(server, import_id, lambda j: j.ended)
        _check(server, group, done, generated)
        with Client(BOOTSTRAP_KEY, server.url) as client:
            rejects = client.import_rejects(import_id).decode("utf-8").splitlines()
        assert len(rejects) == 1 + generated.invalid + generated.repeated
    finally:
        server.kill()


@pytest.mark.postgres
def test_another_server_finishes_the_job_of_a_server_that_died(
    postgres_url: str, tmp_path: Path
) -> None:
    generated = write_contacts(tmp_path / "contacts.csv", 60_000, seed=11)
    first = _serve(postgres_url, tmp_path)
    second = None
    try:
        with Client(BOOTSTRAP_KEY, first.url) as client:
            group = client.add_group("Shared").id
            import_id = client.upload_import(group, generated.path).id
        _wait_for(first, import_id, lambda j: j.rows > 0)  # the first server has it
        second = _serve(postgres_url, tmp_path)
        first.kill()
        done = _wait_for(second, import_id, lambda j: j.ended, timeout=120)
        _check(second, group, done, generated)
    finally:
        first.kill()
        if second is not None:
            second.kill()
