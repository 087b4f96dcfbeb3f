"""In Chromium: importing a file from the group page, followed live to its report."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from carnet.domain import groups
from support.browser import Site, assert_accessible, screenshot, signed_in

EN = {
    "import": "Import", "file": "File", "preview": "Preview", "start": "Start import",
    "download": "Download refused rows", "imported": "Imported", "invalid": "Invalid phone number",
    "progress": "Import progress", "first": "Field for the column “Prénom”",
}  # fmt: skip
FR = {
    "import": "Importer", "file": "Fichier", "preview": "Aperçu", "start": "Lancer l'import",
    "download": "Télécharger les lignes refusées", "imported": "Importées",
    "invalid": "Numéro invalide", "progress": "Avancement de l'import",
    "first": "Champ de la colonne « Prénom »",
}  # fmt: skip
WORDS = {"en": EN, "fr": FR}


def _csv(rows: int, bad_every: int) -> bytes:
    """A semicolon CSV of ``rows`` contacts, one in ``bad_every`` with a number too short."""
    lines = ["Portable;Prénom;Nom;Ville"]
    for i in range(rows):
        phone = "12" if i % bad_every == bad_every - 1 else f"06{i:08d}"
        lines.append(f"{phone};Prénom{i};Nom{i};Ville{i % 7}")
    return ("\n".join(lines) + "\n").encode()


def _group(site: Site, page: Any) -> str:
    account_name = page.locator(".who").inner_text().split(" · ")[1]
    with site.store.read() as q:
        account = q.account_named(account_name)
    assert account is not None
    return groups.add_group(site.store, account, "Imported").public_id


@pytest.mark.parametrize(("language", "rows"), [("en", 20_000), ("fr", 200)])
def test_an_import_is_previewed_started_and_followed_to_its_report(
    browser: Any, site: Site, language: str, rows: int
) -> None:
    w = WORDS[language]
    page = signed_in(browser, site, language)
    group_id = _group(site, page)
    page.goto(f"/groups/{group_id}")
    page.get_by_role("link", name=w["import"], exact=True).click()
    assert_accessible(page)
    page.get_by_label(w["file"]).set_input_files(
        {"name": "clients.csv", "mimeType": "text/csv", "buffer": _csv(rows, 100)}
    )
    page.get_by_role("button", name=w["preview"]).click()
    column = page.get_by_label(w["first"])
    expect(column).to_have_value("firstname")  # detected from the header
    expect(page.get_by_role("cell", name="Prénom3", exact=True)).to_be_visible()  # the first rows
    assert_accessible(page)
    screenshot(page, site, language, "import-preview")
    page.get_by_label("Field for the column “Ville”" if language == "en" else
                      "Champ de la colonne « Ville »").select_option("custom1")  # fmt: skip
    page.get_by_role("button", name=w["start"]).click()

    progress = page.get_by_role("progressbar", name=w["progress"])
    expect(progress).to_be_visible()
    page.reload()  # the page follows the job, not the browser
    expect(page.get_by_role("link", name=w["download"])).to_be_visible(timeout=300_000)
    expect(progress).to_have_attribute("aria-valuenow", "100")
    report = page.locator("dl.report").inner_text()
    refused = rows // 100
    assert re.search(rf"{w['imported']}\s+{_number(rows - refused, language)}\n", report)
    assert re.search(rf"{w['invalid']}\s+{_number(refused, language)}\n", report)
    assert_accessible(page)
    screenshot(page, site, language, "import")
    with page.expect_download() as download:
        page.get_by_role("link", name=w["download"]).click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + refused and lines[1].startswith("12;Prénom99;Nom99;")

    page.goto(f"/groups/{group_id}?q=0600000005")
    expect(page.get_by_role("cell", name="Prénom5", exact=True)).to_be_visible()


def _number(value: int, language: str) -> str:
    """How the page writes a count: 19,800 in English, 19 800 in French (a narrow space)."""
    text = f"{value:,}"
    return text.replace(",", "\u202f") if language == "fr" else text
