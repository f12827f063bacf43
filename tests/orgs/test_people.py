"""People and roles: invitations (existing and new users), join requests, role changes, removal,
the last administrator, and grantor staff's confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.orgs.conftest import (
    MUNICIPALITY,
    NOT_FOUND,
    VOLUNTARY,
    details,
    invite_and_claim,
    login_staff,
    make_grantor_staff,
    make_user,
)
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.orgs import services
from tilskudd.orgs.models import Invitation, Membership, MembershipRequest, Role

pytestmark = pytest.mark.django_db


def actions(organisation) -> list[str]:
    return list(
        AuditEvent.objects.filter(subject_type="organisation", subject_id=str(organisation.pk)).values_list(
            "action", flat=True
        )
    )


# --- the first person ------------------------------------------------------------------


def test_the_first_person_is_an_unconfirmed_administrator_and_signatory_by_title():
    kari = make_user("kari@example.no", "Kari Nordmann")
    member = services.register_organisation(kari, NOT_FOUND, details(), title="styreleder")

    assert member.role == Role.SIGNATORY and member.administers
    assert member.is_administrator and member.is_signatory
    assert member.confirmed_at is None and member.registered_organisation
    assert member.organisation.registry_verified is False
    assert actions(member.organisation) == ["organisation.registered", "membership.created"]


def test_another_title_makes_the_first_person_administrator_only():
    kari = make_user("kari@example.no")
    member = services.register_organisation(kari, NOT_FOUND, details(), title="Prosjektleder")

    assert member.role == Role.ADMINISTRATOR and member.is_administrator and not member.is_signatory
    assert member.title == "Prosjektleder"


def test_a_signing_title_of_another_kind_of_applicant_does_not_give_signing_authority():
    kari = make_user("kari@example.no")
    # A voluntary organisation has no kommunedirektør.
    member = services.register_organisation(kari, NOT_FOUND, details(), title="kommunedirektør")
    assert member.role == Role.ADMINISTRATOR


def test_an_organisation_number_cannot_be_registered_twice():
    kari, ola = make_user("kari@example.no"), make_user("ola@example.no")
    first = services.register_organisation(kari, NOT_FOUND, details(), title="styreleder")

    with pytest.raises(services.AlreadyRegistered) as raised:
        services.register_organisation(ola, NOT_FOUND, details(name="Noe annet"), title="styreleder")
    assert raised.value.organisation == first.organisation


# --- invitations -------------------------------------------------------------------------


def test_inviting_an_existing_user_adds_them_confirmed_when_the_administrator_is(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    kari, organisation = people["kari"], people["organisation"]
    anne = make_user("anne@example.no", "Anne Berg")

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(kari, organisation, "Anne@Example.no", title="Rådgiver")

    # Not added at once: the link sent to the address claims it (tests/orgs/test_invitations_claim.py).
    assert isinstance(invitation, Invitation)
    assert not Membership.objects.filter(user=anne).exists()
    assert [message.to for message in mailoutbox] == [["anne@example.no"]]
    assert "Prøvelaget Uten Register" in mailoutbox[0].body
    [member] = services.claim_invitations(anne, tokens=[invitation.token])
    assert member.user == anne and member.role == Role.MEMBER and member.title == "Rådgiver"
    assert member.is_confirmed and member.confirmed_by == kari and member.added_by == kari
    assert "invitation.claimed" in actions(organisation)


def test_a_new_address_gets_an_invitation_by_email_and_access_on_sign_up(
    people, client, mailoutbox, django_capture_on_commit_callbacks
):
    kari, organisation = people["kari"], people["organisation"]

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            kari, organisation, "ny.person@example.no", can_sign=False, is_admin=True, site_url="https://tilskudd.test"
        )

    assert isinstance(invitation, Invitation) and invitation.is_open()
    assert len(invitation.token) >= 40
    [mail] = mailoutbox
    assert mail.to == ["ny.person@example.no"]
    link = f"/organisasjoner/invitasjon/{invitation.token}/"
    assert f"https://tilskudd.test{link}" in mail.body

    # The person opens the link, signs up (the accounts pages) and is logged in: the invitation is claimed.
    page = visible_text(client.get(link).content.decode())
    assert "Kari Nordmann har invitert deg." in page
    newcomer = make_user("ny.person@example.no", "Ny Person")
    assert not Membership.objects.filter(user=newcomer).exists()
    client.force_login(newcomer)

    member = Membership.objects.get(user=newcomer, organisation=organisation)
    assert member.role == Role.ADMINISTRATOR and member.is_confirmed and member.added_by == kari
    invitation.refresh_from_db()
    assert invitation.claimed_by == newcomer and not invitation.is_open()
    assert "invitation.claimed" in actions(organisation)
    # And the person now sees the organisation.
    assert client.get(f"/organisasjoner/{organisation.pk}/").status_code == 200


def test_signing_up_with_an_invited_address_gives_access_only_through_the_link(people, client):
    """Sign-up does not prove the address is the person's; the link sent to that address does."""
    invitation = services.invite(people["kari"], people["organisation"], "admin@example.no", is_admin=True)
    person = make_user("admin@example.no", "Anne Admin")
    client.force_login(person)  # signed up and logged in, without having opened the link
    assert not Membership.objects.filter(user=person).exists()

    link = f"/organisasjoner/invitasjon/{invitation.token}/"
    assert "Ta imot invitasjonen" in visible_text(client.get(link).content.decode())
    response = client.post(link)
    assert response["Location"] == f"/organisasjoner/{people['organisation'].pk}/"
    assert Membership.objects.get(user=person).is_administrator


def test_an_invitation_is_claimed_only_once_and_not_after_it_expires(people):
    kari, organisation = people["kari"], people["organisation"]
    invitation = services.invite(kari, organisation, "sen@example.no")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    late = make_user("sen@example.no")

    assert services.claim_invitations(late) == []
    assert not Membership.objects.filter(user=late).exists()


def test_a_withdrawn_invitation_is_not_claimed(people):
    kari, organisation = people["kari"], people["organisation"]
    invitation = services.invite(kari, organisation, "angret@example.no")
    services.revoke_invitation(kari, invitation.pk)
    person = make_user("angret@example.no")

    assert services.claim_invitations(person) == []
    assert "invitation.revoked" in actions(organisation)


def test_people_invited_by_an_unconfirmed_administrator_wait_and_are_confirmed_with_them():
    kari, ola = make_user("kari@example.no"), make_user("ola@example.no")
    staff = make_grantor_staff("staff@imdi.example")
    first = services.register_organisation(kari, NOT_FOUND, details(), title="styreleder")
    ola_member = invite_and_claim(kari, first.organisation, ola.email)
    invitation = services.invite(kari, first.organisation, "kommer@example.no")

    assert not ola_member.is_confirmed

    services.confirm_membership(staff, first.pk)

    ola_member.refresh_from_db()
    invitation.refresh_from_db()
    assert ola_member.is_confirmed and ola_member.confirmed_by == staff
    assert invitation.inviter_confirmed  # who claims it later is confirmed at once
    later = make_user("kommer@example.no")
    [claimed] = services.claim_invitations(later)
    assert claimed.is_confirmed


def test_a_member_cannot_invite(people):
    with pytest.raises(NotAllowed) as raised:
        services.invite(people["ola"], people["organisation"], "noen@example.no")
    assert raised.value.permission.reason_nb == "Bare administratorer i organisasjonen kan gjøre dette."


def test_inviting_someone_already_in_the_organisation_is_refused(people):
    with pytest.raises(services.Refused):
        services.invite(people["kari"], people["organisation"], people["ola"].email)


# --- join requests ---------------------------------------------------------------------


def test_a_join_request_is_accepted_by_an_administrator(people, mailoutbox, django_capture_on_commit_callbacks):
    organisation = people["organisation"]
    lise = make_user("lise@example.no", "Lise Lund")

    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_membership(lise, organisation, title="Prosjektleder", message="Hei")
    assert services.request_membership(lise, organisation) == request  # asking twice: the same request
    assert [message.to for message in mailoutbox] == [["kari@example.no"]]  # the administrator is told

    member = services.accept_request(people["kari"], request.pk, is_admin=False)

    request.refresh_from_db()
    assert request.status == MembershipRequest.Decision.ACCEPTED and request.decided_by == people["kari"]
    assert member.user == lise and member.title == "Prosjektleder" and member.is_confirmed
    assert "membership.request_accepted" in actions(organisation)
    with pytest.raises(services.Refused):
        services.accept_request(people["kari"], request.pk)


def test_a_join_request_can_be_declined_and_a_member_cannot_answer_it(people):
    lise = make_user("lise@example.no")
    request = services.request_membership(lise, people["organisation"])

    with pytest.raises(NotAllowed):
        services.decline_request(people["ola"], request.pk)
    services.decline_request(people["kari"], request.pk)

    request.refresh_from_db()
    assert request.status == MembershipRequest.Decision.DECLINED
    assert not Membership.objects.filter(user=lise).exists()


# --- roles, removal, the last administrator ---------------------------------------------


def test_an_administrator_changes_roles(people):
    ola_member = people["ola_membership"]

    services.change_role(people["kari"], ola_member.pk, can_sign=True, is_admin=False, title="daglig leder")

    ola_member.refresh_from_db()
    assert ola_member.role == Role.SIGNATORY and not ola_member.is_administrator
    event = AuditEvent.objects.filter(action="membership.role_changed").get()
    assert (event.from_state, event.to_state) == ("member", "signatory")
    assert event.data["after"]["title"] == "daglig leder"


def test_the_last_administrator_cannot_lose_the_role_or_leave(people):
    kari_member = people["kari_membership"]

    with pytest.raises(services.LastAdministrator) as raised:
        services.change_role(people["kari"], kari_member.pk, can_sign=True, is_admin=False)
    assert raised.value.reason_nb.startswith("Organisasjonen må ha minst én administrator.")
    with pytest.raises(services.LastAdministrator):
        services.remove_member(people["kari"], kari_member.pk)

    # With a second administrator, the first may step down.
    services.change_role(people["kari"], people["ola_membership"].pk, can_sign=False, is_admin=True)
    services.change_role(people["kari"], kari_member.pk, can_sign=True, is_admin=False)
    kari_member.refresh_from_db()
    assert kari_member.role == Role.SIGNATORY and not kari_member.is_administrator


def test_removal_keeps_the_history(people):
    per_member = people["per_membership"]

    services.remove_member(people["kari"], per_member.pk, reason="Sluttet")

    per_member.refresh_from_db()
    assert per_member.removed_at is not None and per_member.removed_by == people["kari"]
    assert Membership.objects.filter(pk=per_member.pk).exists()
    event = AuditEvent.objects.filter(action="membership.removed").get()
    assert event.reason == "Sluttet" and event.data["user"] == "per@example.no"
    # Per can be invited back later: a new membership, the old one stays.
    again = invite_and_claim(people["kari"], people["organisation"], "per@example.no")
    assert again.pk != per_member.pk


def test_a_member_may_leave_but_not_remove_others(people):
    with pytest.raises(NotAllowed):
        services.remove_member(people["ola"], people["per_membership"].pk)
    services.remove_member(people["ola"], people["ola_membership"].pk)
    assert "membership.left" in actions(people["organisation"])


# --- grantor staff ---------------------------------------------------------------------


def test_only_staff_confirm_and_rejecting_frees_the_organisation_number():
    kari, ola = make_user("kari@example.no"), make_user("ola@example.no")
    staff = make_grantor_staff("staff@imdi.example")
    first = services.register_organisation(kari, NOT_FOUND, details(counties_members=["03"]), title="styreleder")
    added = invite_and_claim(kari, first.organisation, ola.email)

    with pytest.raises(NotAllowed):
        services.confirm_membership(kari, first.pk)

    services.reject_membership(staff, first.pk, reason="Ikke styreleder")

    first.refresh_from_db()
    added.refresh_from_db()
    assert first.removed_at is not None and added.removed_at is not None
    assert AuditEvent.objects.filter(action="membership.rejected", reason="Ikke styreleder").count() == 2
    # Nobody is left in it: the right person can register it again.
    typed = {key: value for key, value in details(name="Det ekte laget").items() if key != "counties_members"}
    again = services.register_organisation(ola, NOT_FOUND, typed, title="styreleder")
    assert again.organisation == first.organisation and again.confirmed_at is None
    again.organisation.refresh_from_db()
    # What the rejected person typed is not kept.
    assert again.organisation.name == "Det ekte laget" and again.organisation.counties_members == []
    assert "organisation.reclaimed" in actions(first.organisation)


# --- pages -------------------------------------------------------------------------------


def test_the_people_page_lists_people_with_their_roles(people, client):
    client.force_login(people["kari"])
    response = client.get(f"/organisasjoner/{people['organisation'].pk}/personer/")

    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Kari Nordmann kari@example.no Signaturberettiget og administrator styreleder Bekreftet" in text
    assert "Ola Nordmann ola@example.no Medlem" in text
    assert "Inviter en person" in text


def test_inviting_on_the_page_shows_errors_by_the_field(people, client):
    client.force_login(people["kari"])
    response = client.post(f"/organisasjoner/{people['organisation'].pk}/personer/", {"invite-email": "ikke-en-adresse"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_invite-email"' in html  # the error summary links to the field
    assert 'aria-describedby="id_invite-email-error"' in html
    assert "Skriv en e-postadresse, for eksempel navn@eksempel.no." in visible_text(html)


def test_inviting_on_the_page(people, client, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(people["kari"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/organisasjoner/{people['organisation'].pk}/personer/",
            {"invite-email": "ny@example.no", "invite-is_admin": "on"},
            follow=True,
        )

    text = visible_text(response.content.decode())
    assert "Invitasjonen er sendt til ny@example.no." in text
    assert "Invitasjoner som venter" in text
    invitation = Invitation.objects.get(email="ny@example.no")
    assert invitation.role == Role.ADMINISTRATOR
    assert mailoutbox[0].to == ["ny@example.no"]
    assert f"/organisasjoner/invitasjon/{invitation.token}/" in mailoutbox[0].body


def test_a_member_sees_people_but_gets_the_reason_instead_of_the_invite_form(people, client):
    client.force_login(people["ola"])
    url = f"/organisasjoner/{people['organisation'].pk}/personer/"
    text = visible_text(client.get(url).content.decode())

    assert "Kari Nordmann" in text
    assert "Inviter en person" not in text
    assert "Bare administratorer i organisasjonen kan gjøre dette." in text
    response = client.post(url, {"invite-email": "noen@example.no"})
    assert response.status_code == 403
    assert "Bare administratorer i organisasjonen kan gjøre dette." in visible_text(response.content.decode())
    assert not Invitation.objects.filter(email="noen@example.no").exists()


def test_the_last_administrator_is_told_why_on_the_page(people, client):
    client.force_login(people["kari"])
    kari_member = people["kari_membership"]
    response = client.post(
        f"/organisasjoner/{people['organisation'].pk}/personer/{kari_member.pk}/",
        {"can_sign": "on", "title": "styreleder"},
    )

    assert response.status_code == 200
    assert "Organisasjonen må ha minst én administrator." in visible_text(response.content.decode())
    kari_member.refresh_from_db()
    assert kari_member.is_administrator


def test_removing_on_the_page_moves_the_person_to_former_members(people, client):
    client.force_login(people["kari"])
    organisation = people["organisation"]
    response = client.post(
        f"/organisasjoner/{organisation.pk}/personer/{people['per_membership'].pk}/fjern/",
        {"remove-reason": "Sluttet"},
        follow=True,
    )

    text = visible_text(response.content.decode())
    assert "Personen er fjernet." in text
    assert "Tidligere med Per Hansen (per@example.no)" in text


def test_accepting_a_join_request_on_the_page(people, client):
    lise = make_user("lise@example.no", "Lise Lund")
    request = services.request_membership(lise, people["organisation"], title="Rådgiver")
    client.force_login(people["kari"])
    url = f"/organisasjoner/{people['organisation'].pk}/personer/"
    assert "Lise Lund (lise@example.no)" in visible_text(client.get(url).content.decode())

    response = client.post(
        f"/organisasjoner/{people['organisation'].pk}/foresporsler/{request.pk}/",
        {"action": "accept", f"request-{request.pk}-is_admin": "on", f"request-{request.pk}-title": "Rådgiver"},
        follow=True,
    )

    assert "Personen har fått tilgang." in visible_text(response.content.decode())
    member = Membership.objects.get(user=lise)
    assert member.role == Role.ADMINISTRATOR and member.title == "Rådgiver"


def test_the_invitation_page_for_the_right_and_the_wrong_address(people, client):
    invitation = services.invite(people["kari"], people["organisation"], "gjest@example.no")
    url = f"/organisasjoner/invitasjon/{invitation.token}/"

    anonymous = visible_text(client.get(url).content.decode())
    assert "Kari Nordmann har invitert deg." in anonymous
    assert "Opprett konto" in anonymous

    other = make_user("feil@example.no")
    client.force_login(other)
    assert "Invitasjonen ble sendt til en annen e-postadresse" in visible_text(client.get(url).content.decode())
    assert client.post(url).status_code == 404
    assert not Membership.objects.filter(user=other).exists()

    assert client.get("/organisasjoner/invitasjon/finnes-ikke/").status_code == 404


def test_staff_page_lists_first_persons_with_the_registry_status_and_confirms(people, client, mailoutbox):
    lise = make_user("lise@example.no", "Lise Lund")
    services.register_organisation(lise, VOLUNTARY, details(name="Lises lag"), title="daglig leder")
    login_staff(client, people["staff"])

    html = client.get("/saksbehandling/bekreftelser/").content.decode()
    text = visible_text(html)
    assert "Lise Lund – Lises lag" in text
    assert "Registrerte organisasjonen" in text
    assert "Ikke bekreftet mot Enhetsregisteret" in text
    assert "Kari Nordmann – Prøvelaget" not in text  # already confirmed

    member = Membership.objects.get(user=lise)
    response = client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm"}, follow=True)
    text = visible_text(response.content.decode())
    assert "Tilgangen til Lise Lund i Lises lag er bekreftet." in text
    assert "Ingen venter på bekreftelse." in text
    member.refresh_from_db()
    assert member.is_confirmed and member.confirmed_by == people["staff"]


def test_staff_page_rejects_with_a_reason(people, client):
    lise = make_user("lise@example.no", "Lise Lund")
    member = services.register_organisation(lise, MUNICIPALITY, details(name="Falsk kommune"), title="rådmann")
    login_staff(client, people["staff"])

    client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "reject", "reason": "Ukjent person"})

    member.refresh_from_db()
    assert member.removed_at is not None
    assert AuditEvent.objects.get(action="membership.rejected").reason == "Ukjent person"


def test_the_staff_page_is_for_staff_only(people, client):
    client.force_login(people["kari"])
    response = client.get("/saksbehandling/bekreftelser/")
    assert response.status_code == 403
    assert "Bare ansatte hos tilskuddsforvalteren kan bekrefte tilganger." in visible_text(response.content.decode())
    member = people["ola_membership"]
    assert client.post(f"/saksbehandling/bekreftelser/{member.pk}/", {"decision": "confirm"}).status_code == 403
