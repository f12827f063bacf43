"""Reports through the API (issue #12, point 2): a grant's reporting duties, the call's report form with the
application's goals beside the goal achievement, the draft saved with the portal's checks, and delivery by the
signatory only — signed by its content hash, with one report and one receipt however often it is sent."""

from __future__ import annotations

import datetime as dt
import tempfile

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.reports.helpers import DECIDED, accepted_grant, frozen_clock
from tests.staff_world import C2, build_world
from tilskudd.api.auth import issue_token
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import AuditAction
from tilskudd.orgs.models import Membership
from tilskudd.reports.models import Report, ReportDraft, ReportingDuty
from tilskudd.reports.states import DutyStatus

ANSWERS = {
    "work_done": "Vi holdt 12 kurs i norsk og arbeidsliv.",
    "goal_achievement": "Deltakerne kom i arbeid eller utdanning.",
    "participants": 45,
}


def _world():
    """C2's world and the grant the tests read, decided and accepted once for the module (issue #9 point 7); the
    letters are written under a folder of the world's own."""
    world = build_world((C2,))
    with override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="reports-api-")), frozen_clock() as freeze:
        grant = accepted_grant(world, freeze, C2, 150_000, report_due=dt.date(2021, 3, 1))
    return {"world": world, "grant": grant}


reports_api_world_built = shared_world(_world, name="reports_api_world_built")


@pytest.fixture
def built(reports_api_world_built, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return fresh(reports_api_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def grant(built, freeze_now):
    """A C2 grant of NOK 150 000, accepted (the clock stands at its acceptance); its annual report is due
    1 March 2021."""
    freeze_now(DECIDED[C2])
    return built["grant"]


def _token(user, organisation) -> str:
    """A token that acts as ``user`` (made able to administer the organisation's tokens, keeping the role)."""
    Membership.objects.filter(user=user, organisation=organisation, removed_at__isnull=True).update(administers=True)
    return issue_token(user, organisation, "Fagsystem").secret


def _member(django_user_model, organisation):
    user = django_user_model.objects.create_user(
        email="medlem@forening.example", password="x" * 16, full_name="Med Lem"
    )
    # an administrator of the organisation (who may make tokens) without the right to sign
    Membership.objects.create(user=user, organisation=organisation, role="administrator", confirmed_at=timezone.now())
    return user


class Api:
    def __init__(self, client, secret: str):
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def get(self, url):
        return self.client.get(url, secure=True, **self.headers)

    def put(self, url, body):
        return self.client.put(url, body, content_type="application/json", secure=True, **self.headers)

    def post(self, url, body):
        return self.client.post(url, body, content_type="application/json", secure=True, **self.headers)


def _base(grant) -> str:
    return f"/api/v1/applications/{grant.application_id}/grant/reports"


def _annual(grant) -> ReportingDuty:
    return ReportingDuty.objects.get(grant=grant, kind="annual_report")


@pytest.fixture
def signatory_api(client, grant):
    return Api(client, _token(applicant_of(grant.application), grant.application.organisation))


def test_the_grants_duties_and_the_report_form_with_the_goals_beside(signatory_api, grant):
    listed = signatory_api.get(_base(grant))
    assert listed.status_code == 200
    duties = listed.json()
    stored = list(grant.reporting_duties.order_by("due", "position"))
    assert [d["id"] for d in duties] == [d.pk for d in stored]
    assert [d["title"]["nb"] for d in duties] == [d.title_nb for d in stored]
    assert {d["status"] for d in duties} == {"open"} and duties[0]["status_text"]["nb"] == "Ikke levert"
    duty = _annual(grant)
    detail = signatory_api.get(f"{_base(grant)}/{duty.pk}").json()
    assert detail["due"] == "2021-03-01" and detail["can_submit"] is True and detail["why_not"] is None
    assert detail["draft"] is None and detail["report"] is None
    fields = {f["id"]: f for f in detail["form"]["fields"]}
    assert fields["goal_achievement"]["required"] is True
    stated = grant.application.submitted().answers
    assert [(g["field"], g["label"]["nb"], g["text"]) for g in fields["goal_achievement"]["beside"]] == [
        ("goals_and_target_groups", "Mål og målgrupper", stated["goals_and_target_groups"].strip()),
        ("measurable_goals", "Konkrete og målbare mål", stated["measurable_goals"].strip()),
    ]
    assert fields["work_done"]["beside"] == []


def test_another_organisations_token_sees_none_of_its_duties(client, grant, world):
    other = next(a for a in world.applications[C2] if a.organisation_id != grant.application.organisation_id)
    api = Api(client, _token(applicant_of(other), other.organisation))
    duty = _annual(grant)
    for url in (_base(grant), f"{_base(grant)}/{duty.pk}"):
        response = api.get(url)
        assert response.status_code == 404 and "organisasjonen din" in response.json()["detail"]
    assert api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": ANSWERS}).status_code == 404
    assert api.post(f"{_base(grant)}/{duty.pk}/submit", {"content_hash": "x"}).status_code == 404
    # nor through its own application: a duty of another grant is not found under it
    assert api.get(f"/api/v1/applications/{other.pk}/grant/reports/{duty.pk}").status_code == 404
    assert not ReportDraft.objects.exists() and not Report.objects.exists()


def test_a_draft_is_saved_with_the_portals_checks_and_bad_input_changes_nothing(signatory_api, grant):
    duty = _annual(grant)
    url = f"{_base(grant)}/{duty.pk}/draft"
    saved = signatory_api.put(url, {"revision": 0, "answers": {"work_done": ANSWERS["work_done"]}})
    assert saved.status_code == 200
    draft = saved.json()["draft"]
    assert draft["revision"] == 1 and draft["answers"] == {"work_done": ANSWERS["work_done"]}
    assert draft["content_hash"] is None, "a required answer is still missing"
    events = AuditEvent.objects.filter(action=AuditAction.REPORT_DRAFT_SAVED).count()
    assert events == 1

    def unchanged():
        stored = ReportDraft.objects.get(duty=duty)
        assert stored.revision == 1 and stored.answers == {"work_done": ANSWERS["work_done"]}
        assert AuditEvent.objects.filter(action=AuditAction.REPORT_DRAFT_SAVED).count() == events

    wrong_type = signatory_api.put(url, {"revision": 1, "answers": {**ANSWERS, "participants": -3}})
    assert wrong_type.status_code == 422
    assert [p["field"] for p in wrong_type.json()["problems"]] == ["participants"]
    unchanged()
    unknown = signatory_api.put(url, {"revision": 1, "answers": {**ANSWERS, "no_such_field": "x"}})
    assert unknown.status_code == 422 and unknown.json()["problems"][0]["field"] == "no_such_field"
    unchanged()
    accounts = signatory_api.put(url, {"revision": 1, "answers": ANSWERS, "actual": {"0": 100}})
    assert accounts.status_code == 422 and accounts.json()["problems"][0]["message_nb"].startswith("Denne rapporten")
    unchanged()
    not_json = signatory_api.client.put(
        url, b"{answers", content_type="application/json", secure=True, **signatory_api.headers
    )
    assert not_json.status_code == 400 and "JSON" in not_json.json()["detail"]
    unchanged()
    float_answer = signatory_api.put(url, {"revision": 1, "answers": {**ANSWERS, "participants": 4.5}})
    assert float_answer.status_code == 422
    unchanged()
    stale = signatory_api.put(url, {"revision": 0, "answers": ANSWERS})
    assert stale.status_code == 409 and "versjon 1" in stale.json()["detail"]
    unchanged()
    complete = signatory_api.put(url, {"revision": 1, "answers": ANSWERS})
    assert complete.status_code == 200 and complete.json()["draft"]["content_hash"]


def test_the_signatory_submits_once_with_one_report_and_one_receipt(signatory_api, grant):
    duty = _annual(grant)
    drafted = signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": ANSWERS}).json()
    content_hash = drafted["draft"]["content_hash"]
    url = f"{_base(grant)}/{duty.pk}/submit"
    first = signatory_api.post(url, {"content_hash": content_hash})
    assert first.status_code == 201
    body = first.json()
    report = Report.objects.get(duty=duty)
    assert body["created"] is True and body["status"] == "delivered" and body["can_submit"] is False
    assert body["report"]["content_hash"] == report.content_hash == content_hash
    assert body["report"]["capacity"] == "signatory" and body["report"]["answers"] == ANSWERS
    assert report.receipt and body["report"]["receipt_sha256"] == report.receipt_sha256
    again = signatory_api.post(url, {"content_hash": content_hash})
    assert again.status_code == 200 and again.json()["created"] is False
    assert Report.objects.filter(duty=duty).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.REPORT_SUBMITTED).count() == 1
    assert Report.objects.get(duty=duty).receipt_sha256 == report.receipt_sha256
    # a delivered report takes no new draft
    late = signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 1, "answers": ANSWERS})
    assert late.status_code == 403 and "allerede levert" in late.json()["detail"]


def test_a_draft_changed_since_it_was_read_is_not_submitted(signatory_api, grant):
    duty = _annual(grant)
    read = signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": ANSWERS}).json()
    changed = {**ANSWERS, "participants": 46}
    signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 1, "answers": changed})
    response = signatory_api.post(f"{_base(grant)}/{duty.pk}/submit", {"content_hash": read["draft"]["content_hash"]})
    assert response.status_code == 409 and "ikke det samme" in response.json()["detail"]
    assert not Report.objects.exists() and _annual(grant).status == DutyStatus.OPEN


def test_submitting_without_the_required_answers_names_them(signatory_api, grant):
    duty = _annual(grant)
    signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": {"participants": 3}})
    response = signatory_api.post(f"{_base(grant)}/{duty.pk}/submit", {"content_hash": "whatever"})
    assert response.status_code == 422
    assert {p["field"] for p in response.json()["problems"]} >= {"work_done", "goal_achievement"}
    assert not Report.objects.exists()


def test_a_non_signatorys_token_saves_the_draft_but_cannot_submit(client, grant, django_user_model):
    organisation = grant.application.organisation
    member = _member(django_user_model, organisation)
    api = Api(client, _token(member, organisation))
    duty = _annual(grant)
    detail = api.get(f"{_base(grant)}/{duty.pk}").json()
    assert detail["can_submit"] is False and "signaturrett" in detail["why_not"]["nb"]
    drafted = api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": ANSWERS})
    assert drafted.status_code == 200
    response = api.post(f"{_base(grant)}/{duty.pk}/submit", {"content_hash": drafted.json()["draft"]["content_hash"]})
    assert response.status_code == 403 and "signaturrett" in response.json()["detail"]
    assert not Report.objects.exists() and _annual(grant).status == DutyStatus.OPEN


def test_the_openapi_document_lists_the_report_endpoints_under_their_tag_with_their_own_shapes():
    from tilskudd.api.api import api  # noqa: PLC0415

    document = api.get_openapi_schema()
    paths = {path: ops for path, ops in document["paths"].items() if "/grant/reports" in path}
    methods = sorted(
        (method, path.removeprefix("/api/v1/applications/")) for path, ops in paths.items() for method in ops
    )
    assert methods == [
        ("get", "{application_id}/grant/reports"),
        ("get", "{application_id}/grant/reports/{duty_id}"),
        ("post", "{application_id}/grant/reports/{duty_id}/submit"),
        ("put", "{application_id}/grant/reports/{duty_id}/draft"),
    ]
    assert all(op["tags"] == ["reports / rapporter"] for ops in paths.values() for op in ops.values())
    # one name, one shape: the application's submission keeps its own answer (a report's must not replace it)
    schemas = document["components"]["schemas"]
    assert "case_number" in schemas["SubmitOut"]["properties"]
    assert "form" in schemas["ReportSubmitOut"]["properties"]


def test_a_draft_saved_through_the_api_fills_in_the_portals_form(signatory_api, grant):
    duty = _annual(grant)
    signatory_api.put(f"{_base(grant)}/{duty.pk}/draft", {"revision": 0, "answers": ANSWERS})
    client = signatory_api.client
    client.force_login(applicant_of(grant.application))
    page = client.get(f"/soknader/{grant.application_id}/rapporter/{duty.pk}/").content.decode()
    assert 'id="draft-saved"' in page and "lagret fra fagsystemet" in page
    assert f">{ANSWERS['work_done']}</textarea>" in page
    assert 'id="participants" name="answers.participants" value="45"' in page
