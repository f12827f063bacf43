"""Holding a payment back, and releasing it, from the caseworker's grant page (issue #11, point 4).

The page's forms post to the payments routes with ``next`` back to the grant page; the grantee's page then
says «Holdt tilbake: <reason>».
"""

from __future__ import annotations

import datetime as dt
import re

from tests.accounts.helpers import login_verified
from tests.casework.helpers import applicant_of
from tests.payments.payment_helpers import accepted_grant, imdi_c2
from tests.web.conftest import visible_text
from tilskudd.audit.services import AuditAction, history
from tilskudd.grants.states import TermStatus

REASON = "Rapporten for fjoråret er ikke levert."


def _page(grant) -> str:
    return f"/saksbehandling/tilskudd/{grant.pk}/"


def _grant(world):
    return accepted_grant(world, imdi_c2(world), 150_000, dt.date(2000, 1, 1), dt.date(2000, 9, 1))


def test_the_caseworker_holds_a_term_from_the_grant_page_and_the_grantee_reads_why(casework_world, client):
    grant = _grant(casework_world)
    first, second = grant.terms.order_by("number")
    login_verified(client, casework_world.staff["caseworker"])
    page = client.get(_page(grant)).content.decode()
    # a hold form beside each planned term, posting to the payments route and coming back here
    hold_url = f"/saksbehandling/utbetalinger/terminer/{first.pk}/hold-tilbake/"
    assert f'action="{hold_url}"' in page
    assert f'name="next" value="{_page(grant)}#terms"' in page
    assert "Hold tilbake" in visible_text(page)
    assert 'name="reason" required' in page

    response = client.post(hold_url, {"reason": REASON, "next": _page(grant) + "#terms"})
    assert response.status_code == 302 and response["Location"] == _page(grant) + "#terms"
    first.refresh_from_db()
    assert first.status == TermStatus.HELD and first.held_reason == REASON
    assert history(grant).filter(action=AuditAction.PAYMENT_TERM_HELD).count() == 1

    page = client.get(_page(grant)).content.decode()
    text = visible_text(page)
    assert f"Holdt tilbake: {REASON}" in text
    # the held term has «Frigi», the other still «Hold tilbake»
    assert f'action="/saksbehandling/utbetalinger/terminer/{first.pk}/frigi/"' in page
    assert f'action="/saksbehandling/utbetalinger/terminer/{second.pk}/hold-tilbake/"' in page
    assert f'action="/saksbehandling/utbetalinger/terminer/{first.pk}/hold-tilbake/"' not in page

    # the grantee's grant page
    client.force_login(applicant_of(grant.application))
    text = visible_text(client.get(f"/soknader/{grant.application_id}/tilskudd/").content.decode())
    assert f"Holdt tilbake: {REASON}" in text


def test_releasing_from_the_grant_page_plans_the_term_again(casework_world, client):
    grant = _grant(casework_world)
    term = grant.terms.order_by("number").first()
    login_verified(client, casework_world.staff["caseworker"])
    client.post(f"/saksbehandling/utbetalinger/terminer/{term.pk}/hold-tilbake/", {"reason": REASON})
    response = client.post(f"/saksbehandling/utbetalinger/terminer/{term.pk}/frigi/", {"next": _page(grant) + "#terms"})
    assert response.status_code == 302 and response["Location"] == _page(grant) + "#terms"
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED and term.held_reason == ""
    assert history(grant).filter(action=AuditAction.PAYMENT_TERM_RELEASED).count() == 1
    text = visible_text(client.get(_page(grant)).content.decode())
    assert "Holdt tilbake" not in text.replace("Hold tilbake eller frigi", "")


def test_a_hold_without_a_reason_is_refused_and_changes_nothing(casework_world, client):
    grant = _grant(casework_world)
    term = grant.terms.order_by("number").first()
    login_verified(client, casework_world.staff["caseworker"])
    response = client.post(
        f"/saksbehandling/utbetalinger/terminer/{term.pk}/hold-tilbake/", {"reason": "  ", "next": _page(grant)}
    )
    assert response.status_code == 400
    term.refresh_from_db()
    assert term.status == TermStatus.PLANNED


def test_an_approver_reads_the_grant_page_without_hold_forms(casework_world, client):
    grant = _grant(casework_world)
    login_verified(client, casework_world.staff["approver"])
    page = client.get(_page(grant)).content.decode()
    assert not re.search(r"/terminer/\d+/(hold-tilbake|frigi)/", page)
    assert "Hold tilbake" not in visible_text(page)


def test_next_to_another_site_is_not_followed(casework_world, client):
    grant = _grant(casework_world)
    term = grant.terms.order_by("number").first()
    login_verified(client, casework_world.staff["caseworker"])
    response = client.post(
        f"/saksbehandling/utbetalinger/terminer/{term.pk}/hold-tilbake/",
        {"reason": REASON, "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and "evil.example" not in response["Location"]
