"""Delegated signing authority (*fullmakt*): grant, revoke, expiry, and that signing honours it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import FIXTURES
from tests.orgs.conftest import details, make_user
from tests.web.conftest import visible_text
from tilskudd.applications.models import Application
from tilskudd.applications.permissions import can_sign, signing_capacity
from tilskudd.audit.models import AuditEvent
from tilskudd.calls.models import Call
from tilskudd.core.refusals import NotAllowed
from tilskudd.orgs import services
from tilskudd.orgs.models import Delegation

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(db, tmp_path):
    """The minimal test call, and a second call made from it."""
    import yaml

    from tilskudd.calls.services import load_call_files

    data = yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"))
    other = dict(data, id=data["id"] + "-to")
    second = tmp_path / "second.yaml"
    second.write_text(yaml.safe_dump(other, allow_unicode=True, sort_keys=False), encoding="utf-8")
    load_call_files([FIXTURES / "minimal_call.yaml", second])
    return list(Call.objects.order_by("slug"))


def draft(organisation, call, user) -> Application:
    return Application.objects.create(
        organisation=organisation, call=call, call_version=call.current_version, created_by=user, updated_by=user
    )


def later(monkeypatch, days: int) -> None:
    """Move the server's clock ``days`` ahead."""
    moved = timezone.now() + dt.timedelta(days=days)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moved)


def test_a_delegation_for_one_call_lets_the_delegate_sign_that_call_only(people, calls):
    first_call, second_call = calls
    kari, ola, organisation = people["kari"], people["ola"], people["organisation"]
    application = draft(organisation, first_call, ola)
    other = draft(organisation, second_call, ola)
    assert signing_capacity(ola, application) is None
    assert can_sign(ola, application).reason_nb.startswith("Bare den som har signaturrett")

    delegation = services.grant_delegation(
        kari,
        organisation,
        delegate_membership_id=people["ola_membership"].pk,
        call_id=first_call.pk,
        valid_until=timezone.localdate() + dt.timedelta(days=30),
    )

    assert signing_capacity(ola, application) == ("delegate", delegation)
    assert can_sign(ola, application).allowed
    assert signing_capacity(ola, other) is None
    assert signing_capacity(people["per"], application) is None
    event = AuditEvent.objects.get(action="delegation.granted")
    assert event.actor == kari and event.data["delegate"] == "ola@example.no" and event.data["call"] == first_call.slug


def test_a_delegation_for_all_calls_covers_every_call(people, calls):
    kari, ola, organisation = people["kari"], people["ola"], people["organisation"]
    services.grant_delegation(
        kari,
        organisation,
        delegate_membership_id=people["ola_membership"].pk,
        valid_until=timezone.localdate() + dt.timedelta(days=1),
    )
    for call in calls:
        assert signing_capacity(ola, draft(organisation, call, ola))[0] == "delegate"


def test_a_revoked_delegation_no_longer_lets_the_delegate_sign(people, calls):
    kari, ola, organisation = people["kari"], people["ola"], people["organisation"]
    application = draft(organisation, calls[0], ola)
    delegation = services.grant_delegation(
        kari, organisation, delegate_membership_id=people["ola_membership"].pk, valid_until=timezone.localdate()
    )

    services.revoke_delegation(kari, delegation.pk, reason="Ikke lenger prosjektleder")

    assert signing_capacity(ola, application) is None
    delegation.refresh_from_db()
    assert delegation.status() == "revoked" and delegation.revoked_by == kari
    assert AuditEvent.objects.get(action="delegation.revoked").reason == "Ikke lenger prosjektleder"
    with pytest.raises(NotAllowed):
        services.revoke_delegation(kari, delegation.pk)


def test_a_delegation_ends_after_its_last_day(people, calls, monkeypatch):
    kari, ola, organisation = people["kari"], people["ola"], people["organisation"]
    application = draft(organisation, calls[0], ola)
    delegation = services.grant_delegation(
        kari,
        organisation,
        delegate_membership_id=people["ola_membership"].pk,
        valid_until=timezone.localdate() + dt.timedelta(days=2),
    )

    later(monkeypatch, 2)
    assert signing_capacity(ola, application) == ("delegate", delegation)
    later(monkeypatch, 3)
    assert signing_capacity(ola, application) is None
    assert Delegation.objects.get().status() == "expired"


def test_only_a_confirmed_signatory_delegates(people):
    organisation = people["organisation"]
    with pytest.raises(NotAllowed) as raised:
        services.grant_delegation(
            people["ola"], organisation, delegate_membership_id=people["per_membership"].pk, valid_until=timezone.localdate()
        )
    assert raised.value.permission.reason_nb == "Bare den som har signaturrett, kan gi fullmakt til å signere."

    # A signatory whose access grantor staff have not confirmed yet cannot delegate either.
    lise = make_user("lise@example.no")
    unconfirmed = services.register_organisation(lise, "210000003", details(name="Ny"), title="styreleder")
    make_user("hjelper@example.no")
    helper = services.invite(lise, unconfirmed.organisation, "hjelper@example.no")
    with pytest.raises(NotAllowed) as raised:
        services.grant_delegation(
            lise, unconfirmed.organisation, delegate_membership_id=helper.pk, valid_until=timezone.localdate()
        )
    assert raised.value.permission.reason_nb.startswith("Tilgangen din er ikke bekreftet ennå.")


def test_a_delegation_must_be_to_another_member_who_cannot_sign_and_end_today_or_later(people):
    kari, organisation = people["kari"], people["organisation"]
    with pytest.raises(services.Refused):
        services.grant_delegation(
            kari, organisation, delegate_membership_id=people["kari_membership"].pk, valid_until=timezone.localdate()
        )
    with pytest.raises(services.Refused):
        services.grant_delegation(
            kari,
            organisation,
            delegate_membership_id=people["ola_membership"].pk,
            valid_until=timezone.localdate() - dt.timedelta(days=1),
        )
    outsider = make_user("ute@example.no")
    other = services.register_organisation(outsider, "310000000", details(name="Annen"), title="Leder")
    with pytest.raises(services.Refused):
        services.grant_delegation(kari, organisation, delegate_membership_id=other.pk, valid_until=timezone.localdate())


def test_removing_the_grantor_or_the_delegate_revokes_the_delegation(people, calls):
    kari, ola, organisation = people["kari"], people["ola"], people["organisation"]
    services.change_role(kari, people["per_membership"].pk, can_sign=False, is_admin=True)
    delegation = services.grant_delegation(
        kari, organisation, delegate_membership_id=people["ola_membership"].pk, valid_until=timezone.localdate()
    )

    services.change_role(people["per"], people["kari_membership"].pk, can_sign=False, is_admin=True)

    delegation.refresh_from_db()
    assert delegation.status() == "revoked"
    assert signing_capacity(ola, draft(organisation, calls[0], ola)) is None


def test_the_delegation_page_grants_lists_and_revokes(people, client, calls, monkeypatch):
    kari, organisation = people["kari"], people["organisation"]
    client.force_login(kari)
    url = f"/organisasjoner/{organisation.pk}/fullmakter/"

    html = client.get(url).content.decode()
    assert "Ola Nordmann (ola@example.no)" in html
    assert "Kari Nordmann (kari@example.no)" not in html  # not to oneself

    until = timezone.localdate() + dt.timedelta(days=10)
    response = client.post(
        url,
        {"delegate": people["ola_membership"].pk, "call": str(calls[0].pk), "valid_until": until.isoformat()},
        follow=True,
    )
    text = visible_text(response.content.decode())
    assert "Fullmakten er gitt." in text
    assert f"Gjeldende fullmakter Fullmektig Gitt av Utlysning Gyldig til og med Handlinger Ola Nordmann Kari Nordmann {calls[0].title_nb} {until:%d.%m.%Y} Trekk tilbake Ola Nordmann" in text

    delegation = Delegation.objects.get()
    response = client.post(f"{url}{delegation.pk}/trekk-tilbake/", follow=True)
    text = visible_text(response.content.decode())
    assert "Fullmakten er trukket tilbake." in text
    assert "Gjeldende fullmakter Ingen." in text
    assert "Tilbaketrukne fullmakter" in text and "Ola Nordmann" in text.split("Tilbaketrukne fullmakter")[1]

    services.grant_delegation(
        kari, organisation, delegate_membership_id=people["per_membership"].pk, valid_until=timezone.localdate()
    )
    later(monkeypatch, 1)
    client.force_login(kari)  # a day later the session has ended (8 hours idle at most)
    text = visible_text(client.get(url).content.decode())
    assert "Per Hansen" in text.split("Utløpte fullmakter")[1].split("Tilbaketrukne fullmakter")[0]


def test_the_delegation_page_explains_why_a_member_cannot_delegate(people, client):
    client.force_login(people["ola"])
    url = f"/organisasjoner/{people['organisation'].pk}/fullmakter/"
    text = visible_text(client.get(url).content.decode())
    assert "Bare den som har signaturrett, kan gi fullmakt til å signere." in text
    assert "Gi fullmakt" not in text

    until = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"delegate": people["per_membership"].pk, "valid_until": until})
    assert response.status_code == 403
    assert not Delegation.objects.exists()


def test_the_delegation_form_explains_its_errors(people, client):
    client.force_login(people["kari"])
    url = f"/organisasjoner/{people['organisation'].pk}/fullmakter/"
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"delegate": "", "valid_until": yesterday})

    html = response.content.decode()
    text = visible_text(html)
    assert "Velg personen som skal få fullmakt." in text
    assert "Datoen har allerede vært." in text
    assert 'href="#id_delegate"' in html and 'href="#id_valid_until"' in html


def test_a_delegation_gives_nothing_in_another_organisation(people, calls):
    ola = people["ola"]
    services.grant_delegation(
        people["kari"],
        people["organisation"],
        delegate_membership_id=people["ola_membership"].pk,
        valid_until=timezone.localdate(),
    )
    lise = make_user("lise@example.no")
    other = services.register_organisation(lise, "310000000", details(name="Annet lag"), title="styreleder")
    services.invite(lise, other.organisation, ola.email)
    assert signing_capacity(ola, draft(other.organisation, calls[0], ola)) is None
