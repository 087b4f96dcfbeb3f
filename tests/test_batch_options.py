"""carnet's own options of a batch add: ``dryRun`` and ``keepInvalidOptional``, over HTTP on
both engines, and ``carnet import --dry-run`` / ``--keep-invalid-optional`` against a server."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from carnet import Client
from support.api import Api
from support.servers import BOOTSTRAP_KEY, Server, run_cli

# One row per bucket a batch may give, and two more to store.
ROWS: list[Any] = [
    {"phoneNumber": "0612345678", "firstname": "Ok"},
    {"phoneNumber": "0699999999"},  # on the stop list
    {"phoneNumber": "0633333333"},  # in the group already
    {"phoneNumber": "not a number", "date": "1990-02-30"},
    {"phoneNumber": "+33 6 12 34 56 78"},  # repeats the first row
    {"phoneNumber": "0611111111", "date": "1990-02-30"},
    {"phoneNumber": "0622222222", "firstname": "x" * 40, "url": "ftp://nope"},
    "not an object",
    {"phoneNumber": "0644444444"},
]


def _prepare(api: Api) -> str:
    group = api.group()
    assert api.post("/v1/stop-sms/add", phoneNumber="0699999999").status_code == 200
    assert api.add(group, phoneNumber="0633333333").status_code == 200
    return group


def _count(api: Api, group: str) -> int:
    listed = api.get("/v1/group/list").json()["groups"]
    return int(next(g["contactCount"] for g in listed if g["id"] == group))


def _shape(body: dict[str, Any]) -> list[tuple[bool, int, str]]:
    return [(r["success"], r["code"], r["phoneNumber"]) for r in body["results"]]


def test_a_dry_run_judges_every_row_as_the_batch_would_and_stores_nothing(api: Api) -> None:
    group = _prepare(api)
    dry = api.post("/v1/contact/add", groupId=group, contactsList=ROWS, dryRun=True)
    assert dry.status_code == 200, dry.text
    body = dry.json()
    assert body["dryRun"] is True
    assert all(r["contactId"] == "" for r in body["results"])
    assert _count(api, group) == 1  # only the contact added before

    real = api.post("/v1/contact/add", groupId=group, contactsList=ROWS).json()
    assert "dryRun" not in real
    assert _shape(body) == _shape(real)
    assert body["rapport"] == real["rapport"]
    assert real["rapport"]["nbline_imported"] == 2
    assert body["rapport"]["errors"]["stopSms"] == 1
    assert body["rapport"]["errors"]["allreadyInGroupe"] == 1
    assert body["rapport"]["errors"]["duplicatePhone"] == 1
    assert _count(api, group) == 3
    # Run again as a dry run: now the stored rows are in the group already.
    again = api.post("/v1/contact/add", groupId=group, contactsList=ROWS, dryRun=True).json()
    assert again["rapport"]["nbline_imported"] == 0
    # Both spellings of the first number, the one added before, and 0644444444.
    assert again["rapport"]["errors"]["allreadyInGroupe"] == 4


def test_dry_run_in_a_form_with_several_numbers(api: Api) -> None:
    group = _prepare(api)
    form = {"apiKey": api.key, "groupId": group, "contact[phoneNumber]": "0655555555,0699999999"}
    dry = api.client.post("/v1/contact/add", data={**form, "dryRun": "1"}).json()
    assert _shape(dry) == [(True, 200, "+33655555555"), (False, 14, "+33699999999")]
    assert _count(api, group) == 1
    stored = api.client.post("/v1/contact/add", data={**form, "dryRun": "0"}).json()
    assert stored["results"][0]["contactId"] != "" and _count(api, group) == 2


def test_options_of_the_wrong_form_or_without_a_batch_are_code_3(api: Api) -> None:
    group = api.group()
    bad = api.post("/v1/contact/add", groupId=group, contactsList=ROWS, dryRun="maybe")
    assert bad.status_code == 400 and bad.json()["code"] == 3
    assert "dryRun" in bad.text
    single = api.post("/v1/contact/add", groupId=group, contact=ROWS[0], dryRun=True)
    assert single.status_code == 400 and single.json()["code"] == 3
    assert _count(api, group) == 0
    unknown = api.post("/v1/contact/add", groupId="nope", contact=ROWS[0], dryRun="maybe")
    assert unknown.status_code == 404


def test_keep_invalid_optional_stores_the_row_without_the_bad_fields(api: Api) -> None:
    group = _prepare(api)
    answer = api.post(
        "/v1/contact/add", groupId=group, contactsList=ROWS, keepInvalidOptional=True
    ).json()
    results = answer["results"]
    rapport = answer["rapport"]
    # 0611111111 (bad date) and 0622222222 (long name, bad url) are kept, with warnings.
    assert results[5]["success"] and results[5]["code"] == 200
    assert results[5]["warnings"] == [
        {"elementId": "children[date].data", "message": results[5]["warnings"][0]["message"]}
    ]
    assert "calendar date" in results[5]["warnings"][0]["message"]
    assert [w["elementId"] for w in results[6]["warnings"]] == [
        "children[firstname].data",
        "children[url].data",
    ]
    assert "warnings" not in results[0]
    # The number decides first: a bad number stays refused whatever else is wrong.
    assert (results[3]["success"], results[3]["code"]) == (False, 9)
    assert rapport["nbline_imported"] == 4 and rapport["nbline_warnings"] == 2
    errors = rapport["errors"]
    assert (errors["dateInvalide"], errors["invalidField"], errors["urlInvalide"]) == (0, 0, 0)
    assert (
        rapport["nbline"]
        == 4
        + errors["stopSms"]
        + errors["allreadyInGroupe"]
        + errors["duplicatePhone"]
        + errors["invalidePhone"]
        + errors["empty"]
    )
    detail = api.get("/v1/contact/detail", contactId=results[6]["contactId"]).json()["contact"]
    assert (detail["phone"], detail["firstname"], detail["url"]) == ("+33622222222", "", "")


def test_keep_invalid_optional_in_a_dry_run(api: Api) -> None:
    group = _prepare(api)
    params = {"dryRun": 1, "keepInvalidOptional": 1}
    answer = api.post("/v1/contact/add", groupId=group, contactsList=ROWS, **params).json()
    assert answer["rapport"]["nbline_warnings"] == 2
    assert answer["results"][5]["warnings"] and answer["results"][5]["contactId"] == ""
    assert _count(api, group) == 1


# -- the command line ------------------------------------------------------------------

FILE = [
    "Téléphone;Prénom;Date",
    "0612345678;Zoé;14/07/1985",
    "0612345679;Jean;31/02/1991",
    "0699999999;Stop;",
    "0612345678;Again;",
]


def _env(server: Server) -> dict[str, str]:
    return {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}


def test_carnet_import_dry_run_then_keep_invalid_optional(server: Server, tmp_path: Path) -> None:
    with Client(BOOTSTRAP_KEY, server.url) as client:
        group = client.add_group("Import").id
        client.add_stop("0699999999")
    path = tmp_path / "clients.csv"
    # 501 rows: the repeat of the first number falls in the next batch of 500.
    lines = FILE[:3] + [f"0620{i:06d};Filler;" for i in range(497)] + FILE[3:]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = _env(server)

    dry = run_cli("import", str(path), "-g", group, "--dry-run", "--json", "--silent", env=env)
    assert dry.returncode == 0, dry.stderr
    report = json.loads(dry.stdout)
    assert report["dryRun"] is True
    assert (report["rows"], report["imported"], report["refused"]) == (501, 498, 3)
    assert report["errors"] == {"dateInvalide": 1, "stopSms": 1, "allreadyInGroupe": 1}
    with Client(BOOTSTRAP_KEY, server.url) as client:
        assert client.list_contacts(group).total == 0

    rejects = tmp_path / "refused.csv"
    real = run_cli(
        "import", str(path), "-g", group, "--keep-invalid-optional", "--rejects", str(rejects),
        "--silent", env=env,
    )  # fmt: skip
    assert real.returncode == 0, real.stderr
    assert "  499 imported" in real.stdout.splitlines()
    assert "    1 of them without an invalid optional field (warnings)" in real.stdout
    warnings = tmp_path / "refused-warnings.csv"
    assert f"Rows imported without a field written to {warnings}" in real.stdout
    with warnings.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert rows[0] == [
        "Téléphone",
        "Prénom",
        "Date",
        "carnet_line",
        "carnet_field",
        "carnet_reason",
    ]
    assert rows[1][:5] == ["0612345679", "Jean", "31/02/1991", "3", "date"]
    assert len(rows) == 2
    with Client(BOOTSTRAP_KEY, server.url) as client:
        jean = next(c for c in client.iter_contacts(group) if c.firstname == "Jean")
    assert jean.date == ""
