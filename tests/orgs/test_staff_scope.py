"""Only grantor staff who work cases confirm access and read organisations' people (least privilege):
``is_staff`` alone — a site operator — or an assessor's role is not enough."""

import pytest

from tests.orgs.conftest import login_staff, make_grantor_staff, make_user


@pytest.mark.parametrize("role", [None, "assessor"])
def test_staff_without_a_caseworking_role_neither_confirm_nor_read_organisations(client, people, role):
    if role is None:
        user = make_user("drift@imdi.example", "Drift", is_staff=True)
    else:
        user = make_grantor_staff("vurderer@imdi.example", "Vera Vurderer", role=role)
    login_staff(client, user)
    assert client.get("/saksbehandling/bekreftelser/").status_code == 403
    organisation = people["organisation"]
    assert client.get(f"/organisasjoner/{organisation.pk}/personer/").status_code == 404


def test_a_caseworker_confirms_and_reads(client, people):
    login_staff(client, people["staff"])
    assert client.get("/saksbehandling/bekreftelser/").status_code == 200
    assert client.get(f"/organisasjoner/{people['organisation'].pk}/personer/").status_code == 200
