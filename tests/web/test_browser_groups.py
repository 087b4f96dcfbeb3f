"""In Chromium: signing in, the navigation, the language switch, and the groups page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from support.browser import Site, assert_accessible, screenshot, signed_in
from support.web import PASSWORD

EN = {
    "email": "Email", "password": "Password", "sign_in": "Sign in", "groups": "Groups",
    "stops": "Stop list", "keys": "API keys", "sign_out": "Sign out", "name": "Group name",
    "create": "Create group", "rename": "Rename", "delete": "Delete",
    "wrong": "Wrong email or password.", "confirm": "Delete the group and its contacts",
    "consequence": "and its 0 contacts will be deleted",
}  # fmt: skip
FR = {
    "email": "E-mail", "password": "Mot de passe", "sign_in": "Se connecter", "groups": "Groupes",
    "stops": "Liste STOP", "keys": "Clés API", "sign_out": "Se déconnecter",
    "name": "Nom du groupe", "create": "Créer le groupe", "rename": "Renommer",
    "delete": "Supprimer", "wrong": "E-mail ou mot de passe incorrect.",
    "confirm": "Supprimer le groupe et ses contacts", "consequence": "et ses 0 contacts seront",
}  # fmt: skip
WORDS = {"en": EN, "fr": FR}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sign_in_navigate_and_manage_groups(browser: Any, site: Site, language: str) -> None:
    w = WORDS[language]
    context = browser.new_context(base_url=site.url, locale="fr-FR" if language == "fr" else "en")
    page = context.new_page()
    email = site.person()
    page.goto("/groups")  # signed out: sent to sign in
    assert page.url.endswith("/signin")
    assert_accessible(page)
    page.get_by_label(w["email"]).fill(email)
    page.get_by_label(w["password"]).fill("not the password")
    page.get_by_role("button", name=w["sign_in"]).click()
    expect(page.get_by_role("alert")).to_have_text(w["wrong"])
    page.get_by_label(w["password"]).fill(PASSWORD)
    page.get_by_role("button", name=w["sign_in"]).click()
    page.wait_for_url("**/groups")
    expect(page.get_by_role("heading", level=1)).to_have_text(w["groups"])
    for link in ("groups", "stops", "keys", "sign_out"):
        assert page.get_by_role("link", name=w[link], exact=True).is_visible()

    page.get_by_label(w["name"]).fill("Clients du marché")
    page.get_by_role("button", name=w["create"]).click()
    page.get_by_label(w["name"]).fill("Adhérents")
    page.keyboard.press("Enter")  # the keyboard is enough
    expect(page.get_by_role("row")).to_have_count(3)  # the header and two groups
    expect(page.get_by_role("link", name="Clients du marché", exact=True)).to_be_visible()
    assert_accessible(page)
    screenshot(page, site, language, "groups")

    page.get_by_role("link", name=f"{w['rename']} Adhérents").click()
    page.get_by_label(w["name"]).fill("Membres")
    page.get_by_role("button", name=w["rename"]).click()
    expect(page.get_by_role("link", name="Membres", exact=True)).to_be_visible()

    page.get_by_role("link", name=f"{w['delete']} Membres").click()
    expect(page.get_by_role("main")).to_contain_text(w["consequence"])
    assert_accessible(page)
    page.get_by_role("button", name=w["confirm"]).click()
    page.wait_for_url("**/groups")
    expect(page.get_by_role("link", name="Membres", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Clients du marché", exact=True)).to_be_visible()

    page.get_by_role("link", name=w["sign_out"]).click()
    page.wait_for_url("**/signin")
    page.goto("/groups")
    expect(page).to_have_url(site.url + "/signin")
    context.close()


def test_the_language_switch_is_remembered_in_the_session(browser: Any, site: Site) -> None:
    page = signed_in(browser, site, "en")
    heading = page.get_by_role("heading", level=1)
    page.get_by_role("link", name="Français").click()
    expect(heading).to_have_text("Groupes")
    page.get_by_role("link", name="Liste STOP").click()
    expect(heading).to_have_text("Liste STOP")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="English").click()
    expect(heading).to_have_text("Stop list")
    page.context.close()


def test_accounts_are_kept_apart_and_forms_need_their_token(browser: Any, site: Site) -> None:
    first = signed_in(browser, site)
    first.get_by_label("Group name").fill("Private list")
    first.get_by_role("button", name="Create group").click()
    first.get_by_role("link", name="Private list", exact=True).click()
    expect(first.get_by_role("heading", level=1)).to_have_text("Private list")
    private_url = first.url
    second = signed_in(browser, site)
    assert second.get_by_role("link", name="Private list", exact=True).count() == 0
    second.goto(private_url)
    expect(second.get_by_role("heading", level=1)).to_have_text("Not found")
    # A form posted without the page's token (as another site would) changes nothing.
    forged = second.request.post(site.url + "/groups", form={"name": "Forged", "csrf": "x" * 43})
    assert forged.status == 403
    second.goto("/groups")
    assert second.get_by_role("link", name="Forged", exact=True).count() == 0
    first.context.close()
    second.context.close()
