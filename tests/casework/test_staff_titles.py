"""Issue #10, point 14: the grantor's administrator gives each person a job title (*stillingstittel*), which the
decision letters sign with (tests/grants/test_letter_texts.py shows the letters).

One title per person and grantor, set on the staff page; only the administrator may, and every change is an
internal audit event.
"""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.orgs.conftest import make_grantor_staff, make_user
from tests.web.conftest import visible_text
from tilskudd.audit.actions import AuditAction
from tilskudd.audit.labels import action_label
from tilskudd.audit.models import AuditEvent
from tilskudd.casework import services
from tilskudd.casework.models import Role, StaffProfile, StaffRole, job_title

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    admin = make_grantor_staff("admin@imdi.example", "Ada Admin", role=Role.ADMINISTRATOR)
    siri = make_grantor_staff("siri@imdi.example", "Siri Saksbehandler", role=Role.CASEWORKER)
    imdi = StaffRole.objects.get(user=admin).grantor
    return admin, siri, imdi


def title_url(imdi, person) -> str:
    return f"/saksbehandling/tilskuddsforvaltere/{imdi.pk}/personer/{person.pk}/stillingstittel/"


def events():
    return AuditEvent.objects.filter(action=AuditAction.STAFF_TITLE_CHANGED.value)


def test_the_administrator_sets_a_persons_job_title_on_the_staff_page(people, client):
    admin, siri, imdi = people
    login_verified(client, admin)
    page = client.get(f"/saksbehandling/tilskuddsforvaltere/{imdi.pk}/personer/")
    assert "Stillingstitler" in visible_text(page.content.decode())
    assert f'action="{title_url(imdi, siri)}"' in page.content.decode()

    response = client.post(title_url(imdi, siri), {f"title-{siri.pk}-job_title": "  seniorrådgiver "}, follow=True)

    assert response.status_code == 200
    assert "Stillingstittelen til Siri Saksbehandler er nå «seniorrådgiver»." in visible_text(response.content.decode())
    assert job_title(siri, imdi.org_number) == "seniorrådgiver"
    assert 'value="seniorrådgiver"' in response.content.decode()
    [event] = events()
    assert event.actor == admin and event.audience == "internal"
    assert event.subject_type == "staffprofile"
    assert event.data == {"user": siri.email, "grantor": imdi.org_number, "before": "", "job_title": "seniorrådgiver"}


def test_the_staff_page_asks_for_the_title_in_english_too(people, client, english):
    admin, siri, imdi = people
    login_verified(client, admin)
    text = visible_text(client.get(f"/saksbehandling/tilskuddsforvaltere/{imdi.pk}/personer/").content.decode())
    assert "Job titles" in text and "Job title" in text and "Save the job title" in text


def test_a_caseworker_may_not_set_a_job_title_and_nothing_changes(people, client):
    _admin, siri, imdi = people
    login_verified(client, siri)
    response = client.post(title_url(imdi, siri), {f"title-{siri.pk}-job_title": "direktør"})
    assert response.status_code == 403
    assert not StaffProfile.objects.exists()
    assert not events().exists()
    with pytest.raises(services.RoleMissing):
        services.set_job_title(siri, imdi, siri, "direktør")
    assert job_title(siri, imdi.org_number) == ""


def test_only_people_with_a_role_at_the_grantor_get_a_title(people, client):
    admin, _siri, imdi = people
    stranger = make_user("ola@example.no", "Ola Utenfor")
    login_verified(client, admin)
    response = client.post(title_url(imdi, stranger), {f"title-{stranger.pk}-job_title": "rådgiver"})
    assert response.status_code == 404
    with pytest.raises(services.CaseworkRefused):
        services.set_job_title(admin, imdi, stranger, "rådgiver")
    assert not StaffProfile.objects.exists() and not events().exists()


def test_a_too_long_title_is_refused_with_the_reason_and_nothing_changes(people, client):
    admin, siri, imdi = people
    services.set_job_title(admin, imdi, siri, "rådgiver")
    login_verified(client, admin)
    response = client.post(title_url(imdi, siri), {f"title-{siri.pk}-job_title": "x" * 101})
    assert response.status_code == 400
    assert "Stillingstittelen kan ha høyst 100 tegn." in visible_text(response.content.decode())
    assert job_title(siri, imdi.org_number) == "rådgiver"
    assert events().count() == 1


def test_the_same_title_again_writes_nothing_and_an_empty_one_clears_it(people, client):
    admin, siri, imdi = people
    services.set_job_title(admin, imdi, siri, "rådgiver")
    services.set_job_title(admin, imdi, siri, " rådgiver")
    assert events().count() == 1

    login_verified(client, admin)
    response = client.post(title_url(imdi, siri), {f"title-{siri.pk}-job_title": ""}, follow=True)
    assert "Siri Saksbehandler har ikke lenger en stillingstittel." in visible_text(response.content.decode())
    assert job_title(siri, imdi.org_number) == ""
    cleared = events().order_by("sequence").last()
    assert cleared.data["before"] == "rådgiver" and cleared.data["job_title"] == ""


def test_a_person_with_two_roles_has_one_title_and_it_outlives_a_role(people, client):
    admin, siri, imdi = people
    assessor = StaffRole.objects.create(user=siri, grantor=imdi, role=Role.ASSESSOR)
    login_verified(client, admin)
    page = client.get(f"/saksbehandling/tilskuddsforvaltere/{imdi.pk}/personer/").content.decode()
    assert page.count(f'action="{title_url(imdi, siri)}"') == 1

    services.set_job_title(admin, imdi, siri, "seniorrådgiver")
    services.remove_staff_role(admin, assessor.pk)
    assert job_title(siri, imdi.org_number) == "seniorrådgiver"


def test_the_event_has_a_name_in_both_languages():
    assert action_label(AuditAction.STAFF_TITLE_CHANGED.value, "nb") == "Stillingstittel endret"
    assert action_label(AuditAction.STAFF_TITLE_CHANGED.value, "en") == "Job title changed"
