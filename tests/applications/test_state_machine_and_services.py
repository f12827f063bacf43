"""The application services: draft, sign, submit (atomic, idempotent, deadline), withdraw, audit."""

import datetime as dt

import pytest
from django.utils import timezone

from tilskudd.applications import services
from tilskudd.applications.models import Application
from tilskudd.applications.states import TRANSITIONS, Status, TransitionNotAllowed, check_transition
from tilskudd.audit.models import AuditEvent
from tilskudd.calls.models import Call
from tilskudd.calls.services import load_call_files
from tilskudd.orgs.models import Delegation, Membership, Organisation
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

GOOD = {
    "areas": ["3"],
    "answers": {"participants": 20, "needs_exemption": False},
    "budget": {
        "lines": [{"category": "staff", "amount": 400000}],
        "own_contribution": {"amount": 50000},
        "amount_applied": 350000,
    },
}


@pytest.fixture
def world(django_user_model):
    load_call_files([FIXTURES / "minimal_call.yaml"])
    call = Call.objects.get(slug="test-minimal")
    org = Organisation.objects.create(
        org_number="964338531", name="Bergen kommune", applicant_type="municipality", bank_account="12345678903"
    )
    other = Organisation.objects.create(org_number="942110464", name="Trondheim kommune", applicant_type="municipality")
    now = timezone.now()

    def person(email, organisation, role, confirmed=True):
        user = django_user_model.objects.create_user(email=email, password="x" * 16, full_name=email.split("@")[0])
        Membership.objects.create(
            user=user, organisation=organisation, role=role, title=role, confirmed_at=now if confirmed else None
        )
        return user

    return {
        "call": call,
        "org": org,
        "member": person("member@bergen.example", org, "member"),
        "signatory": person("radmann@bergen.example", org, "signatory"),
        "unconfirmed": person("ny@bergen.example", org, "member", confirmed=False),
        "outsider": person("someone@trondheim.example", other, "signatory"),
    }


def ready(world, user=None) -> Application:
    application = services.start_draft(user or world["member"], world["org"], world["call"])
    return services.save_draft(user or world["member"], application.pk, GOOD, application.revision)


def test_state_machine_lists_every_move_and_refuses_others():
    assert check_transition(Status.DRAFT, Status.SUBMITTED) == "submit"
    assert (Status.SUBMITTED, Status.DRAFT) not in TRANSITIONS
    with pytest.raises(TransitionNotAllowed):
        check_transition(Status.WITHDRAWN, Status.SUBMITTED)


def test_the_engine_runs_on_the_draft(world):
    application = services.start_draft(world["member"], world["org"], world["call"])
    outcome = services.check(application)
    assert not outcome.can_submit
    assert ("C0-R03", "areas") in {(f.rule_id, f.field) for f in outcome.findings}
    application = ready(world)
    assert services.check(application).findings == []


def test_two_people_saving_from_the_same_revision_cannot_overwrite_each_other(world):
    application = services.start_draft(world["member"], world["org"], world["call"])
    services.save_draft(world["member"], application.pk, {"areas": ["1"]}, application.revision)
    with pytest.raises(services.StaleRevision):
        services.save_draft(world["signatory"], application.pk, {"areas": ["3"]}, application.revision)
    assert Application.objects.get(pk=application.pk).content["areas"] == ["1"]


def test_a_member_cannot_sign_and_is_told_why(world):
    application = ready(world)
    with pytest.raises(services.NotAllowed) as refused:
        services.sign(world["member"], application.pk, application.revision)
    assert "signaturrett" in refused.value.permission.reason_nb


def test_signing_with_errors_is_refused(world):
    application = services.start_draft(world["member"], world["org"], world["call"])
    with pytest.raises(services.SubmissionRefused) as refused:
        services.sign(world["signatory"], application.pk, application.revision)
    assert refused.value.findings


def test_sign_then_submit_gives_a_case_number_locks_and_audits(world):
    application = ready(world)
    signature = services.sign(world["signatory"], application.pk, application.revision)
    assert len(signature.content_hash) == 64
    result = services.submit(world["member"], application.pk)
    application.refresh_from_db()
    assert result.created
    assert application.status == Status.SUBMITTED
    assert application.case_number == f"{timezone.localdate().year % 100:02d}/00001"
    assert application.submitted_hash == signature.content_hash
    assert application.submitted_content["applicant"]["org_number"] == "964338531"
    with pytest.raises(services.NotAllowed):
        services.save_draft(world["member"], application.pk, {"areas": ["1"]}, application.revision)
    actions = list(AuditEvent.objects.filter(subject_type="application", subject_id=str(application.pk)).values_list("action", flat=True))
    assert actions == ["application.created", "draft.saved", "application.signed", "application.submitted"]


def test_submitting_twice_makes_one_submission(world):
    application = ready(world)
    services.sign(world["signatory"], application.pk, application.revision)
    first = services.submit(world["member"], application.pk)
    second = services.submit(world["member"], application.pk)
    assert (first.created, second.created) == (True, False)
    assert first.application.case_number == second.application.case_number
    assert AuditEvent.objects.filter(action="application.submitted").count() == 1


def test_an_edit_after_signing_voids_the_signature(world):
    application = ready(world)
    services.sign(world["signatory"], application.pk, application.revision)
    edited = services.save_draft(
        world["member"], application.pk, {"answers": {"participants": 21, "needs_exemption": False}}, application.revision
    )
    assert edited.active_signature() is None
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit(world["member"], application.pk)
    assert "signeres" in refused.value.reason_nb


def test_submission_after_the_deadline_is_refused_by_the_server_clock(world, monkeypatch):
    application = ready(world)
    services.sign(world["signatory"], application.pk, application.revision)
    late = world["call"].deadline + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: late)
    with pytest.raises(services.SubmissionRefused) as refused:
        services.submit(world["member"], application.pk)
    assert refused.value.reason_nb == "Søknadsfristen gikk ut 28.02.2030 kl. 12:00. Søknaden kan ikke sendes inn."
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT


def test_an_unconfirmed_person_can_draft_but_not_submit(world):
    application = ready(world, world["unconfirmed"])
    services.sign(world["signatory"], application.pk, application.revision)
    with pytest.raises(services.NotAllowed) as refused:
        services.submit(world["unconfirmed"], application.pk)
    assert "ikke bekreftet" in refused.value.permission.reason_nb


def test_a_delegate_can_sign_within_the_delegation_only(world):
    application = ready(world)
    delegation = Delegation.objects.create(
        organisation=world["org"],
        granted_by=world["signatory"],
        delegate=world["member"],
        call=world["call"],
        valid_until=timezone.localdate() + dt.timedelta(days=10),
    )
    signature = services.sign(world["member"], application.pk, application.revision)
    assert (signature.capacity, signature.delegation_id) == ("delegate", delegation.pk)
    delegation.valid_until = timezone.localdate() - dt.timedelta(days=1)
    delegation.save()
    with pytest.raises(services.NotAllowed):
        services.sign(world["member"], application.pk, application.revision)


def test_someone_from_another_organisation_can_do_nothing(world):
    application = ready(world)
    with pytest.raises(services.NotAllowed):
        services.save_draft(world["outsider"], application.pk, {"areas": ["1"]}, application.revision)
    with pytest.raises(services.NotAllowed):
        services.sign(world["outsider"], application.pk, application.revision)
    with pytest.raises(services.NotAllowed):
        services.submit(world["outsider"], application.pk)


def test_withdraw_after_submission(world):
    application = ready(world)
    services.sign(world["signatory"], application.pk, application.revision)
    services.submit(world["member"], application.pk)
    services.withdraw(world["member"], application.pk, reason="Prosjektet er avlyst")
    event = AuditEvent.objects.get(action="application.withdrawn")
    assert (event.from_state, event.to_state, event.reason) == ("submitted", "withdrawn", "Prosjektet er avlyst")
    with pytest.raises(services.NotAllowed):
        services.withdraw(world["member"], application.pk)
