"""Registering an organisation on the pages: with the registry, without it, and when it is taken."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.orgs.conftest import (
    ACCOUNT,
    CITY_DISTRICT,
    DELETED,
    MUNICIPALITY,
    NOT_FOUND,
    SLOW,
    VOLUNTARY,
    details,
    make_grantor_staff,
    make_user,
)
from tests.web.conftest import visible_text
from tilskudd.audit.models import AuditEvent
from tilskudd.orgs import services
from tilskudd.orgs.models import Membership, MembershipRequest, Organisation, Role

pytestmark = pytest.mark.django_db

START = "/organisasjoner/ny/"


@pytest.fixture
def kari(client):
    user = make_user("kari@example.no", "Kari Nordmann")
    client.force_login(user)
    return user


def typed(**changes) -> dict:
    """The details form as a person fills it in when the registry has nothing."""
    values = {
        "name": "Prøvelaget Uten Register",
        "applicant_type": "voluntary_organisation",
        "org_form": "FLI",
        "address": "Prøvegata 1",
        "postal_code": "0150",
        "city": "Oslo",
        "municipality_number": "0301",
        "county": "03",
        "founded_on": "2018-05-01",
        "voluntary_registered": "on",
        "voluntary_registered_on": "2018-06-01",
        "bank_account": "1234.56.78903",
        "phone": "22 00 00 00",
        "email": "post@provelaget.example",
        "position": "styreleder",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_registering_needs_a_login(client):
    response = client.get(START)
    assert response.status_code == 302
    assert "/konto/" in response["Location"] or "login" in response["Location"]


def test_an_invalid_organisation_number_is_explained_and_the_registry_is_not_asked(client, kari, registry):
    response = client.post(START, {"org_number": "210 000 004"})

    html = response.content.decode()
    text = visible_text(html)
    assert response.status_code == 200
    assert "Noe må rettes før du kan gå videre" in text
    assert "Organisasjonsnummeret er ikke gyldig. Sjekk sifrene." in text
    assert 'href="#id_org_number"' in html
    assert 'aria-describedby="id_org_number-help id_org_number-error"' in html
    assert registry.requests == []

    assert "Organisasjonsnummeret har 9 siffer." in visible_text(client.post(START, {"org_number": "12345"}).content.decode())


def test_a_municipality_is_filled_in_from_the_registry(client, kari, registry):
    response = client.post(START, {"org_number": "210 000 003"})
    assert response.status_code == 302
    assert response["Location"] == f"/organisasjoner/ny/{MUNICIPALITY}/"

    page = client.get(response["Location"])
    text = visible_text(page.content.decode())
    assert "Vi fant organisasjonen i Enhetsregisteret." in text
    assert "Navn PRØVESTAD KOMMUNE" in text
    assert "Type søker Kommune" in text
    assert "Adresse Rådhusgata 1, 5998 PRØVESTAD" in text
    assert "Fylke Vestland" in text
    # What the registry gave is not asked for again; the municipality's signing titles are offered.
    html = page.content.decode()
    assert 'name="name"' not in html and 'name="applicant_type"' not in html
    assert ">Kommunedirektør<" in html and ">Rådmann<" in html and ">Styreleder<" not in html
    # A municipality is not asked about Frivillighetsregisteret or counties of a national organisation.
    assert 'name="voluntary_registered' not in html and 'name="counties_activity"' not in html
    assert len(registry.requests) == 1  # asked once, kept for the next step

    response = client.post(
        response["Location"],
        {
            # A name sent anyway is ignored: the registry's name is kept.
            "name": "Noe helt annet",
            "bank_account": ACCOUNT,
            "email": "postmottak@provestad.example",
            "phone": "55 00 00 00",
            "position": "kommunedirektør",
        },
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(org_number=MUNICIPALITY)
    assert response["Location"] == f"/organisasjoner/{organisation.pk}/"
    assert organisation.name == "PRØVESTAD KOMMUNE"
    assert organisation.applicant_type == "municipality" and organisation.org_form == "KOMM"
    assert (organisation.county, organisation.municipality_number) == ("46", "4699")
    assert organisation.registry_verified is True and organisation.registry_checked_at is not None
    assert organisation.registry_data["organisasjonsnummer"] == MUNICIPALITY
    assert organisation.bank_account == ACCOUNT
    member = Membership.objects.get(user=kari, organisation=organisation)
    assert member.role == Role.SIGNATORY and member.administers and member.title == "kommunedirektør"
    assert member.confirmed_at is None
    assert len(registry.requests) == 1

    profile = visible_text(client.get(response["Location"]).content.decode())
    assert "Organisasjonen er registrert." in profile
    assert "Bekreftet mot Enhetsregisteret" in profile
    assert "Tilgangen er ikke bekreftet ennå" in profile
    assert "Din rolle: Signaturberettiget og administrator (kommunedirektør)." in profile


def test_a_voluntary_organisation_gives_the_date_of_its_registration_in_frivillighetsregisteret(client, kari, registry):
    url = client.post(START, {"org_number": VOLUNTARY})["Location"]
    html = client.get(url).content.decode()
    assert 'name="voluntary_registered"' not in html  # the registry says yes
    assert 'name="voluntary_registered_on"' in html

    missing = client.post(url, {"bank_account": ACCOUNT, "email": "post@lag.example", "county": "03", "position": "styreleder"})
    assert "Skriv datoen organisasjonen ble registrert i Frivillighetsregisteret." in visible_text(
        missing.content.decode()
    )

    client.post(
        url,
        {
            "bank_account": ACCOUNT,
            "email": "post@lag.example",
            "voluntary_registered_on": "2019-04-02",
            "counties_activity": ["03", "32"],
            "position": "styreleder",
        },
    )
    organisation = Organisation.objects.get(org_number=VOLUNTARY)
    assert organisation.voluntary_registered and organisation.voluntary_registered_on == dt.date(2019, 4, 2)
    assert organisation.founded_on == dt.date(2019, 3, 14)
    assert organisation.counties_activity == ["03", "32"]
    assert organisation.as_applicant()["voluntary_register"] == {"registered": True, "registered_on": "2019-04-02"}


def test_an_oslo_district_gets_the_district_directors_title(client, kari, registry):
    url = client.post(START, {"org_number": CITY_DISTRICT})["Location"]
    html = client.get(url).content.decode()
    assert ">Bydelsdirektør<" in html and ">Kommunedirektør<" not in html


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (NOT_FOUND, "Vi fant ikke organisasjonsnummeret i Enhetsregisteret."),
        (SLOW, "Vi fikk ikke kontakt med Enhetsregisteret akkurat nå."),
    ],
)
def test_without_the_registry_the_person_types_the_data_and_it_is_unverified(client, kari, registry, number, message):
    url = client.post(START, {"org_number": number})["Location"]
    text = visible_text(client.get(url).content.decode())
    assert message in text
    assert "Saksbehandleren ser at de ikke er bekreftet mot Enhetsregisteret" in text

    response = client.post(url, typed())

    assert response.status_code == 302
    organisation = Organisation.objects.get(org_number=number)
    assert organisation.name == "Prøvelaget Uten Register"
    assert organisation.registry_verified is False and organisation.registry_data == {}
    # «Last checked» only when the registry answered.
    assert (organisation.registry_checked_at is not None) == (number == NOT_FOUND)
    assert organisation.voluntary_registered_on == dt.date(2018, 6, 1)
    assert AuditEvent.objects.get(action="organisation.registered").to_state == "unverified"
    assert "Ikke bekreftet mot Enhetsregisteret" in visible_text(client.get(response["Location"]).content.decode())


def test_an_unreachable_registry_also_lets_the_person_type(client, kari, registry_down):
    url = client.post(START, {"org_number": MUNICIPALITY})["Location"]
    assert "Vi fikk ikke kontakt med Enhetsregisteret akkurat nå." in visible_text(client.get(url).content.decode())
    client.post(url, typed(name="Prøvestad kommune", applicant_type="municipality", position="rådmann"))
    organisation = Organisation.objects.get(org_number=MUNICIPALITY)
    assert organisation.registry_verified is False
    assert Membership.objects.get(organisation=organisation).role == Role.SIGNATORY


def test_typed_data_is_checked_field_by_field(client, kari, registry):
    url = client.post(START, {"org_number": NOT_FOUND})["Location"]
    response = client.post(
        url,
        typed(
            name="",
            bank_account="1234.56.78904",
            postal_code="15",
            voluntary_registered_on="",
            position="annen stilling",
            other_title="",
        ),
    )

    html = response.content.decode()
    text = visible_text(html)
    assert response.status_code == 200
    for message in (
        "Skriv navnet på organisasjonen.",
        "Kontonummeret er ikke gyldig. Sjekk sifrene.",
        "Postnummeret har 4 siffer.",
        "Skriv datoen organisasjonen ble registrert i Frivillighetsregisteret.",
        "Skriv stillingen din.",
    ):
        assert message in text
    for field in ("name", "bank_account", "postal_code", "voluntary_registered_on", "other_title"):
        assert f'href="#id_{field}"' in html
    assert not Organisation.objects.exists()


def test_a_title_that_does_not_sign_for_this_kind_of_applicant_is_explained(client, kari, registry):
    url = client.post(START, {"org_number": NOT_FOUND})["Location"]
    response = client.post(url, typed(position="fylkeskommunedirektør"))
    assert "Denne stillingen gir ikke signaturrett for denne typen søker." in visible_text(response.content.decode())


def test_another_position_makes_the_person_administrator_without_signing(client, kari, registry):
    url = client.post(START, {"org_number": NOT_FOUND})["Location"]
    client.post(url, typed(position="annen stilling", other_title="Frivillighetskoordinator"))
    member = Membership.objects.get(user=kari)
    assert member.role == Role.ADMINISTRATOR and member.title == "Frivillighetskoordinator"


def test_a_deleted_organisation_cannot_register(client, kari, registry):
    url = client.post(START, {"org_number": DELETED})["Location"]
    page = client.get(url)
    text = visible_text(page.content.decode())
    assert "Enhetsregisteret sier at organisasjonen er slettet." in text
    assert "<form method=\"post\" novalidate" not in page.content.decode()
    client.post(url, typed())
    assert not Organisation.objects.exists()


def test_an_organisation_number_already_registered_leads_to_a_join_request(client, kari, registry):
    ola = make_user("ola@example.no", "Ola Nordmann")
    first = services.register_organisation(ola, NOT_FOUND, details(), title="styreleder")

    response = client.post(START, {"org_number": NOT_FOUND})
    assert response["Location"] == f"/organisasjoner/bli-med/{NOT_FOUND}/"
    assert registry.requests == []

    page = visible_text(client.get(response["Location"]).content.decode())
    assert "Be om tilgang til Prøvelaget Uten Register" in page
    assert "Organisasjonen er allerede registrert i tilskudd." in page

    response = client.post(response["Location"], {"title": "Kasserer", "message": "Jeg er kasserer i laget."}, follow=True)
    assert "Forespørselen er sendt til administratorene i Prøvelaget Uten Register." in visible_text(
        response.content.decode()
    )
    request = MembershipRequest.objects.get(user=kari)
    assert request.organisation == first.organisation and request.title == "Kasserer"
    assert not Membership.objects.filter(user=kari).exists()
    # The person cannot see the organisation until an administrator lets them in.
    assert client.get(f"/organisasjoner/{first.organisation.pk}/").status_code == 404


def test_the_details_step_of_someone_elses_organisation_goes_to_joining(client, kari, registry):
    ola = make_user("ola@example.no")
    services.register_organisation(ola, NOT_FOUND, details(), title="styreleder")
    url = client.post(START, {"org_number": MUNICIPALITY})["Location"]
    # Meanwhile someone else registers the same number.
    services.register_organisation(ola, MUNICIPALITY, details(name="Prøvestad"), title="rådmann")

    response = client.post(url, {"bank_account": ACCOUNT, "email": "a@b.example", "position": "rådmann"})
    assert response["Location"] == f"/organisasjoner/bli-med/{MUNICIPALITY}/"
    assert not Membership.objects.filter(user=kari).exists()


def test_the_pages_in_english(english, registry):
    user = make_user("kari@example.no")
    english.force_login(user)
    response = english.post(START, {"org_number": "210000004"})
    text = visible_text(response.content.decode())
    assert "Register an organisation" in text
    assert "The organisation number is not valid. Check the digits." in text

    url = english.post(START, {"org_number": NOT_FOUND})["Location"]
    text = visible_text(english.get(url).content.decode())
    assert "We did not find the organisation number in Enhetsregisteret." in text
    assert "Bank account number" in text and "Your position in the organisation" in text


def test_an_organisation_nobody_is_left_in_can_be_registered_again(client, kari, registry):
    ola = make_user("ola@example.no")
    staff = make_grantor_staff("staff@imdi.example")
    first = services.register_organisation(ola, NOT_FOUND, details(), title="styreleder")
    services.reject_membership(staff, first.pk, reason="Ikke styreleder")

    assert client.get(f"/organisasjoner/bli-med/{NOT_FOUND}/")["Location"] == f"/organisasjoner/ny/{NOT_FOUND}/"
    response = client.post(START, {"org_number": NOT_FOUND})
    assert response["Location"] == f"/organisasjoner/ny/{NOT_FOUND}/"
    client.post(response["Location"], typed())
    member = Membership.objects.get(user=kari)
    assert member.organisation == first.organisation and member.is_administrator and not member.is_confirmed
