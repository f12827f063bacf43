"""Plain Norwegian on the desk (issue #13, point 9): filters named without rule ids, routing not called
«Fordelt til» (the allocation is «Fordeling»), and a decision's history told in words."""

from __future__ import annotations

import re

from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C0
from tilskudd.grants.decisions import services


def _labels(html: str) -> list[str]:
    return [visible_text(label) for label in re.findall(r"<label\b[^>]*>(.*?)</label>", html, re.S)]


def test_the_queue_filters_and_columns_speak_plain_norwegian(casework_world, client):
    login_verified(client, casework_world.staff["caseworker"])
    html = client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C0].slug}/").content.decode()
    labels = _labels(html)
    assert "Regionkontor" in labels  # C0 routes to regional offices (C0-R27): the filter is there
    assert not [label for label in labels if re.search(r"C\d-R\d+", label)]
    headers = [visible_text(h) for h in re.findall(r'<th scope="col">(.*?)</th>', html, re.S)]
    assert "Behandles av" in headers and "Fordelt til" not in headers


def test_a_decisions_history_is_told_in_words(casework_world, client):
    world = casework_world
    application = ready_for_decision(world.applications[C0][0], world.staff["caseworker"])
    decision = services.prepare_decision(
        world.staff["caseworker"], application.pk, "refusal", reasons="Søknaden nådde ikke opp."
    )
    services.approve(world.staff["approver"], decision.pk)
    login_verified(client, world.staff["approver"])
    text = visible_text(client.get(f"/saksbehandling/vedtak/{decision.pk}/").content.decode())
    assert "Vedtak ble forberedt (ny status: til godkjenning)" in text
    assert "Vedtak ble godkjent (ny status: godkjent)" in text
    assert "decision.prepared" not in text and "→" not in text and "prepared" not in text
