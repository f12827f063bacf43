"""Safe defaults on the decision pages (issue #13, point 9).

The decision's period starts as the call's period and the form warns when it lies in the past; a call's
decisions cannot be published for a grantor with no frame set, and the publish page says so before anyone
presses the button.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.accounts.helpers import login_verified
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C0, C2
from tests.web.conftest import visible_text
from tilskudd.grants.allocation import frames
from tilskudd.grants.decisions import services
from tilskudd.grants.models import Decision
from tilskudd.grants.states import DecisionStatus

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def world(casework_world):
    return casework_world


def _as(client, user):
    client.logout()
    login_verified(client, user)
    return client


def _prepare_page(world, client, slug=C2):
    ours = next(a for a in world.applications[slug] if a.case.grantor_org_number == world.imdi.org_number)
    application = ready_for_decision(ours, world.staff["caseworker"])
    _as(client, world.staff["caseworker"])
    return application, f"/saksbehandling/saker/{application.case.pk}/vedtak/"


def test_the_decision_period_starts_as_the_calls_year(world, client, freeze_now):
    application, url = _prepare_page(world, client)
    year = application.call_version.parsed().year
    freeze_now(dt.datetime(year, 3, 1, 12, tzinfo=OSLO))
    html = client.get(url).content.decode()
    assert f'name="period_start" value="{year}-01-01"' in html
    assert f'name="period_end" value="{year}-12-31"' in html
    assert 'id="period-warning"' not in html


def test_a_multi_year_call_leaves_the_end_to_the_years_committed_to(world, client, freeze_now):
    application, url = _prepare_page(world, client, C0)  # C0 allows commitments for later years
    year = application.call_version.parsed().year
    freeze_now(dt.datetime(year, 3, 1, 12, tzinfo=OSLO))
    html = client.get(url).content.decode()
    assert f'name="period_start" value="{year}-01-01"' in html
    assert 'name="period_end" class="ds-input"' in html or 'name="period_end" value' not in html


def test_a_period_that_has_ended_is_warned_about_but_may_be_chosen(world, client, freeze_now):
    application, url = _prepare_page(world, client)
    year = application.call_version.parsed().year
    freeze_now(dt.datetime(year + 1, 1, 1, 0, 30, tzinfo=OSLO))  # just past midnight in Oslo, still 31.12 in UTC
    text = visible_text(client.get(url).content.decode())
    assert f"Perioden sluttet 31.12.{year}, før i dag." in text
    # A period the caseworker types is judged too, and the warning does not stop the decision.
    page = client.post(url, {"kind": "grant", "amount": "1000", "period_start": "", "period_end": "not a date"})
    assert page.status_code == 400 and 'id="period-warning"' not in page.content.decode()
    response = client.post(
        url, {"kind": "grant", "amount": "20000", "period_start": f"{year}-01-01", "period_end": f"{year}-06-30"}
    )
    assert response.status_code == 302
    assert Decision.objects.get(application=application).period_end == dt.date(year, 6, 30)


def _approved_bergen_grant(world):
    landaas = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    ready_for_decision(landaas, world.bergen_staff["caseworker"])
    decision = services.prepare_decision(world.bergen_staff["caseworker"], landaas.pk, "grant", amount=20_000)
    services.approve(world.bergen_staff["approver"], decision.pk)
    return landaas, decision


def test_no_frame_no_publication_and_nothing_changes(world):
    application, decision = _approved_bergen_grant(world)
    approver, call = world.bergen_staff["approver"], world.calls[C2]
    with pytest.raises(services.FrameMissing) as refused:
        services.publish(approver, call, world.bergen.org_number)
    nb, en = refused.value.reasons
    assert "ikke satt noen ramme for 2020" in nb and "No frame is set for 2020" in en
    decision.refresh_from_db()
    application.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED and decision.letter is None
    assert not hasattr(decision, "grant") or decision.grant is None
    frames.set_frame(approver, call, world.bergen.org_number, "", 2020, 1_000_000)
    assert [d.pk for d in services.publish(approver, call, world.bergen.org_number)] == [decision.pk]


def test_the_scheme_frame_counts_for_every_grantor_of_the_call(world):
    _, decision = _approved_bergen_grant(world)
    call = world.calls[C2]
    frames.set_frame(world.staff["administrator"], call, "", "", 2020, 10_000_000)  # the whole scheme, split 60/40
    assert services.has_frame(call, world.bergen.org_number) and services.has_frame(call, world.imdi.org_number)
    assert [d.pk for d in services.publish(world.bergen_staff["approver"], call, world.bergen.org_number)] == [
        decision.pk
    ]


def test_the_publish_page_tells_why_before_and_after_pressing(world, client):
    application, decision = _approved_bergen_grant(world)
    url = f"/saksbehandling/utlysninger/{world.calls[C2].slug}/kunngjor/"
    _as(client, world.bergen_staff["approver"])
    html = client.get(url).content.decode()
    assert f'id="no-frame-{world.bergen.org_number}"' in html
    assert "Det er ikke satt noen ramme for 2020" in visible_text(html)
    response = client.post(url, {"grantor": world.bergen.org_number})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.APPROVED
