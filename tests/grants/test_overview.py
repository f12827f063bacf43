"""The call overview (issue 4, point 7): exact figures, the area and county breakdowns, frame use, the chart's
text alternative, scope per grantor in C2, and access per role."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tilskudd.applications.models import Application
from tilskudd.casework.models import Case, CaseArea, CaseTally
from tilskudd.grants.overview import figures as overview
from tests.accounts.helpers import login_verified
from tests.grants.test_overview_helpers import c0_state, c2_state
from tests.staff_world import C0, C2

pytestmark = pytest.mark.django_db


def imdi(world):
    return {world.imdi.org_number}


def test_counts_by_status_cover_every_status_after_submission_and_never_drafts(casework_world):
    call, apps = c0_state(casework_world)
    a0 = apps[0]
    Application.objects.create(  # a draft: not the grantor's business
        organisation=a0.organisation,
        call=call,
        call_version=a0.call_version,
        created_by=a0.created_by,
        updated_by=a0.created_by,
        content={"budget": {"amount_applied": 9_999_999}},
    )
    counts = {row.status: row.count for row in overview.status_counts(call, imdi(casework_world))}
    assert counts == {
        "submitted": 1,
        "reopened": 0,
        "in_assessment": 1,
        "granted": 1,
        "refused": 1,
        "rejected": 1,
        "withdrawn": 1,
    }
    assert "draft" not in counts
    assert [row.label.nb for row in overview.status_counts(call, imdi(casework_world))][:3] == [
        "Sendt inn",
        "Åpnet for komplettering",
        "Til vurdering",
    ]


def test_amounts_per_area_count_applied_proposed_for_the_call_year_and_published_grants_only(casework_world):
    call, _ = c0_state(casework_world)
    rows, total = overview.by_area(call, imdi(casework_world))
    got = {row.key: (row.count, row.applied, row.proposed, row.granted) for row in rows}
    assert got == {
        "1": (1, 1_800_000, 1_500_000, 1_500_000),
        "2": (1, 1_300_000, 0, 0),
        "3": (1, 750_000, 600_000, 0),  # the prepared grant is not granted yet
        "4": (1, 1_000_000, 0, 0),
        "5": (1, 260_000, 260_000, 0),  # the withdrawn one (950 000) is left out
    }
    assert (total.count, total.applied, total.proposed, total.granted) == (5, 5_110_000, 2_360_000, 1_500_000)


def test_amounts_per_county_use_the_county_at_submission_named_from_the_county_table(casework_world):
    call, _ = c0_state(casework_world)
    rows, total = overview.by_county(call, imdi(casework_world))
    assert [(row.label.nb, row.count, row.applied, row.proposed, row.granted) for row in rows] == [
        ("Oslo (03)", 1, 750_000, 600_000, 0),
        ("Rogaland (11)", 1, 1_000_000, 0, 0),
        ("Trøndelag (50)", 2, 1_560_000, 260_000, 0),
        ("Vestland (46)", 1, 1_800_000, 1_500_000, 1_500_000),
    ]
    assert total.applied == 5_110_000


def test_frame_use_per_frame_with_left_and_per_cent_used(casework_world):
    call, _ = c0_state(casework_world)
    frames = overview.frame_use(call, imdi(casework_world))
    got = [(f.label.nb, f.frame, f.proposed, f.granted, f.left, f.percent_used) for f in frames]
    assert got[0] == ("Hele utlysningen (2019)", 5_000_000, 2_360_000, 1_500_000, 2_640_000, Decimal("47.2"))
    assert got[1][1:] == (300_000, 260_000, 0, 40_000, Decimal("86.7"))  # area 5 only; 86.666… rounds to 86.7
    assert got[1][0].startswith("Prioritert område 5: Innovative løsninger") and got[1][0].endswith(" (2019)")
    assert frames[1].short_label.nb == "Prioritert område 5 (2019)"
    assert got[2] == ("Hele utlysningen (2020)", 1_000_000, 700_000, 700_000, 300_000, Decimal("70.0"))


def test_later_years_show_commitments_per_year(casework_world):
    call, _ = c0_state(casework_world)
    assert [
        (y.year, y.applications, y.proposed, y.granted) for y in overview.later_years(call, imdi(casework_world))
    ] == [
        (2020, 1, 700_000, 700_000),
        (2021, 1, 100_000, 0),
    ]


def test_an_application_under_several_areas_counts_under_its_first_area_with_a_note(casework_world, client):
    call, _ = c2_state(casework_world)
    rows, total = overview.by_area(call, imdi(casework_world))
    got = {row.key: (row.count, row.also_other_areas, row.applied, row.proposed) for row in rows}
    # Trygg Oppvekst (A and C, 630 000) under A only; C is listed with nothing, no krone twice.
    assert got == {"A": (1, 1, 630_000, 500_000), "B": (1, 0, 640_000, 0), "C": (0, 0, 0, 0)}
    assert (total.count, total.applied) == (2, 1_270_000)
    login_verified(client, casework_world.staff["caseworker"])
    page = client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt/", secure=True).content.decode()
    assert "telles under det første området den nevner" in page
    assert "Herav også under andre" in page


def test_c2_imdi_and_bergen_staff_see_only_their_own_grantors_numbers(casework_world):
    call, _ = c2_state(casework_world)
    world = casework_world
    imdi_grantors = overview.overview_grantors(world.staff["caseworker"], call)
    bergen_grantors = overview.overview_grantors(world.bergen_staff["caseworker"], call)
    assert imdi_grantors == {world.imdi.org_number} and bergen_grantors == {world.bergen.org_number}

    bergen_counts = {r.status: r.count for r in overview.status_counts(call, bergen_grantors) if r.count}
    imdi_counts = {r.status: r.count for r in overview.status_counts(call, imdi_grantors) if r.count}
    assert bergen_counts == {"granted": 1} and imdi_counts == {"submitted": 1, "in_assessment": 1}

    _, bergen_total = overview.by_area(call, bergen_grantors)
    assert (bergen_total.count, bergen_total.applied, bergen_total.granted) == (1, 85_000, 80_000)
    assert [(f.frame, f.proposed, f.granted) for f in overview.frame_use(call, bergen_grantors)] == [
        (100_000, 80_000, 80_000)
    ]
    # IMDi's own frame only: not Bergen's, not the whole scheme's.
    assert [(f.frame, f.proposed, f.granted) for f in overview.frame_use(call, imdi_grantors)] == [
        (1_000_000, 500_000, 0)
    ]


def test_the_page_shows_the_figures_in_tables_and_the_chart_states_the_numbers(casework_world, client):
    call, _ = c0_state(casework_world)
    login_verified(client, casework_world.staff["caseworker"])
    response = client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt/", secure=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert '<th scope="col">' in page and '<th scope="row">' in page and "<caption>" in page
    assert 'role="img"' in page and 'aria-labelledby="frame-chart-title"' in page
    title = page.split('<title id="frame-chart-title">')[1].split("</title>")[0]
    nbsp = "\u00a0"
    for number in (
        "5 000 000 kr",
        "2 360 000 kr",
        "1 500 000 kr",
        "47,2 %",
        "300 000 kr",
        "260 000 kr",
        "86,7 %",
        "70 %",
    ):
        assert number.replace(" ", nbsp) in title, number
    assert "ramme" in title and "foreslått" in title and "innvilget" in title
    # The same numbers in the table next to it, and the bars named in text, not colour.
    frames_table = page.split('id="frames"')[1].split("</table>")[0]
    assert f"2{nbsp}640{nbsp}000{nbsp}kr" in frames_table and f"47,2{nbsp}%" in frames_table
    assert "foreslått er skravert" in page and 'fill="url(#frame-chart-hatch)"' in page
    assert "Ingen tilsagn for senere år" not in page and "2021" in page


def test_without_frames_the_page_says_so(casework_world, client):
    login_verified(client, casework_world.staff["approver"])
    page = client.get(
        f"/saksbehandling/utlysninger/{casework_world.calls[C0].slug}/oversikt/", secure=True
    ).content.decode()
    assert "Ingen rammer er satt for denne utlysningen ennå." in page
    assert 'role="img"' not in page


def test_english_page(casework_world, client):
    call, _ = c0_state(casework_world)
    login_verified(client, casework_world.staff["caseworker"])
    client.post("/i18n/setlang/", {"language": "en", "next": "/"}, secure=True)
    page = client.get(f"/saksbehandling/utlysninger/{call.slug}/oversikt/", secure=True).content.decode()
    assert "Applications by status" in page and "Frame use" in page and "NOK 5,000,000" in page


# --- access -------------------------------------------------------------------

URLS = ("oversikt/", "oversikt.csv", "oversikt.xlsx")


def _get(client, call, suffix):
    return client.get(f"/saksbehandling/utlysninger/{call.slug}/{suffix}", secure=True)


def test_anonymous_visitors_are_sent_to_log_in(casework_world, client):
    for suffix in URLS:
        response = _get(client, casework_world.calls[C0], suffix)
        assert response.status_code == 302 and "/konto/" in response["Location"], suffix


def test_applicants_get_403(casework_world, client):
    applicant = casework_world.applications[C0][0].created_by
    assert not applicant.is_staff
    client.force_login(applicant)
    for suffix in URLS:
        response = _get(client, casework_world.calls[C0], suffix)
        assert response.status_code in (302, 403), suffix
        if response.status_code == 302:  # staff-only pages may first ask for two-factor
            login_verified(client, applicant)
            assert _get(client, casework_world.calls[C0], suffix).status_code == 403, suffix


def test_other_grantors_staff_get_404_on_a_call_they_take_no_part_in(casework_world, client):
    login_verified(client, casework_world.bergen_staff["caseworker"])
    for suffix in URLS:
        assert _get(client, casework_world.calls[C0], suffix).status_code == 404, suffix


def test_assessors_only_get_403_and_caseworker_approver_administrator_200(casework_world, client):
    call = casework_world.calls[C0]
    login_verified(client, casework_world.staff["assessor1"])
    for suffix in URLS:
        response = _get(client, call, suffix)
        assert response.status_code == 403, suffix
        assert "Dette krever rollen" in response.content.decode()
    for role in ("caseworker", "approver", "administrator"):
        login_verified(client, casework_world.staff[role])
        for suffix in URLS:
            assert _get(client, call, suffix).status_code == 200, (role, suffix)
    login_verified(client, casework_world.bergen_staff["caseworker"])
    assert _get(client, casework_world.calls[C2], "oversikt/").status_code == 200
    login_verified(client, casework_world.bergen_staff["assessor"])
    assert _get(client, casework_world.calls[C2], "oversikt/").status_code == 403


def test_the_figures_take_a_few_queries_whatever_the_number_of_applications(casework_world, django_assert_num_queries):
    call, _ = c0_state(casework_world)
    call = type(call).objects.select_related("current_version").get(pk=call.pk)
    grantors = imdi(casework_world)
    # The running totals' groups, the call year's lines and grants summed by the same groups (issue #14 point 4:
    # three small reads instead of one join over every application), later years' lines and grants.
    with django_assert_num_queries(5):
        facts = overview.load(call, grantors)
    with django_assert_num_queries(1):  # the frames
        overview.status_counts(call, grantors, facts)
        overview.by_area(call, grantors, facts)
        overview.by_county(call, grantors, facts)
        overview.later_years(call, grantors, facts)
        overview.frame_use(call, grantors, facts)
    with django_assert_num_queries(1):  # the exports' rows: one query, streamed
        rows = list(overview.export_rows(call, grantors))
    assert len(rows) == 6


def test_a_group_kept_in_several_rows_is_counted_once_with_its_proposed_and_granted_amounts(casework_world):
    """The running totals keep a group in several rows (casework.totals.SHARDS, so deadline-day submissions do
    not queue on one row); the overview sums them into one bucket — the proposed and granted amounts, which are
    per group, must not be counted once per row."""
    call, _ = c0_state(casework_world)
    rows, _ = overview.by_area(call, imdi(casework_world))
    before = {row.key: (row.count, row.applied, row.proposed, row.granted) for row in rows}
    # Put the area 2 application into area 1's group (same area, county and status): two cases, two rows.
    one = CaseTally.objects.get(call=call, first_area="1")
    two = CaseTally.objects.get(call=call, first_area="2")
    assert one.shard != two.shard
    Application.objects.filter(pk=two.case.application_id).update(status=one.status)
    Case.objects.filter(pk=two.case_id).update(county=one.county)
    CaseArea.objects.filter(case_id=two.case_id).update(area="1")
    rows, total = overview.by_area(call, imdi(casework_world))
    got = {row.key: (row.count, row.applied, row.proposed, row.granted) for row in rows}
    count, applied, proposed, granted = before["1"]
    assert got["1"] == (count + 1, applied + before["2"][1], proposed, granted)
    assert got["2"] == (0, 0, 0, 0)
