"""The intake and screening pages: who gets what, the screening forms and staff administration."""

import datetime as dt

import pytest
from django.utils import timezone

from tilskudd.applications.models import Application, Attachment
from tilskudd.applications.states import Status
from tilskudd.audit.services import history
from tilskudd.casework.models import Case, Role, ScreeningOutcome, StaffRole
from tests.accounts.helpers import login_verified, make_user
from tests.casework.conftest import visible_text
from tests.casework.helpers import applicant_of
from tests.staff_world import C0, C2

LOGIN = "/konto/logg-inn/"


def _attachment(world) -> Attachment:
    return Attachment.objects.filter(application__in=world.applications[C0]).first()


def _urls(world):
    imdi_case = world.applications[C0][0].case
    attachment = _attachment(world)
    return {
        "dashboard": "/saksbehandling/",
        "queue": f"/saksbehandling/utlysninger/{world.calls[C0].slug}/",
        "case": f"/saksbehandling/saker/{imdi_case.pk}/",
        "attachment": f"/saksbehandling/saker/{attachment.application.case.pk}/vedlegg/{attachment.pk}/",
        "staff": f"/saksbehandling/tilskuddsforvaltere/{world.imdi.pk}/personer/",
    }


def _text(response) -> str:
    return visible_text(response.content.decode())


def test_anonymous_people_are_sent_to_log_in(casework_world, client):
    for url in _urls(casework_world).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN), url


def test_applicants_are_told_the_pages_are_for_grantor_staff(casework_world, client):
    client.force_login(applicant_of(casework_world.applications[C0][0]))
    for url in _urls(casework_world).values():
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Denne siden er for saksbehandlere hos en tilskuddsforvalter." in _text(response)


def test_another_grantors_staff_get_404(casework_world, client):
    urls = _urls(casework_world)
    login_verified(client, casework_world.bergen_staff["caseworker"])
    assert client.get("/saksbehandling/").status_code == 200
    for name in ("queue", "case", "attachment", "staff"):
        assert client.get(urls[name]).status_code == 404, name
    bergen_case = Case.objects.get(grantor_org_number=casework_world.bergen.org_number)
    assert client.post(f"/saksbehandling/saker/{casework_world.applications[C0][0].case.pk}/godta/").status_code == 404
    client.logout()
    login_verified(client, casework_world.staff["caseworker"])
    assert client.get(f"/saksbehandling/saker/{bergen_case.pk}/").status_code == 404
    assert client.get(f"/saksbehandling/tilskuddsforvaltere/{casework_world.bergen.pk}/personer/").status_code == 404


def test_each_imdi_role_sees_the_case_but_only_caseworkers_screen(casework_world, client):
    urls = _urls(casework_world)
    case = casework_world.applications[C0][0].case
    for role in ("caseworker", "approver", "administrator"):
        client.logout()
        login_verified(client, casework_world.staff[role])
        for name in ("dashboard", "queue", "case", "attachment"):
            assert client.get(urls[name]).status_code == 200, (role, name)
        text = _text(client.get(urls["case"]))
        assert ("Godta til vurdering" in text) == (role == "caseworker")
        assert ("Lagre saksbehandler" in text) == (role in ("caseworker", "administrator"))
        if role != "caseworker":
            response = client.post(f"/saksbehandling/saker/{case.pk}/godta/")
            assert response.status_code == 403
            assert "Dette krever rollen saksbehandler" in _text(response)
        staff_answer = client.get(urls["staff"])
        assert staff_answer.status_code == (200 if role == "administrator" else 403), role
    assert Application.objects.get(pk=case.application_id).status == Status.SUBMITTED


def test_an_assessor_reads_only_the_cases_assigned_to_them(casework_world, client):
    from tilskudd.assessment.models import Assignment

    urls = _urls(casework_world)
    case = casework_world.applications[C0][0].case
    assessor = casework_world.staff["assessor1"]
    login_verified(client, assessor)
    for name in ("queue", "case", "attachment"):
        response = client.get(urls[name])
        assert response.status_code == 403, name
        assert "ser du bare søknadene du er satt til å vurdere" in _text(response)
    assignment = Assignment.objects.create(
        application=case.application, assessor=assessor, assigned_by=casework_world.staff["caseworker"]
    )
    Assignment.objects.create(
        application=_attachment(casework_world).application, assessor=assessor, assigned_by=casework_world.staff["caseworker"]
    )
    assert client.get(urls["case"]).status_code == 200
    assert client.get(urls["attachment"]).status_code == 200
    assert "Godta til vurdering" not in _text(client.get(urls["case"]))
    assignment.disqualified = True
    assignment.save()
    assert client.get(urls["case"]).status_code == 403  # declared disqualified: no longer reads the case


def test_the_case_page_shows_findings_routing_attachments_and_history(casework_world, client, english):
    world = casework_world
    application = world.applications[C0][0]
    Application.objects.filter(pk=application.pk).update(
        submitted_findings=[
            {"rule_id": "C0-R08", "severity": "warning", "message_nb": "Sjekk antallet.", "message_en": "Check the number.", "field": "answers.participants"}
        ]
    )
    login_verified(english, world.staff["caseworker"])
    text = _text(english.get(f"/saksbehandling/saker/{application.case.pk}/"))
    assert "C0-R08 Warning Check the number." in text
    assert "IMDi Vest" in text and "Lubna Jaffery" in text and "C0-R27" in text
    assert "The case was opened and routed" in text and "The application was submitted" in text
    assert "Bergen kommune (964338531)" in text
    attachment = _attachment(world)
    response = english.get(f"/saksbehandling/saker/{attachment.application.case.pk}/vedlegg/{attachment.pk}/")
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    other = Attachment.objects.exclude(application=attachment.application).first()
    if other is not None:
        assert english.get(f"/saksbehandling/saker/{attachment.application.case.pk}/vedlegg/{other.pk}/").status_code == 404


def test_accept_through_the_page(casework_world, client):
    case = casework_world.applications[C0][0].case
    login_verified(client, casework_world.staff["caseworker"])
    response = client.post(f"/saksbehandling/saker/{case.pk}/godta/", {"note": "Ser bra ut."}, follow=True)
    assert response.redirect_chain[-1][0] == f"/saksbehandling/saker/{case.pk}/"
    text = _text(response)
    assert "Søknaden er godtatt til vurdering." in text and "Til vurdering" in text
    assert "Begrunnelse: Ser bra ut." in text


def test_completion_form_errors_change_nothing(casework_world, client):
    case = casework_world.applications[C0][0].case
    login_verified(client, casework_world.staff["caseworker"])
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(f"/saksbehandling/saker/{case.pk}/komplettering/", {"message": "", "deadline": yesterday})
    assert response.status_code == 400
    text = _text(response)
    assert "Noe må rettes før du kan gå videre" in text
    assert "Skriv hva søkeren må komplettere." in text and "Fristen kan ikke være tilbake i tid." in text
    assert Application.objects.get(pk=case.application_id).status == Status.SUBMITTED
    response = client.post(f"/saksbehandling/saker/{case.pk}/avvisning/", {"reasons": ""})
    assert response.status_code == 400 and "Skriv hvorfor søknaden bør avvises." in _text(response)
    assert Case.objects.get(pk=case.pk).screening == ""


def test_completion_through_the_page_and_the_completed_notice(casework_world, client, mailoutbox, django_capture_on_commit_callbacks):
    from tests.casework.test_screening import _resubmit

    case = casework_world.applications[C2][1].case
    login_verified(client, casework_world.staff["caseworker"])
    deadline = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/saksbehandling/saker/{case.pk}/komplettering/", {"message": "Mangler budsjettlinje.", "deadline": deadline}, follow=True
        )
    text = _text(response)
    assert "Søknaden er åpnet for komplettering" in text and "Mangler budsjettlinje." in text
    assert len(mailoutbox) == 1
    application = Application.objects.get(pk=case.application_id)
    assert timezone.localtime(application.reopened_until).strftime("%H:%M:%S") == "23:59:59"
    _resubmit(application)
    text = _text(client.get(f"/saksbehandling/saker/{case.pk}/"))
    assert "Søkeren har komplettert søknaden og sendt den inn på nytt." in text
    assert "Søkeren kompletterte og sendte inn på nytt" in text
    assert "Godta til vurdering" in text


def test_propose_rejection_through_the_page(casework_world, client):
    case = casework_world.applications[C0][0].case
    login_verified(client, casework_world.staff["caseworker"])
    response = client.post(f"/saksbehandling/saker/{case.pk}/avvisning/", {"reasons": "Ikke en kommune."}, follow=True)
    text = _text(response)
    assert "Avvisning er foreslått." in text and "Foreslått avvist" in text
    assert "Foreslå avvisning" not in text.split("Historikk")[0].split("Forhåndskontroll")[-1]
    assert Case.objects.get(pk=case.pk).screening == ScreeningOutcome.REJECTION_PROPOSED


def test_assign_through_the_page(casework_world, client):
    case = casework_world.applications[C0][0].case
    login_verified(client, casework_world.staff["administrator"])
    caseworker = casework_world.staff["caseworker"]
    response = client.post(f"/saksbehandling/saker/{case.pk}/saksbehandler/", {"caseworker": caseworker.pk}, follow=True)
    assert "Saksbehandler er lagret." in _text(response)
    assert Case.objects.get(pk=case.pk).caseworker == caseworker
    response = client.post(f"/saksbehandling/saker/{case.pk}/saksbehandler/", {"caseworker": casework_world.staff["assessor1"].pk})
    assert response.status_code == 400 and "Velg en saksbehandler fra listen." in _text(response)


def test_dashboard_counts_and_links(casework_world, client):
    from tilskudd.casework import services

    services.accept(casework_world.staff["caseworker"], casework_world.applications[C0][0].case.pk)
    login_verified(client, casework_world.staff["caseworker"])
    response = client.get("/saksbehandling/")
    html = response.content.decode()
    text = visible_text(html)
    assert "Integrerings- og mangfoldsdirektoratet (IMDi): Saksbehandler" in text
    slug = casework_world.calls[C0].slug
    section = visible_text(html.split(f'id="call-{slug}"')[1].split("</section>")[0])
    assert "Sendt inn 5" in section and "Til vurdering 1" in section
    for path in (f"/saksbehandling/utlysninger/{slug}/", f"/saksbehandling/utlysninger/{slug}/fordeling/", f"/saksbehandling/utlysninger/{slug}/oversikt/"):
        assert f'href="{path}"' in html


# --- staff administration --------------------------------------------------------------------


def test_administrator_adds_and_removes_a_role(casework_world, client):
    admin = casework_world.staff["administrator"]
    newcomer = make_user("ny.saksbehandler@imdi.example", full_name="Nina Ny")
    assert not newcomer.is_staff
    login_verified(client, admin)
    url = f"/saksbehandling/tilskuddsforvaltere/{casework_world.imdi.pk}/personer/"
    response = client.post(url, {"email": "NY.saksbehandler@imdi.example", "role": "caseworker"}, follow=True)
    assert "Invitasjonen til rollen saksbehandler er sendt til ny.saksbehandler@imdi.example." in _text(response)
    # The role comes only through the link sent to the address (tests/casework/test_staff_invitations.py).
    assert not StaffRole.objects.filter(user=newcomer).exists()
    from tilskudd.casework.models import StaffInvitation
    from tilskudd.casework.services import claim_staff_invitation

    claim_staff_invitation(newcomer, StaffInvitation.objects.get(email="ny.saksbehandler@imdi.example").token)
    role = StaffRole.objects.get(user=newcomer, removed_at=None)
    newcomer.refresh_from_db()
    assert newcomer.is_staff and role.added_by == admin
    assert history(role).get().action == "staff_role.added"
    response = client.post(url, {"email": "ny.saksbehandler@imdi.example", "role": "caseworker"})
    assert response.status_code == 409 and "har allerede rollen saksbehandler" in _text(response)
    response = client.post(f"{url}{role.pk}/fjern/", follow=True)
    assert "Nina Ny har ikke lenger rollen saksbehandler." in _text(response)
    role.refresh_from_db()
    assert role.removed_at is not None
    assert [e.action for e in history(role).order_by("at", "id")] == ["staff_role.added", "staff_role.removed"]


def test_staff_form_errors_and_unknown_people(casework_world, client):
    login_verified(client, casework_world.staff["administrator"])
    url = f"/saksbehandling/tilskuddsforvaltere/{casework_world.imdi.pk}/personer/"
    response = client.post(url, {"email": "ikke-en-adresse", "role": "caseworker"})
    assert response.status_code == 400 and "Skriv en gyldig e-postadresse." in _text(response)
    response = client.post(url, {"email": "ukjent@example.no", "role": "assessor"}, follow=True)
    # An address without an account is invited too: the person makes an account from the link.
    assert "Invitasjonen til rollen fagvurderer er sendt til ukjent@example.no." in _text(response)


def test_the_last_administrator_cannot_be_removed(casework_world, client):
    admin = casework_world.staff["administrator"]
    role = StaffRole.objects.get(user=admin, role=Role.ADMINISTRATOR, removed_at=None)
    login_verified(client, admin)
    response = client.post(f"/saksbehandling/tilskuddsforvaltere/{casework_world.imdi.pk}/personer/{role.pk}/fjern/")
    assert response.status_code == 409 and "må ha minst én administrator" in _text(response)
    role.refresh_from_db()
    assert role.removed_at is None


def test_only_the_grantors_administrators_manage_staff(casework_world, client):
    role = StaffRole.objects.get(user=casework_world.staff["assessor1"], removed_at=None)
    login_verified(client, casework_world.staff["caseworker"])
    url = f"/saksbehandling/tilskuddsforvaltere/{casework_world.imdi.pk}/personer/"
    assert client.post(f"{url}{role.pk}/fjern/").status_code == 403
    assert client.post(url, {"email": "vurderer1@imdi.example", "role": "caseworker"}).status_code == 403
    client.logout()
    login_verified(client, casework_world.bergen_staff["approver"])
    assert client.post(f"{url}{role.pk}/fjern/").status_code == 404
    assert StaffRole.objects.get(pk=role.pk).removed_at is None


@pytest.mark.parametrize("path", ["/saksbehandling/saker/999999/", "/saksbehandling/utlysninger/finnes-ikke/"])
def test_unknown_cases_and_calls_are_404(casework_world, client, path):
    login_verified(client, casework_world.staff["caseworker"])
    assert client.get(path).status_code == 404
