"""The organisation's profile: members see it, administrators edit it, the registry refreshes it."""

from __future__ import annotations

import pytest

from tests.orgs.conftest import ACCOUNT_2, FAILING, MUNICIPALITY, VOLUNTARY, details, make_user
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.orgs import brreg, services
from tilskudd.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_a_member_sees_the_profile_but_not_the_edit_button(people, client):
    client.force_login(people["ola"])
    url = f"/organisasjoner/{people['organisation'].pk}/"
    text = visible_text(client.get(url).content.decode())

    assert "Prøvelaget Uten Register" in text
    assert "Kontonummer 1234.56.78903" in text
    assert "Ikke bekreftet mot Enhetsregisteret" in text
    assert "Endre opplysningene" not in text
    assert "Oppdater fra Enhetsregisteret" not in text
    assert "Bare administratorer i organisasjonen kan gjøre dette." in text
    assert "Din rolle: Medlem." in text

    response = client.get(f"{url}endre/")
    assert response.status_code == 403
    assert client.post(f"{url}endre/", {"phone": "1"}).status_code == 403
    assert client.post(f"{url}oppdater-fra-enhetsregisteret/").status_code == 403


def test_an_administrator_edits_and_the_change_is_in_the_history(people, client):
    client.force_login(people["kari"])
    organisation = people["organisation"]
    url = f"/organisasjoner/{organisation.pk}/endre/"
    form = client.get(url).content.decode()
    assert 'value="Prøvelaget Uten Register"' in form  # typed data can be changed: nothing came from the registry

    values = {
        "name": "Prøvelaget Uten Register",
        "applicant_type": "voluntary_organisation",
        "org_form": "FLI",
        "county": "03",
        "bank_account": ACCOUNT_2,
        "email": "ny@provelaget.example",
        "phone": "40 00 00 00",
        "voluntary_registered": "on",
        "voluntary_registered_on": "2018-06-01",
        "counties_members": ["03", "46"],
    }
    response = client.post(url, values, follow=True)

    text = visible_text(response.content.decode())
    assert "Opplysningene er lagret." in text
    assert "Fylker med medlemmer Oslo, Vestland" in text
    assert "Endringslogg" in text and "Opplysningene ble endret" in text
    organisation.refresh_from_db()
    assert organisation.bank_account == ACCOUNT_2 and organisation.counties_members == ["03", "46"]
    event = AuditEvent.objects.get(action="organisation.updated")
    assert event.actor == people["kari"]
    assert event.data["changed"]["email"] == ["post@provelaget.example", "ny@provelaget.example"]


def test_an_invalid_edit_is_explained(people, client):
    client.force_login(people["kari"])
    response = client.post(
        f"/organisasjoner/{people['organisation'].pk}/endre/",
        {"name": "", "applicant_type": "voluntary_organisation", "county": "", "bank_account": "123", "email": "x"},
    )
    text = visible_text(response.content.decode())
    assert response.status_code == 200
    assert "Skriv navnet på organisasjonen." in text
    assert "Velg fylket." in text
    assert "Kontonummeret har 11 siffer." in text


def test_registry_fields_cannot_be_edited_only_refreshed(registry, client):
    kari = make_user("kari@example.no", "Kari Nordmann")
    entity = brreg.lookup(MUNICIPALITY)
    member = services.register_organisation(
        kari, MUNICIPALITY, details(name="Typed", applicant_type="municipality"), title="rådmann", registry=entity
    )
    organisation = member.organisation
    client.force_login(kari)

    html = client.get(f"/organisasjoner/{organisation.pk}/endre/").content.decode()
    assert 'name="name"' not in html and 'name="address"' not in html
    assert "Navn PRØVESTAD KOMMUNE" in visible_text(html)
    assert 'name="phone"' in html

    with pytest.raises(services.Refused):
        services.update_organisation(kari, organisation.pk, {"name": "Noe annet"})
    organisation.refresh_from_db()
    assert organisation.name == "PRØVESTAD KOMMUNE"


def test_refresh_confirms_typed_data_against_the_registry(registry, client):
    kari = make_user("kari@example.no", "Kari Nordmann")
    member = services.register_organisation(kari, VOLUNTARY, details(name="Prøvelaget for inkludering"), title="styreleder")
    organisation = member.organisation
    client.force_login(kari)

    response = client.post(f"/organisasjoner/{organisation.pk}/oppdater-fra-enhetsregisteret/", follow=True)

    text = visible_text(response.content.decode())
    assert "Opplysningene er oppdatert fra Enhetsregisteret." in text
    assert "Bekreftet mot Enhetsregisteret" in text
    organisation.refresh_from_db()
    assert organisation.registry_verified and organisation.name == "PRØVELAGET FOR INKLUDERING"
    assert organisation.founded_on.isoformat() == "2019-03-14"
    event = AuditEvent.objects.get(action="organisation.registry_refreshed")
    assert (event.from_state, event.to_state) == ("unverified", "verified")
    assert event.data["changed"]["name"] == ["Prøvelaget for inkludering", "PRØVELAGET FOR INKLUDERING"]
    # The typed bank account is not the registry's business and stays.
    assert organisation.bank_account == "12345678903"


def test_refresh_when_the_registry_cannot_answer_changes_nothing(registry, client):
    kari = make_user("kari@example.no")
    member = services.register_organisation(kari, FAILING, details(), title="styreleder")
    client.force_login(kari)

    response = client.post(f"/organisasjoner/{member.organisation_id}/oppdater-fra-enhetsregisteret/", follow=True)

    assert "Vi fikk ikke kontakt med Enhetsregisteret akkurat nå." in visible_text(response.content.decode())
    assert not AuditEvent.objects.filter(action__startswith="organisation.registry").exists()
    assert Organisation.objects.get().registry_verified is False


def test_refresh_of_a_number_the_registry_does_not_know_says_so(people, registry, client):
    client.force_login(people["kari"])
    response = client.post(f"/organisasjoner/{people['organisation'].pk}/oppdater-fra-enhetsregisteret/", follow=True)
    assert "Enhetsregisteret kjenner ikke organisasjonsnummeret." in visible_text(response.content.decode())
    assert AuditEvent.objects.filter(action="organisation.registry_not_found").exists()


def test_grantor_staff_see_the_profile(people, client):
    from tests.orgs.conftest import login_staff

    login_staff(client, people["staff"])
    response = client.get(f"/organisasjoner/{people['organisation'].pk}/")
    assert response.status_code == 200
    assert "Endre opplysningene" not in visible_text(response.content.decode())


def test_my_organisations(people, client):
    client.force_login(people["ola"])
    lise = make_user("lise@example.no")
    other = services.register_organisation(lise, MUNICIPALITY, details(name="Annen organisasjon"), title="rådmann")
    services.request_membership(people["ola"], other.organisation)

    text = visible_text(client.get("/organisasjoner/").content.decode())
    assert "Prøvelaget Uten Register – Medlem" in text
    assert "Venter på svar Annen organisasjon – forespørsel sendt" in text
    assert "Registrer en organisasjon" in text
