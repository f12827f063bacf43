"""Bad input in the web forms gets a clear 400 (or the form again with the field's error), never a 500 (issue #8, point 9).

Numbers longer than the database holds (amounts, years, a frame, row indexes), dates far off
(9999-12-31), NUL bytes in the address and in what is typed. The JSON API's half is tested in
``tests/api``.
"""

from __future__ import annotations

import pytest

from tests.web.conftest import visible_text
from tests.web.form_world import client_for, form_world, form_world_built  # noqa: F401 (the fixtures)

BEYOND_BIGINT = "9223372036854775808"  # 2**63: no database column holds it
HUGE = "9" * 5000  # beyond Python's 4300 digits for int(): a ValueError of its own


def _client(form_world, role):
    people, values = form_world
    return client_for(role, people[role]), values[role]


def _text(response) -> str:
    return visible_text(response.content.decode())


# --- numbers beyond the database -------------------------------------------------------------


@pytest.mark.parametrize("amount", [BEYOND_BIGINT, HUGE, "-" + BEYOND_BIGINT])
def test_a_frame_beyond_what_the_database_holds_is_refused_naming_the_frame(db, form_world, amount):
    client, values = _client(form_world, "approver")
    response = client.post(f"/saksbehandling/utlysninger/{values['call']}/rammer/", {"year": "2019", "amount": amount, "grantor": "", "area": ""})
    assert response.status_code == 400
    assert "Rammen" in _text(response)


@pytest.mark.parametrize("field,value", [("amount", BEYOND_BIGINT), ("amount", HUGE), ("year", BEYOND_BIGINT)])
def test_an_allocation_line_beyond_the_database_is_refused(db, form_world, field, value):
    from tilskudd.applications.models import Application

    client, values = _client(form_world, "caseworker")
    application = Application.objects.get(case__pk=values["locked_case"])
    data = {"amount": "1000", "year": "2019", "reason": "", field: value}
    response = client.post(f"/saksbehandling/utlysninger/{values['call']}/fordeling/{application.pk}/", data)
    assert response.status_code == 400
    assert ("Beløpet" if field == "amount" else "Året") in _text(response)


@pytest.mark.parametrize("amount", [BEYOND_BIGINT, HUGE])
def test_a_decision_amount_beyond_the_database_is_a_form_error(db, form_world, amount):
    client, values = _client(form_world, "caseworker")
    data = {"kind": "grant", "amount": amount, "reasons": "Godt tiltak."}
    response = client.post(f"/saksbehandling/saker/{values['locked_case']}/vedtak/", data)
    assert response.status_code == 400
    assert "Beløp for året (kroner)" in _text(response)


def test_a_decision_period_ending_in_year_9999_is_a_form_error(db, form_world):
    client, values = _client(form_world, "caseworker")
    data = {"kind": "grant", "amount": "1000", "reasons": "Godt tiltak.", "period_start": "2019-01-01", "period_end": "9999-12-31"}
    response = client.post(f"/saksbehandling/saker/{values['locked_case']}/vedtak/", data)
    assert response.status_code == 400
    assert "Perioden slutter" in _text(response)


def test_a_completion_deadline_in_year_9999_is_refused_not_a_500(db, form_world):
    client, values = _client(form_world, "caseworker")
    response = client.post(f"/saksbehandling/saker/{values['case']}/komplettering/", {"message": "Mangler budsjett.", "deadline": "9999-12-31"})
    assert response.status_code in (302, 400)


@pytest.mark.parametrize("amount", [BEYOND_BIGINT, HUGE])
def test_an_assessors_proposed_amount_beyond_the_database_is_refused(db, form_world, amount):
    client, values = _client(form_world, "assessor")
    from tilskudd.assessment.models import Assignment

    assignment = Assignment.objects.get(application__case__pk=values["assessing_case"])
    page = f"/saksbehandling/vurderinger/{assignment.pk}/"
    response = client.post(page, {"proposed_amount": amount, "comment": "", "score": "save"})
    assert response.status_code == 400
    assert "Foreslått beløp" in _text(response)


@pytest.mark.parametrize("value", [BEYOND_BIGINT, HUGE])
def test_the_queue_filter_with_an_amount_beyond_the_database_says_so(db, form_world, value):
    client, values = _client(form_world, "caseworker")
    response = client.get(f"/saksbehandling/utlysninger/{values['call']}/", {"amount_from": value})
    assert response.status_code == 200  # the queue, with the filter's message
    assert "Søkt beløp fra" in _text(response)


# --- the application form: amounts, years and row indexes --------------------------------------


@pytest.mark.parametrize("value", [BEYOND_BIGINT, HUGE, "1e309", "NaN"])
def test_the_application_form_keeps_a_number_too_large_as_typed_with_the_checks_message(db, form_world, value):
    from tilskudd.applications.models import Application

    client, values = _client(form_world, "applicant")
    application = Application.objects.get(pk=values["application"])
    data = {
        "revision": str(application.revision),
        "_fields": ["budget.lines"],
        "budget.lines[0].description": "Lønn",
        "budget.lines[0].amount": value,
        "budget.lines[0].year": value,
        "_save": "1",
    }
    response = client.post(f"/soknader/{application.pk}/", data, follow=True)
    assert response.status_code == 200
    application.refresh_from_db()
    for line in application.content.get("budget", {}).get("lines", []):
        for key in ("amount", "year"):
            assert not isinstance(line.get(key), (int, float)) or abs(line[key]) < 2**63


@pytest.mark.parametrize("index", [BEYOND_BIGINT, HUGE])
def test_a_row_index_beyond_any_list_is_ignored(db, form_world, index):
    from tilskudd.applications.models import Application

    client, values = _client(form_world, "applicant")
    application = Application.objects.get(pk=values["application"])
    data = {
        "revision": str(application.revision),
        "_fields": ["budget.lines"],
        f"budget.lines[{index}].description": "Lønn",
        "_remove": f"budget.lines[{index}]",
    }
    response = client.post(f"/soknader/{application.pk}/", data, follow=True)
    # 5000 digits in a field name exceed what Django reads of a multipart header: its own 400
    assert response.status_code == (200 if index == BEYOND_BIGINT else 400)


# --- NUL bytes ---------------------------------------------------------------------------------


def test_a_nul_byte_in_a_form_field_is_a_400_naming_the_field(db, form_world):
    client, values = _client(form_world, "orgadmin")
    response = client.post(f"/organisasjoner/{values['org']}/endre/", {"name": "Bergen\x00kommune"})
    assert response.status_code == 400
    assert "name" in response.content.decode()
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("path", ["/utlysninger/%00/", "/soknader/ny/%00/", "/?q=%00", "/saksbehandling/utlysninger/x/?q=a%00b"])
def test_a_nul_byte_in_the_address_is_a_400(db, form_world, path):
    client, _values = _client(form_world, "caseworker")
    response = client.get(path)
    assert response.status_code == 400


def test_a_nul_byte_in_a_form_answer_of_the_application_is_a_400(db, form_world):
    from tilskudd.applications.models import Application

    client, values = _client(form_world, "applicant")
    application = Application.objects.get(pk=values["application"])
    revision = application.revision
    response = client.post(f"/soknader/{application.pk}/", {"revision": str(revision), "project.title": "Tiltak\x00"})
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.revision == revision  # nothing saved
