"""Import jobs over HTTP on both engines, in-process: upload, progress, counts, the rows
kept aside, dry runs, cancel, limits, files that are no spreadsheet, and isolation."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.api import Api
from support.files import write_french_workbook
from support.import_files import write_contacts
from support.jobs import finished, reading, upload
from support.wire import error_fields

FRENCH = (
    "N° de téléphone;Prénom;Date naissance\r\n06 12 34 56 78;Zoé;14/07/85\r\n"
    "06 12 34 56 79;Jean;31/02/1991\r\nabc;Bad;\r\n0699999999;Stop;\r\n0612345678;Again;\r\n"
).encode("cp1252")


def count(api: Api, group: str) -> int:
    groups = api.get("/v1/group/list").json()["groups"]
    return int(next(g["contactCount"] for g in groups if g["id"] == group))


def test_an_upload_is_imported_as_a_job(api: Api) -> None:
    group = api.group()
    api.post("/v1/stop-sms/add", phoneNumber="0699999999")
    started = upload(api, group, FRENCH, keepInvalidOptional=1)
    assert started.status_code == 200, started.text
    body = started.json()
    assert (body["success"], body["code"], body["status"]) == (True, 200, "queued")
    job = finished(api, body["importId"])
    assert job["status"] == "done" and job["error"] == ""
    assert (job["groupId"], job["fileName"], job["rowsRead"]) == (group, "clients.csv", 5)
    assert job["bytesDone"] == job["bytesTotal"] == len(FRENCH)
    rapport = job["rapport"]
    assert (rapport["nbline"], rapport["nbline_imported"], rapport["nbline_warnings"]) == (5, 2, 1)
    errors = {k: v for k, v in rapport["errors"].items() if v}
    assert errors == {"invalidePhone": 1, "stopSms": 1, "duplicatePhone": 1}
    assert job["warnings"] == 1 and job["encoding"] == "Windows-1252" and job["delimiter"] == ";"
    assert job["startedAt"] and job["finishedAt"] >= job["startedAt"] >= job["createdAt"]
    assert count(api, group) == 2
    # The refused rows, as `carnet import --rejects` writes them: the file's own format.
    rejects = api.get("/v1/import/rejects", importId=body["importId"])
    assert rejects.status_code == 200 and rejects.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(rejects.content.decode("cp1252")), delimiter=";"))
    assert rows[0] == ["N° de téléphone", "Prénom", "Date naissance", *REJECT_COLUMNS]
    assert [r[3:5] for r in rows[1:]] == [["4", "9"], ["5", "14"], ["6", "15"]]
    warned = api.get("/v1/import/rejects", importId=body["importId"], warnings=1, excel=1)
    text = warned.content.decode("utf-8-sig")
    assert warned.content.startswith(b"\xef\xbb\xbf") and "31/02/1991;3;date;" in text


REJECT_COLUMNS = ["carnet_line", "carnet_code", "carnet_reason"]


def test_a_workbook_a_dry_run_and_the_list_newest_first(api: Api, tmp_path: Path) -> None:
    group = api.group()
    book = write_french_workbook(tmp_path).read_bytes()
    first = upload(api, group, book, "clients.xlsx", dryRun="true").json()["importId"]
    dry = finished(api, first)
    assert dry["dryRun"] is True and dry["format"] == "xlsx" and dry["sheet"] == "Clients"
    assert dry["rapport"]["nbline_imported"] == 3 and count(api, group) == 0
    second = upload(api, group, book, "clients.xlsx", map='{"Notes": "custom1"}').json()
    real = finished(api, second["importId"])
    assert real["rapport"]["nbline_imported"] == 3 and count(api, group) == 3
    assert real["columns"]["Notes"] == "custom1"
    listed = api.get("/v1/import/list").json()
    assert listed["total"] == 2 and listed["currentPage"] == 1
    assert [j["importId"] for j in listed["imports"]] == [second["importId"], first]
    assert api.get("/v1/import/list", page=2).json()["imports"] == []


def test_files_that_cannot_be_imported_are_refused_before_anything_is_kept(api: Api) -> None:
    group = api.group()
    legacy = upload(api, group, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old.xls")
    assert legacy.status_code == 400 and legacy.json()["code"] == 3
    assert "file" in error_fields(legacy.json()) and ".xlsx or CSV" in legacy.json()["message"]
    page = upload(api, group, b"<html><body>Excel</body></html>", "export.xls")
    assert page.json()["code"] == 3 and "file" in error_fields(page.json())
    no_phone = upload(api, group, b"name;city\nZoe;Lyon\n")
    assert no_phone.json()["code"] == 3 and "phone" in no_phone.json()["message"]
    bad_map = upload(api, group, FRENCH, map='{"Prénom": "nickname"}')
    assert bad_map.json()["code"] == 3 and "map" in error_fields(bad_map.json())
    bad_flag = upload(api, group, FRENCH, dryRun="perhaps")
    assert bad_flag.json()["code"] == 3 and "dryRun" in error_fields(bad_flag.json())
    no_file = api.client.post("/v1/import/add", data={"apiKey": api.key, "groupId": group})
    assert no_file.status_code == 400 and no_file.json()["code"] == 1
    unknown = upload(api, "nope", b"not even a spreadsheet")
    assert unknown.status_code == 404 and unknown.json()["code"] == 404
    no_key = api.client.post("/v1/import/add", data={"groupId": group}, files={"file": ("a", b"")})
    assert no_key.status_code == 401
    assert api.get("/v1/import/list").json()["total"] == 0


@pytest.fixture
def idle(store: Store, db_url: str) -> Iterator[TestClient]:
    """A server that runs no import job (CARNET_IMPORT_CONCURRENCY=0) and takes 64 KiB files."""
    settings = Settings(
        database_url=db_url, rate_limit=0, import_concurrency=0, import_max_bytes=64 * 1024
    )
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        yield c


def test_size_limit_and_cancel_of_a_queued_job(idle: TestClient, key: str) -> None:
    api = Api(idle, key)
    group = api.group()
    large = b"phone\n" + b"0612345678\n" * 7000
    refused = upload(api, group, large)
    assert refused.status_code == 413 and refused.json()["code"] == 413
    assert api.get("/v1/import/list").json()["total"] == 0
    queued = upload(api, group, FRENCH).json()["importId"]
    cancelled = api.post("/v1/import/cancel", importId=queued).json()["import"]
    assert cancelled["status"] == "cancelled" and cancelled["finishedAt"]
    again = api.post("/v1/import/cancel", importId=queued).json()["import"]
    assert again["status"] == "cancelled" and count(api, group) == 0


def test_cancel_of_a_running_job_keeps_what_was_stored(api: Api, tmp_path: Path) -> None:
    group = api.group()
    generated = write_contacts(tmp_path / "big.csv", 60_000)
    import_id = upload(api, group, generated.path.read_bytes()).json()["importId"]
    reading(api, import_id)
    answer = api.post("/v1/import/cancel", importId=import_id).json()["import"]
    assert answer["status"] in ("running", "cancelled")
    job = finished(api, import_id)
    assert job["status"] == "cancelled"
    assert 0 < job["rowsRead"] < generated.rows
    assert count(api, group) == job["rapport"]["nbline_imported"]


def test_another_accounts_import_is_unknown(api: Api, other_api: Api) -> None:
    group = api.group()
    import_id = upload(api, group, FRENCH).json()["importId"]
    finished(api, import_id)
    for path, call in (
        ("/v1/import/detail", other_api.get),
        ("/v1/import/rejects", other_api.get),
        ("/v1/import/cancel", other_api.post),
    ):
        theirs, nobodys = call(path, importId=import_id), call(path, importId="x" * 24)
        assert theirs.status_code == nobodys.status_code == 404, path
        assert theirs.json() == nobodys.json(), path
    assert other_api.get("/v1/import/list").json()["total"] == 0
    # Nor can another account import into this account's group.
    assert upload(other_api, group, FRENCH).status_code == 404
