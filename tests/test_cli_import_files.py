"""`carnet import` of the files people really have, run as a user runs it, against
`carnet serve`: a French Windows-1252 export, an Excel workbook, a legacy .xls, a
re-run, and files written for Excel."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from pathlib import Path

from carnet import Client
from support.cli import assert_one_error_line
from support.files import (
    FRENCH_DATES,
    FRENCH_LINES,
    WORKBOOK_ROWS,
    write_french_export,
    write_french_workbook,
    write_workbook,
)
from support.servers import BOOTSTRAP_KEY, CARNET, Server, run_cli, start_server


def env_for(server: Server) -> dict[str, str]:
    return {"CARNET_URL": server.url, "CARNET_API_KEY": BOOTSTRAP_KEY}


def new_group(server: Server, name: str = "Clients") -> str:
    with Client(BOOTSTRAP_KEY, server.url) as client:
        return client.add_group(name).id


def phones(server: Server, group: str) -> dict[str, str]:
    with Client(BOOTSTRAP_KEY, server.url) as client:
        return {c.phone: c.date or "" for c in client.iter_contacts(group)}


def test_a_french_export_in_windows_1252(server: Server, tmp_path: Path) -> None:
    group = new_group(server)
    rejects = tmp_path / "refus.csv"
    done = run_cli(
        "import", str(write_french_export(tmp_path)), "-g", group, "--rejects", str(rejects),
        env=env_for(server),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Which column feeds which field, said before the import starts.
    before = done.stderr.split("Importing clients.csv")[0].splitlines()
    assert before == [
        "Columns used: N° de téléphone -> phoneNumber, Prénom -> firstname, Nom -> lastname, "
        "Date naissance -> date",
        "Columns ignored: Société",
        "Dates read day first (14/07/1985)",
    ]
    assert done.stdout.splitlines()[:4] == [
        "clients.csv: 6 row(s) read (Windows-1252, delimiter ';')",
        "  5 imported",
        "  1 refused",
        "    1 invalid date (dateInvalide)",
    ]
    assert done.stdout.splitlines()[-1] == f"Refused rows written to {rejects}"
    assert phones(server, group) == FRENCH_DATES
    # The refused rows come back as the file came: Windows-1252, ';', CRLF.
    raw = rejects.read_bytes()
    assert b"Hugo" in raw and "é".encode("cp1252") in raw
    refused = list(csv.reader(io.StringIO(raw.decode("cp1252"), newline=""), delimiter=";"))
    assert refused[0] == [
        *FRENCH_LINES[0].split(";"),
        "carnet_line",
        "carnet_code",
        "carnet_reason",
    ]
    assert refused[1][:7] == [*FRENCH_LINES[4].split(";"), "5", "16"]


def test_an_excel_workbook_with_map_sheet_and_excel_rejects(server: Server, tmp_path: Path) -> None:
    group = new_group(server)
    rejects = tmp_path / "refused.csv"
    book = write_french_workbook(tmp_path)
    done = run_cli(
        "import", str(book), "-g", group, "--rejects", str(rejects), "--excel", "--json",
        "--map", "Notes=custom1", env=env_for(server),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["format"], report["sheet"], report["rows"]) == ("xlsx", "Clients", 5)
    assert (report["imported"], report["errors"]) == (3, {"invalidePhone": 1, "dateInvalide": 1})
    assert report["columns"]["Notes"] == "custom1"
    assert report["rejectsFile"] == str(rejects)
    assert "Sheet read: Clients" in done.stderr
    # Progress of a workbook goes by the rows of its sheet.
    assert f"Importing clients.xlsx: 100% ({len(WORKBOOK_ROWS)} of" in done.stderr
    assert phones(server, group) == {
        "+33612345678": "1985-07-14",
        "+33612345679": "1990-01-01",
        "+33612345680": "1985-07-14",
    }
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["06 12 34 56 81", "not a number"]

    # The second sheet, whose phone column has a name carnet does not know.
    other = write_workbook(
        tmp_path, {"Vide": [["x"]], "Contacts": [["Joignable au", "Nom"], ["0611111111", "A"]]},
        "other.xlsx",
    )  # fmt: skip
    refused = run_cli("import", str(other), "-g", group, "--sheet", "Contacts", env=env_for(server))
    assert_one_error_line(refused, "no phone number column", "--phone-column NAME")
    chosen = run_cli(
        "import", str(other), "-g", group, "--sheet", "Contacts", "--phone-column", "Joignable au",
        "--silent", env=env_for(server),
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr
    assert "other.xlsx: 1 row(s) read (sheet 'Contacts')" in chosen.stdout
    assert "+33611111111" in phones(server, group)


def test_files_it_cannot_read_say_so_in_one_line(server: Server, tmp_path: Path) -> None:
    group = new_group(server)
    legacy = tmp_path / "clients.xls"
    legacy.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert_one_error_line(
        run_cli("import", str(legacy), "-g", group, env=env_for(server)),
        "clients.xls is a legacy Excel workbook (.xls)",
        "save it as .xlsx or CSV",
    )
    csv_file = write_french_export(tmp_path)
    for args, needle in [
        (("--map", "Portable"), 'write it "Column=field"'),
        (("--map", "Prénom=phone_no"), "'phone_no' is not a field"),
        (("--map", "GSM=phone"), "no column 'GSM' in the header"),
        (("--date-format", "european"), "--date-format 'european'"),
        (("--sheet", "Feuil1"), "no sheet 'Feuil1'"),
    ]:
        target = write_french_workbook(tmp_path) if args[0] == "--sheet" else csv_file
        assert_one_error_line(
            run_cli("import", str(target), "-g", group, *args, env=env_for(server)), needle
        )
    assert phones(server, group) == {}  # nothing was sent


def test_a_rerun_skips_what_is_there_and_says_where_refused_rows_go(
    server: Server, tmp_path: Path
) -> None:
    group = new_group(server)
    path = write_french_export(tmp_path)
    first = run_cli("import", str(path), "-g", group, "--silent", env=env_for(server))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[-1] == (
        "To get the refused rows with the reason for each, run the same command again "
        "with --rejects FILE --skip-existing"
    )
    rejects = tmp_path / "refus.csv"
    again = run_cli(
        "import", str(path), "-g", group, "--rejects", str(rejects), "--skip-existing", "--silent",
        env=env_for(server),
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[:5] == [
        "clients.csv: 6 row(s) read (Windows-1252, delimiter ';')",
        "  0 imported",
        "  5 skipped, already in the group",
        "  1 refused",
        "    1 invalid date (dateInvalide)",
    ]
    refused = rejects.read_bytes().decode("cp1252").splitlines()
    assert len(refused) == 2 and refused[1].startswith("06 12 34 56 81;Hugo;")
    # Without --skip-existing, the numbers already there are refused.
    plain = run_cli("import", str(path), "-g", group, "--json", "--silent", env=env_for(server))
    assert json.loads(plain.stdout)["errors"] == {"dateInvalide": 1, "allreadyInGroupe": 5}


def test_export_for_excel(server: Server, tmp_path: Path) -> None:
    group = new_group(server)
    with Client(BOOTSTRAP_KEY, server.url) as client:
        client.add_contacts(group, [{"phoneNumber": "0612345678", "firstname": "Zoé"}])
    out = tmp_path / "pour-excel.csv"
    done = run_cli("export", "-g", group, "--excel", "-o", str(out), env=env_for(server))
    assert done.returncode == 0, done.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["id", "phone", "firstname"]
    assert rows[1][1:3] == ["+33612345678", "Zoé"]
    on_stdout = run_cli("export", "-g", group, "--excel", "--silent", env=env_for(server))
    # The same, BOM included (run_cli reads text, so CRLF arrives as LF).
    assert on_stdout.stdout == raw.decode("utf-8").replace("\r\n", "\n")


def test_an_import_cut_short_is_finished_by_running_it_again(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = 20_000
    with path.open("w") as out:
        out.write("Portable;Prénom\n")
        for i in range(rows):
            out.write(f"+3361{i:07d};P{i}\n")
    env = {"CARNET_BOOTSTRAP_API_KEY": BOOTSTRAP_KEY}
    server = start_server(db_url, tmp_path, env=env)
    group = new_group(server)
    command = [*CARNET, "import", str(path), "-g", group, "--concurrency", "1"]
    cli = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, **env_for(server)},
    )  # fmt: skip
    try:
        assert cli.stderr is not None
        for line in cli.stderr:
            if line.startswith("Importing big.csv: "):  # the first tenth is done
                break
        server.kill()  # the server goes away in the middle
        out, err = cli.communicate(timeout=120)
    finally:
        server.kill()
        if cli.poll() is None:
            cli.kill()
    assert cli.returncode == 1
    assert "What was imported stays: run the same command again with --skip-existing" in err
    assert "error: cannot reach the carnet server" in err

    server = start_server(db_url, tmp_path, env=env)
    try:
        again = run_cli("import", str(path), "-g", group, "--skip-existing", "--json",
                        env=env_for(server))  # fmt: skip
        assert again.returncode == 0, again.stderr
        report = json.loads(again.stdout)
        assert report["rows"] == rows
        assert report["refused"] == 0
        assert 0 < report["skipped"] < rows
        assert report["imported"] + report["skipped"] == rows
        with Client(BOOTSTRAP_KEY, server.url) as client:
            assert int(client.list_contacts(group).total) == rows
    finally:
        server.stop()
