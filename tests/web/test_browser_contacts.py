"""In Chromium: a group's contacts (pages, search, add, edit, delete), the stop list, API keys."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from carnet.domain import batch, groups
from carnet.domain.records import ContactInput
from support.browser import Site, assert_accessible, screenshot, signed_in

EN = {
    "search": "Search", "add": "Add a contact", "phone": "Phone number", "first": "First name",
    "last": "Last name", "date": "Date", "custom1": "Custom 1", "submit": "Add contact",
    "next": "Next", "edit": "Edit", "save": "Save", "delete": "Delete", "import": "Import",
    "export": "Export CSV", "stopped": "Stop-listed", "stops": "Stop list",
    "add_number": "Add a number", "to_stop": "Add to the stop list", "remove": "Remove",
    "keys": "API keys", "new_key": "New key", "revoke": "Revoke", "groups": "Groups",
    "audit": "Audit trail",
}  # fmt: skip
FR = {
    "search": "Rechercher", "add": "Ajouter un contact", "phone": "Numéro de téléphone",
    "first": "Prénom", "last": "Nom", "date": "Date", "custom1": "Personnalisé 1",
    "submit": "Ajouter le contact", "next": "Suivante", "edit": "Modifier", "save": "Enregistrer",
    "delete": "Supprimer", "import": "Importer", "export": "Exporter en CSV",
    "stopped": "Sur la liste STOP", "stops": "Liste STOP", "add_number": "Ajouter un numéro",
    "to_stop": "Ajouter à la liste STOP", "remove": "Retirer", "keys": "Clés API",
    "new_key": "Nouvelle clé", "revoke": "Révoquer", "groups": "Groupes",
    "audit": "Journal d'audit",
}  # fmt: skip
WORDS = {"en": EN, "fr": FR}


def _seed(site: Site, page: Any, count: int) -> str:
    """A group of ``count`` contacts (06 12 34 56 00 …) in the signed-in person's account."""
    account_name = page.locator(".who").inner_text().split(" · ")[1]
    with site.store.read() as q:
        account = q.account_named(account_name)
    assert account is not None
    group = groups.add_group(site.store, account, "Market")
    rows = [
        ContactInput(phone=f"06123456{i:02d}", firstname=f"Name{i:02d}", lastname="Seed")
        for i in range(count)
    ]
    batch.add_batch(site.store, account, group.public_id, rows)
    return group.public_id


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_group_page_pages_searches_adds_edits_and_deletes(
    browser: Any, site: Site, language: str
) -> None:
    w = WORDS[language]
    page = signed_in(browser, site, language)
    group_id = _seed(site, page, 45)
    page.goto(f"/groups/{group_id}")
    body = page.get_by_role("table").get_by_role("row")
    expect(body).to_have_count(21)  # a header and 20 contacts
    expect(page.get_by_role("cell", name="06 12 34 56 00", exact=True)).to_be_visible()
    assert page.get_by_role("link", name=w["import"], exact=True).is_visible()
    export = page.get_by_role("link", name=w["export"])
    assert export.get_attribute("href") == f"/groups/{group_id}/export.csv"
    assert_accessible(page)
    screenshot(page, site, language, "group")
    page.get_by_role("link", name=w["next"]).click()
    page.wait_for_url("**page=2")
    expect(page.get_by_role("cell", name="Name20")).to_be_visible()

    page.get_by_label(w["search"]).fill("+33 6 12 34 56 44")
    page.get_by_label(w["search"]).press("Enter")
    expect(body).to_have_count(2)
    expect(page.get_by_role("cell", name="Name44")).to_be_visible()
    page.get_by_label(w["search"]).fill("name3")
    page.get_by_label(w["search"]).press("Enter")
    expect(body).to_have_count(11)  # Name30 … Name39

    form = page.get_by_role("form", name=w["add"])
    form.get_by_label(w["phone"], exact=True).fill("07 55 50 00 01")
    form.get_by_label(w["first"]).fill("Zoé")
    form.get_by_label(w["date"]).fill("2024-02-30")  # not a real date
    form.get_by_label(w["custom1"]).fill("VIP")
    form.get_by_role("button", name=w["submit"]).click()
    date_field = page.get_by_role("form", name=w["add"]).get_by_label(w["date"])
    expect(date_field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-date-error")).to_have_text("is not a real calendar date")
    form = page.get_by_role("form", name=w["add"])
    expect(form.get_by_label(w["first"])).to_have_value("Zoé")  # nothing typed is lost
    expect(form.get_by_label(w["custom1"])).to_have_value("VIP")
    assert_accessible(page)
    form.get_by_label(w["date"]).fill("2024-02-29")
    form.get_by_role("button", name=w["submit"]).click()
    page.wait_for_url("**added=1")
    page.get_by_label(w["search"]).fill("0755500001")
    page.get_by_label(w["search"]).press("Enter")
    expect(page.get_by_role("cell", name="Zoé")).to_be_visible()

    page.get_by_role("link", name=f"{w['edit']} 07 55 50 00 01").click()
    page.wait_for_url("**/edit")
    assert_accessible(page)
    page.get_by_label(w["last"], exact=True).fill("Martin")
    page.get_by_role("button", name=w["save"]).click()
    page.wait_for_url(f"**/groups/{group_id}")
    page.get_by_label(w["search"]).fill("mart")
    page.get_by_label(w["search"]).press("Enter")
    expect(page.get_by_role("cell", name="Martin")).to_be_visible()
    page.get_by_role("button", name=f"{w['delete']} 07 55 50 00 01").click()
    page.wait_for_url(f"**/groups/{group_id}")
    page.get_by_label(w["search"]).fill("0755500001")
    page.get_by_label(w["search"]).press("Enter")
    expect(body).to_have_count(0)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_stop_list_and_api_keys(browser: Any, site: Site, language: str) -> None:
    w = WORDS[language]
    page = signed_in(browser, site, language)
    group_id = _seed(site, page, 3)
    page.get_by_role("link", name=w["stops"], exact=True).click()
    form = page.get_by_role("form", name=w["add_number"])
    form.get_by_label(w["phone"]).fill("12")
    form.get_by_role("button", name=w["to_stop"]).click()
    expect(page.locator("#stop-phone-error")).to_have_text("not a valid phone number")
    form = page.get_by_role("form", name=w["add_number"])
    form.get_by_label(w["phone"]).fill("+33 6 12 34 56 01")
    form.get_by_role("button", name=w["to_stop"]).click()
    expect(page.get_by_role("cell", name="06 12 34 56 01", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(w["search"]).fill("0612345601")
    page.get_by_label(w["search"]).press("Enter")
    expect(page.get_by_role("cell", name="06 12 34 56 01", exact=True)).to_be_visible()
    page.goto(f"/groups/{group_id}")
    expect(page.get_by_text(w["stopped"])).to_have_count(1)  # that contact is marked
    page.goto("/stops")
    page.get_by_role("button", name=f"{w['remove']} 06 12 34 56 01").click()
    expect(page.get_by_role("cell", name="06 12 34 56 01", exact=True)).to_have_count(0)

    page.get_by_role("link", name=w["keys"], exact=True).click()
    page.get_by_role("button", name=w["new_key"]).click()
    key = page.locator("#new-key").inner_text()
    assert len(key) > 30
    assert_accessible(page)
    listed = page.request.get(f"{site.url}/v1/group/list", headers={"X-Api-Key": key})
    assert listed.ok and [g["name"] for g in listed.json()["groups"]] == ["Market"]
    page.goto("/keys")
    expect(page.locator("#new-key")).to_have_count(0)  # shown once
    revoke = page.get_by_role("button", name=f"{w['revoke']} {key[:6]}…")
    revoke.click()
    expect(revoke).to_have_count(0)
    refused = page.request.get(f"{site.url}/v1/group/list", headers={"X-Api-Key": key})
    assert refused.status == 401

    # The audit trail names the person who revoked the key, never the key.
    page.get_by_role("link", name=w["audit"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w["audit"])
    expect(page.get_by_role("cell", name="key.revoked", exact=True)).to_have_count(1)
    assert key not in page.content()
    assert_accessible(page)
