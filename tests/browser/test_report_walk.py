"""Issue #12's «Done when»: the quality bar's C2 walk in the browser, on the demo.

IMDi's grant of NOK 150 000 to Foreningen Trygg Oppvekst (C2, two terms) is decided, accepted and paid out with
the services beforehand (the decision walk is test_issue_4_walks.py, the acceptance test_grant_walks.py, the
payment batch the payment tests; the terms are marked paid as tests/payments does). Then, in the browser:

* the chair files the annual report, whose form is the call's ``reporting`` section, and the accounts: the
  auditor's statement uploaded (C2-R11: required at NOK 100 000 or more), budget beside actual per line, and
  the unused amount computed on delivery — 20 000;
* IMDi's caseworker reads and approves both reports and prepares a claim for the 20 000 unused (C2-R12);
  the approver, another person, approves and sends it: a letter with the amount, the due date and the case;
* the chair sees the claim and its letter on the grant page.

axe-core checks every page visited (casework_steps.visit and follow).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.browser.casework_steps import follow, pdf_text, press, staff_page, visit
from tests.browser.conftest import log_in
from tests.browser.walks import CHAIR, demo_world, trygg_grant
from tilskudd.core.formatting import format_date, format_nok
from tilskudd.demo.data import DEMO_PASSWORD
from tilskudd.grants.awards import acceptance
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports.models import RepaymentClaim, Report, ReportAttachment, ReportingDuty
from tilskudd.reports.states import ClaimStatus, DutyStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AMOUNT = 150_000
UNUSED = 20_000
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def paid_out_grant() -> Grant:
    """IMDi's C2 grant of NOK 150 000 to Trygg Oppvekst: published, accepted by the chair, both terms paid."""
    grant = trygg_grant(demo_world(), AMOUNT, report_due=timezone.localdate() + dt.timedelta(days=30))
    acceptance.accept(get_user_model().objects.get(email=CHAIR), grant.pk, acceptance.terms_hash(grant))
    # Paid out, set as tests/payments/payment_helpers.py and tests/reports/test_repayment.py set it.
    grant.terms.update(status=TermStatus.PAID)
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.PAID_OUT)
    grant.refresh_from_db()
    return grant


def nok(amount: int) -> str:
    return format_nok(amount)


def fields_for(form, kind: str) -> list:
    """The call's report fields in the sections a duty of ``kind`` gets (a section without kinds: every duty)."""
    sections = {s.id for s in form.sections if s.kinds is None or kind in [k.value for k in s.kinds]}
    return [f for f in form.fields if f.section in sections]


def test_the_c2_walk_report_with_audited_accounts_review_and_20_000_claimed_back(demo, page, new_page, live_server):
    grant = paid_out_grant()
    application = grant.application
    assert grant.terms.count() == 2
    annual = ReportingDuty.objects.get(grant=grant, kind="annual_report")
    accounts = ReportingDuty.objects.get(grant=grant, kind="accounts")
    assert accounts.auditor_required and not annual.auditor_required  # C2-R11: at 100 000 or more
    form = application.call_version.parsed().reporting.form

    # --- The chair opens the grant's reports and files the annual report from the call's form.
    log_in(page, CHAIR, DEMO_PASSWORD)
    visit(page, f"/soknader/{application.pk}/tilskudd/")
    follow(page, page.get_by_role("link", name="Rapporter og regnskap dere skal levere"))
    follow(page, page.get_by_role("link", name=annual.title_nb, exact=True))
    assert page.locator("#duty-due").inner_text() == format_date(annual.due)
    fields = fields_for(form, annual.kind)
    assert fields
    for field in fields:
        box = page.get_by_label(field.label.nb, exact=False).first
        assert box.is_visible(), field.label.nb
        if field.type.value in ("integer", "money"):
            box.fill("45")
        elif field.type.value in ("textarea", "text"):
            box.fill(f"{field.label.nb}: 12 kurs for foreldre i Oslo, 45 deltakere.")
    press(page, "Lever rapporten")
    assert page.locator("#delivered").is_visible()
    assert Report.objects.get(duty=annual).answers["participants"] == 45

    # --- The accounts: the auditor's statement first, then actual costs beside the budget.
    visit(page, f"/soknader/{application.pk}/rapporter/")
    follow(page, page.get_by_role("link", name=accounts.title_nb, exact=True))
    assert page.locator("#auditor-required").is_visible()
    page.get_by_label("Type vedlegg").select_option(label=ReportAttachment.Kind.AUDITOR_STATEMENT.label)
    page.get_by_label("Fil (PDF, PNG eller JPEG)").set_input_files(
        files=[{"name": "revisorberetning.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    press(page, "Last opp")
    assert "revisorberetning.pdf" in page.locator("#attachment-list").inner_text()
    rows = page.locator("#accounts-table tbody tr")
    budget_cells = [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())]
    assert budget_cells and all(cell.endswith("kr") for cell in budget_cells)  # the budget, as granted, per line
    for i in range(rows.count()):
        rows.nth(i).locator("input").fill(str(AMOUNT - UNUSED) if i == 0 else "0")
    page.get_by_label("Andre inntekter (kr)").fill("0")
    page.get_by_label("Egenandel (kr)").fill("0")
    for field in fields_for(form, accounts.kind):
        if field.required:
            page.get_by_label(field.label.nb, exact=False).first.fill("Regnskapet følger vedlagt revisorberetning.")
    press(page, "Lever rapporten")
    assert page.locator("#delivered").is_visible()
    assert nok(UNUSED) in page.locator("#delivered-accounts").inner_text()
    assert Report.objects.get(duty=accounts).accounts["unused"] == UNUSED

    # --- IMDi's caseworker reads both reports from the grant page and approves them.
    siri = staff_page(new_page, live_server, "saksbehandler@imdi.example")
    staff_grant = f"/saksbehandling/tilskudd/{grant.pk}/"
    for duty in (annual, accounts):
        visit(siri, staff_grant)
        item = siri.locator("#reports li").filter(has_text=duty.title_nb)
        follow(siri, item.get_by_role("link", name="Les rapporten"))
        assert siri.get_by_role("heading", level=1).inner_text().startswith(duty.title_nb)
        if duty.accounts:
            shown = siri.locator("#accounts").inner_text()
            assert nok(AMOUNT - UNUSED) in shown and nok(UNUSED) in shown
            assert "revisorberetning.pdf" in siri.get_by_role("main").inner_text()
        press(siri, "Godkjenn rapporten")
        assert ReportingDuty.objects.get(pk=duty.pk).status == DutyStatus.APPROVED
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.REPORTED

    # --- She prepares the claim: the amount left empty is the accounts' unused 20 000.
    visit(siri, staff_grant)
    due = timezone.localdate() + dt.timedelta(days=30)
    siri.get_by_label("Begrunnelse").fill("20 000 kroner av tilskuddet ble ikke brukt.")
    siri.get_by_label("Betalingsfrist").fill(due.isoformat())
    press(siri, "Forbered krav om tilbakebetaling")
    claim = RepaymentClaim.objects.get(grant=grant)
    assert (claim.amount, claim.status) == (UNUSED, ClaimStatus.PREPARED)
    # Four eyes: the preparer is told another approver sends it, and gets no button that would only refuse.
    assert "En annen beslutter må godkjenne" in siri.locator(f"#claim-{claim.pk}").inner_text()
    assert siri.get_by_role("button", name="Godkjenn og send kravet").count() == 0

    # --- The approver approves and sends it; the letter names the amount, the due date and the case.
    bjorn = staff_page(new_page, live_server, "beslutter@imdi.example")
    visit(bjorn, staff_grant)
    press(bjorn, "Godkjenn og send kravet")
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SENT
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.REPAYMENT
    href = bjorn.locator(f"#claim-{claim.pk}").get_by_role("link", name="Brevet (PDF)").get_attribute("href")
    letter = pdf_text(bjorn, href)
    assert "Vedtak om krav om tilbakebetaling" in letter
    assert "20 000" in letter and format_date(due) in letter and application.case_number in letter

    # --- The chair sees the claim and can read the letter.
    visit(page, f"/soknader/{application.pk}/tilskudd/")
    told = page.locator(f"#claim-{claim.pk}").inner_text()
    assert nok(UNUSED) in told and format_date(due) in told and "Sendt" in told
    assert "Vedtak om krav om tilbakebetaling" in pdf_text(
        page, page.locator(f"#claim-{claim.pk}").get_by_role("link").get_attribute("href")
    )
