"""The approver's decision page shows what the decision rests on (issue #13, point 8): each assessor's
scores, total and proposed amount, and where they disagree."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.assessment.conftest import accept
from tests.assessment.test_services import scored
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C0
from tests.web.conftest import visible_text
from tilskudd.assessment import services as assessment
from tilskudd.grants.decisions import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(casework_world):
    for application in casework_world.applications[C0]:
        accept(application)
    return casework_world


def test_the_approver_sees_scores_totals_amounts_and_disagreements(world, client):
    application = world.applications[C0][0]
    first, second = assessment.assign(
        world.staff["caseworker"], application.case.pk, [world.staff["assessor1"].pk, world.staff["assessor2"].pk]
    )
    scored(world, first, {"purpose": (6, "Svært god"), "capacity": (4, "Grei"), "transfer_value": (3, "Noe")}, 400_000)
    scored(
        world, second, {"purpose": (3, "Middels"), "capacity": (4, "Grei"), "transfer_value": (None, "Nei")}, 200_000
    )
    ready_for_decision(application, world.staff["caseworker"])
    decision = services.prepare_decision(world.staff["caseworker"], application.pk, "grant", amount=300_000)
    login_verified(client, world.staff["approver"])
    html = client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode()
    text = " ".join(visible_text(html).replace("\xa0", " ").replace("\u202f", " ").split())
    assert 'id="assessment-scores"' in html
    for name in (first.assessor.get_full_name(), second.assessor.get_full_name()):
        assert name in text
    assert " 6 3 " in text  # the purpose criterion, one column per assessor
    assert "Ikke relevant" in text
    assert "400 000 kr" in text and "200 000 kr" in text
    assert "vurdererne ligger 2 poeng eller mer fra hverandre" in text
    assert "vurdererne er uenige om kriteriet er relevant" in text
    assert "Beløpet: vurdererne foreslår beløp som skiller seg med mer enn 25 %" in text


def test_without_a_completed_assessment_the_page_says_so(world, client):
    application = world.applications[C0][1]
    decision = services.prepare_decision(
        world.staff["caseworker"], application.pk, "rejection", reasons="Søkeren kan ikke søke."
    )
    login_verified(client, world.staff["approver"])
    html = client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode()
    assert 'id="assessment-none"' in html and "Ingen fullført faglig vurdering." in visible_text(html)
