"""Scoring with guidance (issue #13, point 8): each step of the scale says what it means, and the
submitted application is on the scoring page, beside the form from 1200 px (static/assessment.css).

The scale's descriptions come from the call file; no call text describes the levels, so the file
states them as the grantor's reading (``readings``), never as the call's own words.
"""

from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.accounts.helpers import login_verified
from tests.assessment.conftest import c0
from tilskudd.assessment import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(world):
    return services.assign(world.staff["caseworker"], c0(world).case.pk, [world.staff["assessor1"].pk])[0]


def page(client, world, assignment, declare: bool = True) -> str:
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{assignment.pk}/"
    if declare:
        assert client.post(url, {"declare": "1", "disqualified": "no"}).status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    return html_lib.unescape(response.content.decode())


def definition(world):
    return c0(world).call_version.parsed()


def test_each_step_of_a_c0_criterion_is_described_on_the_scoring_form(client, world, assignment):
    html = page(client, world, assignment)
    purpose = next(c for c in definition(world).assessment.criteria if c.id == "purpose")
    assert sorted(purpose.scale.labels) == list(range(1, 7))
    for index, value in enumerate(range(purpose.scale.min, purpose.scale.max + 1)):
        label = purpose.scale.labels[value].nb
        # the description is the radio button's own label, so a screen reader reads it with the value
        assert f'<label class="ds-label" for="id_purpose_{index}">{value} – {label}</label>' in html
    assert "Svært svakt:" in html and "Fremragende:" in html
    assert "formålet og kriteriene for måloppnåelse" in purpose.scale.labels[4].nb  # the criterion's own words


def test_the_scale_is_stated_as_the_grantors_reading_not_as_the_calls_words(world):
    call = definition(world)
    readings = {reading.rule: reading.text.nb for reading in call.readings}
    assert {c.rule for c in call.assessment.criteria} <= set(readings)
    assert "Utlysningen beskriver ikke hva hvert trinn" in readings["C0-R24"]
    assert "lesning" in readings["C0-R24"]


def test_the_submitted_application_is_on_the_scoring_page(client, world, assignment):
    html = page(client, world, assignment)
    application = c0(world)
    content = html.split('id="application-content"', 1)[1].split('id="scoring"', 1)[0]
    # every section of the call's form, and what the applicant wrote
    for section in definition(world).sections:
        assert section.title.nb in content
    written = [v for v in application.submitted_content["answers"].values() if isinstance(v, str) and len(v) > 30]
    assert written
    for answer in written:
        assert re.sub(r"\s+", " ", answer.strip())[:30] in re.sub(r"\s+", " ", content)
    # the two columns: the application first, then the form, in the page's order
    assert 'class="tilskudd-scoring tilskudd-scoring--beside"' in html
    assert html.index('id="application-content"') < html.index('id="assessment-form"')
    assert "assessment.css" in html and "style=" not in content


def test_before_declaring_the_assessor_does_not_yet_read_the_application(client, world, assignment):
    html = page(client, world, assignment, declare=False)
    assert 'id="application-content"' not in html and "tilskudd-scoring--beside" not in html
    assert c0(world).organisation.name in html  # enough to judge whether one is disqualified


def test_a_disqualified_assessor_does_not_read_the_application(client, world, assignment):
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{assignment.pk}/"
    reason = "Jeg sitter i styret."
    client.post(url, {"declare": "1", "disqualified": "yes", "disqualification_reason": reason})
    html = client.get(url).content.decode()
    assert "Du har erklært deg inhabil" in html and 'id="application-content"' not in html
