"""Issue #3's walks in the browser, as a person would go: log in through the login form, start an
application from the demo copy of a call, fill it in from the call's passing example, save, see the
rule engine's errors beside the fields and in the summary, sign, submit, get a case number and a
receipt. axe-core checks every page visited."""

from __future__ import annotations

import io
import re

import pytest

from tests.browser.conftest import assert_accessible, log_out
from tests.browser.filling import choose, example, fill_form, save
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call

pytestmark = pytest.mark.django_db(transaction=True)

C0 = "kommunale-integreringstiltak-2019"


def start(page, slug: str) -> int:
    """Open the demo call's page, then start an application from Min side; returns the draft's id."""
    call = Call.objects.get(slug=f"{slug}-demo")
    response = page.goto(f"/utlysninger/{slug}-demo/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
    page.goto("/min-side/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Start en søknad – {call.title_nb}", exact=True).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start søknaden").click()
    assert page.get_by_text("Utkastet er laget.").is_visible()
    assert_accessible(page)
    return int(re.search(r"/soknader/(\d+)/", page.url).group(1))


def choose_area(page, label: str) -> None:
    areas = page.get_by_role("group", name=re.compile(r"^(Prioritert område|Delmål)"))
    choose(page, areas.get_by_label(label, exact=True))
    assert page.get_by_role("status").filter(has_text="Skjemaet er oppdatert etter valget ditt").is_visible()
    assert_accessible(page)


def sign_and_submit(page) -> str:
    """On the review page: sign, submit (the button is clicked twice: one application, one number)."""
    page.get_by_role("button", name="Signer søknaden").click()
    page.get_by_text("Signert av").first.wait_for()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send inn søknaden").dblclick()
    page.get_by_role("heading", name="Søknaden er sendt inn").wait_for()
    assert_accessible(page)
    case_number = page.locator("#case-number").inner_text()
    assert case_number
    return case_number


def test_c0_area_3_from_draft_to_receipt(demo, demo_login, page):
    """Issue #3's «done when»: a project lead drafts, the rule engine objects, the director signs and submits."""
    demo_login("prosjektleder@bergen.example")
    pk = start(page, C0)
    choose_area(page, "Utprøving og utvikling av metodikk i norskopplæringen")

    document = example(C0, "omrade-3-godkjent")
    document["answers"]["participants"] = 12
    call = Call.objects.get(slug=f"{C0}-demo")
    fill_form(page, call.definition, document)
    save(page)

    message = "«Antall deltakere» må være minst 15."
    summary = page.locator("#error-summary")
    items = [" ".join(text.split()) for text in summary.get_by_role("listitem").all_inner_texts()]
    assert items == [f"{message} Søknaden har 12. Regel C0-R20"]  # the only error left: the others are filled in
    link = summary.get_by_role("link", name=re.compile("^" + re.escape(message)))
    assert link.is_visible()
    assert summary.get_by_role("listitem").filter(has_text=message).get_by_text("Regel C0-R20").is_visible()
    field = page.get_by_role("textbox", name=re.compile(r"^Antall deltakere"))
    assert field.get_attribute("aria-invalid") == "true"
    described = page.locator(", ".join(f"[id='{i}']" for i in field.get_attribute("aria-describedby").split()))
    assert described.filter(has_text=message).filter(has_text="Regel C0-R20").count() == 1

    link.click()
    assert page.evaluate("document.activeElement.id") == field.get_attribute("id")
    field.fill("15")
    save(page)
    assert page.get_by_role("heading", name=re.compile("^Dette må rettes")).count() == 0
    assert Application.objects.get(pk=pk).content["answers"]["participants"] == 15
    log_out(page)

    demo_login("kommunedirektor@bergen.example")
    page.goto("/min-side/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=document["answers"]["project_title"]).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Gjennomgang og signering").click()
    assert page.get_by_role("heading", name="Gjennomgang og signering", level=1).is_visible()
    assert_accessible(page)
    case_number = sign_and_submit(page)
    assert Application.objects.get(pk=pk).case_number == case_number

    # The link as the browser would follow it, with the browser's session (Chromium shows PDFs inline).
    href = page.get_by_role("link", name="Last ned kvitteringen (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert case_number in text

    page.goto("/min-side/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=document["answers"]["project_title"]))
    assert row.get_by_text("Sendt inn – venter på behandling").is_visible()
    assert row.get_by_text(case_number).first.is_visible()
