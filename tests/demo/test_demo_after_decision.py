"""Issue #12's «Done when» on the demo data: the demo's decided grants (``demo.after_decision``) show on IMDi's
caseworker's «due and overdue» list, and the grantee sees its grant accepted.

The demo is loaded as the command loads it (``load_demo(decided=True)``), today; nothing here names a date or a
case number: each is read from the duties and the grants the demo made, and looked for as the page writes it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import load_calls, shared_world
from tests.conftest import CALLS_DIR
from tests.web.conftest import visible_text
from tilskudd.calls.services import call_files_in
from tilskudd.core.formatting import format_date
from tilskudd.demo import after_decision
from tilskudd.demo.data import DEMO_PASSWORD
from tilskudd.demo.services import load_demo
from tilskudd.grants.models import Grant
from tilskudd.grants.states import GrantStatus
from tilskudd.reports.dashboard import HORIZON_DAYS
from tilskudd.reports.models import ReportingDuty

pytestmark = pytest.mark.django_db


def _decided_demo():
    load_calls(call_files_in(CALLS_DIR))
    load_demo(decided=True)


decided_demo = shared_world(_decided_demo, name="decided_demo")


@pytest.fixture
def demo(decided_demo, db):
    """The calls and the demo as ``manage.py load_demo`` makes it, once for the module (each test in a savepoint)."""


def rows(html: str) -> list[str]:
    """The visible text of each row of the «due and overdue» table."""
    return [visible_text(row) for row in re.findall(r'<tr class="due-row".*?</tr>', html, re.S)]


def test_the_demo_has_accepted_grants_with_reporting_duties_and_one_open_offer(demo):
    grants = Grant.objects.filter(application__call__slug__startswith=after_decision.CALL)
    assert sorted(grants.values_list("status", flat=True)) == sorted(
        GrantStatus.ACCEPTED if plan.accepted else GrantStatus.OFFERED for plan in after_decision.PLANS
    )
    for grant in grants.filter(status=GrantStatus.ACCEPTED):
        assert ReportingDuty.objects.filter(grant=grant).exists(), grant.application.case_number


def test_imdis_caseworker_sees_the_demo_grants_duties_due_and_overdue(demo, client):
    login_verified(client, get_user_model().objects.get(email=after_decision.CASEWORKER))
    response = client.get("/saksbehandling/frister/")
    assert response.status_code == 200
    listed = rows(response.content.decode())

    duties = ReportingDuty.objects.filter(grant__application__call__slug__startswith=after_decision.CALL)
    today = timezone.localdate()
    overdue = [duty for duty in duties if duty.due < today]
    due_soon = [duty for duty in duties if duty not in overdue]
    assert overdue and due_soon  # one grant's report is late, another's falls due within the horizon
    for duty in duties:
        case_number = duty.grant.application.case_number
        shown = [row for row in listed if case_number in row and duty.title_nb in row and format_date(duty.due) in row]
        assert len(shown) == 1, (case_number, duty.title_nb, format_date(duty.due), listed)
        if duty in overdue:
            days = (today - duty.due).days
            assert f"{days} {'dag' if days == 1 else 'dager'}" in shown[0]
        else:
            assert (duty.due - today).days <= HORIZON_DAYS

    # The offer that is not answered yet is listed with its grantee.
    offered = Grant.objects.get(application__call__slug__startswith=after_decision.CALL, status=GrantStatus.OFFERED)
    assert any(
        offered.application.case_number in row
        and "Svar på tilbud" in row
        and offered.application.organisation.name in row
        for row in listed
    )


def test_the_grantee_sees_its_grant_accepted(demo, client):
    grant = Grant.objects.get(
        application__call__slug__startswith=after_decision.CALL,
        application__organisation__org_number=after_decision.PLANS[0].org_number,
    )
    signatory = after_decision._signatory(grant.application)
    assert signatory.check_password(DEMO_PASSWORD)  # a demo login
    client.force_login(signatory)
    response = client.get(f"/soknader/{grant.application_id}/tilskudd/")
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "Akseptert" in text
    for duty in ReportingDuty.objects.filter(grant=grant):
        assert duty.title_nb in text and format_date(duty.due) in text


def test_loading_the_decided_demo_again_changes_nothing(demo):
    before = list(Grant.objects.order_by("pk").values_list("pk", "status", "amount"))
    load_demo(decided=True)
    assert list(Grant.objects.order_by("pk").values_list("pk", "status", "amount")) == before
