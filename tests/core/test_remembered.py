"""A person's roles and memberships are read once a request, and again as soon as one is written (core.remembered)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tilskudd.casework import scope
from tilskudd.casework.models import Role, StaffRole
from tilskudd.core.remembered import RememberPerRequestMiddleware
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.orgs.permissions import membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model):
    imdi = Organisation.objects.create(org_number="987879696", name="IMDi", applicant_type="")
    bergen = Organisation.objects.create(org_number="964338531", name="Bergen kommune", applicant_type="municipality")
    caseworker = django_user_model.objects.create_user(email="sb@imdi.no", password="x" * 12)
    member = django_user_model.objects.create_user(email="ola@bergen.kommune.no", password="x" * 12)
    role = StaffRole.objects.create(user=caseworker, grantor=imdi, role=Role.CASEWORKER)
    joined = Membership.objects.create(user=member, organisation=bergen, role="member", confirmed_at=timezone.now())
    return caseworker, role, member, bergen, joined


def _in_a_request(work):
    """``work()`` run as a view is: inside every request's remembering."""
    answers = []
    RememberPerRequestMiddleware(lambda request: answers.append(work()))(RequestFactory().get("/"))
    return answers[0]


def test_in_a_request_the_roles_are_read_once_and_again_after_one_is_removed(people):
    caseworker, role, *_ = people

    def view():
        with CaptureQueriesContext(connection) as reads:
            first = scope.grantor_numbers(caseworker)
            assert scope.is_grantor_staff(caseworker)
            assert scope.grantor_numbers(caseworker, Role.CASEWORKER) == first
            assert scope.grantor_numbers(caseworker, Role.APPROVER) == set()
        role.removed_at = timezone.now()
        role.save()
        return first, len(reads), scope.grantor_numbers(caseworker), scope.is_grantor_staff(caseworker)

    first, reads, after, still_staff = _in_a_request(view)
    assert first == {"987879696"}
    assert reads == 1
    assert after == set()  # the removal is seen in the same request
    assert still_staff is False


def test_a_new_role_is_seen_in_the_same_request(people):
    caseworker, role, *_ = people

    def view():
        before = scope.grantor_numbers(caseworker, Role.APPROVER)
        StaffRole.objects.create(user=caseworker, grantor=role.grantor, role=Role.APPROVER)
        return before, scope.grantor_numbers(caseworker, Role.APPROVER)

    assert _in_a_request(view) == (set(), {"987879696"})


def test_outside_a_request_every_check_reads_the_database(people):
    caseworker, *_ = people
    with CaptureQueriesContext(connection) as reads:
        scope.grantor_numbers(caseworker)
        scope.grantor_numbers(caseworker)
    assert len(reads) == 2


def test_nothing_is_kept_from_one_request_to_the_next(people):
    caseworker, role, *_ = people
    assert _in_a_request(lambda: scope.grantor_numbers(caseworker)) == {"987879696"}
    StaffRole.objects.filter(pk=role.pk).delete()
    assert _in_a_request(lambda: scope.grantor_numbers(caseworker)) == set()


def test_a_membership_is_read_once_a_request_and_forgotten_when_removed(people):
    *_, member, bergen, joined = people
    joined_id = joined.pk

    def view():
        with CaptureQueriesContext(connection) as reads:
            first = membership(member, bergen)
            assert membership(member, bergen) == first
        joined.delete()
        return first, len(reads), membership(member, bergen)

    first, reads, after = _in_a_request(view)
    assert first.pk == joined_id
    assert reads == 1
    assert after is None
