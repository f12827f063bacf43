"""Reports through the API for a multi-year grant continued into its next year (issue #12, reports in the API;
C4-R09: granted for four years, each year continued).

A continuation makes a new grant on the same application, with its own duties. The API took the newest grant
only, so after the continuation the first year's duties were a 404 and its report could not be saved or
delivered. Here a C4 grant for 2026, continued into 2027: both years' duties are listed with their grant and
year, and each year's annual report is read, saved as a draft and delivered through the API; another
organisation still gets 404 for every one of them.
"""

from __future__ import annotations

import datetime as dt
import tempfile

import pytest
from django.test import override_settings

from tests.api.test_reports_api import Api, _token
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.reports.helpers import frozen_clock
from tests.staff_world import build_world
from tilskudd.grants.allocation import frames
from tilskudd.grants.awards import acceptance, continuation
from tilskudd.grants.models import Grant
from tilskudd.reports.models import Report, ReportDraft, ReportingDuty

C4 = "nasjonale-ressurssentre-2026"
OSLO = dt.timezone(dt.timedelta(hours=1))
FIRST_DUE = dt.date(2027, 1, 31)
ANSWERS = {"activities_results": "Vi holdt 30 kurs og nådde målet for året.", "conditions_hold": True}


def _years(world, freeze_now) -> tuple[Grant, Grant]:
    """A C4 grant for 2026 (its report due 31.01.2027) with a commitment for 2027, continued into 2027; both
    accepted by the signatory, so both years have their duties (the 2027 grant is the newest)."""
    freeze_now(dt.datetime(2026, 5, 20, 10, 0, tzinfo=OSLO))
    application = world.applications[C4][0]
    signatory = applicant_of(application)
    decision = publish_decision(
        world,
        application,
        amount=500_000,
        later_years={"2027": 400_000},
        period_end=dt.date(2027, 12, 31),
        report_due=FIRST_DUE,
    )
    freeze_now(dt.datetime(2026, 6, 2, 10, 0, tzinfo=OSLO))
    acceptance.accept(signatory, decision.grant.pk, acceptance.terms_hash(decision.grant))
    first = Grant.objects.get(pk=decision.grant.pk)
    freeze_now(dt.datetime(2026, 11, 16, 9, 0, tzinfo=OSLO))
    ids = [c["id"] for c in continuation.conditions(first)]
    lines = [{"text": "Lønn", "amount": 400_000}]
    filed = continuation.file_plan(signatory, first.pk, ids, "Vi fortsetter ressurssenteret i 2027.", lines, 400_000)
    approver = world.staff["approver"]
    frames.set_frame(approver, application.call, application.case.grantor_org_number, "", 2027, 1_000_000)
    continuation.propose(world.staff["caseworker"], filed.pk, 400_000)
    freeze_now(dt.datetime(2026, 12, 1, 9, 0, tzinfo=OSLO))
    second = continuation.approve(approver, filed.pk).new_grant
    acceptance.accept(signatory, second.pk, acceptance.terms_hash(second))
    assert Grant.objects.filter(application=application).first() == second, "the newest grant is the second year's"
    assert ReportingDuty.objects.filter(grant=first).exists() and ReportingDuty.objects.filter(grant=second).exists()
    return first, Grant.objects.get(pk=second.pk)


def _world():
    """C4's world and the two years of :func:`_years`, decided, continued and accepted once for the module (issue #9
    point 7); the letters are written under a folder of the world's own."""
    world = build_world((C4,))
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="reports-api-continued-")), frozen_clock() as freeze:
        return {"world": world, "years": _years(world, freeze)}


reports_api_continued_world_built = shared_world(_world, name="reports_api_continued_world_built")


@pytest.fixture
def built(reports_api_continued_world_built, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return fresh(reports_api_continued_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def years(built, freeze_now) -> tuple[Grant, Grant]:
    """The two years of :func:`_years`; the clock stands where it was left, at the second year's acceptance."""
    freeze_now(dt.datetime(2026, 12, 1, 9, 0, tzinfo=OSLO))
    return built["years"]


@pytest.fixture
def api(client, years):
    application = years[0].application
    return Api(client, _token(applicant_of(application), application.organisation))


def _base(grant) -> str:
    return f"/api/v1/applications/{grant.application_id}/grant/reports"


def _annual(grant) -> ReportingDuty:
    return ReportingDuty.objects.get(grant=grant, kind="annual_report")


def test_both_years_duties_are_listed_by_due_day_each_with_its_grant_and_year(api, years):
    first, second = years
    listed = api.get(_base(first))
    assert listed.status_code == 200
    duties = listed.json()
    stored = {d.pk: d for d in ReportingDuty.objects.filter(grant__in=years)}
    assert sorted(d["id"] for d in duties) == sorted(stored) and len(stored) >= 4
    assert {(d["id"], d["grant_id"], d["year"]) for d in duties} == {
        (pk, duty.grant_id, duty.grant.year) for pk, duty in stored.items()
    }
    assert {d["year"] for d in duties} == {2026, 2027}
    # By due day: the first year's report due 31.01.2027 first, the days the grant letter gives (none yet) last.
    dues = [d["due"] for d in duties]
    dated = [due for due in dues if due is not None]
    assert dated == sorted(dated) and dues == dated + [None] * (len(dues) - len(dated))
    assert duties[0]["due"] == FIRST_DUE.isoformat() and duties[0]["year"] == 2026
    undated = [(d["year"], d["id"]) for d in duties if d["due"] is None]
    assert undated == sorted(undated)


@pytest.mark.parametrize("which", [0, 1], ids=["first-year", "second-year"])
def test_each_years_report_is_read_saved_and_delivered(api, years, which):
    grant = years[which]
    duty = _annual(grant)
    url = f"{_base(grant)}/{duty.pk}"
    detail = api.get(url)
    assert detail.status_code == 200
    assert (detail.json()["grant_id"], detail.json()["year"]) == (grant.pk, grant.year)
    assert detail.json()["can_submit"] is True, detail.json()["why_not"]
    saved = api.put(f"{url}/draft", {"revision": 0, "answers": ANSWERS})
    assert saved.status_code == 200, saved.json()
    content_hash = saved.json()["draft"]["content_hash"]
    assert content_hash
    delivered = api.post(f"{url}/submit", {"content_hash": content_hash})
    assert delivered.status_code == 201, delivered.json()
    assert delivered.json()["status"] == "delivered" and delivered.json()["year"] == grant.year
    assert Report.objects.get(duty=duty).content_hash == content_hash
    # The other year's report is untouched.
    other = _annual(years[1 - which])
    assert not Report.objects.filter(duty=other).exists() and not ReportDraft.objects.filter(duty=other).exists()


def test_another_organisation_gets_404_for_either_years_duties(client, world, years):
    first, second = years
    other = next(a for a in world.applications[C4] if a.organisation_id != first.application.organisation_id)
    api = Api(client, _token(applicant_of(other), other.organisation))
    listed = api.get(_base(first))
    assert listed.status_code == 404 and "organisasjonen din" in listed.json()["detail"]
    for grant in years:
        duty = _annual(grant)
        url = f"{_base(grant)}/{duty.pk}"
        assert api.get(url).status_code == 404
        assert api.put(f"{url}/draft", {"revision": 0, "answers": ANSWERS}).status_code == 404
        assert api.post(f"{url}/submit", {"content_hash": "x"}).status_code == 404
        # nor through its own application
        assert api.get(f"/api/v1/applications/{other.pk}/grant/reports/{duty.pk}").status_code == 404
    assert not ReportDraft.objects.exists() and not Report.objects.exists()
