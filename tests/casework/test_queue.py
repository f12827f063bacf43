"""A call's queue: the person's grantors' cases only, filters and search, the count in words."""

from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.casework.helpers import queue_rows
from tests.staff_world import C0, C2
from tilskudd.applications.models import Application
from tilskudd.casework import services
from tilskudd.casework.models import Role, StaffRole


def _rows(client, world, slug, query=""):
    response = client.get(f"/saksbehandling/utlysninger/{world.calls[slug].slug}/{query}")
    assert response.status_code == 200
    return response, queue_rows(response.content.decode())


def _organisations(rows):
    return sorted(" ".join(row.split()[1:3]) for row in rows)


def test_imdi_sees_all_six_c0_cases_with_routing(casework_world, client):
    login_verified(client, casework_world.staff["caseworker"])
    response, rows = _rows(client, casework_world, C0)
    assert len(rows) == 6
    assert "6 søknader." in visible_text(response.content.decode())
    bergen = next(r for r in rows if "Bergen kommune" in r)
    assert "Vestland" in bergen and "IMDi Vest, Lubna Jaffery" in bergen and "Sendt inn" in bergen


def test_filters(casework_world, client):
    world = casework_world
    login_verified(client, world.staff["caseworker"])
    _, rows = _rows(client, world, C0, "?area=1")
    assert len(rows) == 1 and "Bergen kommune" in rows[0]
    _, rows = _rows(client, world, C0, "?county=50")
    assert len(rows) == 2 and all("Trondheim kommune" in r for r in rows)
    _, rows = _rows(client, world, C0, "?amount_from=1000000")
    assert sorted(r.split()[1] for r in rows) == ["Bergen", "Stavanger", "Trondheim"]
    _, rows = _rows(client, world, C0, "?amount_from=700000&amount_to=950000")
    assert sorted(r.split()[1] for r in rows) == ["Oslo", "Oslo"]
    first = world.applications[C0][0]
    services.accept(world.staff["caseworker"], first.case.pk)
    _, rows = _rows(client, world, C0, "?status=in_assessment")
    assert [r.split()[0] for r in rows] == [first.case_number]
    Application.objects.filter(pk=world.applications[C0][3].pk).update(
        submitted_findings=[
            {"rule_id": "C0-R08", "severity": "warning", "message_nb": "x", "message_en": "x", "field": ""}
        ]
    )
    response, rows = _rows(client, world, C0, "?findings=on")
    assert [r.split()[0] for r in rows] == [world.applications[C0][3].case_number]
    assert "1 søknad passer til filtrene." in visible_text(response.content.decode())


def test_search_by_case_number_name_org_number_and_title(casework_world, client):
    world = casework_world
    login_verified(client, world.staff["caseworker"])
    number = world.applications[C0][2].case_number
    _, rows = _rows(client, world, C0, f"?q={number}")
    assert [r.split()[0] for r in rows] == [number]
    _, rows = _rows(client, world, C0, "?q=trondheim")
    assert len(rows) == 2
    _, rows = _rows(client, world, C0, "?q=964965226")
    assert len(rows) == 1 and "Stavanger kommune" in rows[0]
    _, rows = _rows(client, world, C0, "?q=digital+introduksjon")
    assert len(rows) == 1 and "Oslo kommune 958935420" in rows[0]
    response, rows = _rows(client, world, C0, "?q=finnes-ikke")
    assert rows == [] and "0 søknader passer til filtrene." in visible_text(response.content.decode())


def test_a_bad_amount_is_explained_and_ignored(casework_world, client):
    login_verified(client, casework_world.staff["caseworker"])
    response, rows = _rows(client, casework_world, C0, "?amount_from=mange")
    assert len(rows) == 6
    assert "Skriv et helt beløp i kroner." in visible_text(response.content.decode())


def test_bergen_sees_only_its_c2_case_and_imdi_not_bergens(casework_world, client):
    world = casework_world
    login_verified(client, world.bergen_staff["caseworker"])
    _, rows = _rows(client, world, C2)
    assert len(rows) == 1 and "Landås Nabolagsforening" in rows[0]
    assert client.get(f"/saksbehandling/utlysninger/{world.calls[C0].slug}/").status_code == 404
    client.logout()
    login_verified(client, world.staff["caseworker"])
    _, rows = _rows(client, world, C2)
    assert sorted(" ".join(r.split()[1:3]) for r in rows) == ["Foreningen Trygg", "Norskstua Frivilligsentral"]


def test_a_person_at_two_grantors_can_filter_by_grantor(casework_world, client):
    world = casework_world
    person = world.staff["caseworker"]
    StaffRole.objects.create(user=person, grantor=world.bergen, role=Role.CASEWORKER)
    login_verified(client, person)
    response, rows = _rows(client, world, C2)
    assert len(rows) == 3
    assert "Tilskuddsforvalter" in visible_text(response.content.decode())
    _, rows = _rows(client, world, C2, f"?grantor={world.bergen.org_number}")
    assert len(rows) == 1 and "Landås Nabolagsforening" in rows[0] and "Bergen kommune" in rows[0]


def test_filter_by_regional_office_and_own_cases(casework_world, client):
    world = casework_world
    caseworker = world.staff["caseworker"]
    login_verified(client, caseworker)
    response, rows = _rows(client, world, C0, "?office=IMDi+Midt-Norge")
    assert len(rows) == 2 and all("Trondheim kommune" in r for r in rows)
    assert '<option value="IMDi Vest">IMDi Vest</option>' in response.content.decode()
    services.assign_caseworker(caseworker, world.applications[C0][0].case.pk, caseworker)
    _, rows = _rows(client, world, C0, "?mine=on")
    assert [r.split()[0] for r in rows] == [world.applications[C0][0].case_number]


def test_a_queue_read_by_its_case_ids_lists_what_the_call_and_grantor_list(casework_world, monkeypatch):
    """A grantor with few cases in the call has its queue read by the ids in the ledger (issue #14, point 4):
    the same cases, in the same order, for every filter, as when read by call and grantor."""
    world = casework_world
    person = world.staff["caseworker"]
    StaffRole.objects.create(user=person, grantor=world.bergen, role=Role.CASEWORKER)
    Application.objects.filter(pk=world.applications[C0][1].pk).update(status="draft")  # a draft is never listed
    filters = [{}, {"status": "submitted"}, {"county": "50"}, {"q": "kommune"}, {"flagged": True}, {"area": "1"}]
    filters += [{"grantor": world.bergen.org_number}, {"amount_from": 700000}]

    def listed() -> dict:
        return {
            (slug, index): [case.pk for case in services.queue_cases(person, world.calls[slug], wanted)]
            for slug in (C0, C2)
            for index, wanted in enumerate(filters)
        }

    by_ids = listed()
    monkeypatch.setattr(services, "FEW_CASES", 0)  # every queue read by call and grantor
    assert listed() == by_ids
    assert world.applications[C0][1].case.pk not in by_ids[(C0, 0)]
    assert sum(bool(cases) for cases in by_ids.values()) >= 8
