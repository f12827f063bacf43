"""A new form opens calm (issue #13, point 2): no errors on an empty form; a finding shows beside a field once it
is filled in or left, and in the summary when the person asks for a check; each section's progress as a task list."""

from __future__ import annotations

import re

import pytest

from tests.applications.conftest import C0, form_data, oslo, visible_text
from tilskudd.applications import services
from tilskudd.calls.models import Call

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty(municipality, freeze_now):
    freeze_now(oslo(2019, 2, 20, 10, 0))
    return services.start_draft(municipality.lead, municipality.organisation, Call.objects.get(slug=C0))


def tasks(html: str) -> dict[str, str]:
    """The task list as the person reads it: section → state."""
    nav = re.search(r'<nav class="tilskudd-task-list".*?</nav>', html, re.S)
    assert nav, "no task list"
    found = {}
    for item in re.findall(r"<li .*?</li>", nav.group(0), re.S):
        link = re.search(r"<a [^>]*>(.*?)</a>", item, re.S).group(1).strip()
        state = re.search(r'<span class="ds-tag"[^>]*>(.*?)</span>', item, re.S).group(1).strip()
        found[link] = state
    return found


def field_html(html: str, name: str) -> str:
    """The markup of one field: from the widget that holds the input named ``name`` to the next widget."""
    at = html.index(f'name="{name}"')
    start = html.rindex('<div class="tilskudd-widget"', 0, at)
    end = html.find('<div class="tilskudd-widget"', at)
    return html[start : end if end > 0 else len(html)]


def test_an_empty_form_shows_no_errors(client, municipality, empty):
    client.force_login(municipality.lead)
    response = client.get(f"/soknader/{empty.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' not in html
    assert "aria-invalid" not in html
    assert "ds-validation-message" not in html
    assert "Dette må rettes" not in visible_text(html)
    assert 'id="ready-summary"' not in html  # nor a claim that all is well
    assert tasks(html) == {
        "Prioritert område": "Ikke startet",
        "Om søkeren": "Ikke startet",
        "Om prosjektet": "Ikke startet",
        "Finansiering": "Ikke startet",
    }
    assert 'href="#s-project"' in html and 'id="s-project"' in html  # the task links to its section
    assert "Sjekk søknaden" in visible_text(html)


def _autosave(client, application, data) -> None:
    response = client.post(f"/soknader/{application.pk}/autolagre/", data)
    assert response.status_code == 200, response.content


def test_a_field_left_empty_shows_its_finding_and_no_other(client, municipality, empty):
    client.force_login(municipality.lead)
    url = f"/soknader/{empty.pk}/"
    data = form_data(client.get(url).content.decode())
    data["_touched"] = ["answers.project_title"]
    _autosave(client, empty, data)

    html = client.get(url).content.decode()
    title = field_html(html, "answers.project_title")
    assert 'aria-invalid="true"' in title
    assert "ds-validation-message" in title
    assert html.count('aria-invalid="true"') == 1  # the other fields are still calm
    assert 'id="error-summary"' not in html  # the summary waits for a check


def test_a_field_filled_in_wrongly_shows_its_finding_at_once(client, municipality, empty):
    client.force_login(municipality.lead)
    url = f"/soknader/{empty.pk}/"
    data = form_data(client.get(url).content.decode())
    data["areas"] = ["3"]
    _autosave(client, empty, data)
    data = form_data(client.get(url).content.decode())
    data["answers.participants"] = ["12"]
    _autosave(client, empty, data)

    html = client.get(url).content.decode()
    participants = visible_text(field_html(html, "answers.participants"))
    assert "«Antall deltakere» må være minst 15. Søknaden har 12." in participants
    assert field_html(html, "answers.project_title").count("aria-invalid") == 0
    assert tasks(html)["Prioritert område"] == "Fullført"
    assert tasks(html)["Om prosjektet"] == "Må rettes"
    assert tasks(html)["Finansiering"] == "Ikke startet"


def test_asking_for_a_check_shows_every_finding_in_the_summary(client, municipality, empty):
    client.force_login(municipality.lead)
    url = f"/soknader/{empty.pk}/"
    data = form_data(client.get(url).content.decode())
    data["_check"] = ["1"]
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"{url}#error-summary"

    html = client.get(url).content.decode()
    summary = re.search(r'<div class="ds-error-summary".*?</ul>', html, re.S).group(0)
    assert "Dette må rettes før søknaden kan sendes inn" in visible_text(summary)
    assert "«Budsjett» må fylles ut." in visible_text(summary)
    assert 'aria-invalid="true"' in field_html(html, "answers.project_title")


def test_a_complete_draft_is_done_in_every_section(client, municipality, draft):
    client.force_login(municipality.lead)
    html = client.get(f"/soknader/{draft.pk}/").content.decode()
    assert set(tasks(html).values()) == {"Fullført"}
    assert 'id="ready-summary"' in html
    assert 'id="error-summary"' not in html


def test_a_preview_keeps_the_form_calm(client, municipality, empty):
    client.force_login(municipality.lead)
    url = f"/soknader/{empty.pk}/"
    data = form_data(client.get(url).content.decode())
    data["areas"] = ["3"]
    html = client.post(f"{url}forhandsvis/", data).content.decode()
    assert 'id="error-summary"' not in html and "aria-invalid" not in html
    assert tasks(html)["Prioritert område"] == "Fullført"


def test_the_task_list_speaks_english(client, municipality, empty):
    client.force_login(municipality.lead)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/soknader/{empty.pk}/").content.decode()
    assert "Parts of the application" in html and "Not started" in visible_text(html)


def test_autosave_answers_with_the_findings_of_a_field_left_and_the_task_list(client, municipality, empty):
    client.force_login(municipality.lead)
    data = form_data(client.get(f"/soknader/{empty.pk}/").content.decode())
    data["_touched"] = ["answers.project_title"]
    data["areas"] = ["3"]
    body = client.post(f"/soknader/{empty.pk}/autolagre/", data).json()
    title = body["fields"]["f-answers-project-title"]
    assert title["invalid"] is True
    assert "«Prosjektets navn» må fylles ut." in visible_text(title["messages"])
    assert 'id="f-answers-project-title-messages"' in title["messages"]
    objective = body["fields"]["f-answers-objective"]  # not left yet: calm
    assert objective == {"invalid": False, "messages": ""}
    assert tasks(body["tasks"])["Prioritert område"] == "Fullført"
