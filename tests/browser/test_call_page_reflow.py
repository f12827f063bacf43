"""The call pages at 320 CSS pixels (WCAG 1.4.10 Reflow, issue #13 point 3): no sideways scrolling of the
page, with every section opened, tables included (a table that cannot fit scrolls inside its own box);
«Kort om tilskuddet» comes first, the sections open and close from the keyboard, and axe-core passes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.applications.conftest import calls_loaded, draft, municipality  # noqa: F401 - fixtures
from tests.browser.conftest import assert_accessible
from tests.builders import load_calls
from tests.conftest import CALLS_DIR
from tilskudd.calls.services import call_files_in

pytestmark = pytest.mark.django_db(transaction=True)

SLUGS = sorted(path.stem for path in CALLS_DIR.glob("*.yaml"))
PAGE_WIDTH = "document.documentElement.scrollWidth"


@pytest.fixture
def calls():
    load_calls(call_files_in(CALLS_DIR))  # each file read and validated once per session (tests/builders.py)


@pytest.fixture
def narrow(new_page):
    page = new_page()
    page.set_viewport_size({"width": 320, "height": 640})
    return page


def _open_every_section(page) -> int:
    return page.evaluate(
        "() => { const all = document.querySelectorAll('details'); all.forEach(d => d.open = true); return all.length; }"
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_the_call_page_reflows_at_320_px_with_every_section_open(calls, narrow, slug):
    page = narrow
    response = page.goto(f"/utlysninger/{slug}/")
    assert response is not None and response.status == 200
    assert page.evaluate(PAGE_WIDTH) <= 320
    assert page.get_by_role("heading", name="Kort om tilskuddet", level=2).is_visible()
    assert_accessible(page)

    assert _open_every_section(page) >= 10
    assert page.evaluate(PAGE_WIDTH) <= 320, "the page scrolls sideways with the sections open"
    # Nothing sticks out past the right edge of the screen, except inside a table's own scrolling box.
    wide = page.evaluate(
        """() => [...document.querySelectorAll('main *')]
            .filter(el => !el.closest('.tilskudd-table-wrap') || el.classList.contains('tilskudd-table-wrap'))
            .filter(el => el.getBoundingClientRect().right > 320.5)
            .map(el => el.tagName + '.' + el.className + ': ' + (el.textContent || '').trim().slice(0, 40))"""
    )
    assert wide == []
    # Every table says what it holds; expect() waits for the opened sections' content to be laid out
    # (Designsystemet animates a <details> opening, and inner_text() read mid-way gave "" under load).
    for caption in page.locator("table caption").all():
        expect(caption).to_have_text(re.compile(r"\S"))
    assert_accessible(page)


def test_a_section_opens_and_closes_from_the_keyboard(calls, narrow):
    page = narrow
    page.goto("/utlysninger/frivillige-organisasjoner-2020/")
    summary = page.locator("summary", has=page.get_by_role("heading", name="Hvem kan søke", level=2))
    details = summary.locator("xpath=..")
    assert details.get_attribute("open") is None
    summary.focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") == ""
    # expect() waits for the opened section to be laid out (is_visible() does not wait: it raced under load).
    expect(details.get_by_text("Søkeren må være registrert i Frivillighetsregisteret.")).to_be_visible()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") is None
    expect(details.get_by_text("Søkeren må være registrert i Frivillighetsregisteret.")).to_be_hidden()


@pytest.mark.parametrize("path", ["/", "/tilgjengelighetserklaering/", "/personvern/"])
def test_the_front_page_and_the_statements_reflow_at_320_px(calls, narrow, path):
    page = narrow
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.evaluate(PAGE_WIDTH) <= 320
    footer = page.get_by_role("contentinfo")
    assert footer.get_by_role("link", name="Tilgjengelighetserklæring").is_visible()
    assert footer.get_by_role("link", name="Personvernerklæring").is_visible()
    assert_accessible(page)


def test_the_sticky_save_bar_never_hides_the_field_that_has_focus(page, client, municipality, draft, live_server):  # noqa: F811
    """WCAG 2.4.11: tabbing down the form, the focused field is always above the bar with «Lagre» (a tall text
    box may run on below it, its first line shows), kept clear by scroll-padding-bottom on the page."""
    client.force_login(municipality.lead)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(f"/soknader/{draft.pk}/")
    hidden = []
    for _ in range(60):
        page.keyboard.press("Tab")
        found = page.evaluate(
            """() => {
                const el = document.activeElement;
                const bar = document.querySelector('.tilskudd-sticky-actions');
                if (!el || !bar || bar.contains(el) || !el.matches('input, textarea, select')) return null;
                const field = el.getBoundingClientRect(), top = bar.getBoundingClientRect().top;
                // Not hidden: at least its first line (where the caret is) shows above the bar.
                return field.top + Math.min(field.height, 32) > top + 0.5 ? (el.name || el.id) : null;
            }"""
        )
        if found:
            hidden.append(found)
    assert hidden == []
    assert page.evaluate("getComputedStyle(document.documentElement).scrollPaddingBottom") != "auto"
