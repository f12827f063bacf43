"""Each grantor confirms and reads only the organisations that apply to it (least privilege).

A C2 municipality (Bergen kommune) confirms the people of organisations whose applications are
addressed to Bergen, and no others; IMDi confirms those that apply to IMDi and those that have not
applied to anyone yet (the national grantor). Neither reads the other's organisations' people,
e-mail addresses or bank accounts.
"""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.staff_world import C2, build_world
from tilskudd.core.refusals import NotAllowed


def _organisation(django_user_model, number: str, name: str, email: str):
    from tilskudd.orgs.models import Membership, Organisation

    organisation = Organisation.objects.create(
        org_number=number, name=name, applicant_type="voluntary_organisation", email=f"post@{email}", bank_account="12345678903"
    )
    user = django_user_model.objects.create_user(email=f"leder@{email}", password="x" * 16, full_name=f"Leder {name}")
    member = Membership.objects.create(user=user, organisation=organisation, role="signatory", administers=True)
    return organisation, member


def _draft(organisation, member, call, grantor: str | None):
    from tilskudd.applications.models import Application

    content = {"areas": [], "answers": {}, "budget": {}}
    if grantor:
        content["grantor"] = grantor
    return Application.objects.create(
        organisation=organisation,
        call=call,
        call_version=call.current_version,
        content=content,
        created_by=member.user,
        updated_by=member.user,
    )


@pytest.fixture
def scoped(scoped_world, db):
    """(world, members by where they apply), built once for the module; the test's own instances."""
    return fresh(scoped_world)


def _scoped_world(django_user_model):
    world = build_world()
    to_bergen, bergen_member = _organisation(django_user_model, "999000011", "Bergen Frivillig Lag", "lag.example")
    _draft(to_bergen, bergen_member, world.calls[C2], world.bergen.org_number)
    to_imdi, imdi_member = _organisation(django_user_model, "999000029", "Nasjonalt Nettverk", "nettverk.example")
    _draft(to_imdi, imdi_member, world.calls[C2], None)
    nowhere, new_member = _organisation(django_user_model, "999000037", "Nytt Lag", "nytt.example")
    return world, {"bergen": bergen_member, "imdi": imdi_member, "new": new_member}


scoped_world = shared_world(_scoped_world)


def _queue(client) -> str:
    response = client.get("/saksbehandling/bekreftelser/", secure=True)
    assert response.status_code == 200
    return response.content.decode()


def test_a_municipality_sees_and_confirms_only_organisations_that_apply_to_it(scoped, client):
    world, members = scoped
    login_verified(client, world.bergen_staff["caseworker"])
    page = _queue(client)
    assert "Bergen Frivillig Lag" in page
    assert "Nasjonalt Nettverk" not in page and "Nytt Lag" not in page
    assert "post@nettverk.example" not in page

    for other in (members["imdi"], members["new"]):
        response = client.post(f"/saksbehandling/bekreftelser/{other.pk}/", {"decision": "confirm"}, secure=True)
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.confirmed_at is None
        assert client.get(f"/organisasjoner/{other.organisation_id}/personer/", secure=True).status_code == 404
        assert client.get(f"/organisasjoner/{other.organisation_id}/", secure=True).status_code == 404

    own = members["bergen"]
    assert client.get(f"/organisasjoner/{own.organisation_id}/personer/", secure=True).status_code == 200
    response = client.post(f"/saksbehandling/bekreftelser/{own.pk}/", {"decision": "confirm"}, secure=True)
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.confirmed_at is not None


def test_imdi_sees_national_and_new_organisations_but_not_a_municipalitys(scoped, client):
    world, members = scoped
    login_verified(client, world.staff["caseworker"])
    page = _queue(client)
    assert "Nasjonalt Nettverk" in page and "Nytt Lag" in page
    assert "Bergen Frivillig Lag" not in page

    theirs = members["bergen"]
    response = client.post(f"/saksbehandling/bekreftelser/{theirs.pk}/", {"decision": "reject"}, secure=True)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.removed_at is None
    assert client.get(f"/organisasjoner/{theirs.organisation_id}/personer/", secure=True).status_code == 404

    response = client.post(f"/saksbehandling/bekreftelser/{members['new'].pk}/", {"decision": "confirm"}, secure=True)
    assert response.status_code == 302
    members["new"].refresh_from_db()
    assert members["new"].confirmed_at is not None


def test_the_service_refuses_another_grantors_organisation_too(scoped):
    from tilskudd.orgs import services

    world, members = scoped
    with pytest.raises(NotAllowed):
        services.confirm_membership(world.bergen_staff["caseworker"], members["imdi"].pk)
    members["imdi"].refresh_from_db()
    assert members["imdi"].confirmed_at is None
