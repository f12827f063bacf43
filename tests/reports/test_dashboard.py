"""The caseworker's «due and overdue» list (issue #12, point 8): what IMDi's caseworker sees and Bergen's does not,
the filters, the CSV, the query count, and who is kept out."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.complaints.helpers import decide
from tests.grants.grant_helpers import staff_of
from tests.reports.helpers import DECIDED, OSLO, accepted_grant, frozen_clock
from tests.staff_world import C0, C2, build_world
from tilskudd.casework.models import Case
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus, TermStatus
from tilskudd.reports import dashboard, repayment, review, services
from tilskudd.reports.dashboard import Filters, Kind
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.services import Delivery

#: Nine days after C0's status report was due (1 September 2019).
TODAY = dt.datetime(2019, 9, 10, 12, 0, tzinfo=OSLO)


def _bergen_application(world):
    return next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)


def _grants(world, freeze_now):
    """IMDi: a C0 grant accepted (its status report now overdue) and a C0 offer not answered; Bergen: a C2 offer."""
    accepted = accepted_grant(world, freeze_now, C0, 10_000)
    freeze_now(DECIDED[C0])
    offered_application = next(
        a for a in world.applications[C0] if a.pk != accepted.application_id and (a.case.amount_applied or 0) >= 20_000
    )
    offered = decide(world, offered_application, kind="grant", amount=20_000).grant
    freeze_now(DECIDED[C2])
    bergen = decide(world, _bergen_application(world), kind="grant", amount=30_000).grant
    return {"accepted": accepted, "offered": offered, "bergen": bergen}


def _world():
    """C0 and C2 with the three grants of :func:`_grants`, decided once for the module (issue #9 point 7)."""
    world = build_world((C0, C2))
    with frozen_clock() as freeze:
        return {"world": world, "grants": _grants(world, freeze)}


dashboard_world_built = shared_world(_world, name="dashboard_world_built")


@pytest.fixture
def built(dashboard_world_built, db):
    return fresh(dashboard_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def grants(built, freeze_now):
    """The three grants of :func:`_grants`; the clock stands at TODAY."""
    freeze_now(TODAY)
    return built["grants"]


def _page(client, user, query=""):
    login_verified(client, user)
    return client.get(f"/saksbehandling/frister/{query}")


def test_imdis_caseworker_sees_the_overdue_status_report_and_the_open_offer_bergens_caseworker_does_not(
    world, grants, client
):
    accepted, offered, bergen = grants["accepted"], grants["offered"], grants["bergen"]
    status_report = ReportingDuty.objects.get(grant=accepted, kind="status_report")
    assert status_report.due == dt.date(2019, 9, 1)
    assert offered.status == GrantStatus.OFFERED

    rows = dashboard.due_rows(world.staff["caseworker"])
    overdue_report = next(row for row in rows if row.kind == Kind.REPORT and row.grant_id == accepted.pk)
    assert (overdue_report.due, overdue_report.overdue_days) == (dt.date(2019, 9, 1), 9)
    assert overdue_report.what_nb == status_report.title_nb
    offer = next(row for row in rows if row.kind == Kind.OFFER)
    assert (offer.grant_id, offer.case_number, offer.amount) == (offered.pk, offered.application.case_number, 20_000)
    assert bergen.pk not in {row.grant_id for row in rows}
    assert rows[0].overdue_days >= rows[-1].overdue_days  # overdue first
    assert all(a.overdue_days >= b.overdue_days for a, b in zip(rows, rows[1:], strict=False))

    page = _page(client, world.staff["caseworker"])
    assert page.status_code == 200
    html = page.content.decode()
    assert status_report.title_nb in html
    assert accepted.application.case_number in html and offered.application.case_number in html
    assert "9 dager" in html
    assert f'href="/saksbehandling/tilskudd/{accepted.pk}/"' in html
    assert bergen.application.case_number not in html

    # Bergen's caseworker sees Bergen's offer and nothing of IMDi's.
    bergen_rows = dashboard.due_rows(world.bergen_staff["caseworker"])
    assert {row.grant_id for row in bergen_rows} == {bergen.pk}
    bergen_html = _page(client, world.bergen_staff["caseworker"]).content.decode()
    assert bergen.application.case_number in bergen_html
    assert accepted.application.case_number not in bergen_html
    assert offered.application.case_number not in bergen_html


def test_filters_kind_overdue_call_and_mine(world, grants, client):
    caseworker = world.staff["caseworker"]
    accepted, offered = grants["accepted"], grants["offered"]

    offers = dashboard.due_rows(caseworker, Filters(kind=Kind.OFFER))
    assert {row.grant_id for row in offers} == {offered.pk} and {row.kind for row in offers} == {Kind.OFFER}

    overdue = dashboard.due_rows(caseworker, Filters(overdue=True))
    assert overdue and all(row.overdue_days > 0 for row in overdue)
    assert accepted.pk in {row.grant_id for row in overdue}

    assert dashboard.due_rows(caseworker, Filters(call=world.calls[C2].slug)) == []
    assert {row.grant_id for row in dashboard.due_rows(caseworker, Filters(call=world.calls[C0].slug))} >= {
        accepted.pk,
        offered.pk,
    }

    # «Only mine»: nothing until the caseworker is the accepted grant's case's caseworker.
    assert dashboard.due_rows(caseworker, Filters(mine=True)) == []
    Case.objects.filter(application=accepted.application).update(caseworker=caseworker)
    assert {row.grant_id for row in dashboard.due_rows(caseworker, Filters(mine=True))} == {accepted.pk}

    # The same through the GET form.
    html = _page(client, caseworker, f"?kind=offer&call={world.calls[C0].slug}").content.decode()
    assert offered.application.case_number in html and accepted.application.case_number not in html
    html = client.get("/saksbehandling/frister/?mine=on").content.decode()
    assert accepted.application.case_number in html and offered.application.case_number not in html


def test_a_value_not_among_the_choices_is_a_400_with_the_reason(world, grants, client):
    page = _page(client, world.staff["caseworker"], "?kind=nonsense")
    assert page.status_code == 400
    assert "Velg en av typene i listen." in page.content.decode()
    assert grants["accepted"].application.case_number not in page.content.decode()
    assert client.get("/saksbehandling/frister/?call=no-such-call").status_code == 400
    assert client.get("/saksbehandling/frister.csv?call=no-such-call").status_code == 400


def test_the_csv_has_the_filtered_rows_with_norwegian_headings_iso_dates_and_whole_kroner(world, grants, client):
    login_verified(client, world.staff["caseworker"])
    response = client.get("/saksbehandling/frister.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == list(dashboard.EXPORT_HEADINGS)
    by_case = {}
    for line in lines[1:]:
        by_case.setdefault((line[0], line[2]), line)
    offered, accepted = grants["offered"], grants["accepted"]
    offer = by_case[("Svar på tilbud", offered.application.case_number)]
    assert offer[7] == "20000"
    report = by_case[("Rapport fra tilskuddsmottaker", accepted.application.case_number)]
    assert (report[5], report[6]) == ("2019-09-01", "9")
    assert report[8].endswith(f"/saksbehandling/tilskudd/{accepted.pk}/")
    assert grants["bergen"].application.case_number not in text
    assert len(lines) - 1 == len(dashboard.due_rows(world.staff["caseworker"]))

    offers_only = b"".join(client.get("/saksbehandling/frister.csv?kind=offer").streaming_content).decode()
    assert accepted.application.case_number not in offers_only and offered.application.case_number in offers_only


def test_the_number_of_queries_does_not_grow_with_the_rows(world, grants, client, freeze_now):
    caseworker = world.staff["caseworker"]
    login_verified(client, caseworker)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/saksbehandling/frister/").status_code == 200
        return len(captured)

    before, rows_before = queries(), len(dashboard.due_rows(caseworker))
    # Two more IMDi grants: two more offers with their rows.
    freeze_now(DECIDED[C0])
    taken = {grants["accepted"].application_id, grants["offered"].application_id}
    for application in [a for a in world.applications[C0] if a.pk not in taken][:2]:
        decide(world, application, kind="grant", amount=5_000)
    freeze_now(TODAY)
    assert len(dashboard.due_rows(caseworker)) == rows_before + 2
    assert queries() == before


def test_an_assessor_and_a_grantee_are_kept_out(world, grants, client):
    page = _page(client, world.staff["assessor1"])
    assert page.status_code == 403
    assert client.get("/saksbehandling/frister.csv").status_code == 403
    client.logout()
    login_verified(client, applicant_of(grants["accepted"].application))
    assert client.get("/saksbehandling/frister/").status_code == 403
    assert client.get("/saksbehandling/frister.csv").status_code == 403
    client.logout()
    assert client.get("/saksbehandling/frister/").status_code == 302


def test_the_casework_navigation_links_the_list(world, client):
    page = _page(client, world.staff["caseworker"])
    assert 'href="/saksbehandling/frister/" aria-current="page"' in page.content.decode()
    login_verified(client, world.staff["caseworker"])
    assert 'href="/saksbehandling/frister/"' in client.get("/saksbehandling/").content.decode()


C2_REPORT = {"work_done": "Kurs.", "goal_achievement": "Nådd.", "participants": 10}


@pytest.fixture
def world_without_grants(db):
    """C0 and C2 without the module's grants (its C2 grant is on the application of Bergen's offer), built for the
    one test: it runs before the module's world is built (tests/conftest.py)."""
    return build_world((C0, C2))


def test_reports_to_review_the_grant_pages_duties_and_an_outstanding_repayment_claim(
    world_without_grants, freeze_now, client
):
    """A C2 grant of NOK 50 000, paid out (through the ORM, as tests/reports/test_repayment.py), its reports delivered
    with 20 000 unused: each waits for review on the list; the grant pages show each duty delivered and approved;
    once the claim for 20 000 is sent, it is on the list until its due day and overdue after it."""
    world = world_without_grants
    grant = accepted_grant(world, freeze_now, C2, 50_000, report_due=dt.date(2021, 3, 1))
    staff = staff_of(world, grant.application)
    signatory = applicant_of(grant.application)
    grant.terms.update(status=TermStatus.PAID)
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.PAID_OUT)

    # Before delivery: the duties are due (on the list within 30 days of their day, and on both grant pages).
    freeze_now(dt.datetime(2021, 2, 15, 12, 0, tzinfo=OSLO))
    duties = list(grant.reporting_duties.order_by("position"))
    due = [row for row in dashboard.due_rows(staff["caseworker"]) if row.grant_id == grant.pk]
    assert {(row.kind, row.due, row.overdue_days) for row in due} == {(Kind.REPORT, dt.date(2021, 3, 1), 0)}
    assert len(due) == len(duties)
    login_verified(client, signatory)
    applicant_page = client.get(f"/soknader/{grant.application_id}/tilskudd/").content.decode()
    assert all(f"Frist: {duty.title_nb}" in applicant_page for duty in duties)

    freeze_now(dt.datetime(2021, 2, 20, 12, 0, tzinfo=OSLO))
    for duty in duties:
        if duty.accounts:
            lines = services.budget_of(duty)
            actual = {line.index: (30_000 if line.index == lines[0].index else 0) for line in lines}
            services.deliver_report(signatory, duty.pk, Delivery(actual=actual))
        else:
            services.deliver_report(signatory, duty.pk, Delivery(answers=C2_REPORT))
    to_review = [row for row in dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REVIEW))]
    assert {row.what_nb for row in to_review} == {duty.title_nb for duty in duties}
    assert {row.due for row in to_review} == {dt.date(2021, 2, 20)}
    assert all(row.link.startswith("/saksbehandling/rapporter/") for row in to_review)

    review.approve_report(staff["caseworker"], duties[0].pk)
    left = dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REVIEW))
    assert [row.what_nb for row in left] == [duty.title_nb for duty in duties[1:]]
    login_verified(client, staff["caseworker"])
    staff_page = client.get(f"/saksbehandling/tilskudd/{grant.pk}/").content.decode()
    assert f"Godkjent: {duties[0].title_nb}" in staff_page
    assert all(f"Levert: {duty.title_nb}" in staff_page for duty in duties)
    login_verified(client, signatory)
    assert (
        f"Godkjent: {duties[0].title_nb}" in client.get(f"/soknader/{grant.application_id}/tilskudd/").content.decode()
    )

    for duty in duties[1:]:
        review.approve_report(staff["caseworker"], duty.pk)
    assert dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REVIEW)) == []
    claim = repayment.prepare_claim(staff["caseworker"], grant.pk, reason="Ikke brukt.", due=dt.date(2021, 4, 30))
    assert dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REPAYMENT)) == []  # not sent yet
    repayment.approve_claim(staff["approver"], claim.pk)
    [row] = dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REPAYMENT))
    assert (row.grant_id, row.amount, row.due, row.overdue_days) == (grant.pk, 20_000, dt.date(2021, 4, 30), 0)
    freeze_now(dt.datetime(2021, 5, 3, 12, 0, tzinfo=OSLO))
    [row] = dashboard.due_rows(staff["caseworker"], Filters(kind=Kind.REPAYMENT, overdue=True))
    assert row.overdue_days == 3
