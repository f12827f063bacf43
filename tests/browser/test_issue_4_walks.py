"""Issue #4's walks in the browser, as the people would go: the grantor's caseworker screens, two
assessors declare and score, the caseworker locks, the allocation assistant proposes within the frame,
the caseworker prepares the decision, an approver approves and publishes, and the applicant reads the
letter with the complaint text of their call. For C0 with IMDi, and for C2 with Bergen kommune as the
grantor. axe-core checks every page visited.

Staff come into their own browser context with a two-factor-verified session (``staff_page``);
applicants log in through the login form.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.casework_steps import (
    declare_and_score,
    follow,
    nav,
    open_case_from_queue,
    pdf_text,
    press,
    run_assistant,
    staff_page,
    status_says,
    visit,
)
from tests.browser.conftest import assert_accessible
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call

pytestmark = pytest.mark.django_db(transaction=True)

C0 = "kommunale-integreringstiltak-2019-demo"
C2 = "frivillige-organisasjoner-2020-demo"
BERGEN = "964338531"
LANDAAS = "935172322"


SPACE = r"[\s\u00a0\u202f]"


def nok(amount: int) -> str:
    """A pattern for an amount as the pages and letters write it, «1 800 000 kr» (any kind of space)."""
    return SPACE.join(re.findall(r"\d{1,3}(?=(?:\d{3})*$)", str(amount))) + SPACE + "kr"


def test_c0_imdi_screens_assesses_allocates_decides_and_bergen_reads_its_letter(demo, new_page, live_server, demo_login, page):
    call = Call.objects.get(slug=C0)
    title = call.title_nb
    definition = call.definition
    bergen = Application.objects.get(call=call, organisation__org_number=BERGEN)
    oslo = Application.objects.get(call=call, organisation__name="Oslo kommune")
    criteria = definition.criteria_for("1")

    # --- The caseworker finds the call's queue, filters and searches it, and screens two cases.
    siri = staff_page(new_page, live_server, "saksbehandler@imdi.example")
    visit(siri, "/saksbehandling/")
    assert siri.get_by_role("heading", name="Saksbehandling", level=1).is_visible()
    follow(siri, siri.get_by_role("link", name=f"Søknadskø – {title}", exact=True))
    assert siri.locator("#result-count").inner_text() == "6 søknader."

    siri.get_by_label("Prioritert område / delmål").select_option(value="5")
    press(siri, "Vis søknader")
    assert siri.locator("#result-count").inner_text() == "2 søknader passer til filtrene."
    assert siri.get_by_role("link", name=oslo.case_number, exact=True).is_visible()
    assert siri.get_by_role("link", name=bergen.case_number, exact=True).count() == 0
    open_case_from_queue(siri, oslo.case_number)
    assert siri.get_by_role("heading", name="Funn ved innsending").is_visible()
    follow(siri, siri.get_by_role("link", name="Tilbake til søknadskøen"))

    siri.get_by_label(re.compile("^Søk ")).fill("Bergen")
    press(siri, "Vis søknader")
    assert siri.get_by_role("link", name=bergen.case_number, exact=True).is_visible()
    open_case_from_queue(siri, bergen.case_number)
    facts = siri.locator("#case-facts")
    assert "Bergen kommune" in facts.inner_text()
    assert siri.locator("#routing").get_by_text("C0-R27").is_visible()  # routed to a regional office's contact
    siri.get_by_label("Merknad (valgfri)").fill("Komplett søknad.")
    press(siri, "Godta til vurdering")
    assert siri.locator("#case-status").inner_text() == "Til vurdering"

    # --- Assigning the two assessors on the assessment page.
    follow(siri, siri.get_by_role("link", name="Faglig vurdering", exact=True))
    assessors = siri.get_by_role("group", name=re.compile("^Fagvurderere hos"))
    assessors.get_by_label("Vidar Vurderer").check()
    assessors.get_by_label("Vera Vurderer").check()
    press(siri, "Tildel")
    table = siri.locator("#assessment-table")
    assert table.get_by_role("columnheader", name=re.compile("^Vidar Vurderer")).is_visible()
    assert table.get_by_role("columnheader", name=re.compile("^Vera Vurderer")).is_visible()

    # --- Each assessor, in a browser of their own, declares and scores; they disagree on one criterion.
    first, second = criteria[0].id, criteria[1].id
    vidar_values = {c.id: 5 for c in criteria} | {first: 6}
    vera_values = {c.id: 5 for c in criteria} | {first: 3, second: None}
    vidar = staff_page(new_page, live_server, "vurderer1@imdi.example")
    visit(vidar, "/saksbehandling/")
    declare_and_score(vidar, bergen.case_number, criteria, vidar_values, 1_800_000, "Godt prosjekt.")
    vera = staff_page(new_page, live_server, "vurderer2@imdi.example")
    visit(vera, "/saksbehandling/")
    declare_and_score(vera, bergen.case_number, criteria, vera_values, 1_200_000, "Godt, men dyrt.")

    # --- The caseworker sees both side by side, the disagreement, and locks the moderated assessment.
    siri.reload()
    assert_accessible(siri)
    assert siri.locator("#disagreement-count").is_visible()
    row = siri.get_by_role("row").filter(has=siri.get_by_role("rowheader", name=criteria[0].label.nb))
    assert row.get_by_text("Uenighet", exact=True).is_visible()
    assert "Uenighet" in siri.locator("#amount-disagreement").inner_text()
    lock = siri.get_by_role("region", name="Moderer og lås vurderingen")
    lock.get_by_label(re.compile("^" + re.escape(criteria[0].label.nb))).fill("5")
    lock.get_by_label("Notat fra modereringen").fill("Enige om 5 på formål etter møte.")
    press(siri, "Lås vurderingen")
    assert siri.get_by_role("heading", name="Låst vurdering").is_visible()

    # --- The allocation assistant proposes within C0's frame, with an explanation per line.
    visit(siri, "/saksbehandling/")
    follow(siri, siri.get_by_role("link", name=f"Fordeling innenfor rammen – {title}", exact=True))
    assert "52 300 000" in siri.locator("#frames-text").inner_text().replace("\u00a0", " ")
    proposed, why = run_assistant(siri, bergen)
    assert 0 < proposed <= 1_800_000
    assert why  # the assistant explains why the application got what it got
    table = siri.get_by_role("region", name=re.compile("^Kvalitet, søkt beløp, tak og foreslått beløp"))
    assert table.bounding_box()["width"] <= siri.viewport_size["width"]  # a wide table scrolls in its own region
    left = 52_300_000 - proposed
    assert re.search(f"ramme {nok(52_300_000)}, foreslått {nok(proposed)}, igjen {nok(left)}", siri.locator("#frames-text").inner_text())

    # --- The caseworker prepares the grant decision.
    visit(siri, f"/saksbehandling/saker/{bergen.case.pk}/")
    follow(siri, siri.get_by_role("link", name="Vedtak", exact=True))
    assert siri.get_by_label("Tilskudd", exact=True).is_checked()
    assert siri.get_by_label("Beløp for året (kroner)").input_value() == str(proposed)
    year = call.definition.year  # the demo's year, moved with its deadline (issue #13, point 11)
    siri.get_by_label("Perioden begynner").fill(f"{year}-07-01")
    siri.get_by_label("Perioden slutter").fill(f"{year}-12-31")
    press(siri, "Lag vedtak og send til godkjenning")
    assert status_says(siri, "Vedtaket er laget og venter på godkjenning.")
    assert siri.locator("#decision-status").inner_text() == "Til godkjenning"
    assert siri.get_by_role("button", name="Godkjenn").count() == 0  # a caseworker is not an approver

    # --- The approver approves and publishes the call's decisions.
    bjorn = staff_page(new_page, live_server, "beslutter@imdi.example")
    visit(bjorn, "/saksbehandling/")
    nav(bjorn, "Vedtak til godkjenning")
    follow(bjorn, bjorn.locator("#approvals").get_by_role("link", name=bergen.case_number, exact=True))
    preview = pdf_text(bjorn, bjorn.get_by_role("link", name="Forhåndsvis brevet (PDF)").get_attribute("href"))
    assert "FORHÅNDSVISNING – IKKE SENDT" in preview and "Dere har ikke klagerett" in preview
    assert "C0-R13" not in preview  # the rule id stays in the case file, not in the letter (issue #10 point 11)
    press(bjorn, "Godkjenn")
    assert bjorn.locator("#decision-status").inner_text() == "Godkjent"
    follow(bjorn, bjorn.get_by_role("link", name="Send godkjente vedtak i utlysningen til søkerne"))
    press(bjorn, re.compile("^Send 1 vedtak nå"))
    assert status_says(bjorn, "1 vedtak er sendt til søkerne sammen.")
    assert bjorn.get_by_text("Ingen godkjente vedtak venter på å bli sendt.").is_visible()

    # --- Bergen kommune's director reads the decision and the letter: amount, and no right of complaint (C0-R13).
    demo_login("kommunedirektor@bergen.example")
    visit(page, "/min-side/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=bergen.title))
    assert row.get_by_text("Innvilget", exact=True).is_visible()
    assert re.search(f"Tilskudd: {nok(proposed)}", row.inner_text())
    follow(page, row.get_by_role("link", name=bergen.title))
    # A granted application opens on its grant page (issue #13, point 5); the decision is on the application's.
    assert page.get_by_role("heading", name="Tilskuddet", level=1).is_visible()
    follow(page, page.get_by_role("navigation", name="Søknaden").get_by_role("link", name="Søknaden", exact=True))
    decision = page.get_by_role("region", name="Vedtak: Tilskudd")
    assert re.search(f"Dere har fått tilskudd på {nok(proposed)}", decision.inner_text())
    letter = pdf_text(page, decision.get_by_role("link", name="Les vedtaksbrevet (PDF)").get_attribute("href"))
    assert re.search(f"tilskudd på {nok(proposed)}", letter), letter
    no_complaint = definition.complaints.allocation.legal_reference.nb
    assert "Dere har ikke klagerett på dette vedtaket. " + no_complaint in letter, letter
    assert "C0-R13" not in letter
    assert bergen.case_number in letter

    # --- The overview counts the grant, and the public list names it.
    visit(siri, "/saksbehandling/")
    follow(siri, siri.get_by_role("link", name=f"Oversikt og eksport – {title}", exact=True))
    granted = siri.locator("#statuses").get_by_role("row").filter(has=siri.get_by_role("rowheader", name="Innvilget", exact=True))
    assert granted.get_by_role("cell").inner_text() == "1"
    export = siri.request.get(siri.get_by_role("link", name="Last ned som CSV").get_attribute("href"))
    assert export.status == 200
    lines = {line.split(";")[0]: line.split(";") for line in export.text().lstrip("\ufeff").splitlines()}
    assert len(lines) == 1 + 6  # the headings and C0's six applications
    assert lines[bergen.case_number][9] == str(proposed)  # «Innvilget (NOK)»
    follow(siri, siri.get_by_role("link", name="Offentlig liste over tildelinger"))
    public = new_page()
    visit(public, f"/utlysninger/{C0}/tildelinger/")
    grants = public.locator("#public-grants")
    line = grants.get_by_role("row").filter(has=public.get_by_role("rowheader", name="Bergen kommune"))
    assert re.search(f"{BERGEN}.*{nok(proposed)}", line.inner_text().replace("\n", " ").replace("\t", " "))
    assert grants.locator("tbody").get_by_role("row").count() == 1


def test_c2_bergen_kommune_as_grantor_from_screening_to_the_letter(demo, new_page, live_server, demo_login, page):
    call = Call.objects.get(slug=C2)
    title = call.title_nb
    definition = call.definition
    landaas = Application.objects.get(call=call, organisation__org_number=LANDAAS)
    criteria = definition.criteria_for("A")

    # --- Bergen's caseworker sees only Bergen's application in the call's queue, and accepts it.
    tone = staff_page(new_page, live_server, "tilskudd@bergen.example")
    visit(tone, "/saksbehandling/")
    follow(tone, tone.get_by_role("link", name=f"Søknadskø – {title}", exact=True))
    assert tone.locator("#result-count").inner_text() == "1 søknad."
    tone.get_by_label("Prioritert område / delmål").select_option(value="A")
    tone.get_by_label(re.compile("^Søk ")).fill("Landås")
    press(tone, "Vis søknader")
    assert tone.locator("#result-count").inner_text() == "1 søknad passer til filtrene."
    open_case_from_queue(tone, landaas.case_number)
    assert "Bergen kommune" in tone.locator("#case-facts").inner_text()
    assert tone.locator("#duplicate-none").is_visible()  # C2-R07: no application for the same activity elsewhere
    press(tone, "Godta til vurdering")
    assert tone.locator("#case-status").inner_text() == "Til vurdering"

    # --- IMDi's caseworker cannot open Bergen's case.
    siri = staff_page(new_page, live_server, "saksbehandler@imdi.example")
    visit(siri, f"/saksbehandling/saker/{landaas.case.pk}/", status=404)
    visit(siri, f"/saksbehandling/saker/{landaas.case.pk}/vurdering/", status=404)

    # --- Two assessors: the caseworker (also an assessor at Bergen) and Per.
    follow(tone, tone.get_by_role("link", name="Faglig vurdering", exact=True))
    assessors = tone.get_by_role("group", name="Fagvurderere hos Bergen kommune")
    assert assessors.get_by_role("checkbox").count() == 2  # Bergen's assessors only, none of IMDi's
    assessors.get_by_label("Tone Tilskudd").check()
    assessors.get_by_label("Per Vurderer").check()
    press(tone, "Tildel")
    declare_and_score(tone, landaas.case_number, criteria, {c.id: 5 for c in criteria}, 85_000, "Et godt nabolagstiltak.")
    per = staff_page(new_page, live_server, "vurderer@bergen.example")
    visit(per, "/saksbehandling/")
    per_values = {c.id: 4 for c in criteria} | {criteria[-1].id: None}
    declare_and_score(per, landaas.case_number, criteria, per_values, 80_000, "Godt, men lite overføringsverdi.")

    visit(tone, f"/saksbehandling/saker/{landaas.case.pk}/vurdering/")
    table = tone.locator("#assessment-table")
    assert table.get_by_role("columnheader", name=re.compile("^Tone Tilskudd")).is_visible()
    assert table.get_by_role("columnheader", name=re.compile("^Per Vurderer")).is_visible()
    last = tone.get_by_role("row").filter(has=tone.get_by_role("rowheader", name=criteria[-1].label.nb))
    assert last.get_by_text("Uenighet", exact=True).is_visible()  # one found it not applicable
    press(tone, "Lås vurderingen")
    assert tone.get_by_role("heading", name="Låst vurdering").is_visible()

    # --- C2 names no amount: Bergen's approver sets Bergen's frame on the allocation page.
    visit(tone, "/saksbehandling/")
    follow(tone, tone.get_by_role("link", name=f"Fordeling innenfor rammen – {title}", exact=True))
    assert tone.locator("#no-frame").is_visible()
    assert tone.get_by_role("heading", name="Sett en ramme").count() == 0  # a caseworker does not set frames
    berit = staff_page(new_page, live_server, "beslutter@bergen.example")
    visit(berit, "/saksbehandling/")
    follow(berit, berit.get_by_role("link", name=f"Fordeling innenfor rammen – {title}", exact=True))
    assert berit.get_by_label("Hvem rammen gjelder").locator("option:checked").inner_text() == "Bergen kommune"
    berit.get_by_label("Ramme (kr)").fill("400000")
    press(berit, "Sett rammen")
    assert re.search(f"ramme {nok(400_000)}", berit.locator("#frames-text").inner_text())
    assert berit.get_by_role("button", name="Foreslå fordeling").count() == 0  # an approver does not allocate

    # --- The caseworker runs the assistant, then prepares the decision.
    tone.reload()
    assert_accessible(tone)
    proposed, why = run_assistant(tone, landaas)
    assert 0 < proposed <= 85_000
    assert why
    assert re.search(f"ramme {nok(400_000)}, foreslått {nok(proposed)}, igjen {nok(400_000 - proposed)}", tone.locator("#frames-text").inner_text())

    visit(tone, f"/saksbehandling/saker/{landaas.case.pk}/vedtak/")
    assert tone.get_by_label("Beløp for året (kroner)").input_value() == str(proposed)
    year = call.definition.year  # the demo's year, moved with its deadline (issue #13, point 11)
    tone.get_by_label("Perioden begynner").fill(f"{year}-03-01")
    tone.get_by_label("Perioden slutter").fill(f"{year}-12-31")
    press(tone, "Lag vedtak og send til godkjenning")
    assert tone.locator("#decision-status").inner_text() == "Til godkjenning"

    # --- Bergen's approver approves and publishes; IMDi's approver has nothing of Bergen's to approve.
    bjorn = staff_page(new_page, live_server, "beslutter@imdi.example")
    visit(bjorn, "/saksbehandling/godkjenning/")
    assert bjorn.get_by_role("link", name=landaas.case_number, exact=True).count() == 0
    visit(berit, "/saksbehandling/")
    nav(berit, "Vedtak til godkjenning")
    follow(berit, berit.locator("#approvals").get_by_role("link", name=landaas.case_number, exact=True))
    assert "IMDi er klageinstans" in berit.get_by_role("definition").filter(has_text="Klagefristen").inner_text()
    press(berit, "Godkjenn")
    follow(berit, berit.get_by_role("link", name="Send godkjente vedtak i utlysningen til søkerne"))
    press(berit, re.compile("^Send 1 vedtak nå"))
    assert status_says(berit, "1 vedtak er sendt til søkerne sammen.")

    # --- Landås Nabolagsforening's signatory reads the letter: three weeks to complain, IMDi decides (C2-R13).
    demo_login(f"signatar.{LANDAAS}@demo.example")
    visit(page, "/min-side/")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=landaas.title))
    assert row.get_by_text("Innvilget", exact=True).is_visible()
    follow(page, row.get_by_role("link", name=landaas.title))
    assert page.get_by_role("heading", name="Tilskuddet", level=1).is_visible()
    follow(page, page.get_by_role("navigation", name="Søknaden").get_by_role("link", name="Søknaden", exact=True))
    decision = page.get_by_role("region", name="Vedtak: Tilskudd")
    letter = pdf_text(page, decision.get_by_role("link", name="Les vedtaksbrevet (PDF)").get_attribute("href"))
    assert re.search(f"Bergen kommune har bestemt å gi dere et tilskudd på {nok(proposed)}", letter), letter
    complaints = definition.complaints
    assert "Dere kan klage på vedtaket. Klagefristen er tre uker fra den dagen dere mottok dette brevet." in letter, letter
    # sent to Bergen's named contact in the call (C2-R13), not to «the contact person»
    assert "Send klagen til oss på e-post til Sølve Sætre (solve.saetre@bergen.kommune.no)" in letter
    assert "IMDi er klageinstans for tilskudd gitt av kommunene." in letter
    assert f"Hjemmel: {complaints.allocation.legal_reference.nb}" in letter
    assert "C2-R13" not in letter

    # --- The public list of the call's grants names Landås Nabolagsforening with Bergen kommune as grantor.
    public = new_page()
    visit(public, f"/utlysninger/{C2}/tildelinger/")
    line = public.locator("#public-grants").get_by_role("row").filter(has=public.get_by_role("rowheader", name="Landås Nabolagsforening"))
    assert re.search(f"{nok(proposed)}.*Bergen kommune", " ".join(line.inner_text().split()))
