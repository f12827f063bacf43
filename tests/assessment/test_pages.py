"""Assessment pages: what the assessor sees before and after declaring, the summary, errors, and who may see what.

Access decisions (documented in tilskudd.assessment.views): the assignment page is its assessor's
alone — any other person, also the grantor's other assessors and caseworkers, gets 404. The
summary is for the grantor's caseworkers and approvers; its assessors get 403, another grantor's
staff 404, applicants 403, anonymous visitors the login page.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tilskudd.assessment import services
from tilskudd.assessment.models import Score
from tests.accounts.helpers import login_verified
from tests.assessment.conftest import ALL_FOUR, c0

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def pair(world):
    return services.assign(
        world.staff["caseworker"], c0(world).case.pk, [world.staff["assessor1"].pk, world.staff["assessor2"].pk]
    )


def test_my_assessments_lists_the_assignments_with_their_state(client, world, pair):
    login_verified(client, world.staff["assessor1"])
    response = client.get("/saksbehandling/vurderinger/")
    assert response.status_code == 200
    body = text(response)
    application = c0(world)
    assert application.case_number in body and application.organisation.name in body
    assert "Erklær habilitet" in body


def test_before_declaring_the_assessor_sees_only_the_declaration(client, world, pair):
    login_verified(client, world.staff["assessor1"])
    response = client.get(f"/saksbehandling/vurderinger/{pair[0].pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "forvaltningsloven § 6" in html
    assert 'name="declare"' in html
    assert 'name="score"' not in html and "Formål og måloppnåelse" not in html


def test_after_declaring_not_disqualified_the_scoring_form_shows_the_calls_criteria(client, world, pair):
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{pair[0].pk}/"
    response = client.post(url, {"declare": "1", "disqualified": "no"})
    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert "Formål og måloppnåelse" in html and "Hvor godt prosjektet svarer på formålet" in html
    assert html.count('type="radio" name="purpose"') == 7  # 1–6 and not applicable
    assert "Ikke relevant" in html and 'name="score"' in html and "Kompetanse Norge" not in html


def test_a_disqualified_assessor_sees_only_the_declaration_and_cannot_post_scores(client, world, pair):
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{pair[0].pk}/"
    missing = client.post(url, {"declare": "1", "disqualified": "yes", "disqualification_reason": ""})
    assert missing.status_code == 400
    assert 'href="#id_disqualification_reason"' in missing.content.decode()
    client.post(url, {"declare": "1", "disqualified": "yes", "disqualification_reason": "Min bror leder prosjektet."})
    page = client.get(url).content.decode()
    assert "Du har erklært deg inhabil" in page and "Min bror leder prosjektet." in page
    assert 'name="score"' not in page and 'name="purpose"' not in page
    posted = client.post(url, {"score": "save", "purpose": "5", "purpose_reason": "Bra"})
    assert posted.status_code == 400
    assert 'name="purpose"' not in posted.content.decode()
    assert not Score.objects.exists()
    # the caseworker sees the disqualification and can assign another
    login_verified(client, world.staff["caseworker"])
    summary = text(client.get(f"/saksbehandling/saker/{c0(world).case.pk}/vurdering/"))
    assert "Inhabile vurderere" in summary and "Min bror leder prosjektet." in summary


def test_scoring_errors_are_summarised_at_the_top_and_nothing_is_saved(client, world, pair):
    services.declare(world.staff["assessor1"], pair[0].pk, disqualified=False)
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{pair[0].pk}/"
    response = client.post(
        url,
        {"score": "save", "purpose": "5", "purpose_reason": "", "capacity": "na", "capacity_reason": "Ikke aktuelt",
         "transfer_value": "9", "transfer_value_reason": "x", "proposed_amount": "abc"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert html.index("error-summary") < html.index('name="purpose"')
    for anchor in ("#id_purpose_reason", "#id_proposed_amount"):
        assert f'href="{anchor}"' in html
    assert not Score.objects.exists()
    # the posted values stay in the form
    assert 'value="na" id="id_capacity_6" checked' in html


def test_saving_and_completing_from_the_page(client, world, pair):
    services.declare(world.staff["assessor1"], pair[0].pk, disqualified=False)
    login_verified(client, world.staff["assessor1"])
    url = f"/saksbehandling/vurderinger/{pair[0].pk}/"
    data = {"purpose": "5", "purpose_reason": "God", "capacity": "4", "capacity_reason": "Grei",
            "transfer_value": "na", "transfer_value_reason": "Ikke aktuelt", "proposed_amount": "100 000", "comment": "Bra"}
    assert client.post(url, {**data, "score": "complete"}).status_code == 302
    pair[0].refresh_from_db()
    assert pair[0].completed_at is not None and pair[0].proposed_amount == 100_000
    page = text(client.get(url))
    assert "Din vurdering er fullført" in page and "Ikke relevant" in page


def test_the_summary_shows_assessors_side_by_side_disagreements_in_text_and_locks(client, world, pair):
    one, two = pair
    for assignment, values, amount in (
        (one, {"purpose": (5, "a"), "capacity": (2, "b"), "transfer_value": (None, "c")}, 400_000),
        (two, {"purpose": (4, "a"), "capacity": (4, "b"), "transfer_value": (3, "c")}, 420_000),
    ):
        services.declare(assignment.assessor, assignment.pk, disqualified=False)
        services.save_scores(assignment.assessor, assignment.pk, values, amount, "")
        services.complete(assignment.assessor, assignment.pk)
    case = c0(world).case
    login_verified(client, world.staff["approver"])
    url = f"/saksbehandling/saker/{case.pk}/vurdering/"
    response = client.get(url)
    assert response.status_code == 200
    body = text(response)
    assert "Vidar Vurderer" in body and "Vera Vurderer" in body
    assert body.count("Uenighet :") == 2  # capacity (points) and transfer value (applicability); amounts within 25 %
    assert "2 poeng eller mer" in body and "ikke er relevant" in body
    assert 'name="assign"' not in response.content.decode()  # the approver does not assign
    assert 'value="4.5"' in response.content.decode()  # the mean of purpose, prefilled
    bad = client.post(url, {"lock": "1", "moderated_purpose": "8", "moderated_capacity": "3", "moderated_transfer_value": "3"})
    assert bad.status_code == 400 and 'href="#id_moderated_purpose"' in bad.content.decode()
    locked = client.post(url, {"lock": "1", "moderated_purpose": "4,5", "moderated_capacity": "3", "moderated_transfer_value": "", "note": "Drøftet"})
    assert locked.status_code == 302
    assert services.locked_total(case.application) == pytest.approx(3.75)
    after = client.get(url)
    assert "Låst vurdering" in text(after) and 'name="lock"' not in after.content.decode()


def test_the_caseworker_assigns_from_the_summary(client, world):
    case = c0(world).case
    login_verified(client, world.staff["caseworker"])
    url = f"/saksbehandling/saker/{case.pk}/vurdering/"
    page = client.get(url).content.decode()
    assert "Vidar Vurderer" in page and "Tone Tilskudd" not in page  # only IMDi's assessors
    assert client.post(url, {"assign": "1"}).status_code == 400
    assert client.post(url, {"assign": "1", "assessors": [world.staff["assessor1"].pk]}).status_code == 302
    assert list(case.application.assignments.values_list("assessor", flat=True)) == [world.staff["assessor1"].pk]
    after = client.get(url).content.decode()
    assert 'id="lock-waits"' in after and 'name="lock"' not in after  # nothing completed yet


def test_co_assessors_are_noted_on_the_summary_of_area_3(client, world):
    from tests.staff_world import C0

    area3 = next(a for a in world.applications[C0] if a.submitted_content["areas"] == ["3"])
    login_verified(client, world.staff["caseworker"])
    assert "Kompetanse Norge" in text(client.get(f"/saksbehandling/saker/{area3.case.pk}/vurdering/"))


# --- access -------------------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_login(client, world, pair):
    for url in ("/saksbehandling/vurderinger/", f"/saksbehandling/vurderinger/{pair[0].pk}/", f"/saksbehandling/saker/{c0(world).case.pk}/vurdering/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_applicants_get_403(client, world, pair):
    application = c0(world)
    client.force_login(application.created_by)
    for url in ("/saksbehandling/vurderinger/", f"/saksbehandling/vurderinger/{pair[0].pk}/", f"/saksbehandling/saker/{application.case.pk}/vurdering/"):
        assert client.get(url).status_code == 403


def test_the_assignment_page_is_the_assessors_alone(client, world, pair):
    url = f"/saksbehandling/vurderinger/{pair[0].pk}/"
    for person in (world.staff["assessor2"], world.staff["caseworker"], world.bergen_staff["assessor"]):
        login_verified(client, person)
        assert client.get(url).status_code == 404
    login_verified(client, world.staff["assessor1"])
    assert client.get(url).status_code == 200


def test_the_summary_by_role_and_grantor(client, world):
    url = f"/saksbehandling/saker/{c0(world).case.pk}/vurdering/"
    expected = {
        world.staff["caseworker"]: 200,
        world.staff["approver"]: 200,
        world.staff["assessor1"]: 403,
        world.staff["administrator"]: 403,
        world.bergen_staff["caseworker"]: 404,
    }
    for person, status in expected.items():
        login_verified(client, person)
        assert client.get(url).status_code == status, person


def test_the_scoring_form_in_english_uses_the_calls_english_texts_and_scale_labels(client, world, pair, monkeypatch):
    from tilskudd.assessment import views
    from tilskudd.rules.schema import Criterion, Scale, Text

    services.declare(world.staff["assessor1"], pair[0].pk, disqualified=False)
    login_verified(client, world.staff["assessor1"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get(f"/saksbehandling/vurderinger/{pair[0].pk}/").content.decode()
    assert "Purpose and goal achievement" in html and "Not applicable" in html and "Save and mark completed" in html
    labelled = Criterion(
        id="x", label=Text(nb="X"), scale=Scale(min=0, max=2, labels={0: Text(nb="Svak", en="Weak")}), rule="C0-R24"
    )
    assert [text for _, text in views._scale_choices(labelled)] == ["0 – Svak", "1", "2", "Ikke relevant"]


def test_ids_on_the_pages_are_unique(client, world, pair):
    services.declare(world.staff["assessor1"], pair[0].pk, disqualified=False)
    login_verified(client, world.staff["assessor1"])
    for html in (client.get(f"/saksbehandling/vurderinger/{pair[0].pk}/").content.decode(),):
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids))
    login_verified(client, world.staff["caseworker"])
    html = client.get(f"/saksbehandling/saker/{c0(world).case.pk}/vurdering/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
