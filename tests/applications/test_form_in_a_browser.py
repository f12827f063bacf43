"""The form in a real browser (Playwright, Debian's Chromium): htmx shows an area's questions after
the choice without a save, the submit button disables itself, and axe-core finds no serious problem."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, FLAGS, assert_accessible, plain_http  # noqa: F401 - fixtures
from tilskudd.applications.models import Application

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # On CI the browser must be there (scripts/system-deps installs it); elsewhere the test is skipped without it.
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"), reason=f"Chromium not found at {CHROMIUM}"),
]


@pytest.fixture(scope="module")
def browser():
    """This module's own Chromium, closed when the module is done.

    Playwright's sync API allows one running instance per thread: a session-wide
    one started by another module's fixture stays up until the end, and a second
    cannot start beside it. Ours is module-wide, so it never blocks the others;
    when another one is already running in this worker, these tests are skipped.
    """
    from playwright.sync_api import Error, sync_playwright

    try:
        manager = sync_playwright().start()
    except Error as error:
        if "asyncio loop" not in str(error):
            raise
        pytest.skip("another Playwright instance runs in this worker (see the docstring)")
    try:
        chromium = manager.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
    finally:
        manager.stop()


@pytest.fixture
def page(browser, plain_http, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def log_in(page, client, user, live_server):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_choosing_an_area_shows_its_questions_at_once_and_saving_keeps_them(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    assert page.get_by_role("heading", name="Morsmålet som ressurs i norskopplæringen").is_visible()
    assert_accessible(page)
    revision = Application.objects.get(pk=draft.pk).revision

    page.get_by_label("Lengre kvalifiseringsløp (år 4)", exact=False).check()
    question = page.get_by_role("group", name="Har alle deltakerne fullført tredje år i introduksjonsprogrammet?", exact=False)
    question.wait_for()
    assert page.get_by_text("Tema for utprøvingen").count() == 0
    assert Application.objects.get(pk=draft.pk).revision == revision  # shown, not saved

    question.get_by_label("Ja").check()
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.wait_for_load_state()
    application = Application.objects.get(pk=draft.pk)
    assert application.content["areas"] == ["1"]
    assert application.content["answers"]["participants_completed_year_3"] is True
    assert_accessible(page)


def test_review_and_submit_in_the_browser(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.signatory, live_server)
    page.goto(f"/soknader/{draft.pk}/signer/")
    assert_accessible(page)
    page.get_by_role("button", name="Signer søknaden").click()
    page.get_by_text("Signert av Rå D. Mann").wait_for()
    button = page.get_by_role("button", name="Send inn søknaden")
    button.dblclick()
    page.get_by_text("Søknaden er sendt inn").first.wait_for()
    assert Application.objects.exclude(case_number=None).count() == 1
    assert_accessible(page)
    page.goto("/min-side/")
    assert page.get_by_text("Sendt inn – venter på behandling").is_visible()
    assert_accessible(page)
