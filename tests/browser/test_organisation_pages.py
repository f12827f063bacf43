"""The organisation pages in a real browser (Chromium via Playwright), with axe-core on every page.

A person registers a municipality from the registry (on the loopback registry server) by
keyboard, and an administrator's, a newcomer's and grantor staff's pages are checked, with their
error states: no serious or critical accessibility violation.

Each person's pages open in a browser context of their own (own cookies) of the shared Chromium.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from tests.browser.conftest import assert_accessible
from tests.orgs.conftest import ACCOUNT, MUNICIPALITY, NOT_FOUND, SLOW, details, login_staff, make_user
from tests.orgs.conftest import people, registry  # noqa: F401 (fixtures)
from tilskudd.orgs import services
from tilskudd.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(new_page, live_server):
    """The live server, and the shared Chromium to open logged-in pages with (``in_browser``)."""
    live_server.new_page = new_page
    return live_server


def session_cookie(user, staff: bool = False) -> str:
    """A logged-in session for ``user`` (the login pages are tested with the accounts)."""
    client = Client()
    if staff:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client.cookies["sessionid"].value


def in_browser(server, cookie: str, steps) -> None:
    """Run ``steps(page)`` in a fresh browser context logged in with ``cookie``."""
    page = server.new_page()
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": server.url}])
    steps(page)


def visit(page, path: str, status: int = 200):
    response = page.goto(path)
    assert response is not None and response.status == status, (path, response and response.status)
    assert_accessible(page)
    return page


def submit(page) -> None:
    with page.expect_navigation():
        page.locator("main form.tilskudd-org-form button[type=submit]").first.click()


def test_registering_a_municipality_by_keyboard(server, registry):
    kari = make_user("kari@example.no", "Kari Nordmann")

    def steps(page):
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

    in_browser(server, session_cookie(kari), steps)
    organisation = Organisation.objects.get(org_number=MUNICIPALITY)
    assert organisation.bank_account == ACCOUNT and organisation.registry_verified


def test_typing_the_data_when_the_registry_is_slow(server, registry):
    def steps(page):
        visit(page, f"/organisasjoner/ny/{SLOW}/")
        assert page.get_by_text("Vi fikk ikke kontakt med Enhetsregisteret akkurat nå.").is_visible()
        submit(page)
        assert page.get_by_role("link", name="Skriv navnet på organisasjonen.").is_visible()
        assert_accessible(page)

    in_browser(server, session_cookie(make_user("kari@example.no", "Kari Nordmann")), steps)


def test_the_administrators_pages(server, people, registry):
    kari, organisation = people["kari"], people["organisation"]
    lise = make_user("lise@example.no", "Lise Lund")
    services.request_membership(lise, organisation, title="Rådgiver", message="Hei")
    invitation = services.invite(kari, organisation, "ny@example.no")
    services.grant_delegation(
        kari, organisation, delegate_membership_id=people["ola_membership"].pk, valid_until=timezone.localdate()
    )
    base = f"/organisasjoner/{organisation.pk}"
    ola_page = f"{base}/personer/{people['ola_membership'].pk}/"

    def steps(page):
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
        visit(page, ola_page)
        visit(page, f"{base}/fullmakter/")
        with page.expect_navigation():
            page.get_by_role("button", name="Gi fullmakt").click()
        assert page.get_by_role("link", name="Velg personen som skal få fullmakt.").is_visible()
        assert_accessible(page)
        visit(page, f"/organisasjoner/invitasjon/{invitation.token}/")

    in_browser(server, session_cookie(kari), steps)


def test_a_newcomers_and_grantor_staffs_pages(server, people, registry):
    newcomer = make_user("ny@example.no", "Ny Person")
    own = people["organisation"].pk

    def as_newcomer(page):
        visit(page, f"/organisasjoner/bli-med/{NOT_FOUND}/")
        page.get_by_label("Stillingen din i organisasjonen").fill("Kasserer")
        with page.expect_navigation():
            page.get_by_role("button", name="Be om tilgang").click()
        assert page.get_by_text("Forespørselen er sendt til administratorene").is_visible()
        assert_accessible(page)
        visit(page, f"/organisasjoner/{own}/", status=404)

    in_browser(server, session_cookie(newcomer), as_newcomer)

    services.register_organisation(newcomer, MUNICIPALITY, details(name="Prøvestad"), title="rådmann")

    def as_staff(page):
        visit(page, "/saksbehandling/bekreftelser/")
        with page.expect_navigation():
            page.get_by_role("button", name="Bekreft Ny Person").click()
        assert page.get_by_text("Ingen venter på bekreftelse.").is_visible()
        assert_accessible(page)

    in_browser(server, session_cookie(people["staff"], staff=True), as_staff)
    assert Membership.objects.get(user=newcomer, organisation__org_number=MUNICIPALITY).is_confirmed
