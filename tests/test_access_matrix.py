"""Who may open what: every URL × every role, with the answer each must get.

The matrix below lists every route of the site and of the API. A route that
the matrix does not cover fails ``test_every_route_is_in_the_matrix``, so a new
page cannot be added without deciding who may see it.

Roles: ``anon`` (not logged in), ``outsider`` (signatory of another
organisation), ``member``, ``signatory`` and ``admin`` of the organisation
that owns the objects, and ``staff`` (grantor staff, two-factor verified).
Objects of another organisation answer 404, never 403, so that their
existence does not leak.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tilskudd.applications import services
from tilskudd.calls.models import Call
from tilskudd.calls.services import load_call_files
from tilskudd.casework.models import Role, StaffRole
from tilskudd.orgs.models import Delegation, Membership, Organisation
from tests.accounts.helpers import login_verified
from tests.conftest import FIXTURES

ROLES = ("anon", "outsider", "member", "signatory", "admin", "staff")
LOGIN = "login"  # a redirect to the login page
ALL_OK = {role: 200 for role in ROLES}


def only(ok: int | str = 200, *, anon=LOGIN, outsider=404, member=None, signatory=None, admin=None, staff=404):
    """Expectations for a page of the owning organisation."""
    return {
        "anon": anon,
        "outsider": outsider,
        "member": ok if member is None else member,
        "signatory": ok if signatory is None else signatory,
        "admin": ok if admin is None else admin,
        "staff": staff,
    }


def logged_in(ok: int | str = 200):
    return {"anon": LOGIN, **{role: ok for role in ROLES if role != "anon"}}


API_PRIVATE = {"anon": 401, "outsider": 401, "member": 401, "signatory": 401, "admin": 401, "staff": 401}

#: route name → (method, path with {placeholders}, expected answer per role)
MATRIX: dict[str, tuple[str, str, dict]] = {
    # public
    "calls:front_page": ("GET", "/", ALL_OK),
    "calls:call_detail": ("GET", "/utlysninger/{call}/", ALL_OK),
    "calls:accessibility": ("GET", "/tilgjengelighetserklaering/", ALL_OK),
    "calls:privacy": ("GET", "/personvern/", ALL_OK),
    "set_language": ("POST", "/i18n/setlang/", {role: 302 for role in ROLES}),
    "api-v1:openapi-json": ("GET", "/api/v1/openapi.json", ALL_OK),
    "api-v1:openapi-view": ("GET", "/api/v1/docs", ALL_OK),
    "api-v1:api-root": ("GET", "/api/v1/", {role: 404 for role in ROLES}),
    "api-v1:list_calls": ("GET", "/api/v1/calls", ALL_OK),
    "api-v1:call_detail": ("GET", "/api/v1/calls/{call}", ALL_OK),
    "api-v1:check": ("POST", "/api/v1/calls/{call}/check", {role: 422 for role in ROLES}),
    # the API for organisations' own systems needs a token, never a session
    "api-v1:list_applications": ("GET", "/api/v1/applications", API_PRIVATE),
    "api-v1:create_application": ("POST", "/api/v1/applications", API_PRIVATE),
    "api-v1:application_detail": ("GET", "/api/v1/applications/{application}", API_PRIVATE),
    "api-v1:change_application": ("PATCH", "/api/v1/applications/{application}", API_PRIVATE),
    "api-v1:check_application": ("POST", "/api/v1/applications/{application}/check", API_PRIVATE),
    "api-v1:sign_application": ("POST", "/api/v1/applications/{application}/sign", API_PRIVATE),
    "api-v1:submit_application": ("POST", "/api/v1/applications/{application}/submit", API_PRIVATE),
    "api-v1:withdraw_application": ("POST", "/api/v1/applications/{application}/withdraw", API_PRIVATE),
    "api-v1:application_letter": ("GET", "/api/v1/applications/{application}/letter", API_PRIVATE),
    "api-v1:grant_detail": ("GET", "/api/v1/applications/{application}/grant", API_PRIVATE),
    "api-v1:answer_grant": ("POST", "/api/v1/applications/{application}/grant/answer", API_PRIVATE),
    "api-v1:list_duties": ("GET", "/api/v1/applications/{application}/grant/reports", API_PRIVATE),
    "api-v1:duty_detail": ("GET", "/api/v1/applications/{application}/grant/reports/999999", API_PRIVATE),
    "api-v1:save_draft": ("PUT", "/api/v1/applications/{application}/grant/reports/999999/draft", API_PRIVATE),
    "api-v1:submit_report": ("POST", "/api/v1/applications/{application}/grant/reports/999999/submit", API_PRIVATE),
    # accounts
    "accounts:signup": ("GET", "/konto/registrer/", {"anon": 200, **{r: 302 for r in ROLES if r != "anon"}}),
    "accounts:login": ("GET", "/konto/logg-inn/", ALL_OK),
    "accounts:signup_done": ("GET", "/konto/registrer/sjekk-e-posten/", ALL_OK),
    # Verified accounts have nothing to do on «Bekreft e-postadressen» and go on.
    "accounts:email_unverified": ("GET", "/konto/e-post/bekreft/", logged_in(302)),
    "accounts:confirm_email": ("GET", "/konto/e-post/bekreft/bad-token/", {role: 400 for role in ROLES}),
    "accounts:confirm_email_change": ("GET", "/konto/e-post/bytt/bad-token/", {role: 400 for role in ROLES}),
    "accounts:email_change": ("GET", "/konto/sikkerhet/e-post/", logged_in()),
    "accounts:verify": ("GET", "/konto/logg-inn/kode/", {**{role: 302 for role in ROLES}, "anon": LOGIN}),
    "accounts:logout": ("POST", "/konto/logg-ut/", {role: 302 for role in ROLES}),
    "accounts:password_reset": ("GET", "/konto/passord/glemt/", ALL_OK),
    "accounts:password_reset_done": ("GET", "/konto/passord/glemt/sendt/", ALL_OK),
    "accounts:password_reset_confirm": ("GET", "/konto/passord/nytt/MQ/bad-token/", ALL_OK),
    "accounts:password_reset_complete": ("GET", "/konto/passord/nytt/ferdig/", ALL_OK),
    "accounts:security": ("GET", "/konto/sikkerhet/", logged_in()),
    "accounts:password_change": ("GET", "/konto/sikkerhet/passord/", logged_in()),
    "accounts:password_change_done": ("GET", "/konto/sikkerhet/passord/endret/", logged_in()),
    # Staff have a two-factor device (required); the others have none yet.
    "accounts:two_factor_setup": ("GET", "/konto/sikkerhet/tofaktor/", {**logged_in(), "staff": 302}),
    "accounts:two_factor_remove": ("GET", "/konto/sikkerhet/tofaktor/fjern/", {**logged_in(302), "staff": 200}),
    "accounts:backup_codes": ("GET", "/konto/sikkerhet/reservekoder/", {**logged_in(302), "staff": 200}),
    # organisations
    "orgs:mine": ("GET", "/organisasjoner/", logged_in()),
    "orgs:register": ("GET", "/organisasjoner/ny/", logged_in()),
    "orgs:register_details": ("GET", "/organisasjoner/ny/{new_org_number}/", logged_in()),
    "orgs:join": ("GET", "/organisasjoner/bli-med/{org_number}/", only(302, outsider=200, staff=200)),
    "orgs:invitation": ("GET", "/organisasjoner/invitasjon/no-such-token/", {role: 404 for role in ROLES}),
    "orgs:profile": ("GET", "/organisasjoner/{org}/", only(staff=200)),
    # Grantor staff see an organisation and its people (who may sign) but change nothing.
    "orgs:edit": ("GET", "/organisasjoner/{org}/endre/", only(member=403, signatory=403, staff=403)),
    "orgs:refresh": (
        "POST",
        "/organisasjoner/{org}/oppdater-fra-enhetsregisteret/",
        only(302, member=403, signatory=403, staff=403),
    ),
    "orgs:people": ("GET", "/organisasjoner/{org}/personer/", only(staff=200)),
    "orgs:member": ("GET", "/organisasjoner/{org}/personer/{membership}/", only(member=403, signatory=403, staff=403)),
    "orgs:remove_member": (
        "POST",
        "/organisasjoner/{org}/personer/{membership}/fjern/",
        only(302, member=403, signatory=403, staff=403),
    ),
    "orgs:answer_request": ("POST", "/organisasjoner/{org}/foresporsler/999999/", only(404)),
    "orgs:revoke_invitation": ("POST", "/organisasjoner/{org}/invitasjoner/999999/trekk-tilbake/", only(404)),
    "orgs:delegations": ("GET", "/organisasjoner/{org}/fullmakter/", only(staff=200)),
    # Signatories and administrators revoke a delegation; the delegate and staff cannot.
    "orgs:revoke_delegation": (
        "POST",
        "/organisasjoner/{org}/fullmakter/{delegation}/trekk-tilbake/",
        only(302, member=403, staff=403),
    ),
    "orgs:staff_confirmations": ("GET", "/saksbehandling/bekreftelser/", {**logged_in(403), "staff": 200}),
    "orgs:staff_decision": ("POST", "/saksbehandling/bekreftelser/{membership}/", {**logged_in(403), "staff": 302}),
    # Everyone in the organisation sees the tokens they made; administrators see and make all.
    "api_tokens:list": ("GET", "/organisasjoner/{org}/api-nokler/", only()),
    "api_tokens:revoke": ("POST", "/organisasjoner/{org}/api-nokler/999999/trekk-tilbake/", only(404)),
    # applications
    "applications:my_page": ("GET", "/min-side/", logged_in()),
    "applications:start": ("GET", "/soknader/ny/{call}/", logged_in()),
    "applications:form": ("GET", "/soknader/{application}/", only()),
    # POST-only: the method is refused before the application is looked up, so nothing leaks.
    "applications:preview": ("GET", "/soknader/{application}/forhandsvis/", logged_in(405)),
    # Autosave without a revision: the organisation's people get 400 (nothing saved), others 404.
    "applications:autosave": ("POST", "/soknader/{application}/autolagre/", only(400)),
    "applications:attachments": ("GET", "/soknader/{application}/vedlegg/", logged_in(405)),
    "applications:attachment_file": ("GET", "/soknader/{application}/vedlegg/999999/", only(404)),
    "applications:review": ("GET", "/soknader/{application}/signer/", only()),
    # The draft still has errors and no signature: refused with the reasons (409).
    "applications:submit": ("POST", "/soknader/{application}/send-inn/", only(409)),
    # «Send til signering»: one who may edit but not sign (the administrator); the member has a delegation
    # and the signatory signs, so they are told they can sign themselves.
    "applications:send_for_signing": ("POST", "/soknader/{application}/send-til-signering/", only(403, admin=302)),
    # Proof of a role is uploaded by a person whose access waits; everyone here is confirmed.
    "applications:role_proof": ("POST", "/soknader/{application}/bevis-for-rolle/", only(403)),
    "orgs:role_proof": ("GET", "/organisasjoner/dokumentasjon/999999/", logged_in(404)),
    "applications:submitted": ("GET", "/soknader/{application}/sendt/", only(302)),
    "applications:receipt": ("GET", "/soknader/{application}/kvittering.pdf", only(404)),
    "applications:withdraw": ("GET", "/soknader/{application}/trekk/", only()),
    "applications:history": ("GET", "/soknader/{application}/historikk/", only()),
    # The grant page and the answer (issue #11): this draft has no grant, so its members get 404 too (the pages
    # with a grant, per role, are tested in tests/grants/test_acceptance_pages.py).
    "grants:grant": ("GET", "/soknader/{application}/tilskudd/", only(404)),
    "grants:answer": ("POST", "/soknader/{application}/tilskudd/svar/", only(404)),
    # A change of bank account (issue #11, point 4; per role with a grant in tests/grants/test_bank_account_change.py).
    "grants:bank_account_request": ("POST", "/soknader/{application}/tilskudd/kontonummer/", only(404)),
    # Continuation of a multi-year grant (issue #12, point 7; per role with a C4 grant in tests/grants/test_continuation.py).
    "grants:continuation": ("GET", "/soknader/{application}/tilskudd/videreforing/", only(404)),
    "grants:continuation_letter": ("GET", "/soknader/{application}/tilskudd/videreforing/999999/brev.pdf", only(404)),
    # The report pages (issue #12): this draft has no grant, so its members get 404 too (the pages with a grant,
    # per role, are tested in tests/reports/test_report_pages.py).
    "reports:duties": ("GET", "/soknader/{application}/rapporter/", only(404)),
    "reports:duty": ("GET", "/soknader/{application}/rapporter/999999/", only(404)),
    "reports:upload": ("POST", "/soknader/{application}/rapporter/999999/vedlegg/", only(404)),
    "reports:receipt": ("GET", "/soknader/{application}/rapporter/999999/kvittering.pdf", only(404)),
    "reports:claim_letter": ("GET", "/soknader/{application}/tilbakebetaling/999999/brev.pdf", only(404)),
    # Individual reporting's participants (C0-R12): this draft has no grant, so its members get 404 too (per role with
    # an area-1 grant in tests/participants/).
    "participants:grantee": ("GET", "/soknader/{application}/rapporter/999999/deltakere/", only(404)),
    # Change requests (issue #12, point 6): this draft has no grant, so its members get 404 too (per role with a
    # grant in tests/amendments/).
    "amendments:grantee": ("GET", "/soknader/{application}/tilskudd/endring/", only(404)),
    "amendments:withdraw": ("POST", "/soknader/{application}/tilskudd/endring/999999/trekk/", only(404)),
    "amendments:letter": ("GET", "/soknader/{application}/tilskudd/endring/999999/brev.pdf", only(404)),
}


def _routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.app_name == "admin":
                continue  # the admin site is Django's own, behind staff login and two-factor
            yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    from tests.test_access_matrix_staff import STAFF_MATRIX

    routes = set(_routes())
    covered = set(MATRIX) | set(STAFF_MATRIX)
    assert sorted(routes - covered) == [], "add these routes to MATRIX (or STAFF_MATRIX for casework)"
    assert sorted(covered - routes) == [], "these routes no longer exist"
    # Pages both sides reach (an organisation's pages) stand in both: the applicant side's roles here,
    # every grantor role and the municipality in STAFF_MATRIX. Casework routes are the staff matrix's alone.
    shared = set(MATRIX) & set(STAFF_MATRIX)
    assert all(name.startswith(("orgs:", "api_tokens:")) for name in shared), sorted(shared)


@pytest.fixture
def world(db, django_user_model):
    load_call_files([FIXTURES / "minimal_call.yaml"])
    call = Call.objects.get(slug="test-minimal")
    org = Organisation.objects.create(org_number="964338531", name="Bergen kommune", applicant_type="municipality")
    other = Organisation.objects.create(org_number="942110464", name="Trondheim kommune", applicant_type="municipality")
    now = timezone.now()

    def person(email, organisation, role, **extra):
        user = django_user_model.objects.create_user(email=email, password="x" * 16, full_name=email.split("@")[0], **extra)
        if organisation:
            Membership.objects.create(user=user, organisation=organisation, role=role, title=role, confirmed_at=now)
        return user

    people = {
        "outsider": person("outsider@trondheim.example", other, "signatory"),
        "member": person("member@bergen.example", org, "member"),
        "signatory": person("signatory@bergen.example", org, "signatory"),
        "admin": person("admin@bergen.example", org, "administrator"),
        "staff": person("staff@imdi.example", None, "", is_staff=True),
    }
    imdi = Organisation.objects.create(org_number="987879696", name="IMDi", applicant_type="")
    StaffRole.objects.create(user=people["staff"], grantor=imdi, role=Role.CASEWORKER)
    application = services.start_draft(people["member"], org, call)
    delegation = Delegation.objects.create(
        organisation=org,
        granted_by=people["signatory"],
        delegate=people["member"],
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )
    colleague = person("colleague@bergen.example", org, "member")
    target = Membership.objects.get(user=colleague)
    values = {
        "call": call.slug,
        "org": org.pk,
        "org_number": org.org_number,
        "new_org_number": "974760673",
        "application": application.pk,
        "delegation": delegation.pk,
        "membership": target.pk,
    }
    return people, values


def _client_for(role, people, client):
    if role == "anon":
        return client
    if role == "staff":
        login_verified(client, people["staff"])
    else:
        client.force_login(people[role])
    return client


CHANGES_STATE = {"orgs:remove_member", "orgs:revoke_delegation", "orgs:staff_decision", "orgs:refresh"}


def _order(item) -> tuple[bool, bool]:
    name = item[0]
    return name == "accounts:logout", name in CHANGES_STATE


def _answer(response) -> int | str:
    if response.status_code == 302 and "/konto/logg-inn/" in response.headers.get("Location", ""):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_route(world, client, role):
    people, values = world
    client = _client_for(role, people, client)
    wrong = {}
    # Routes that change state go last, logging out the very last: the others need the session and objects.
    for name, (method, template, expected) in sorted(MATRIX.items(), key=_order):
        path = template.format(**values)
        call = getattr(client, method.lower())
        kwargs = {"content_type": "application/json", "data": "{}"} if name.startswith("api-v1:") and method != "GET" else {}
        response = call(path, secure=True, **kwargs)
        answer = _answer(response)
        if answer != expected[role]:
            wrong[name] = f"{method} {path}: got {answer}, expected {expected[role]}"
    assert wrong == {}, "\n".join(wrong.values())
