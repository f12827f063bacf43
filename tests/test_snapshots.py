"""tests/builders.py take_snapshot / restore_snapshot: a world that commits, built once and put back for each
test that needs it (the browser walks' demo, issue #9 point 7). What comes back must be the world as built,
row for row: the walks read it as they would a freshly loaded one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from tests.builders import restore_snapshot, take_snapshot
from tilskudd.audit import chain
from tilskudd.audit.models import AuditEvent
from tilskudd.audit.services import Audience, AuditAction, record

pytestmark = pytest.mark.django_db(transaction=True)

LAST_LOGIN = dt.datetime(2026, 12, 2, 9, 15, 30, 123456, tzinfo=dt.UTC)


def _world(django_user_model):
    group = Group.objects.create(name="Saksbehandlere")
    person = django_user_model.objects.create_user(email="kari@example.no", password="x-Long-enough-1")
    person.last_login = LAST_LOGIN
    person.save()
    person.groups.add(group)
    record(person, person, AuditAction.ACCOUNT_REGISTERED, audience=Audience.APPLICANT)
    record(person, person, AuditAction.ACCOUNT_TWO_FACTOR_ENABLED, reason="Første gang", audience=Audience.APPLICANT)
    return person


def test_the_world_comes_back_row_for_row_after_a_test_changed_it(django_user_model):
    person = _world(django_user_model)
    events = list(AuditEvent.objects.order_by("pk").values())
    user_type = ContentType.objects.get_for_model(django_user_model).pk
    snapshot = take_snapshot()

    # What a walk does: changes, deletes and adds.
    django_user_model.objects.filter(pk=person.pk).update(first_name="Endret")
    Group.objects.all().delete()
    someone = django_user_model.objects.create_user(email="ola@example.no", password="x-Long-enough-1")
    record(someone, someone, AuditAction.ACCOUNT_REGISTERED, audience=Audience.APPLICANT)

    restore_snapshot(snapshot)

    again = django_user_model.objects.get(pk=person.pk)
    assert (again.email, again.first_name, again.password) == (person.email, person.first_name, person.password)
    assert again.last_login == LAST_LOGIN  # to the microsecond (a JSON dump would keep milliseconds)
    assert list(again.groups.values_list("name", flat=True)) == ["Saksbehandlere"]
    assert not django_user_model.objects.filter(email="ola@example.no").exists()
    assert list(AuditEvent.objects.order_by("pk").values()) == events
    assert chain.verify() == []  # the hash chain holds: every field came back as it was
    assert ContentType.objects.get_for_model(django_user_model).pk == user_type


def test_what_a_test_adds_after_the_restore_gets_new_keys_and_extends_the_chain(django_user_model):
    person = _world(django_user_model)
    snapshot = take_snapshot()
    restore_snapshot(snapshot)

    someone = django_user_model.objects.create_user(email="ola@example.no", password="x-Long-enough-1")
    record(person, person, AuditAction.ACCOUNT_BACKUP_CODES_RENEWED, audience=Audience.APPLICANT)

    assert someone.pk != person.pk
    assert AuditEvent.objects.filter(subject_id=str(person.pk)).count() == 3
    assert chain.verify() == []
