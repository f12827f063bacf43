"""A municipality applies to C0 area 3 as a person would, through the pages, without JavaScript.

start → choose area 3 → fill in from the example «omrade-3-godkjent» but with 12
participants → the C0-R20 error «minst 15» beside the field and in the summary →
fix → the signatory signs → submit → case number → Min side shows it.
"""

from __future__ import annotations

import json

import pytest

from tests.applications.conftest import C0, EXAMPLES, form_data, oslo, visible_text

pytestmark = pytest.mark.django_db


def example_content(name: str) -> dict:
    document = json.loads((EXAMPLES / C0 / f"{name}.json").read_text(encoding="utf-8"))
    return {
        key: document[key]
        for key in ("areas", "contacts", "answers", "partners", "project", "budget")
        if key in document
    }


def post_values(content: dict) -> dict[str, list[str]]:
    """The application content as a browser posts it from the form (input names are the exchange paths)."""
    data: dict[str, list[str]] = {}

    def put(name, value):
        if value is None:
            return
        if isinstance(value, bool):
            value = "true" if value else "false"
        data[name] = [str(v) for v in value] if isinstance(value, list) else [str(value)]

    put("areas", content.get("areas"))
    for key, value in content.get("answers", {}).items():
        put(f"answers.{key}", value)
    for index, contact in enumerate(content.get("contacts", [])):
        for key, value in contact.items():
            put(f"contacts[{index}].{key}", value)
    for key, value in (content.get("project") or {}).items():
        put(f"project.{key}", value)
    for index, partner in enumerate(content.get("partners", [])):
        for key, value in partner.items():
            if key == "confirmations":
                for confirmation, given in value.items():
                    if given:
                        put(f"partners[{index}].confirmations.{confirmation}", "true")
            else:
                put(f"partners[{index}].{key}", value)
    budget = content.get("budget", {})
    for index, line in enumerate(budget.get("lines", [])):
        for key, value in line.items():
            put(f"budget.lines[{index}].{key}", value)
    for index, source in enumerate(budget.get("funding_sources", [])):
        for key, value in source.items():
            put(f"budget.funding_sources[{index}].{key}", value)
    for key, value in (budget.get("own_contribution") or {}).items():
        put(f"budget.own_contribution.{key}", value)
    put("budget.amount_applied", budget.get("amount_applied"))
    return data


def save(client, url: str, changes: dict[str, list[str]]):
    page = client.get(url)
    assert page.status_code == 200
    data = form_data(page.content.decode())
    data.update(changes)
    return client.post(url, data)


def test_a_municipality_applies_to_c0_area_3(client, municipality, freeze_now):
    freeze_now(oslo(2019, 2, 20, 10, 0))
    client.force_login(municipality.lead)

    # Start from the call page's link: one organisation, so it is chosen.
    start = client.get(f"/soknader/ny/{C0}/")
    assert start.status_code == 200
    assert "Bergen kommune" in visible_text(start.content.decode())
    created = client.post(f"/soknader/ny/{C0}/", {})
    assert created.status_code == 302
    url = created["Location"]
    assert url.startswith("/soknader/")

    # An empty draft opens calm (issue #13, point 2): no error summary yet, and «Send inn» is not offered.
    page = client.get(url)
    text = visible_text(page.content.decode())
    assert "Dette må rettes før søknaden kan sendes inn" not in text
    assert "Send inn søknaden" not in text

    # Choose area 3 and save: the area's questions appear.
    response = save(client, url, {"areas": ["3"]})
    assert response.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    assert "Tema for utprøvingen" in html and "Hvordan bruker dere underveisvurdering?" in html

    # Fill in everything, with 12 participants.
    content = example_content("omrade-3-godkjent")
    content["answers"]["participants"] = 12
    response = save(client, url, post_values(content))
    assert response.status_code == 302
    page = client.get(url)
    html = page.content.decode()
    text = visible_text(html)
    assert "«Antall deltakere» må være minst 15. Søknaden har 12." in text
    # Beside the field, tied to it for screen readers, and linked from the summary.
    assert 'id="f-answers-participants-messages"' in html
    assert 'aria-describedby="f-answers-participants-messages"' in html
    assert 'href="#f-answers-participants"' in html
    assert "C0-R20" in text
    assert "Send inn søknaden" not in text

    # The follow-up question to «language helpers: yes» appeared with this save; it is required.
    assert "«Hvordan lærer dere opp språkhjelperne eller likemennene?» må fylles ut." in text

    # Fix both: no errors are left.
    training = content["answers"]["language_helper_training"]
    response = save(client, url, {"answers.participants": ["15"], "answers.language_helper_training": [training]})
    assert response.status_code == 302
    text = visible_text(client.get(url).content.decode())
    assert "Kontrollene finner ingen feil" in text, text[text.find("Dette må"):][:1500]
    assert "minst 15" not in text

    # The project lead may not sign, and is told why.
    pk = int(url.strip("/").split("/")[-1])
    review = visible_text(client.get(f"/soknader/{pk}/signer/").content.decode())
    assert "Bare den som har signaturrett, eller fullmakt fra denne, kan signere søknaden." in review

    # The signatory signs the revision shown.
    client.force_login(municipality.signatory)
    review = client.get(f"/soknader/{pk}/signer/").content.decode()
    assert "Signer søknaden" in review
    from tilskudd.applications.models import Application

    revision = Application.objects.get(pk=pk).revision
    signed = client.post(f"/soknader/{pk}/signer/", {"revision": revision})
    assert signed.status_code == 302
    review = visible_text(client.get(f"/soknader/{pk}/signer/").content.decode())
    assert "Signert av Rå D. Mann (kommunedirektør), med signaturrett, 20.02.2019 kl. 10:00." in review
    assert "Send inn søknaden" in review

    # Submit: a case number and the confirmation page.
    submitted = client.post(f"/soknader/{pk}/send-inn/")
    assert submitted.status_code == 302
    assert submitted["Location"] == f"/soknader/{pk}/sendt/"
    confirmation = visible_text(client.get(submitted["Location"]).content.decode())
    application = Application.objects.get(pk=pk)
    assert application.status == "submitted"
    assert application.case_number == "19/00001"
    assert "Søknaden er sendt inn" in confirmation
    assert "Saksnummeret er 19/00001" in confirmation

    # Min side shows it, with what happens next.
    client.force_login(municipality.lead)
    mine = visible_text(client.get("/min-side/").content.decode())
    assert "Morsmålet som ressurs i norskopplæringen" in mine
    assert "19/00001" in mine
    assert "Sendt inn – venter på behandling" in mine
