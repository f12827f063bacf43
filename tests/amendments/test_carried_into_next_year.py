"""Unused funds carried into next year show up there (issue #12, point 6; C1-R12, C0-R26: «shown in next year's
budget and in the accounts»): after a caseworker consents to carry 25 000 of a C1 grant's money into the next
year, both continuation pages for that year say that part of the commitment is carried over, and the accounts of
the next year's grant show it as income carried over from last year beside what is paid for the year."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision, staff_of
from tests.payments.payment_helpers import accept
from tests.staff_world import C0, build_world
from tests.web.conftest import visible_text
from tilskudd.amendments import services as amendments
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import acceptance, carried, continuation
from tilskudd.grants.decisions.services import call_year
from tilskudd.reports import accounts as accounts_math
from tilskudd.reports import services as reports
from tilskudd.reports.duties import create_duties
from tilskudd.reports.models import ReportingDuty

C1 = "fag-og-yrkesopplaering-2025"
OSLO = dt.timezone(dt.timedelta(hours=1))
FILED = [("Lønn", 80_000), ("Kurs, betalt med det som ble overført fra i fjor", 25_000)]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

carried_world_built = shared_world(lambda: build_world((C0, C1)), name="carried_world_built")


@pytest.fixture
def world(carried_world_built, db):
    return fresh(carried_world_built)


def text_of(response) -> str:
    return visible_text(response.content.decode()).replace("\xa0", " ")


def test_the_carried_part_is_income_of_the_year_and_the_unused_amount_is_counted_over_the_whole_grant():
    budget = [accounts_math.BudgetLine(0, "Lønn", "", 70_000), accounts_math.BudgetLine(1, "Kurs", "", 35_000)]

    result = accounts_math.compute(105_000, budget, {0: 70_000, 1: 20_000}, 0, 0, carried_over=25_000)

    assert (result.carried_over, result.paid_for_year, result.unused) == (25_000, 80_000, 15_000)
    assert result.as_dict()["carried_over"] == 25_000 and result.as_dict()["paid_for_year"] == 80_000
    # Nothing was carried: the year's grant is all new money, as before.
    plain = accounts_math.compute(105_000, budget, {0: 70_000, 1: 20_000}, 0, 0)
    assert (plain.carried_over, plain.paid_for_year, plain.unused) == (0, 105_000, 15_000)
    # More carried than granted cannot be: it is cut to the grant.
    assert accounts_math.compute(10_000, budget, {0: 0, 1: 0}, 0, 0, carried_over=25_000).carried_over == 10_000


def test_a_consented_carry_over_is_shown_in_next_years_continuation_and_accounts(world, freeze_now, client):
    # A C1 grant of 100 000 for the call's year with a commitment of 80 000 for the next; 25 000 unused, carried
    # into the next year. (The demo copy of the call runs in a year near today: «year» and «later» below.)
    application = world.applications[C1][0]
    year = call_year(application)
    later = year + 1
    decision = publish_decision(world, application, amount=100_000, later_years={str(later): 80_000})
    grant = accept(decision.grant, dt.date(year, 3, 1))
    assert grant.year == year
    create_duties(applicant_of(application), grant)  # what acceptance's signal does (accepted here by the ORM)
    staff = staff_of(world, application)
    signatory = applicant_of(application)
    assert carried.carried_into(application.pk, later) == 0
    asked = amendments.request_carry_over(signatory, grant.pk, 25_000, "Kurset ble flyttet til våren.")
    amendments.consent(staff["caseworker"], asked.pk, "Prosjektet er flerårig; beløpet står i regnskapet.")
    assert (
        carried.carried_into(application.pk, later) == 25_000 and carried.carried_into(application.pk, later + 1) == 0
    )

    # The grantee's continuation page tells her to put it in next year's budget as income.
    client.force_login(signatory)
    page = text_of(client.get(f"/soknader/{application.pk}/tilskudd/videreforing/"))
    assert "Herav overført fra i fjor 25 000 kr" in page
    assert "Ta dem med i budsjettet som inntekt («overført fra i fjor»)" in page
    # The caseworker sees it beside the commitment (80 000 + 25 000).
    login_verified(client, staff["caseworker"])
    page = text_of(client.get(f"/saksbehandling/tilskudd/{grant.pk}/videreforing/"))
    assert f"Tilsagn for {later} 105 000 kr" in page and "Herav overført fra i fjor (samtykke) 25 000 kr" in page

    # Continued into the next year with the commitment (four eyes), accepted: that year's accounts carry the 25 000.
    freeze_now(dt.datetime(year, 11, 20, 10, 0, tzinfo=OSLO))
    ids = [c["id"] for c in continuation.conditions(grant)]
    lines = [{"text": text, "amount": amount} for text, amount in FILED]
    filed = continuation.file_plan(signatory, grant.pk, ids, "Vi fortsetter samarbeidet.", lines, 105_000)
    frames.set_frame(staff["approver"], application.call, application.case.grantor_org_number, "", later, 5_000_000)
    continuation.propose(staff["caseworker"], filed.pk, 105_000)
    freeze_now(dt.datetime(year, 12, 1, 10, 0, tzinfo=OSLO))
    new = continuation.approve(staff["approver"], filed.pk).new_grant
    # The 25 000 is with the grantee already: the year's terms pay the other 80 000, not the carried part again.
    assert new.amount == 105_000 and sum(term.amount for term in new.terms.all()) == 80_000
    # The caseworker's grant page says which part was carried in, and that it is not paid out again.
    login_verified(client, staff["caseworker"])
    page = text_of(client.get(f"/saksbehandling/tilskudd/{new.pk}/"))
    assert f"Herav overført fra i fjor 25 000 kr (ubrukte midler fra {year}, betales ikke ut på nytt)" in page
    assert "Herav overført" not in text_of(client.get(f"/saksbehandling/tilskudd/{grant.pk}/"))
    letter = visible_text(continuation.continuation_letter_html(new.decision, later)).replace("\xa0", " ")
    assert (
        f"25 000 kr av tilskuddet er ubrukte midler fra {year} som dere har fått lov til å bruke i {later}." in letter
    )
    assert "så vi betaler ut resten, 80 000 kr." in letter
    acceptance.accept(signatory, new.pk, acceptance.terms_hash(new))
    duty = ReportingDuty.objects.get(grant=new, kind="accounts")
    # The continued year reports for itself: due 01.02 of the year after it (C1-R11), titled with its year.
    assert duty.due == dt.date(later + 1, 2, 1) and str(later) in duty.title_nb and str(year) not in duty.title_nb
    client.force_login(signatory)
    listed = text_of(client.get(f"/soknader/{application.pk}/rapporter/"))
    assert f"Prosjektregnskap {year}" in listed and f"Prosjektregnskap {later}" in listed  # both years owed
    form = text_of(client.get(f"/soknader/{application.pk}/rapporter/{duty.pk}/"))
    assert "Av tilskuddet for året er 25 000 kr ubrukte midler fra i fjor som dere fikk beholde" in form
    reports.add_attachment(signatory, duty.pk, "signed_approval", SimpleUploadedFile("godkjenning.pdf", PDF))
    budget = reports.budget_of(duty)
    # The accounts are held against the budget filed for the year, the carried-over money in it.
    assert [(line.category, line.budget) for line in budget] == [(text, amount) for text, amount in FILED]
    actual = {line.index: line.budget for line in budget}
    report = reports.deliver_report(signatory, duty.pk, reports.Delivery(actual=actual))

    assert report.accounts["granted"] == 105_000
    assert (report.accounts["carried_over"], report.accounts["paid_for_year"]) == (25_000, 80_000)
    receipt = " ".join(page.extract_text() for page in PdfReader(report.receipt.open("rb")).pages)
    assert "herav overført fra i fjor 25" in " ".join(receipt.replace("\xa0", " ").split())
    client.force_login(signatory)
    page = text_of(client.get(f"/soknader/{application.pk}/rapporter/{duty.pk}/"))
    assert "herav overført fra i fjor (ubrukt tilskudd dere fikk beholde) 25 000 kr" in page
    assert "herav utbetalt for året 80 000 kr" in page
