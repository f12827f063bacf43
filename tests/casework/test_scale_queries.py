"""The caseworker pages read a page's rows, not the call's: the number of queries does not grow with the data.

Each page is asked for with 5 generated applications in the calls and again with 60 (``generate_dataset``'s
generator, issue #14 point 4); the number of database queries must be the same, and small. The times at
100 000 applications are measured by bench/casework_pages.py, never here.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.accounts.helpers import login_verified
from tests.casework.conftest import visible_text
from tests.staff_world import C0, C2
from tilskudd.applications.states import Status
from tilskudd.casework import duplicates, services
from tilskudd.casework.models import Case
from tilskudd.demo.dataset import generate

pytestmark = pytest.mark.django_db

#: The most queries any of these pages may take (session, person, roles, the page's rows, their flags …).
MOST = 30


def _get(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, url
    return len(queries), response.content.decode()


def _queue_urls(world) -> dict[str, str]:
    c0, c2 = world.calls[C0].slug, world.calls[C2].slug
    return {
        "first page": f"/saksbehandling/utlysninger/{c0}/",
        "filtered": f"/saksbehandling/utlysninger/{c0}/?status=submitted&amount_from=10000",
        "searched": f"/saksbehandling/utlysninger/{c0}/?q=forening",
        "area": f"/saksbehandling/utlysninger/{c0}/?area=1",
        "C2 flagged": f"/saksbehandling/utlysninger/{c2}/?flagged=on",
        "C2 first page": f"/saksbehandling/utlysninger/{c2}/",
    }


def _imdi_cases(world, slug):
    return Case.objects.filter(application__call=world.calls[slug], grantor_org_number=world.imdi.org_number).exclude(
        application__status=Status.DRAFT
    )


def test_the_queue_takes_as_many_queries_with_60_applications_as_with_5(casework_world, client):
    world = casework_world
    calls = [world.calls[C0], world.calls[C2]]
    login_verified(client, world.staff["caseworker"])
    generate(5, seed=1, calls=calls)
    small = {name: _get(client, url) for name, url in _queue_urls(world).items()}
    generate(55, seed=2, calls=calls)
    large = {name: _get(client, url) for name, url in _queue_urls(world).items()}
    for name, (queries, page) in large.items():
        assert queries <= MOST, name
        if '<tr id="case-' in small[name][1]:  # an empty result skips the rows' queries
            assert queries == small[name][0], name
        assert '<tr id="case-' in page, name


def test_the_queue_shows_fifty_at_a_time_and_says_which(casework_world, client):
    world = casework_world
    generate(120, seed=3, calls=[world.calls[C0]])
    login_verified(client, world.staff["caseworker"])
    total = _imdi_cases(world, C0).count()
    assert total > 100
    url = f"/saksbehandling/utlysninger/{world.calls[C0].slug}/"
    _, page = _get(client, url)
    text = visible_text(page)
    assert f"Viser 1–50 av {total}" in text
    assert page.count('<tr id="case-') == 50
    assert 'aria-current="page"' in page and "Neste" in text and "Forrige" not in text
    assert '<nav class="ds-pagination tilskudd-pagination" aria-label="Sider i søknadskøen">' in page
    _, last = _get(client, url + f"?side={(total + 49) // 50}")
    assert f"av {total}" in visible_text(last) and "Forrige" in visible_text(last)
    assert last.count('<tr id="case-') == total - 50 * ((total - 1) // 50)
    # the filters are kept from page to page
    _, filtered = _get(client, url + "?status=submitted&side=2")
    submitted = _imdi_cases(world, C0).filter(application__status=Status.SUBMITTED).count()
    if submitted > 50:
        assert "status=submitted" in filtered.split('rel="prev"')[0].rsplit("href=", 1)[-1]


def test_a_search_finds_a_generated_case_by_its_organisation_number(casework_world, client):
    world = casework_world
    generate(30, seed=4, calls=[world.calls[C0]])
    login_verified(client, world.staff["caseworker"])
    case = (
        _imdi_cases(world, C0)
        .filter(application__case_number__startswith="D")
        .select_related("application__organisation")
        .first()
    )
    number = case.application.organisation.org_number
    _, page = _get(client, f"/saksbehandling/utlysninger/{world.calls[C0].slug}/?q={number}")
    assert case.application.case_number in page
    expected = _imdi_cases(world, C0).filter(application__organisation__org_number__contains=number).count()
    assert page.count('<tr id="case-') == expected


def test_a_case_page_takes_as_many_queries_with_60_applications_as_with_5(casework_world, client):
    world = casework_world
    calls = [world.calls[C0], world.calls[C2]]
    login_verified(client, world.staff["caseworker"])
    generate(5, seed=5, calls=calls)
    c2_case = _imdi_cases(world, C2).order_by("pk").first()
    c0_case = _imdi_cases(world, C0).order_by("pk").first()
    urls = [f"/saksbehandling/saker/{case.pk}/" for case in (c0_case, c2_case)]
    small = [_get(client, url)[0] for url in urls]
    generate(55, seed=6, calls=calls)
    large = [_get(client, url)[0] for url in urls]
    assert large == small
    assert max(large) <= MOST + 10  # the case page also shows the form, findings, history and the flag


def test_the_double_funding_filter_in_the_database_flags_the_same_cases_as_the_case_pages(casework_world):
    world = casework_world
    call = world.calls[C2]
    generate(80, seed=7, calls=[call], per_organisation=8)  # few organisations: many apply to two grantors
    user = world.staff["caseworker"]
    filtered = {case.pk for case in services.queue_cases(user, call, {"flagged": True})}
    shown = services.queue_cases(user, call)
    flags = duplicates.flags_for_call(call, list(shown))
    assert filtered == {case_id for case_id, flag in flags.items() if flag.flagged}
    assert filtered  # the generated data has double applications
    one = Case.objects.get(pk=min(filtered))
    assert duplicates.flag_for(one).flagged
