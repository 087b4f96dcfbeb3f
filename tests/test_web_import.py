"""The import page over HTTP: a file, its preview, the job to its report and refused rows."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store
from support.web import Dashboard, csrf_of, errors_of, new_person

CSV = (
    "Portable;Prénom;Nom;Ville\n0612345678;Ann;Lee;Paris\n123;Bob;Ray;Lyon\n0612345679;Cy;Do;Nice\n"
)


@pytest.fixture
def web(store: Store, settings: Settings) -> Iterator[Dashboard]:
    with TestClient(create_app(settings, store=store), raise_server_exceptions=False) as c:
        dashboard = Dashboard(c)
        dashboard.sign_in(new_person(store, "shop"))
        yield dashboard


def _group(web: Dashboard) -> str:
    web.form_post("/groups", "/groups", name="Clients")
    found = re.search(r'href="/groups/([^"/]+)"', web.client.get("/groups").text)
    assert found
    return found.group(1)


def test_a_file_is_previewed_then_imported_to_its_report(web: Dashboard) -> None:
    group_id = _group(web)
    form = web.client.get("/import", params={"group": group_id})
    token = csrf_of(form.text)
    preview = web.client.post(
        "/import",
        data={"csrf": token, "group": group_id},
        files={"file": ("clients.csv", CSV.encode(), "text/csv")},
    )
    assert preview.status_code == 200
    assert re.findall(r'<option value="([^"]+)" selected', preview.text) == [
        "phoneNumber", "firstname", "lastname", "-"
    ]  # fmt: skip
    assert "Bob" in preview.text  # the first rows are shown
    upload = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert upload
    started = web.client.post(
        "/import/start",
        data={
            "csrf": token, "group": group_id, "token": upload.group(1), "date_format": "auto",
            "column-0": "phoneNumber", "column-1": "firstname", "column-2": "-",
            "column-3": "custom1",
        },
        follow_redirects=False,
    )  # fmt: skip
    assert started.status_code == 303
    job_page = started.headers["location"]
    deadline = time.monotonic() + 60
    while "Report" not in (page := web.client.get(job_page).text):
        assert time.monotonic() < deadline, page
        time.sleep(0.2)
    assert 'aria-valuenow="100"' in page and 'role="progressbar"' in page
    assert re.search(r"<dt>Imported</dt><dd>2</dd>", page)
    assert re.search(r"<dt>Invalid phone number</dt><dd>1</dd>", page)
    rejects = web.client.get(job_page + "/rejects.csv")
    assert rejects.text.splitlines()[1].startswith("123;Bob;Ray;Lyon;3;9;")
    group_page = web.client.get(f"/groups/{group_id}").text
    assert "06 12 34 56 78" in group_page and "Paris" not in group_page  # custom1 not shown
    edit = re.search(r'href="(/contacts/[^"]+/edit)"', group_page)
    assert edit and 'value="Paris"' in web.client.get(edit.group(1)).text


def test_a_file_without_a_phone_column_is_refused_beside_the_file_field(web: Dashboard) -> None:
    group_id = _group(web)
    token = csrf_of(web.client.get("/import", params={"group": group_id}).text)
    answer = web.client.post(
        "/import",
        data={"csrf": token, "group": group_id},
        files={"file": ("x.csv", b"Name,Town\nAnn,Paris\n", "text/csv")},
    )
    assert answer.status_code == 400
    assert errors_of(answer.text) and "phone" in errors_of(answer.text)[0].lower()
