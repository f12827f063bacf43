"""Issue #13's «Done when» as two browser walks (Playwright, Debian's Chromium, axe-core on the main pages).

1. A newcomer volunteer signs up, registers her organisation from Enhetsregisteret (the loopback registry),
   starts a C2 application from the demo call, types it in (autosave says «Lagret»; a reload midway keeps
   every word), and sends it to signing: she is a member who cannot sign. The chair follows the link in the
   e-mail, logs in, signs and submits; the application has a case number and the receipt shows.
2. A caseworker at 1280 px lands on her desk after logging in, scores an application with the application
   beside the form, and sets an allocation line — neither page scrolls sideways.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.accounts.helpers import add_totp, code
from tests.browser.casework_steps import follow, nav, press, status_says, visit
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.filling import by_name, choose, example, fill_form, resolve, save
from tests.browser.test_issue_3_walks import C2, go_to_review, sign_and_submit, start, summary_rules
from tests.orgs.conftest import PASSWORD, VOLUNTARY, make_user, registry  # noqa: F401 - fixture
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.calls.models import Call
from tilskudd.casework.models import Case
from tilskudd.demo.data import DEMO_PASSWORD
from tilskudd.grants.models import AllocationLine
from tilskudd.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db(transaction=True)

NEWCOMER = "ingrid@provelaget.example"
CHAIR = "styreleder@provelaget.example"


def link(mail, path: str) -> str:
    """The path of the first link in an e-mail that starts with ``path``."""
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]*)", mail.body).group(1)


def sign_up(page, mailoutbox) -> None:
    """A new account through the sign-up form; the address confirmed through the link in the e-mail."""
    page.goto("/konto/registrer/")
    assert_accessible(page)
    page.get_by_label("Fullt navn").fill("Ingrid Frivillig")
    page.get_by_label("E-post").fill(NEWCOMER)
    page.get_by_label("Passord", exact=True).fill(PASSWORD)
    page.get_by_label("Gjenta passordet").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Lag konto").click()
    assert_accessible(page)
    [mail] = [m for m in mailoutbox if m.to == [NEWCOMER]]
    page.goto(link(mail, "/konto/e-post/bekreft/"))
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft adressen").click()
    assert_accessible(page)


def register_organisation(page) -> None:
    """Her organisation from Enhetsregisteret; she is neither chair nor general manager: she cannot sign."""
    page.goto("/organisasjoner/ny/")
    assert_accessible(page)
    page.get_by_label("Organisasjonsnummer").fill(VOLUNTARY)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.get_by_text("Vi fant organisasjonen i Enhetsregisteret.").is_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("^Registrert i Frivillighetsregisteret fra")).fill("2019-06-01")
    page.get_by_label("Kontonummer").fill("1234.56.78903")
    page.get_by_label("E-post til organisasjonen").fill("post@provelaget.example")
    page.get_by_label("Stillingen din i organisasjonen").select_option(label="Annen stilling")
    page.get_by_label("Hvis annen stilling: skriv stillingen din").fill("Frivillig koordinator")
    with page.expect_navigation():
        page.locator("main form.tilskudd-org-form button[type=submit]").first.click()
    assert page.get_by_role("heading", name="PRØVELAGET FOR INKLUDERING", level=1).is_visible(), page.url
    assert_accessible(page)


#: Typed key by key, as she would: the project's title and what the volunteers do (C2's answers).
TYPED = ("answers.title", "answers.voluntary_work")


def wait_until_saved(page) -> None:
    """Wait for the autosave's «Lagret kl. …» after the last key; the old message cleared first, so an
    earlier save's words do not count."""
    status = page.locator("#autosave-status")
    status.evaluate("box => { box.textContent = ''; }")
    expect(status).to_contain_text("Lagret kl.")


@pytest.mark.usefixtures("registry")
def test_a_newcomer_volunteer_sends_a_c2_application_and_the_chair_signs_it(demo, new_page, mailoutbox):
    page = new_page()
    sign_up(page, mailoutbox)
    assert "/konto/logg-inn/" in page.url  # the address confirmed, she logs in
    log_in(page, NEWCOMER, PASSWORD)
    register_organisation(page)
    organisation = Organisation.objects.get(org_number=VOLUNTARY)
    assert not Membership.objects.get(user__email=NEWCOMER, organisation=organisation).is_signatory

    pk = start(page, C2)
    choose(page, page.get_by_role("group", name=re.compile("^Delmål")).get_by_role("checkbox", name=re.compile("^A ")))
    page.get_by_role("combobox", name=re.compile("^Søk hos")).select_option(label="Bergen kommune")
    document = example(C2, "delmal-a-bergen-moteplass-godkjent")
    del document["grantor"]  # chosen above
    definition = Call.objects.get(slug=f"{C2}-demo").definition
    fill_form(page, definition, document, skip=TYPED)

    labels = {f.value_path: f.label.nb for f in definition.fields if f.value_path in TYPED}
    for path in TYPED:
        field = by_name(page, labels[path])
        field.click()
        field.press_sequentially(resolve(document, path))
    wait_until_saved(page)

    page.reload()  # midway: every word typed so far is still there
    for field in definition.fields:
        value = resolve(document, field.value_path)
        if isinstance(value, str) and value and field.type.value in ("text", "textarea", "string"):
            control = by_name(page, field.label.nb)
            if control.count():
                assert control.input_value() == value, field.value_path
    for path in TYPED:
        assert by_name(page, labels[path]).input_value() == resolve(document, path)
    assert_accessible(page)

    save(page)
    assert summary_rules(page) == set(), page.locator("#error-summary").inner_text()
    go_to_review(page)

    # The chair of the board: a signatory of the organisation, confirmed (as in test_send_to_signing.py).
    chair = make_user(CHAIR, "Siv Styreleder")
    Membership.objects.create(
        user=chair, organisation=organisation, role="signatory", title="styreleder", confirmed_at=timezone.now()
    )
    page.reload()
    assert page.get_by_role("button", name="Signer søknaden").count() == 0  # she cannot sign
    page.get_by_role("button", name="Send til signering").click()
    page.get_by_text("Venter på signatur fra Siv Styreleder").wait_for()
    assert_accessible(page)
    [mail] = [m for m in mailoutbox if m.to == [CHAIR]]

    chairs = new_page()
    chairs.goto(link(mail, f"/soknader/{pk}/signer/"))
    assert_accessible(chairs)  # the login page, with the link kept as where to go next
    chairs.get_by_label("E-post").fill(CHAIR)
    chairs.get_by_label("Passord", exact=True).fill(PASSWORD)
    with chairs.expect_navigation():
        chairs.get_by_role("button", name="Logg inn", exact=True).click()
    assert chairs.get_by_role("heading", name="Gjennomgang og signering", level=1).is_visible(), chairs.url
    assert_accessible(chairs)
    case_number = sign_and_submit(chairs)
    assert chairs.get_by_role("link", name="Last ned kvitteringen (PDF)").is_visible()

    application = Application.objects.get(pk=pk)
    assert application.case_number == case_number
    assert application.content["answers"]["title"] == resolve(document, "answers.title")
    assert application.content["answers"]["voluntary_work"] == resolve(document, "answers.voluntary_work")


C0 = "kommunale-integreringstiltak-2019"
CASEWORKER = "saksbehandler@imdi.example"
ASSESSOR = "vurderer1@imdi.example"
WIDE = {"width": 1280, "height": 800}
SIDEWAYS = "() => document.documentElement.scrollWidth"


def staff_log_in(new_page, email: str):
    """Grantor staff at 1280 px through the real login form and the two-factor code their app shows."""
    user = get_user_model().objects.get(email=email)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or add_totp(user)
    page = new_page()
    page.set_viewport_size(WIDE)
    page.goto("/konto/logg-inn/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord", exact=True).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn", exact=True).click()
    assert_accessible(page)
    page.get_by_label("Kode").fill(code(device))
    with page.expect_navigation():
        page.get_by_role("button", name="Fortsett", exact=True).click()
    assert urlparse(page.url).path == "/saksbehandling/", page.url  # the desk, point 10
    assert_accessible(page)
    return page


def test_a_caseworker_scores_and_allocates_at_1280_px_without_scrolling_sideways(demo, new_page):
    call = Call.objects.get(slug=f"{C0}-demo")
    Application.objects.filter(call=call).exclude(case_number=None).update(status=Status.IN_ASSESSMENT)
    case = Case.objects.filter(application__call=call).order_by("pk").first()
    application = case.application
    criteria = call.definition.criteria_for(application.content["areas"][0])

    siri = staff_log_in(new_page, CASEWORKER)
    visit(siri, f"/saksbehandling/saker/{case.pk}/vurdering/")
    siri.get_by_role("group", name=re.compile("^Fagvurderere hos")).get_by_label("Vidar Vurderer").check()
    press(siri, "Tildel")

    # The assessor scores with the application beside the form; the page does not scroll sideways.
    vidar = staff_log_in(new_page, ASSESSOR)
    nav(vidar, "Mine vurderinger")
    follow(vidar, vidar.get_by_role("link", name=application.case_number, exact=True))
    vidar.get_by_role("group", name="Er du habil i denne saken?").get_by_label("Jeg er habil (ikke inhabil)").check()
    press(vidar, "Lagre erklæringen")
    read = vidar.get_by_role("region", name="Søknaden").bounding_box()
    work = vidar.get_by_role("region", name="Vurdering etter kriteriene").bounding_box()
    assert read["x"] + read["width"] <= work["x"], (read, work)  # side by side, the application first
    assert abs(read["y"] - work["y"]) < 200, (read, work)
    assert vidar.evaluate(SIDEWAYS) <= 1280
    for criterion in criteria:
        group = vidar.get_by_role("group", name=criterion.label.nb, exact=True)
        group.get_by_label(re.compile(r"^5( –|$)")).check()
        group.get_by_label(f"Begrunnelse – {criterion.label.nb}").fill(f"{criterion.label.nb}: 5, godt beskrevet.")
    vidar.get_by_label("Foreslått beløp i hele kroner").fill("1 000 000")
    vidar.get_by_label("Samlet vurdering").fill("Et godt prosjekt.")
    press(vidar, "Lagre og marker som fullført")
    assert vidar.get_by_role("heading", name="Din vurdering er fullført").is_visible()
    assert vidar.evaluate(SIDEWAYS) <= 1280

    # The caseworker sets the line on the allocation page; it does not scroll sideways either.
    visit(siri, f"/saksbehandling/utlysninger/{call.slug}/fordeling/")
    assert siri.evaluate(SIDEWAYS) <= 1280
    line = siri.locator(f"#application-{application.pk}")
    line.get_by_label(re.compile(r"^Beløp \(kr\)")).fill("900 000")
    line.get_by_label(re.compile("^Begrunnelse")).fill("Vurdert til 5 på alle kriterier.")
    press(siri, f"Lagre {application.case_number}")
    assert status_says(siri, f"Beløpet for {application.case_number}")
    assert siri.evaluate(SIDEWAYS) <= 1280
    [saved] = AllocationLine.objects.filter(application=application)
    assert saved.amount == 900_000 and saved.source == AllocationLine.Source.CASEWORKER
