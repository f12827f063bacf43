"""Who may open what on the grantor's side: every casework URL × every staff role and both kinds of grantor.

Roles: ``anon``; ``applicant`` (signatory of the applying organisation, no grantor role);
``plain_staff`` (``is_staff`` and two-factor verified, but no role at any grantor); IMDi's
``caseworker``, ``assessor`` (assigned to the case), ``approver`` and ``administrator``; and
``municipality`` (Bergen kommune's caseworker: a grantor of the other kind, C2-R02). The objects
belong to IMDi, so Bergen's staff get 404 — the objects' existence does not leak — and IMDi's staff
without the needed role get 403 with the reason.

``tests/test_access_matrix.py`` fails for a route that neither matrix covers.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.payments.payment_helpers import payment_world_objects
from tests.staff_world import C0, C2, build_world

ROLES = ("anon", "applicant", "plain_staff", "caseworker", "assessor", "approver", "administrator", "municipality")
LOGIN = "login"


def staff(ok=200, *, caseworker=None, assessor=None, approver=None, administrator=None, municipality=404):
    """A page about IMDi's objects: IMDi's staff get ``ok`` (or their own answer), the others are kept out."""
    return {
        "anon": LOGIN,
        "applicant": 403,
        "plain_staff": 403,
        "caseworker": ok if caseworker is None else caseworker,
        "assessor": ok if assessor is None else assessor,
        "approver": ok if approver is None else approver,
        "administrator": ok if administrator is None else administrator,
        "municipality": municipality,
    }


#: route name → (method, path with {placeholders}, expected answer per role)
STAFF_MATRIX: dict[str, tuple[str, str, dict]] = {
    "casework:dashboard": ("GET", "/saksbehandling/", staff(municipality=200)),
    # Assessors read only the cases assigned to them (least privilege): not the queue.
    "casework:queue": ("GET", "/saksbehandling/utlysninger/{call}/", staff(assessor=403)),
    "casework:case": ("GET", "/saksbehandling/saker/{case}/", staff()),
    "casework:attachment": ("GET", "/saksbehandling/saker/{attachment_case}/vedlegg/{attachment}/", staff(assessor=403)),
    "casework:accept": ("POST", "/saksbehandling/saker/{case}/godta/", staff(403, caseworker=302)),
    "casework:request_completion": ("POST", "/saksbehandling/saker/{case}/komplettering/", staff(403, caseworker=400)),
    "casework:propose_rejection": ("POST", "/saksbehandling/saker/{case}/avvisning/", staff(403, caseworker=400)),
    "casework:assign": ("POST", "/saksbehandling/saker/{case}/saksbehandler/", staff(403, caseworker=302, administrator=302)),
    "casework:staff": ("GET", "/saksbehandling/tilskuddsforvaltere/{imdi}/personer/", staff(403, administrator=200)),
    "casework:remove_staff": ("POST", "/saksbehandling/tilskuddsforvaltere/{imdi}/personer/{approver_role}/fjern/", staff(403, administrator=302)),
    "casework:staff_title": ("POST", "/saksbehandling/tilskuddsforvaltere/{imdi}/personer/{caseworker_user}/stillingstittel/", staff(403, administrator=302)),
    "casework:revoke_staff_invitation": (
        "POST",
        "/saksbehandling/tilskuddsforvaltere/{imdi}/invitasjoner/999999/trekk-tilbake/",
        staff(403, administrator=404),
    ),
    # The link in the e-mail that offers a role: anyone may open it; an unknown token is 404.
    "casework:staff_invitation": ("GET", "/saksbehandling/invitasjon/no-such-token/", {role: 404 for role in ROLES}),
    "assessment:mine": ("GET", "/saksbehandling/vurderinger/", staff(municipality=200)),
    "assessment:assignment": ("GET", "/saksbehandling/vurderinger/{assignment}/", staff(404, assessor=200)),
    "assessment:summary": ("GET", "/saksbehandling/saker/{case}/vurdering/", staff(403, caseworker=200, approver=200)),
    "grants:allocation": ("GET", "/saksbehandling/utlysninger/{call}/fordeling/", staff(assessor=403)),
    "grants:propose": ("POST", "/saksbehandling/utlysninger/{call}/fordeling/forslag/", staff(403, caseworker=302)),
    "grants:set_line": ("POST", "/saksbehandling/utlysninger/{call}/fordeling/{application}/", staff(403, caseworker=400)),
    "grants:set_frame": ("POST", "/saksbehandling/utlysninger/{call}/rammer/", staff(403, approver=400, administrator=400)),
    "grants:prepare": ("GET", "/saksbehandling/saker/{case}/vedtak/", staff(403, caseworker=200)),
    "grants:approvals": ("GET", "/saksbehandling/godkjenning/", staff(403, approver=200, municipality=403)),
    "grants:decision": ("GET", "/saksbehandling/vedtak/{decision}/", staff(403, caseworker=200, approver=200)),
    "grants:letter_preview": ("GET", "/saksbehandling/vedtak/{decision}/brev.pdf", staff(403, caseworker=200, approver=200)),
    "grants:publish": ("GET", "/saksbehandling/utlysninger/{call}/kunngjor/", staff(403, approver=200)),
    "grants:overview": ("GET", "/saksbehandling/utlysninger/{call}/oversikt/", staff(assessor=403)),
    "grants:overview_csv": ("GET", "/saksbehandling/utlysninger/{call}/oversikt.csv", staff(assessor=403)),
    "grants:overview_xlsx": ("GET", "/saksbehandling/utlysninger/{call}/oversikt.xlsx", staff(assessor=403)),
    "grants:public_grants": ("GET", "/utlysninger/{call}/tildelinger/", {role: 200 for role in ROLES}),
    # The caseworker's grant pages (issue #11): IMDi's reading roles read, only its caseworker changes a grant.
    "grants:staff_grants": ("GET", "/saksbehandling/utlysninger/{call}/tilskudd/", staff(assessor=403)),
    "grants:staff_grant": ("GET", "/saksbehandling/tilskudd/{grant}/", staff(assessor=403)),
    "grants:staff_grant_cancel": ("POST", "/saksbehandling/tilskudd/{grant}/trekk-tilbake/", staff(403, caseworker=400)),
    "grants:staff_grant_reopen": ("POST", "/saksbehandling/tilskudd/{grant}/ny-frist/", staff(403, caseworker=400)),
    # A change of bank account the grantee asked for: only the grantor's caseworker confirms or refuses it.
    "grants:bank_account_confirm": ("POST", "/saksbehandling/tilskudd/{bank_grant}/kontonummer/{bank_change}/bekreft/", staff(403, caseworker=400)),
    "grants:bank_account_refuse": ("POST", "/saksbehandling/tilskudd/{bank_grant}/kontonummer/{bank_change}/avvis/", staff(403, caseworker=400)),
    # Continuation of a multi-year grant (issue #12, point 7): the C0 grant has no commitment for a next year, so there
    # is nothing to propose or approve (404 after the role) and nothing to stop (409); per role with a C4 grant in
    # tests/grants/test_continuation.py.
    "grants:continuation_staff": ("GET", "/saksbehandling/tilskudd/{grant}/videreforing/", staff(assessor=403)),
    "grants:continuation_propose": ("POST", "/saksbehandling/tilskudd/{grant}/videreforing/foresla/", staff(403, caseworker=404)),
    "grants:continuation_approve": ("POST", "/saksbehandling/tilskudd/{grant}/videreforing/godkjenn/", staff(403, approver=404)),
    "grants:continuation_return": ("POST", "/saksbehandling/tilskudd/{grant}/videreforing/send-tilbake/", staff(403, approver=404)),
    "grants:continuation_stop": ("POST", "/saksbehandling/tilskudd/{grant}/videreforing/stans/", staff(403, caseworker=409)),
    # The applicant organisation's pages: its members, and the staff who work cases at the grantor it
    # applies to (IMDi); not an assessor, not a site operator, not another grantor (least privilege).
    **{
        name: ("GET", path, {**staff(404, caseworker=200, approver=200, administrator=200), "applicant": 200, "plain_staff": 404})
        for name, path in (
            ("orgs:profile", "/organisasjoner/{org}/"),
            ("orgs:people", "/organisasjoner/{org}/personer/"),
            ("orgs:delegations", "/organisasjoner/{org}/fullmakter/"),
        )
    },
    # Staff read the organisation but change nothing in it (403 with the reason) and never see its API keys.
    "orgs:edit": (
        "GET",
        "/organisasjoner/{org}/endre/",
        {**staff(404, caseworker=403, approver=403, administrator=403), "applicant": 403, "plain_staff": 404},
    ),
    "orgs:member": (
        "GET",
        "/organisasjoner/{org}/personer/{membership}/",
        {**staff(404, caseworker=403, approver=403, administrator=403), "applicant": 200, "plain_staff": 404},
    ),
    "api_tokens:list": ("GET", "/organisasjoner/{org}/api-nokler/", {**staff(404), "applicant": 200, "plain_staff": 404}),
    "orgs:staff_confirmations": ("GET", "/saksbehandling/bekreftelser/", staff(assessor=403, municipality=200)),
    # Proof of a person's role: the person who uploaded it and the grantor staff who may confirm them.
    "orgs:role_proof": (
        "GET",
        "/organisasjoner/dokumentasjon/{role_proof}/",
        {**staff(200, assessor=404), "applicant": 200, "plain_staff": 404},
    ),
    # Confirming a person of an organisation that applies to IMDi: IMDi's case-working staff; others never see it.
    "orgs:staff_decision": (
        "POST",
        "/saksbehandling/bekreftelser/{membership}/",
        {**staff(404, caseworker=302, approver=302, administrator=302), "applicant": 403, "assessor": 403, "plain_staff": 403},
    ),
    # The letter is the applicant organisation's: its members only; staff read it in the case.
    "applications:letter": (
        "GET",
        "/soknader/{application}/brev/{letter}.pdf",
        {"anon": LOGIN, "applicant": 200, **{role: 404 for role in ROLES if role not in ("anon", "applicant")}},
    ),
    # Payments (issue #11, point 4): a grantor's caseworkers prepare, its approvers approve (not their own), both
    # download the files and record payments; another grantor's staff never learn a batch or term exists.
    "payments:index": ("GET", "/saksbehandling/utbetalinger/", staff(assessor=403, municipality=200)),
    "payments:grantor": ("GET", "/saksbehandling/utbetalinger/{imdi}/", staff(assessor=403)),
    "payments:prepare": ("POST", "/saksbehandling/utbetalinger/{imdi}/oppdrag/", staff(403, caseworker=400)),
    "payments:import_camt054": ("POST", "/saksbehandling/utbetalinger/{imdi}/bankfil/", staff(403, caseworker=400, approver=400)),
    "payments:batch": ("GET", "/saksbehandling/utbetalinger/oppdrag/{batch}/", staff(assessor=403)),
    # The batch is approved already: the approver is told so (409), nothing changes.
    "payments:approve": ("POST", "/saksbehandling/utbetalinger/oppdrag/{batch}/godkjenn/", staff(403, approver=409)),
    "payments:return": ("POST", "/saksbehandling/utbetalinger/oppdrag/{batch}/send-tilbake/", staff(403, approver=400)),
    "payments:pain001": ("GET", "/saksbehandling/utbetalinger/oppdrag/{batch}/pain001.xml", staff(403, caseworker=200, approver=200)),
    "payments:csv": ("GET", "/saksbehandling/utbetalinger/oppdrag/{batch}/betalinger.csv", staff(403, caseworker=200, approver=200)),
    "payments:mark_paid": ("POST", "/saksbehandling/utbetalinger/betalinger/{order}/betalt/", staff(403, caseworker=400, approver=400)),
    "payments:hold_term": ("POST", "/saksbehandling/utbetalinger/terminer/{term}/hold-tilbake/", staff(403, caseworker=400)),
    "payments:release_term": ("POST", "/saksbehandling/utbetalinger/terminer/{term}/frigi/", staff(403, caseworker=409)),
    # Complaints (issue #11, point 5): the applicant's pages are its members' (a C0 grant has no complaint right:
    # the form page says why); the grantor's pages are for its caseworkers, approvers and administrators.
    "complaints:file": (
        "GET",
        "/soknader/{application}/klage/",
        {"anon": LOGIN, "applicant": 200, **{role: 404 for role in ROLES if role not in ("anon", "applicant")}},
    ),
    "complaints:applicant_complaint": (
        "GET",
        "/soknader/{complaint_application}/klage/{complaint}/",
        {"anon": LOGIN, "applicant": 200, **{role: 404 for role in ROLES if role not in ("anon", "applicant")}},
    ),
    "complaints:queue": ("GET", "/saksbehandling/klager/", staff(assessor=403, municipality=200)),
    "complaints:complaint": ("GET", "/saksbehandling/klager/{complaint}/", staff(assessor=403)),
    # Not forwarded yet: no bundle.
    "complaints:bundle": ("GET", "/saksbehandling/klager/{complaint}/oversendelse.pdf", staff(404, assessor=403)),
    "complaints:attachment": ("GET", "/saksbehandling/klager/{complaint}/vedlegg/999999/", staff(404, assessor=403)),
    # A delivered report (issue #12): IMDi's reading roles read it (not an assessor), other grantors never learn of it.
    "reports:staff_report": ("GET", "/saksbehandling/rapporter/{report}/", staff(assessor=403)),
    # A change of use asked for on the payment world's grant (issue #12, point 6): IMDi's reading roles read it, only a
    # caseworker answers (an empty answer: 400).
    "amendments:staff": ("GET", "/saksbehandling/endringer/{amendment}/", staff(assessor=403)),
    "amendments:answer": ("POST", "/saksbehandling/endringer/{amendment}/svar/", staff(403, caseworker=400)),
    # The «due and overdue» list and its CSV (issue #12, point 8): each grantor's reading roles see their own rows
    # (Bergen's caseworker an empty list of IMDi's), an assessor is told why not.
    "reports:dashboard": ("GET", "/saksbehandling/frister/", staff(assessor=403, municipality=200)),
    "reports:dashboard_csv": ("GET", "/saksbehandling/frister.csv", staff(assessor=403, municipality=200)),
    # Review and repayment claims (issue #12, point 5): unknown objects are 404 to every grantor's staff.
    "reports:approve_report": ("POST", "/saksbehandling/rapportplikter/999999/godkjenn/", staff(404)),
    "reports:request_changes": ("POST", "/saksbehandling/rapportplikter/999999/endringer/", staff(404)),
    "reports:hold_term": ("POST", "/saksbehandling/rapportplikter/999999/hold-utbetaling/", staff(404)),
    "reports:prepare_claim": ("POST", "/saksbehandling/tilskudd/999999/tilbakebetaling/", staff(404)),
    "reports:approve_claim": ("POST", "/saksbehandling/tilbakebetaling/999999/godkjenn/", staff(404)),
    "reports:claim_paid": ("POST", "/saksbehandling/tilbakebetaling/999999/betalt/", staff(404)),
    "reports:cancel_claim": ("POST", "/saksbehandling/tilbakebetaling/999999/avbryt/", staff(404)),
    # The participants' personal data (C0-R12): only the case's caseworker reads them (tests/participants/ per role).
    "participants:staff": ("GET", "/saksbehandling/rapportplikter/999999/deltakere/", staff(404)),
}


@pytest.fixture
def world(matrix_world, db):
    """(world, people by role, path values), built once for the module; the test's own instances."""
    return fresh(matrix_world)


def _matrix_world(django_user_model):
    from tilskudd.applications.models import Attachment
    from tilskudd.applications.states import Status
    from tilskudd.assessment.models import AssessmentLock, Assignment
    from tilskudd.casework import services as casework
    from tilskudd.casework.models import Role, StaffRole
    from tilskudd.complaints import services as complaints
    from tilskudd.grants.decisions import services as grants
    from tilskudd.orgs.models import Membership

    world = build_world()
    caseworker, approver = world.staff["caseworker"], world.staff["approver"]
    decided, in_assessment = world.applications[C0][0], world.applications[C0][1]
    for application in (decided, in_assessment):
        casework.accept(caseworker, application.case.pk)
        AssessmentLock.objects.create(application=application, locked_by=caseworker, locked_at=timezone.now(), total=5)
    assignment = Assignment.objects.create(
        application=in_assessment, assessor=world.staff["assessor1"], assigned_by=caseworker
    )
    # A grant decided and published (its letter), and one prepared for approval.
    published = grants.prepare_decision(caseworker, decided.pk, kind="grant", amount=100_000)
    grants.approve(approver, published.pk)
    # A rejection published with it, and the applicant's complaint against it (C0-R13: a rejection may be appealed).
    rejected = world.applications[C0][2]
    rejection = grants.prepare_decision(caseworker, rejected.pk, kind="rejection", reasons="Kom for sent.")
    grants.approve(approver, rejection.pk)
    grants.publish(approver, world.calls[C0], world.imdi.org_number)
    published.refresh_from_db()
    decided.refresh_from_db()
    assert decided.status == Status.GRANTED and published.letter is not None
    prepared = grants.prepare_decision(caseworker, in_assessment.pk, kind="grant", amount=50_000)
    plain = django_user_model.objects.create_user(email="plain@imdi.example", password="x" * 16, is_staff=True)
    applicant = decided.organisation.memberships.filter(role="signatory").first().user
    people = {
        "applicant": applicant,
        "plain_staff": plain,
        "caseworker": caseworker,
        "assessor": world.staff["assessor1"],
        "approver": approver,
        "administrator": world.staff["administrator"],
        "municipality": world.bergen_staff["caseworker"],
    }
    assert not StaffRole.objects.filter(user=applicant).exists()
    if rejected.organisation_id != decided.organisation_id:  # the applicant is a member of both organisations
        Membership.objects.create(user=applicant, organisation=rejected.organisation, role="member", title="member")
    complaint = complaints.file_complaint(applicant, rejection.pk, "Søknaden kom inn i tide.")
    assert StaffRole.objects.filter(user=people["municipality"], role=Role.CASEWORKER).exists()
    attachment = Attachment.objects.filter(application__call=world.calls[C0]).select_related("application__case").first()
    values = {
        "call": world.calls[C0].slug,
        "case": in_assessment.case.pk,
        "application": decided.pk,
        "letter": published.letter.pk,
        "grant": published.grant.pk,
        "assignment": assignment.pk,
        "decision": prepared.pk,
        "attachment": attachment.pk,
        "attachment_case": attachment.application.case.pk,
        "imdi": world.imdi.pk,
        "org": decided.organisation_id,
        "membership": decided.organisation.memberships.filter(role="signatory").first().pk,
        "approver_role": StaffRole.objects.get(user=approver, role=Role.APPROVER).pk,
        "caseworker_user": caseworker.pk,  # keeps her role (remove_staff ends the approver's first)
        "complaint": complaint.pk,
        "complaint_application": rejected.pk,
    }
    values["role_proof"] = _role_proof(values["membership"])
    values["report"] = _delivered_report(applicant, published.grant.pk)
    values.update(payment_world_objects(world))  # a batch of IMDi's, approved (tests/payments/payment_helpers.py)
    values.update(_bank_change_objects(values["term"]))
    values.update(_amendment_objects(values["bank_grant"]))
    return world, people, values


def _delivered_report(applicant, grant_id: int) -> int:
    """The published C0 grant accepted by its signatory and its status report delivered (issue #12)."""
    from tilskudd.grants.awards import acceptance
    from tilskudd.grants.models import Grant
    from tilskudd.reports import services as reports
    from tilskudd.reports.models import ReportingDuty

    grant = Grant.objects.get(pk=grant_id)
    acceptance.accept(applicant, grant.pk, acceptance.terms_hash(grant))
    duty = ReportingDuty.objects.get(grant=grant, kind="status_report")
    answers = {"progress": "Kursene er i gang.", "participants": 20}
    return reports.deliver_report(applicant, duty.pk, reports.Delivery(answers=answers)).pk


def _bank_change_objects(term_id: int) -> dict:
    """A change of bank account asked for by the signatory of the payment world's (accepted) grant."""
    from tests.casework.helpers import applicant_of
    from tilskudd.grants.awards import bank_account
    from tilskudd.grants.models import PaymentTerm

    grant = PaymentTerm.objects.select_related("grant__application").get(pk=term_id).grant
    new = "86011117947" if grant.bank_account != "86011117947" else "15030522238"
    change = bank_account.request_change(applicant_of(grant.application), grant.pk, new)
    return {"bank_grant": grant.pk, "bank_change": change.pk}


def _amendment_objects(grant_id: int) -> dict:
    """A change of use asked for by the signatory of the payment world's (accepted) grant (issue #12, point 6)."""
    from tests.casework.helpers import applicant_of
    from tilskudd.amendments import services as amendments
    from tilskudd.grants.models import Grant

    grant = Grant.objects.select_related("application").get(pk=grant_id)
    asked = amendments.request_change_of_use(applicant_of(grant.application), grant.pk, "Et annet lokale.", "Stengt.")
    return {"amendment": asked.pk}


def _role_proof(membership_id: int) -> int:
    """A proof of the applicant's role (a PDF), for the row of orgs:role_proof."""
    from django.core.files.base import ContentFile

    from tilskudd.orgs.models import Membership, RoleProof

    member = Membership.objects.get(pk=membership_id)
    content = b"%PDF-1.4\n%%EOF\n"
    proof = RoleProof.objects.create(
        membership=member,
        file=ContentFile(content, name="fullmakt.pdf"),
        original_name="fullmakt.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=member.user,
    )
    return proof.pk


matrix_world = shared_world(_matrix_world)


def _client_for(role, people, client):
    if role == "anon":
        return client
    if role == "applicant":
        client.force_login(people[role])
    else:
        login_verified(client, people[role])
    return client


def _answer(response):
    if response.status_code == 302 and "/konto/logg-inn/" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_staff_role_gets_the_expected_answer_on_every_casework_route(world, client, role):
    _world, people, values = world
    client = _client_for(role, people, client)
    wrong = {}
    for name, (method, template, expected) in STAFF_MATRIX.items():
        path = template.format(**values)
        response = getattr(client, method.lower())(path, secure=True)
        if _answer(response) != expected[role]:
            wrong[name] = f"{method} {path}: got {_answer(response)}, expected {expected[role]}"
    assert wrong == {}, "\n".join(wrong.values())


#: The other kind of grantor from its own side: Bergen kommune's C2 case is Bergen's to see, and
#: IMDi's staff — whatever their role — get 404 on it (C2-R02: each grantor handles its own). On the
#: C2 call's shared pages each grantor sees its own cases and numbers only.
BERGEN_CASE_PAGES = ("/saksbehandling/saker/{case}/", "/saksbehandling/saker/{case}/vedtak/")
C2_CALL_PAGES = (
    "/saksbehandling/utlysninger/{call}/",
    "/saksbehandling/utlysninger/{call}/fordeling/",
    "/saksbehandling/utlysninger/{call}/oversikt.csv",
)


@pytest.mark.parametrize("role", ["municipality", "caseworker", "approver", "administrator"])
def test_a_municipalitys_case_is_its_own(world, client, role):
    main_world, people, _values = world
    bergen = next(a for a in main_world.applications[C2] if a.case.grantor_org_number == main_world.bergen.org_number)
    values = {"case": bergen.case.pk, "call": main_world.calls[C2].slug}
    login_verified(client, people[role])
    own = role == "municipality"
    for path in BERGEN_CASE_PAGES:
        expected = 200 if own else 404  # Bergen's caseworker; IMDi's staff never learn the case exists
        assert client.get(path.format(**values), secure=True).status_code == expected, path
    for path in C2_CALL_PAGES:
        response = client.get(path.format(**values), secure=True)
        assert response.status_code == 200, path
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert (bergen.case_number in body.decode("utf-8-sig")) == own, path
