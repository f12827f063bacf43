"""X-R07: the public list of a call's grants — published grant decisions only, organisation data only."""

from __future__ import annotations

import pytest

from tilskudd.applications.models import Application
from tests.grants.test_overview_helpers import c0_state, c2_state, decision
from tests.staff_world import C0

pytestmark = pytest.mark.django_db


def _page(client, call):
    response = client.get(f"/utlysninger/{call.slug}/tildelinger/", secure=True)
    assert response.status_code == 200
    return response.content.decode()


def test_no_login_and_an_empty_list_says_so(casework_world, client):
    page = _page(client, casework_world.calls[C0])
    assert "Ingen tilskudd er tildelt i denne utlysningen ennå." in page
    assert "<table" not in page and page.count("<h1") == 1


def test_only_published_grants_are_listed(casework_world, client):
    call, apps = c0_state(casework_world)  # a0 granted (published), a1 refused, a2 prepared grant, a3 rejected
    by = casework_world.staff["caseworker"]
    from tilskudd.grants.models import Decision  # noqa: PLC0415

    Decision.objects.filter(application=apps[2]).update(status="approved")  # approved, not yet published
    decision(apps[5], "grant", 260_000, by, status="cancelled")
    page = _page(client, call)
    table = page.split('id="public-grants"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3  # the heading, Bergen kommune and the total
    assert "Bergen kommune" in table and "964338531" in table and apps[0].title in table
    assert "1\u00a0500\u00a0000\u00a0kr" in table and "Integrerings- og mangfoldsdirektoratet (IMDi)" in table
    for other in apps[1:]:
        assert other.title not in table


def test_the_list_holds_no_personal_data_and_withholds_sole_proprietorships(casework_world, client):
    call, (landas, *_rest) = c2_state(casework_world)  # Bergen kommune granted Landås 80 000
    page = _page(client, call)
    assert "Landås Nabolagsforening" in page and "935172322" in page and "Bergen kommune" in page
    assert "80\u00a0000\u00a0kr" in page
    for contact in landas.submitted_content.get("contacts") or []:
        assert contact["name"] not in page
    assert landas.created_by.email not in page and landas.created_by.get_full_name() not in page

    content = landas.submitted_content
    content["applicant"]["org_form"] = "ENK"
    Application.objects.filter(pk=landas.pk).update(submitted_content=content)
    page = _page(client, call)
    assert "Landås Nabolagsforening" not in page and "935172322" not in page
    assert "Enkeltpersonforetak (navn vises ikke)" in page and "80\u00a0000\u00a0kr" in page


def test_an_unknown_call_answers_404(db, client):
    assert client.get("/utlysninger/finnes-ikke/tildelinger/", secure=True).status_code == 404
