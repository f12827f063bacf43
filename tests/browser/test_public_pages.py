"""The public pages in a real browser, with axe-core: front page, every call page, English."""

import pytest

from tests.browser.conftest import assert_accessible
from tests.builders import load_calls
from tests.conftest import CALLS_DIR
from tilskudd.calls.services import call_files_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def calls():
    load_calls(call_files_in(CALLS_DIR))  # each file read and validated once per session (tests/builders.py)


def test_front_page_lists_the_calls_and_is_accessible(calls, visit):
    page = visit("/")
    assert page.get_by_role("heading", name="Utlysninger", level=1).is_visible()
    assert page.get_by_role("link", name="Tilskudd til utvikling av kommunale integreringstiltak 2019").is_visible()


@pytest.mark.parametrize("slug", sorted(p.stem for p in CALLS_DIR.glob("*.yaml")))
def test_every_call_page_is_accessible(calls, visit, slug):
    page = visit(f"/utlysninger/{slug}/")
    assert page.get_by_role("heading", level=1).is_visible()


def test_switching_to_english_by_keyboard(calls, visit, page):
    visit("/")
    page.get_by_role("button", name="English").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Calls for applications", level=1).is_visible()
    assert_accessible(page)
