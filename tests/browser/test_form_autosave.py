"""Issue #13, points 1 and 2, in a real browser (Playwright, Debian's Chromium): what is typed is saved
without pressing anything and is there after a reload; leaving with unsaved changes warns (and does
not once they are saved); a conflict with someone else's save keeps what was typed and says so; an empty
new form opens calm and passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.applications.conftest import C0, calls_loaded, draft, municipality  # noqa: F401 - fixtures
from tests.browser.conftest import assert_accessible
from tilskudd.applications import services
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, client, user, live_server):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_typing_is_saved_without_pressing_anything(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    field = page.get_by_role("textbox", name=re.compile("^Forventede resultater"))
    field.fill("")
    field.press_sequentially("Alle består B1.")
    status = page.locator("#autosave-status")
    expect(page.locator("#autosave-status")).to_contain_text("Lagret kl.")
    assert status.get_attribute("aria-live") == "polite"
    assert Application.objects.get(pk=draft.pk).content["answers"]["expected_results"] == "Alle består B1."
    revision = Application.objects.get(pk=draft.pk).revision
    assert page.locator("input[name='revision']").input_value() == str(revision)

    page.reload()
    assert page.locator("[name='answers.expected_results']").input_value() == "Alle består B1."
    assert_accessible(page)


def test_leaving_with_unsaved_changes_warns_and_saved_changes_do_not(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("[name='answers.expected_results']").press_sequentially(" Og mer.")
    with page.expect_event("dialog"):
        page.close(run_before_unload=True)  # at once: before the autosave's 1.5 s
    assert dialogs == ["beforeunload"]


def test_no_warning_once_saved(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.locator("[name='answers.expected_results']").press_sequentially(" Og mer.")
    expect(page.locator("#autosave-status")).to_contain_text("Lagret kl.")
    page.goto("/min-side/")
    assert dialogs == []


def test_a_conflict_keeps_what_was_typed_and_says_so(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    theirs = services.save_draft(
        municipality.signatory, draft.pk, {"answers": {**draft.content["answers"], "participants": 22}}, draft.revision
    )
    field = page.locator("[name='answers.expected_results']")
    field.fill("Mitt svar som ikke må forsvinne.")
    field.blur()
    alert = page.locator("#autosave-alert")
    alert.wait_for(state="visible")
    assert "Noen andre har lagret endringer" in alert.inner_text()
    assert "Mitt svar som ikke må forsvinne." in alert.inner_text()
    assert alert.get_by_role("link", name="Last siden på nytt").is_visible()
    assert field.input_value() == "Mitt svar som ikke må forsvinne."
    after = Application.objects.get(pk=draft.pk)
    assert after.revision == theirs.revision and after.content["answers"]["participants"] == 22
    assert_accessible(page)


def test_a_new_form_opens_calm(page, client, municipality, live_server):
    application = services.start_draft(municipality.lead, municipality.organisation, Call.objects.get(slug=C0))
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{application.pk}/")
    assert page.locator("#error-summary").count() == 0
    assert page.locator("[aria-invalid='true']").count() == 0
    tasks = page.get_by_role("navigation", name="Deler av søknaden")
    assert tasks.get_by_role("listitem").filter(has_text="Ikke startet").count() == 4
    assert_accessible(page)

    # A field typed in, emptied and left: its finding shows beside it at once, and only there.
    title = page.get_by_role("textbox", name=re.compile("^Prosjektets navn"))
    title.press_sequentially("x")
    title.press("Backspace")
    title.press("Tab")
    expect(title).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-answers-project-title-messages")).to_contain_text("«Prosjektets navn» må fylles ut.")
    assert page.locator("[aria-invalid='true']").count() == 1
    assert page.locator("#error-summary").count() == 0
    assert_accessible(page)

    # A field only left, nothing typed: its finding shows too.
    objective = page.get_by_role("textbox", name=re.compile("^Mål og begrunnelse"))
    objective.focus()
    objective.press("Tab")
    expect(objective).to_have_attribute("aria-invalid", "true")

    # Asked for a check, the summary lists what is missing.
    page.get_by_role("button", name="Sjekk søknaden").click()
    page.wait_for_load_state()
    page.locator("#error-summary").wait_for()
    assert page.locator("#error-summary").get_by_role("heading", name=re.compile("^Dette må rettes")).is_visible()
    assert_accessible(page)


def test_pressing_lagre_while_an_autosave_is_under_way_is_no_conflict(page, client, municipality, draft, live_server):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/")
    page.get_by_role("textbox", name=re.compile("^Forventede resultater")).press_sequentially(" Mer.")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre", exact=True).click()  # leaving the field starts an autosave
    assert page.locator("#stale-alert").count() == 0
    assert Application.objects.get(pk=draft.pk).content["answers"]["expected_results"].startswith("Mer.")


def hold_the_first(page, pattern: str) -> list:
    """Hold the first request to ``pattern`` on its way (the list gets its route, for the test to let go with
    ``route.fulfill(response=route.fetch())``); later ones go through."""
    held: list = []

    def hold(route):
        if held:
            route.continue_()
        else:
            held.append(route)

    page.route(pattern, hold)
    return held


def fail_the_first(page, pattern: str) -> list:
    """Answer the first request to ``pattern`` with 503 «busy» (the server failing once); the list gets its
    address. Later ones go through."""
    failed: list = []

    def fail(route):
        if failed:
            route.continue_()
        else:
            failed.append(route.request.url)
            route.fulfill(status=503, body="busy")

    page.route(pattern, fail)
    return failed


def note_each(page, pattern: str) -> list:
    """Let every request to ``pattern`` through; the list gets each one's address."""
    asked: list = []

    def note(route):
        asked.append(route.request.url)
        route.continue_()

    page.route(pattern, note)
    return asked


def wait_for(page, held: list, said: str) -> None:
    for _ in range(100):
        if held:
            return
        page.wait_for_timeout(100)
    raise AssertionError(said)


STATUSES = """
window.__statuses = [];
new MutationObserver(() => window.__statuses.push(document.getElementById("autosave-status").textContent))
  .observe(document.getElementById("autosave-status"), {childList: true, characterData: true, subtree: true});
"""


def test_what_is_typed_while_a_save_is_under_way_is_not_called_saved(page, client, municipality, draft, live_server):
    """The first save is held on its way until more is typed: its answer must not say «Lagret» for what the
    server has not got; the next save sends the rest, and only then is it «Lagret» — and after a reload it is all there."""
    log_in(page, client, municipality.lead, live_server)
    held = hold_the_first(page, "**/autolagre/")
    page.goto(f"/soknader/{draft.pk}/")
    page.evaluate(STATUSES)
    field = page.get_by_role("textbox", name=re.compile("^Forventede resultater"))
    field.fill("")
    field.press_sequentially("Første del.")
    wait_for(page, held, "no autosave was sent")  # the autosave's 1.5 s, and then some
    field.press_sequentially(" Andre del.")
    first = held[0]
    first.fulfill(response=first.fetch())  # the server saves «Første del.» and answers «Lagret kl. …»

    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Lagret kl.")
    assert Application.objects.get(pk=draft.pk).content["answers"]["expected_results"] == "Første del. Andre del."
    said = page.evaluate("window.__statuses")
    assert [text for text in said if text.startswith("Lagret")] == [said[-1]], said
    assert said[said.index("Lagrer …") + 1 :].count("Ikke lagret ennå") >= 1, said

    page.reload()
    assert page.locator("[name='answers.expected_results']").input_value() == "Første del. Andre del."


def test_what_is_typed_while_the_form_is_redrawn_stays(page, client, municipality, draft, live_server):
    """A choice that shows other questions redraws the form (htmx); typed into a field while that redraw
    was on its way, the field keeps what was typed — the redraw asks again rather than draw it back."""
    log_in(page, client, municipality.lead, live_server)
    held = hold_the_first(page, "**/forhandsvis/")
    page.goto(f"/soknader/{draft.pk}/")
    page.locator("#form-body").evaluate("body => body.setAttribute('data-old', '')")
    page.locator("input[name='answers.earlier_imdi_grant'][value='true']").check()  # a live choice
    wait_for(page, held, "no redraw was asked for")
    field = page.get_by_role("textbox", name=re.compile("^Forventede resultater"))
    field.fill("Skrevet mens skjemaet ble tegnet på nytt.")
    first = held[0]
    first.fulfill(response=first.fetch())  # the form as it was: without what was just typed

    page.locator("#form-body:not([data-old])").wait_for()
    expect(page.get_by_role("textbox", name=re.compile("^Forventede resultater"))).to_have_value(
        "Skrevet mens skjemaet ble tegnet på nytt."
    )
    expect(page.locator("input[name='answers.earlier_imdi_grant'][value='true']")).to_be_checked()
    expect(page.locator("#autosave-status")).to_contain_text("Lagret kl.")
    answers = Application.objects.get(pk=draft.pk).content["answers"]
    assert answers["expected_results"] == "Skrevet mens skjemaet ble tegnet på nytt."
    assert answers["earlier_imdi_grant"] is True


def test_a_redraw_that_failed_is_asked_for_again(page, client, municipality, draft, live_server):
    """The server busy once: the questions the choice opens still appear, without the person doing anything."""
    log_in(page, client, municipality.lead, live_server)
    failed = fail_the_first(page, "**/forhandsvis/")
    page.goto(f"/soknader/{draft.pk}/")
    page.locator("#form-body").evaluate("body => body.setAttribute('data-old', '')")
    page.locator("input[name='answers.earlier_imdi_grant'][value='true']").check()
    page.locator("#form-body:not([data-old])").wait_for()
    assert len(failed) == 1
    expect(page.locator("input[name='answers.earlier_imdi_grant'][value='true']")).to_be_checked()


def test_a_redraw_refused_is_not_asked_again(page, client, municipality, draft, live_server):
    """A refusal (4xx) asked again would be refused again (issue #9). The page's CSRF token gone stale (a new one
    set, as by logging in again in another tab): the redraw after a live choice is refused (403) — asked for once,
    and the page says what the server said; the autosave, refused the same way, is not tried again either."""
    log_in(page, client, municipality.lead, live_server)
    redraws = note_each(page, "**/forhandsvis/")
    saves = note_each(page, "**/autolagre/")
    page.goto(f"/soknader/{draft.pk}/")
    page.evaluate(STATUSES)
    page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "url": live_server.url}])
    choice = page.locator("input[name='answers.earlier_imdi_grant'][value='true']")
    choice.check()  # a live choice: the redraw at once, the autosave 1.5 s later
    wait_for(page, saves, "no autosave was sent")
    page.wait_for_timeout(4000)  # a redraw asked again would be by 1.5 s, a save tried again by 3 s

    assert len(redraws) == 1
    assert len(saves) == 1
    said = page.evaluate("window.__statuses")
    refused = [text for text in said if text.startswith("Skjemaet kunne ikke sendes fordi siden var for gammel")]
    assert len(refused) == 2 and said[-1] == refused[-1], said  # the redraw's answer, then the save's
    expect(choice).to_be_checked()


def test_a_save_the_server_failed_is_tried_again_by_itself(page, client, municipality, draft, live_server):
    """The server answers 503 once (no JSON): the page says it could not save, keeps what was typed and tries
    again by itself — with nothing more typed, it is saved."""
    log_in(page, client, municipality.lead, live_server)
    failed = fail_the_first(page, "**/autolagre/")
    page.goto(f"/soknader/{draft.pk}/")
    page.evaluate(STATUSES)
    field = page.get_by_role("textbox", name=re.compile("^Forventede resultater"))
    field.fill("")
    field.press_sequentially("Lagret til slutt.")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Lagret kl.", timeout=15_000)
    assert len(failed) == 1
    assert any(text.startswith("Kunne ikke lagre automatisk") for text in page.evaluate("window.__statuses"))
    assert Application.objects.get(pk=draft.pk).content["answers"]["expected_results"] == "Lagret til slutt."
