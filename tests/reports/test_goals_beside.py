"""The application's stated goals beside the report's goal achievement (issue #12, point 2): the grantee's report
form and the caseworker's reading of the delivered report show, beside the goal-achievement field, the goals the
submitted application stated (the call file's ``beside``); a call naming a field it does not have is refused."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import yaml
from django.utils.html import escape
from pydantic import ValidationError

from tests.accounts.helpers import login_verified
from tests.builders import fresh, shared_world
from tests.casework.helpers import applicant_of
from tests.conftest import CALLS_DIR
from tests.reports.helpers import DECIDED, accepted_grant, frozen_clock
from tests.staff_world import C2, build_world
from tilskudd.reports import services
from tilskudd.reports.goals import stated_goals
from tilskudd.reports.models import ReportingDuty
from tilskudd.reports.receipts import receipt_context, receipt_html
from tilskudd.reports.services import Delivery
from tilskudd.rules.schema import CallDefinition


def _world():
    """C2's world and the grant the tests read, decided and accepted once for the module (issue #9 point 7)."""
    world = build_world((C2,))
    with frozen_clock() as freeze:
        grant = accepted_grant(world, freeze, C2, 150_000, report_due=dt.date(2021, 3, 1))
    return {"world": world, "grant": grant}


goals_world_built = shared_world(_world, name="goals_world_built")


@pytest.fixture
def built(goals_world_built, db):
    return fresh(goals_world_built)


@pytest.fixture
def world(built):
    return built["world"]


@pytest.fixture
def grant(built, freeze_now):
    """A C2 grant of NOK 150 000, accepted (the clock stands at its acceptance); its report is due 1 March 2021."""
    freeze_now(DECIDED[C2])
    return built["grant"]


def _annual(grant) -> ReportingDuty:
    return ReportingDuty.objects.get(grant=grant, kind="annual_report")


def _stated(grant) -> dict[str, str]:
    """What the submitted application says under the two goal fields C2's report form names."""
    answers = grant.application.submitted().answers
    return {name: answers[name] for name in ("goals_and_target_groups", "measurable_goals")}


def _field_block(page: str, field_id: str) -> str:
    """The report form's block that holds ``field_id``'s goals and its input (the two-column ``tilskudd-beside``)."""
    match = re.search(
        r'<div class="tilskudd-beside">(?:(?!<div class="tilskudd-beside">).)*?id="' + field_id + r'".*?</textarea>',
        page,
        re.S,
    )
    assert match, f"no goals beside {field_id}"
    return match.group(0)


def _escaped(text: str) -> str:
    """The text's first line as the page shows it (escaped; lines are joined by <br>)."""
    return escape(text.strip().splitlines()[0])


def test_the_report_form_shows_the_applications_goals_beside_the_goal_achievement_field(client, grant):
    duty = _annual(grant)
    stated = _stated(grant)
    assert all(text.strip() for text in stated.values()), "the submitted application states its goals"
    client.force_login(applicant_of(grant.application))
    page = client.get(f"/soknader/{grant.application.pk}/rapporter/{duty.pk}/").content.decode()
    block = _field_block(page, "goal_achievement-goals")
    assert "Målene i søknaden" in block
    assert "Mål og målgrupper" in block and "Konkrete og målbare mål" in block
    for text in stated.values():
        assert _escaped(text) in block
    # the goals come before the field they belong to, and the field names them as its description
    assert block.index("goal_achievement-goals") < block.index('for="goal_achievement"')
    assert re.search(r'<textarea[^>]*id="goal_achievement"[^>]*aria-describedby="goal_achievement-goals"', block)
    # only the goal-achievement field has them: «work done» has no goals beside it
    assert 'id="work_done-goals"' not in page


def test_the_goals_are_read_from_the_submitted_application_not_the_draft(grant):
    application = grant.application
    draft_answers = {**application.content["answers"], "measurable_goals": "Endret etterpå."}
    application.content = {**application.content, "answers": draft_answers}
    application.save(update_fields=["content"])
    goals = stated_goals(_annual(grant))["goal_achievement"]
    assert [goal.field_id for goal in goals] == ["goals_and_target_groups", "measurable_goals"]
    assert [goal.text for goal in goals] == [text.strip() for text in _stated(grant).values()]


def test_the_caseworker_reads_the_goal_achievement_beside_the_goals(client, grant, world):
    duty = _annual(grant)
    stated = _stated(grant)
    answer = "Deltakerne kom i arbeid eller utdanning."
    services.deliver_report(
        applicant_of(grant.application),
        duty.pk,
        Delivery(answers={"work_done": "Vi holdt 12 kurs.", "goal_achievement": answer, "participants": 45}),
    )
    report = duty.reports.get()
    # the receipt lists the application's goals just before the goal achievement delivered against them
    context = receipt_context(report)
    item = next(item for item in context["answers"] if item["value"] == answer)
    assert [goal["text"] for goal in item["goals"]] == [text.strip() for text in stated.values()]
    html = receipt_html(report)
    assert html.index("Målet i søknaden: Konkrete og målbare mål") < html.index(answer)
    login_verified(client, world.staff["caseworker"])
    page = client.get(f"/saksbehandling/rapporter/{report.pk}/").content.decode()
    match = re.search(r'<div class="tilskudd-beside">.*?</div>', page, re.S)
    assert match, "the delivered answer is shown beside the goals"
    block = match.group(0)
    assert answer in block and "Målene i søknaden" in block
    for text in stated.values():
        assert _escaped(text) in block


def test_a_call_whose_report_field_names_a_field_it_does_not_have_is_refused():
    with open(CALLS_DIR / f"{C2}.yaml", encoding="utf-8") as source:
        definition = yaml.safe_load(source)
    goal = next(f for f in definition["reporting"]["form"]["fields"] if f["id"] == "goal_achievement")
    goal["beside"] = ["goals_and_target_groups", "no_such_field"]
    with pytest.raises(ValidationError) as refused:
        CallDefinition.model_validate(definition)
    assert "report field 'goal_achievement' is shown beside unknown field 'no_such_field'" in str(refused.value)
