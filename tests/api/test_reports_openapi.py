"""The report endpoints against the OpenAPI document with a real grant behind them (issue #12, point 2).

``test_openapi_conformance`` sends every operation generated requests, but its organisation has no grant, so the
report endpoints answer it only with 404s. Here the same checks (schemathesis, fixed seed, every answer documented,
no 5xx, what the document calls invalid refused) run on the report operations alone, for the signatory of an
accepted C2 grant whose duties exist: half of the valid requests are aimed at its application and duties.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from tests.api.test_openapi_conformance import BASE_URL, SETTINGS
from tests.api.test_openapi_conformance import schema as whole_schema
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.reports.helpers import accepted_grant
from tests.staff_world import C2, build_world
from tilskudd.api.auth import issue_token
from tilskudd.orgs.models import Membership

schema = whole_schema.include(tag="reports / rapporter")


def _world():
    return build_world((C2,))


reports_openapi_world_built = shared_world(_world, name="reports_openapi_world_built")


@pytest.fixture
def granted(reports_openapi_world_built, db, freeze_now, settings, tmp_path):
    """The signatory's token and the grant's application and duties; the WSGI app keeps the test's transaction."""
    settings.MEDIA_ROOT = tmp_path
    world = fresh(reports_openapi_world_built)
    grant = accepted_grant(world, freeze_now, C2, 150_000, report_due=dt.date(2021, 3, 1))
    signatory = applicant_of(grant.application)
    organisation = grant.application.organisation
    Membership.objects.filter(user=signatory, organisation=organisation, removed_at__isnull=True).update(
        administers=True
    )
    secret = issue_token(signatory, organisation, "Fagsystem").secret
    duties = list(grant.reporting_duties.values_list("pk", flat=True))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield secret, grant.application_id, duties
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aim(case, application_id: int, duties: list[int]) -> None:
    """Odd ids of valid requests become the grant's application and its duties (invalid ones stay as made)."""
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return
    parameters = case.path_parameters or {}
    number = parameters.get("application_id")
    if isinstance(number, int) and number % 2 == 1:
        parameters["application_id"] = application_id
    duty = parameters.get("duty_id")
    if isinstance(duty, int) and duty % 2 == 1:
        parameters["duty_id"] = duties[duty // 2 % len(duties)]


def test_the_document_has_the_report_operations():
    assert len(list(schema.get_all_operations())) == 4


@schema.parametrize()
@SETTINGS
def test_report_operations_with_a_grant(case, granted):
    secret, application_id, duties = granted
    _aim(case, application_id, duties)
    if case.operation.definition.raw.get("security") and "Authorization" not in (case.headers or {}):
        case.call_and_validate(base_url=BASE_URL)  # a negative case that leaves the token out: 401
    else:
        case.call_and_validate(base_url=BASE_URL, headers={"Authorization": f"Bearer {secret}"})
