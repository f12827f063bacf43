"""Min side answers «what do I do next?» (issue #13, point 5): each application with the next step and its
deadline — before the decision the call's, after it acceptance, payment, report or the complaint deadline, never
the application deadline; a title for C2 drafts; «Start søknad» twice opens the draft there is; a granted
application opens on its grant page; checksums only under «Tekniske detaljer».
"""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from tests.casework.helpers import applicant_of
from tests.grants.grant_helpers import publish_decision
from tests.staff_world import C0, C2
from tests.web.conftest import visible_text
from tilskudd.applications import next_steps, services
from tilskudd.applications.models import Application
from tilskudd.complaints import services as complaint_services
from tilskudd.core.formatting import format_date, format_datetime, format_nok
from tilskudd.grants.awards import acceptance
from tilskudd.grants.decisions import letters


def _row(page: str, text: str) -> str:
    """The visible text of the Min side row whose title or call is ``text``."""
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        if text in row:
            return visible_text(row)
    raise AssertionError(f"no row with {text!r}")


def _row_of(client, application) -> str:
    page = client.get("/min-side/").content.decode()
    return _row(page, f'href="{_href(page, application)}"')


def _href(page: str, application) -> str:
    found = re.search(rf'href="(/soknader/{application.pk}/[^"]*)"', page)
    assert found, "the application is not on Min side"
    return found.group(1)


def _draft(world, slug=C2):
    """A new draft of the organisation of the first submitted application of ``slug``, by its signatory."""
    organisation = world.applications[slug][0].organisation
    user = applicant_of(world.applications[slug][0])
    return services.start_draft(user, organisation, world.calls[slug]), user


# --- before the decision --------------------------------------------------------------------


def test_a_c2_draft_has_a_title_and_its_next_step_is_to_finish_by_the_calls_deadline(casework_world, client):
    draft, user = _draft(casework_world)
    assert draft.title == ""
    client.force_login(user)
    page = client.get("/min-side/").content.decode()
    assert _href(page, draft) == f"/soknader/{draft.pk}/"
    call = draft.call
    started = format_date(timezone.localdate(draft.created_at))
    row = _row(page, f'href="/soknader/{draft.pk}/"')
    assert f"{call.title_nb} – utkast {started}" in row
    assert "Uten tittel" not in page
    deadline = format_datetime(timezone.localtime(call.deadline))
    assert f"Fullfør og send inn før {deadline}" in row
    assert row.count(deadline) == 2  # the step and the «Frist» column


def test_a_submitted_application_has_nothing_to_do_and_no_deadline(casework_world, client):
    application = casework_world.applications[C0][0]
    client.force_login(applicant_of(application))
    row = _row_of(client, application)
    assert "Ingen ting å gjøre nå. Dere får brev når søknaden er behandlet." in row
    assert format_datetime(timezone.localtime(application.call.deadline)) not in row


def test_a_submitted_application_says_when_the_call_says_an_answer_comes(casework_world):
    application = casework_world.applications[C0][0]
    version = application.call_version
    definition = dict(version.definition)
    definition["answer_expected"] = {"nb": "Svar i midten av mars.", "en": "An answer by mid-March."}
    version.definition = definition
    version.definition_hash = "changed-for-this-test"
    version._parsed = None
    step = next_steps.while_waiting(application)
    assert (step.text_nb, step.text_en) == (
        "Ingen ting å gjøre nå. Svar i midten av mars.",
        "Nothing to do now. An answer by mid-March.",
    )


# --- after the decision ---------------------------------------------------------------------


def test_a_granted_application_opens_on_its_grant_page_with_the_acceptance_deadline(casework_world, client):
    application = casework_world.applications[C0][0]
    due = timezone.localdate() + dt.timedelta(days=21)
    grant = publish_decision(casework_world, application, amount=12_345, acceptance_due=due).grant
    assert grant.acceptance_due == due
    client.force_login(applicant_of(application))
    page = client.get("/min-side/").content.decode()
    assert _href(page, application) == f"/soknader/{application.pk}/tilskudd/"
    row = _row(page, f'href="/soknader/{application.pk}/tilskudd/"')
    assert f"Svar på tilbudet om tilskudd: aksepter det eller takk nei. Frist: {format_date(due)}." in row
    assert format_datetime(timezone.localtime(application.call.deadline)) not in row  # not the application deadline
    # The review page of a granted application goes to the grant page; «Søknaden» still shows it.
    response = client.get(f"/soknader/{application.pk}/signer/")
    assert response.status_code == 302 and response["Location"] == f"/soknader/{application.pk}/tilskudd/"
    shown = client.get(f"/soknader/{application.pk}/signer/?vis=soknad")
    assert shown.status_code == 200 and "Innholdet i søknaden" in visible_text(shown.content.decode())
    grant_page = client.get(f"/soknader/{application.pk}/tilskudd/").content.decode()
    assert f'href="/soknader/{application.pk}/signer/?vis=soknad"' in grant_page


def test_after_acceptance_the_next_payment_and_the_report(casework_world, client):
    application = casework_world.applications[C0][1]
    grant = publish_decision(casework_world, application, amount=20_000).grant
    user = applicant_of(application)
    acceptance.accept(user, grant.pk, acceptance.terms_hash(grant))
    grant.refresh_from_db()
    term = grant.terms.order_by("number").first()
    client.force_login(user)
    row = _row_of(client, application)
    assert "Svar på tilbudet" not in row
    assert f"Neste utbetaling: {format_nok(20_000)} (termin 1). Frist: {format_date(term.due_on)}." in row
    report_due = min(d["due"] for d in letters.letter_facts(grant.decision)["reporting"])
    overdue = " – fristen er passert" if report_due < timezone.localdate() else ""
    assert f"Send rapport om bruken av tilskuddet{overdue}. Frist: {format_date(report_due)}." in row


def test_a_rejection_shows_the_complaint_deadline_a_refusal_without_complaint_right_does_not(casework_world, client):
    rejected, refused = casework_world.applications[C0][2], casework_world.applications[C0][3]
    decision = publish_decision(casework_world, rejected, kind="rejection")
    publish_decision(casework_world, refused, kind="refusal")
    right = complaint_services.complaint_right(decision)
    assert right.allowed and right.deadline_weeks == 3  # C0: a rejection is an individual decision
    deadline = complaint_services.deadline_of(decision, right.deadline_weeks)
    client.force_login(applicant_of(rejected))
    row = _row_of(client, rejected)
    assert "Vedtak er gjort – les brevet" in row
    assert f"Klagefrist: dere kan klage på vedtaket. Frist: {format_date(deadline)}. Klag på vedtaket" in row
    assert format_datetime(timezone.localtime(rejected.call.deadline)) not in row
    if applicant_of(refused) != applicant_of(rejected):
        client.force_login(applicant_of(refused))
    row = _row_of(client, refused)
    assert "Vedtak er gjort – les brevet" in row and "Klagefrist" not in row


def test_after_the_complaint_deadline_no_complaint_step(casework_world, client, freeze_now):
    rejected = casework_world.applications[C0][2]
    decision = publish_decision(casework_world, rejected, kind="rejection")
    deadline = complaint_services.deadline_of(decision, 3)
    freeze_now(timezone.make_aware(dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(12))))
    client.force_login(applicant_of(rejected))
    assert "Klagefrist" not in _row_of(client, rejected)


# --- «Start søknad» twice ------------------------------------------------------------------


def test_start_twice_opens_the_draft_and_says_so_a_second_only_when_asked(casework_world, client):
    draft, user = _draft(casework_world)
    organisation, call = draft.organisation, draft.call
    client.force_login(user)
    before = Application.objects.filter(organisation=organisation, call=call).count()
    start = f"/soknader/ny/{call.slug}/"
    page = client.get(start).content.decode()
    assert 'id="start-another"' in page and "har allerede et utkast til denne utlysningen" in visible_text(page)
    response = client.post(start, {"organisation": organisation.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"/soknader/{draft.pk}/"
    assert "har allerede et utkast til denne utlysningen, så vi åpnet det" in visible_text(response.content.decode())
    assert Application.objects.filter(organisation=organisation, call=call).count() == before
    response = client.post(start, {"organisation": organisation.pk, "another": "yes"})
    assert Application.objects.filter(organisation=organisation, call=call).count() == before + 1
    newest = Application.objects.filter(organisation=organisation, call=call).latest("created_at")
    assert newest.pk != draft.pk and response["Location"] == f"/soknader/{newest.pk}/"


# --- checksums -----------------------------------------------------------------------------


def test_checksums_only_under_technical_details(casework_world, client):
    application = casework_world.applications[C0][0]
    assert application.submitted_hash
    client.force_login(applicant_of(application))
    for url in (f"/soknader/{application.pk}/signer/", f"/soknader/{application.pk}/sendt/"):
        page = client.get(url).content.decode()
        details = re.search(r'<details[^>]*id="technical-details".*?</details>', page, re.S)
        assert details and application.submitted_hash in details.group(0), url
        assert application.submitted_hash not in page.replace(details.group(0), ""), url
        assert "Tekniske detaljer" in visible_text(details.group(0))
    history = client.get(f"/soknader/{application.pk}/historikk/").content.decode()
    outside = re.sub(r"<details.*?</details>", "", history, flags=re.S)
    assert "SHA-256" not in outside and application.submitted_hash not in outside
