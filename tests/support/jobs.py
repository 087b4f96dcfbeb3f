"""Import jobs as a test drives them: upload a file, wait for the job to end."""

from __future__ import annotations

import time
from typing import Any

from support.api import Api


def upload(api: Api, group: str, data: bytes, name: str = "clients.csv", **params: Any) -> Any:
    """``POST /v1/import/add`` of ``data`` into ``group``, as a multipart form."""
    fields = {"apiKey": api.key, "groupId": group, **{k: str(v) for k, v in params.items()}}
    return api.client.post("/v1/import/add", data=fields, files={"file": (name, data)})


def finished(api: Api, import_id: str, timeout: float = 120) -> dict[str, Any]:
    """The job once it has ended (done, failed or cancelled)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get("/v1/import/detail", importId=import_id).json()["import"]
        if job["status"] in ("done", "failed", "cancelled"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"import {import_id} did not end")


def reading(api: Api, import_id: str, timeout: float = 120) -> dict[str, Any]:
    """The job once it has read rows; it must not have ended without reading any."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = api.get("/v1/import/detail", importId=import_id).json()["import"]
        if job["rowsRead"] > 0:
            return job
        assert job["status"] in ("queued", "running"), job
        time.sleep(0.01)
    raise AssertionError(f"import {import_id} read no row in {timeout} s")
