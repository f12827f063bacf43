"""The organisation pages in a real browser (Chromium via Playwright), with axe-core on every page.

A person registers a municipality from the registry (on the loopback registry server) by
keyboard, and an administrator's, a newcomer's and grantor staff's pages are checked, with their
error states: no serious or critical accessibility violation.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import CHROMIUM, assert_accessible, browser, page, plain_http  # noqa: F401
from tests.orgs.conftest import ACCOUNT, MUNICIPALITY, NOT_FOUND, SLOW, details, login_staff, make_user
from tilskudd.orgs import services
from tilskudd.orgs.models import Membership, Organisation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not found at {CHROMIUM}"),
]


def log_in(page, live_server, user, staff: bool = False) -> None:
    """Give the browser a logged-in session (the login pages are tested with the accounts)."""
    client = Client()
    if staff:
        login_staff(client, user)
    else:
        client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def visit(page, path: str, status: int = 200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert_accessible(page)
    return page


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form.tilskudd-org-form button[type=submit]").first.click()


def test_registering_a_municipality_by_keyboard(page, live_server, registry):
    kari = make_user("kari@example.no", "Kari Nordmann")
    log_in(page, live_server, kari)

    visit(page, "/organisasjoner/ny/")
    page.get_by_label("Organisasjonsnummer").fill("210 000 004")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_role("link", name="Organisasjonsnummeret er ikke gyldig. Sjekk sifrene.").is_visible()
    assert_accessible(page)

    page.get_by_label("Organisasjonsnummer").fill("210 000 003")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Vi fant organisasjonen i Enhetsregisteret.").is_visible()
    assert_accessible(page)

    submit(page)  # nothing filled in: the errors are listed and tied to their fields
    assert page.get_by_role("link", name="Skriv kontonummeret.").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Skriv kontonummeret.").click()
    assert page.evaluate("document.activeElement.id") == "id_bank_account"  # the link takes the keyboard there

    page.get_by_label("Kontonummer").fill("1234.56.78903")
    page.get_by_label("E-post til organisasjonen").fill("postmottak@provestad.example")
    page.get_by_label("Stillingen din i organisasjonen").select_option(label="Kommunedirektør")
    submit(page)

    assert page.get_by_role("heading", name="PRØVESTAD KOMMUNE", level=1).is_visible()
    assert page.get_by_text("Bekreftet mot Enhetsregisteret").first.is_visible()
    assert_accessible(page)
    organisation = Organisation.objects.get(org_number=MUNICIPALITY)
    assert organisation.bank_account == ACCOUNT and organisation.registry_verified


def test_typing_the_data_when_the_registry_is_slow(page, live_server, registry):
    log_in(page, live_server, make_user("kari@example.no", "Kari Nordmann"))
    visit(page, f"/organisasjoner/ny/{SLOW}/")
    assert page.get_by_text("Vi fikk ikke kontakt med Enhetsregisteret akkurat nå.").is_visible()
    submit(page)
    assert page.get_by_role("link", name="Skriv navnet på organisasjonen.").is_visible()
    assert_accessible(page)


def test_the_administrators_pages(page, live_server, people, registry):
    kari, organisation = people["kari"], people["organisation"]
    lise = make_user("lise@example.no", "Lise Lund")
    services.request_membership(lise, organisation, title="Rådgiver", message="Hei")
    invitation = services.invite(kari, organisation, "ny@example.no")
    services.grant_delegation(
        kari, organisation, delegate_membership_id=people["ola_membership"].pk, valid_until=timezone.localdate()
    )
    log_in(page, live_server, kari)
    base = f"/organisasjoner/{organisation.pk}"

    visit(page, "/organisasjoner/")
    visit(page, f"{base}/")
    assert page.get_by_role("button", name="Oppdater fra Enhetsregisteret").is_visible()
    visit(page, f"{base}/endre/")
    page.get_by_label("Kontonummer").fill("1")
    submit(page)
    assert page.get_by_role("link", name="Kontonummeret har 11 siffer.").is_visible()
    assert_accessible(page)

    visit(page, f"{base}/personer/")
    assert page.get_by_role("heading", name="Lise Lund (lise@example.no)").is_visible()
    visit(page, f"{base}/personer/{people['ola_membership'].pk}/")
    visit(page, f"{base}/fullmakter/")
    with page.expect_navigation():
        page.get_by_role("button", name="Gi fullmakt").click()
    assert page.get_by_role("link", name="Velg personen som skal få fullmakt.").is_visible()
    assert_accessible(page)
    visit(page, f"/organisasjoner/invitasjon/{invitation.token}/")


def test_a_newcomers_and_grantor_staffs_pages(page, live_server, people, registry):
    newcomer = make_user("ny@example.no", "Ny Person")
    log_in(page, live_server, newcomer)
    visit(page, f"/organisasjoner/bli-med/{NOT_FOUND}/")
    page.get_by_label("Stillingen din i organisasjonen").fill("Kasserer")
    with page.expect_navigation():
        page.get_by_role("button", name="Be om tilgang").click()
    assert page.get_by_text("Forespørselen er sendt til administratorene").is_visible()
    assert_accessible(page)
    visit(page, f"/organisasjoner/{people['organisation'].pk}/", status=404)

    services.register_organisation(newcomer, MUNICIPALITY, details(name="Prøvestad"), title="rådmann")
    log_in(page, live_server, people["staff"], staff=True)
    visit(page, "/saksbehandling/bekreftelser/")
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft Ny Person").click()
    assert page.get_by_text("Ingen venter på bekreftelse.").is_visible()
    assert_accessible(page)
    assert Membership.objects.get(user=newcomer, organisation__org_number=MUNICIPALITY).is_confirmed
