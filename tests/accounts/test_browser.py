"""The account pages in a real browser (Chromium through Playwright), checked with axe-core.

Uses the browser fixtures of ``tests/browser``; skipped when those or Chromium are not there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

browser_fixtures = pytest.importorskip("tests.browser.conftest")
if not Path(browser_fixtures.CHROMIUM).exists():
    pytest.skip(f"Chromium not found at {browser_fixtures.CHROMIUM}", allow_module_level=True)

from tests.accounts.helpers import PASSWORD, code  # noqa: E402
from tests.browser.conftest import assert_accessible, browser, page, plain_http  # noqa: E402, F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_turn_on_two_factor_and_log_in_again_by_keyboard_and_mouse(page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto("/konto/registrer/")
    assert_accessible(page)
    page.get_by_role("button", name="Lag konto").click()
    # The error summary takes the focus, so a screen reader reads it first.
    assert page.evaluate("document.activeElement.className") == "ds-error-summary"
    assert_accessible(page)
    page.get_by_role("link", name="Skriv navnet ditt.").click()
    assert page.evaluate("document.activeElement.id") == "id_full_name"

    page.get_by_label("Fullt navn").fill("Kari Nordmann")
    page.get_by_label("E-post").fill("kari@example.no")
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_label("Gjenta passordet").fill(PASSWORD)
    page.get_by_role("button", name="Lag konto").click()

    page.goto("/konto/sikkerhet/")
    assert_accessible(page)
    page.get_by_role("link", name="Slå på tofaktorinnlogging").click()
    assert_accessible(page)
    assert page.get_by_role("img", name="QR-kode for autentiseringsappen.", exact=False).is_visible()
    device = TOTPDevice.objects.get()
    page.get_by_label("Kode", exact=True).fill(code(device))
    page.get_by_role("button", name="Slå på").click()
    assert page.get_by_text("Tofaktorinnlogging er slått på.").is_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Konto").get_by_role("button", name="Logg ut").click()
    page.goto("/konto/logg-inn/")
    page.get_by_label("E-post").fill("kari@example.no")
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/konto/logg-inn/kode/")
    assert_accessible(page)
    page.get_by_label("Kode", exact=True).fill(code(device, steps_ahead=1))
    page.get_by_role("button", name="Fortsett").click()
    page.wait_for_url("**/min-side/")
    assert page.get_by_role("navigation", name="Konto").get_by_text("Kari Nordmann").is_visible()


def test_the_lockout_and_password_reset_pages(page):
    page.goto("/konto/logg-inn/")
    for _ in range(5):
        page.get_by_label("E-post").fill("noen@example.no")
        page.get_by_label("Passord", exact=True).fill("feil-passord-her")
        page.get_by_role("main").get_by_role("button", name="Logg inn").click()
    assert page.get_by_role("alert").get_by_text("Innloggingen er stengt en kort stund").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="lage et nytt passord").click()
    assert_accessible(page)
    page.get_by_label("E-post").fill("noen@example.no")
    page.get_by_role("button", name="Send lenke").click()
    assert page.get_by_role("heading", name="Sjekk e-posten din").is_visible()
    assert_accessible(page)
