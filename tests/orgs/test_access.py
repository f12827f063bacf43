"""A person never sees another organisation's pages: 404, so that its existence does not leak."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import get_resolver
from django.utils import timezone

from tests.orgs.conftest import MUNICIPALITY, details, invite_and_claim, make_user
from tilskudd.orgs import services
from tilskudd.orgs.models import Delegation, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(people):
    """Lise's organisation, with an invitation, a join request and a delegation; Kari is not in it."""
    lise = make_user("lise@example.no", "Lise Lund")
    staff = people["staff"]
    first = services.register_organisation(lise, MUNICIPALITY, details(name="Lises kommune", applicant_type="municipality"), title="rådmann")
    services.confirm_membership(staff, first.pk)
    organisation = first.organisation
    helper = invite_and_claim(lise, organisation, make_user("hjelper@example.no").email)
    invitation = services.invite(lise, organisation, "kommer@example.no")
    request = services.request_membership(make_user("spor@example.no"), organisation)
    delegation = services.grant_delegation(
        lise, organisation, delegate_membership_id=helper.pk, valid_until=timezone.localdate() + dt.timedelta(days=5)
    )
    return {
        "organisation": organisation,
        "membership": helper,
        "invitation": invitation,
        "request": request,
        "delegation": delegation,
    }


def org_urls(o) -> list[tuple[str, str]]:
    pk = o["organisation"].pk
    base = f"/organisasjoner/{pk}"
    return [
        ("get", f"{base}/"),
        ("get", f"{base}/endre/"),
        ("post", f"{base}/endre/"),
        ("post", f"{base}/oppdater-fra-enhetsregisteret/"),
        ("get", f"{base}/personer/"),
        ("post", f"{base}/personer/"),
        ("get", f"{base}/personer/{o['membership'].pk}/"),
        ("post", f"{base}/personer/{o['membership'].pk}/"),
        ("post", f"{base}/personer/{o['membership'].pk}/fjern/"),
        ("post", f"{base}/foresporsler/{o['request'].pk}/"),
        ("post", f"{base}/invitasjoner/{o['invitation'].pk}/trekk-tilbake/"),
        ("get", f"{base}/fullmakter/"),
        ("post", f"{base}/fullmakter/"),
        ("post", f"{base}/fullmakter/{o['delegation'].pk}/trekk-tilbake/"),
    ]


def test_every_page_of_another_organisation_is_not_found(people, other, client):
    client.force_login(people["kari"])  # administrator and signatory of her own organisation

    for method, url in org_urls(other):
        response = getattr(client, method)(url, {"action": "accept", "invite-email": "x@example.no"})
        assert response.status_code == 404, (method, url, response.status_code)

    # Nothing changed.
    assert Membership.objects.filter(organisation=other["organisation"], removed_at__isnull=True).count() == 2
    assert Delegation.objects.get(pk=other["delegation"].pk).revoked_at is None
    assert other["invitation"].__class__.objects.get(pk=other["invitation"].pk).revoked_at is None


def test_objects_of_another_organisation_are_not_found_under_ones_own(people, other, client):
    """Ids of another organisation's people, requests, invitations and delegations under one's own organisation."""
    client.force_login(people["kari"])
    own = people["organisation"].pk
    for method, path in [
        ("get", f"personer/{other['membership'].pk}/"),
        ("post", f"personer/{other['membership'].pk}/fjern/"),
        ("post", f"foresporsler/{other['request'].pk}/"),
        ("post", f"invitasjoner/{other['invitation'].pk}/trekk-tilbake/"),
        ("post", f"fullmakter/{other['delegation'].pk}/trekk-tilbake/"),
    ]:
        response = getattr(client, method)(f"/organisasjoner/{own}/{path}", {"action": "accept"})
        assert response.status_code == 404, (method, path)


def test_a_removed_person_no_longer_sees_the_organisation(people, client):
    services.remove_member(people["kari"], people["per_membership"].pk)
    client.force_login(people["per"])
    assert client.get(f"/organisasjoner/{people['organisation'].pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(people, other, client):
    for method, url in org_urls(other) + [("get", "/organisasjoner/"), ("get", "/organisasjoner/ny/")]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert "/organisasjoner/" not in response["Location"].split("?")[0], url


def test_every_orgs_route_is_covered_here():
    """A new page in the orgs app must be added to the access tests above."""
    covered = {
        "organisasjoner/",
        "organisasjoner/ny/",
        "organisasjoner/ny/<str:org_number>/",
        "organisasjoner/bli-med/<str:org_number>/",
        "organisasjoner/invitasjon/<str:token>/",
        "organisasjoner/<int:pk>/",
        "organisasjoner/<int:pk>/endre/",
        "organisasjoner/<int:pk>/oppdater-fra-enhetsregisteret/",
        "organisasjoner/<int:pk>/personer/",
        "organisasjoner/<int:pk>/personer/<int:membership_id>/",
        "organisasjoner/<int:pk>/personer/<int:membership_id>/fjern/",
        "organisasjoner/<int:pk>/foresporsler/<int:request_id>/",
        "organisasjoner/<int:pk>/invitasjoner/<int:invitation_id>/trekk-tilbake/",
        "organisasjoner/<int:pk>/fullmakter/",
        "organisasjoner/<int:pk>/fullmakter/<int:delegation_id>/trekk-tilbake/",
        "saksbehandling/bekreftelser/",
        "saksbehandling/bekreftelser/<int:membership_id>/",
        # proof of a role: tests/orgs/test_signing_new_org.py (uploader, confirming grantor, others 404)
        "organisasjoner/dokumentasjon/<int:proof_id>/",
    }
    from tilskudd.orgs import urls

    routes = {str(pattern.pattern) for pattern in urls.urlpatterns}
    assert routes == covered
    assert get_resolver().resolve("/organisasjoner/").namespace == "orgs"
