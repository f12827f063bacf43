"""API tokens: created by an organisation's administrators, the secret shown once, only its hash
stored; revoked, expired or orphaned tokens answer 401. The page /organisasjoner/<id>/api-nokler/."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.utils import timezone

from tests.conftest import HttpsClient
from tests.api.test_applications_api import API, ORG_B, bearer, issue, join, make_organisation, make_person
from tests.web.conftest import visible_text
from tilskudd.api import auth
from tilskudd.api.models import ApiToken
from tilskudd.audit.models import AuditEvent
from tilskudd.core.refusals import NotAllowed
from tilskudd.rules.schema import OSLO

BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def org(db):
    """Municipality A with an administrator, a signatory who also administers, and a plain member."""
    organisation = make_organisation()
    people = {
        "admin": make_person("admin@a.example", "Ada Administrator"),
        "radmann": make_person("radmann@a.example", "Rita Rådmann"),
        "member": make_person("member@a.example", "Mona Medlem"),
    }
    join(people["admin"], organisation, "administrator")
    join(people["radmann"], organisation, "signatory", administers=True, title="kommunedirektør")
    join(people["member"], organisation, "member")
    return organisation, people


def page_url(organisation) -> str:
    return f"/organisasjoner/{organisation.pk}/api-nokler/"


def logged_in(user) -> HttpsClient:
    client = HttpsClient()
    client.force_login(user, backend=BACKEND)
    return client


def api_status(secret: str) -> tuple[int, dict]:
    response = HttpsClient().get(API, **bearer(secret))
    return response.status_code, response.json()


# --- issuing: the secret once, the hash stored ----------------------------------------------


def test_issuing_returns_the_secret_once_and_stores_only_its_hash(org):
    organisation, people = org
    issued = auth.issue_token(people["admin"], organisation, "Sak- og arkivsystem")
    secret = issued.secret
    assert re.fullmatch(r"tsk_[A-Za-z0-9_-]{43}", secret)
    token = ApiToken.objects.get()
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert token.prefix == secret[:12]
    assert token.created_by == people["admin"] and token.organisation == organisation
    stored = [str(value) for value in ApiToken.objects.values().get().values()]
    assert not [value for value in stored if secret in value]
    event = AuditEvent.objects.get(action="api_token.created")
    assert (event.actor, event.subject_type, event.subject_id) == (people["admin"], "organisation", str(organisation.pk))
    assert event.data["prefix"] == token.prefix and secret not in str(event.data)
    assert api_status(secret)[0] == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_only_administrators_create_tokens(org):
    organisation, people = org
    with pytest.raises(NotAllowed) as refused:
        auth.issue_token(people["member"], organisation, "Mitt system")
    assert refused.value.permission.reason_en == "Only the organisation's administrators can create API tokens."
    outsider = make_person("x@b.example", "Ola Utenfor")
    with pytest.raises(NotAllowed):
        auth.issue_token(outsider, organisation, "Mitt system")
    assert auth.issue_token(people["radmann"], organisation, "Sak").token.created_by == people["radmann"]
    assert ApiToken.objects.count() == 1


# --- when a token stops working ---------------------------------------------------------------


def test_a_revoked_token_is_401(org):
    organisation, people = org
    secret = issue(people["admin"], organisation)
    token = ApiToken.objects.get()
    auth.revoke_token(people["radmann"], token.pk, organisation)
    status, body = api_status(secret)
    assert status == 401
    assert body["detail"].startswith("API-nøkkelen er trukket tilbake")
    assert body["detail_en"].startswith("The API token has been revoked")
    event = AuditEvent.objects.get(action="api_token.revoked")
    assert event.actor == people["radmann"] and event.data["token"] == token.pk


def test_an_expired_token_is_401(org, monkeypatch):
    organisation, people = org
    expires = dt.datetime(2030, 1, 1, tzinfo=OSLO)
    secret = issue(people["admin"], organisation, expires_at=expires)
    assert api_status(secret)[0] == 200
    monkeypatch.setattr("django.utils.timezone.now", lambda: expires)
    status, body = api_status(secret)
    assert (status, body["detail_en"]) == (401, "The API token has expired. Ask an administrator of the organisation for a new one.")


def test_a_token_stops_working_when_its_creator_leaves(org):
    organisation, people = org
    secret = issue(people["radmann"], organisation)
    people["radmann"].memberships.update(removed_at=timezone.now())
    status, body = api_status(secret)
    assert status == 401
    assert "no longer in the organisation" in body["detail_en"]
    assert "ikke er med i organisasjonen" in body["detail"]


def test_a_token_stops_working_when_its_creators_account_is_closed(org):
    organisation, people = org
    secret = issue(people["admin"], organisation)
    people["admin"].is_active = False
    people["admin"].save()
    assert api_status(secret)[0] == 401


def test_a_wrong_secret_with_a_right_prefix_is_401(org):
    organisation, people = org
    secret = issue(people["admin"], organisation)
    forged = secret[:12] + ("A" if secret[12] != "A" else "B") + secret[13:]
    status, body = api_status(forged)
    assert status == 401 and body["detail_en"].startswith("The API token is unknown")
    assert api_status("tsk_")[0] == 401
    assert api_status("x" * 5000)[0] == 401
    assert api_status(secret[:12] + "\x00" + secret[13:])[0] == 401
    response = HttpsClient().get(API, HTTP_AUTHORIZATION=f"Basic {secret}")
    assert response.status_code == 401
    assert response.json()["detail_en"].startswith("The request has no API token")


def test_a_token_acts_only_in_its_own_organisation(org):
    organisation, people = org
    other = make_organisation(ORG_B, "Kommune B (testdata)")
    join(people["admin"], other, "administrator")
    secret = issue(people["admin"], other)
    token = ApiToken.objects.get()
    assert token.organisation == other
    assert api_status(secret) == (200, [])


# --- the page ----------------------------------------------------------------------------------


def test_the_page_creates_a_token_and_shows_the_secret_only_once(org):
    organisation, people = org
    client = logged_in(people["admin"])
    page = client.get(page_url(organisation))
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "API-nøkler: Kommune A (testdata)" in text
    assert "Ingen API-nøkler ennå." in text

    created = client.post(page_url(organisation), {"name": "Sak- og arkivsystem", "expires_on": "2030-12-31"})
    assert created.status_code == 200
    assert created["Cache-Control"].startswith("max-age=0")
    html = created.content.decode()
    [secret] = re.findall(r'value="(tsk_[^"]+)"', html)
    assert "Den vises ikke igjen" in visible_text(html)
    token = ApiToken.objects.get()
    assert token.secret_hash == auth.hash_secret(secret)
    assert token.expires_at == dt.datetime(2031, 1, 1, tzinfo=OSLO)
    assert api_status(secret)[0] == 200

    again = client.get(page_url(organisation)).content.decode()
    assert secret not in again
    row = visible_text(again)
    assert f"Sak- og arkivsystem {token.prefix}… Ada Administrator" in row
    assert "31.12.2030 Aktiv" in row


def test_the_page_revokes_a_token(org):
    organisation, people = org
    secret = issue(people["radmann"], organisation)
    token = ApiToken.objects.get()
    client = logged_in(people["admin"])
    response = client.post(f"{page_url(organisation)}{token.pk}/trekk-tilbake/")
    assert response.status_code == 302 and response["Location"] == page_url(organisation)
    page = visible_text(client.get(page_url(organisation)).content.decode())
    assert "API-nøkkelen «Sak- og arkivsystem» er trukket tilbake og virker ikke lenger." in page
    assert "Trukket tilbake" in page
    assert api_status(secret)[0] == 401
    # revoking again changes nothing
    client.post(f"{page_url(organisation)}{token.pk}/trekk-tilbake/")
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_form_errors_are_summarised_and_tied_to_their_fields(org):
    organisation, people = org
    client = logged_in(people["admin"])
    response = client.post(page_url(organisation), {"name": "  ", "expires_on": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#token-name"' in html
    assert 'aria-describedby="token-name-help token-name-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Skriv et navn på nøkkelen" in visible_text(html)
    past = client.post(page_url(organisation), {"name": "Sak", "expires_on": "2020-01-01"})
    assert past.status_code == 400 and 'href="#token-expires-on"' in past.content.decode()
    assert "Utløpsdatoen må være fram i tid." in visible_text(past.content.decode())
    garbled = client.post(page_url(organisation), {"name": "Sak", "expires_on": "31.12"})
    assert garbled.status_code == 400
    assert ApiToken.objects.count() == 0


def test_a_member_sees_why_they_cannot_create_tokens(org):
    organisation, people = org
    issue(people["admin"], organisation)
    client = logged_in(people["member"])
    page = client.get(page_url(organisation))
    assert page.status_code == 200
    text = visible_text(page.content.decode())
    assert "Bare organisasjonens administratorer kan lage API-nøkler." in text
    assert "Sak- og arkivsystem" not in text  # others' tokens are for administrators
    assert client.post(page_url(organisation), {"name": "Mitt"}).status_code == 403
    token = ApiToken.objects.get()
    client.post(f"{page_url(organisation)}{token.pk}/trekk-tilbake/")
    assert ApiToken.objects.get().revoked_at is None
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 0


def test_the_page_is_in_english_when_chosen(org):
    organisation, people = org
    client = logged_in(people["admin"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = visible_text(client.get(page_url(organisation)).content.decode())
    assert "API tokens: Kommune A (testdata)" in text and "Create a new token" in text


def test_outsiders_get_404_and_anonymous_people_are_sent_to_log_in(org):
    organisation, people = org
    issue(people["admin"], organisation)
    token = ApiToken.objects.get()
    outsider = make_person("x@b.example", "Ola Utenfor")
    other = make_organisation(ORG_B, "Kommune B (testdata)")
    join(outsider, other, "administrator")
    client = logged_in(outsider)
    assert client.get(page_url(organisation)).status_code == 404
    assert client.post(f"{page_url(organisation)}{token.pk}/trekk-tilbake/").status_code == 404
    # a token id of another organisation under one's own organisation is not found either
    assert client.post(f"{page_url(other)}{token.pk}/trekk-tilbake/").status_code == 404
    assert client.get("/organisasjoner/999999/api-nokler/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    anonymous = HttpsClient().get(page_url(organisation))
    assert anonymous.status_code == 302 and "next=" in anonymous["Location"]
