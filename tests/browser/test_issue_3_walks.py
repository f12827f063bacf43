"""Issue #3's walks in the browser, as a person would go: log in through the login form, start an
application from the demo copy of a call, fill it in from the call's passing example, save, see the
rule engine's errors beside the fields and in the summary, sign, submit, get a case number and a
receipt. axe-core checks every page visited."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.applications.conftest import example_content
from tests.browser.conftest import assert_accessible, log_out
from tests.browser.filling import choose, example, fill_form, save
from tilskudd.applications import services
from tilskudd.applications.attachments import add_attachment, kinds_for
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call
from tilskudd.orgs.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)

C0 = "kommunale-integreringstiltak-2019"


def start(page, slug: str) -> int:
    """Open the demo call's page, then start an application from Min side; returns the draft's id."""
    call = Call.objects.get(slug=f"{slug}-demo")
    response = page.goto(f"/utlysninger/{slug}-demo/")
    assert response.status == 200
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
    page.goto("/min-side/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=f"Start en søknad – {call.title_nb}", exact=True).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Start søknaden").click()
    assert page.get_by_text("Utkastet er laget.").is_visible()
    assert_accessible(page)
    return int(re.search(r"/soknader/(\d+)/", page.url).group(1))


def choose_area(page, label: str) -> None:
    areas = page.get_by_role("group", name=re.compile(r"^(Prioritert område|Delmål)"))
    choose(page, areas.get_by_label(label, exact=True))
    assert page.get_by_role("status").filter(has_text="Skjemaet er oppdatert etter valget ditt").is_visible()
    assert_accessible(page)


def sign_and_submit(page) -> str:
    """On the review page: sign, submit (the button is clicked twice: one application, one number)."""
    page.get_by_role("button", name="Signer søknaden").click()
    page.get_by_text("Signert av").first.wait_for()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send inn søknaden").dblclick()
    page.get_by_role("heading", name="Søknaden er sendt inn").wait_for()
    assert_accessible(page)
    case_number = page.locator("#case-number").inner_text()
    assert case_number
    return case_number


def test_c0_area_3_from_draft_to_receipt(demo, demo_login, page):
    """Issue #3's «done when»: a project lead drafts, the rule engine objects, the director signs and submits."""
    demo_login("prosjektleder@bergen.example")
    pk = start(page, C0)
    choose_area(page, "Utprøving og utvikling av metodikk i norskopplæringen")

    document = example(C0, "omrade-3-godkjent")
    document["answers"]["participants"] = 12
    call = Call.objects.get(slug=f"{C0}-demo")
    fill_form(page, call.definition, document)
    save(page)

    message = "«Antall deltakere» må være minst 15."
    summary = page.locator("#error-summary")
    items = [" ".join(text.split()) for text in summary.get_by_role("listitem").all_inner_texts()]
    assert items == [f"{message} Søknaden har 12. Regel C0-R20"]  # the only error left: the others are filled in
    link = summary.get_by_role("link", name=re.compile("^" + re.escape(message)))
    assert link.is_visible()
    assert summary.get_by_role("listitem").filter(has_text=message).get_by_text("Regel C0-R20").is_visible()
    field = page.get_by_role("textbox", name=re.compile(r"^Antall deltakere"))
    assert field.get_attribute("aria-invalid") == "true"
    described = page.locator(", ".join(f"[id='{i}']" for i in field.get_attribute("aria-describedby").split()))
    assert described.filter(has_text=message).filter(has_text="Regel C0-R20").count() == 1

    link.click()
    assert page.evaluate("document.activeElement.id") == field.get_attribute("id")
    field.fill("15")
    save(page)
    assert page.get_by_role("heading", name=re.compile("^Dette må rettes")).count() == 0
    assert Application.objects.get(pk=pk).content["answers"]["participants"] == 15
    log_out(page)

    demo_login("kommunedirektor@bergen.example")
    page.goto("/min-side/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name=document["answers"]["project_title"]).click()
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Gjennomgang og signering").click()
    assert page.get_by_role("heading", name="Gjennomgang og signering", level=1).is_visible()
    assert_accessible(page)
    case_number = sign_and_submit(page)
    assert Application.objects.get(pk=pk).case_number == case_number

    # The link as the browser would follow it, with the browser's session (Chromium shows PDFs inline).
    href = page.get_by_role("link", name="Last ned kvitteringen (PDF)").get_attribute("href")
    response = page.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert case_number in text

    page.goto("/min-side/")
    assert_accessible(page)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=document["answers"]["project_title"]))
    assert row.get_by_text("Sendt inn – venter på behandling").is_visible()
    assert row.get_by_text(case_number).first.is_visible()


def summary_rules(page) -> set[str]:
    """The rule ids in the error summary at the top of the form."""
    summary = page.locator("#error-summary")
    if not summary.count():
        return set()
    return set(re.findall(r"\b[CX]\d?-R\d+\b", summary.inner_text()))


def small_pdf(title: str) -> bytes:
    """A real, one-page PDF (pypdf) with a title: enough for the form's file checks."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_name(label: str) -> str:
    """The file uploaded for the attachment its label names."""
    return re.sub(r"\W+", "-", label.lower()).strip("-")[:40] + ".pdf"


def upload(page, label: str) -> None:
    """Choose a file for the attachment its label names, and upload it."""
    name = file_name(label)
    page.get_by_label(f"Velg fil – {label}", exact=True).set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": small_pdf(label)}
    )
    with page.expect_navigation():
        page.get_by_role("button", name=f"Last opp – {label}", exact=True).click()
    assert_accessible(page)
    group = page.get_by_role("group", name=re.compile("^" + re.escape(label)))
    assert group.get_by_role("link", name=name).is_visible()


def draft_made_with_services(email: str, slug: str, content: dict, documents: tuple[str, ...] = ()) -> int:
    """A draft of the demo copy of the call by the person's organisation, with ``content`` and a small PDF for each
    attachment its label names, made as the form and the upload would (issue #9 point 7: a walk that only
    shows what happens to a filled-in form need not fill it in again)."""
    membership = Membership.objects.select_related("user", "organisation").get(user__email=email)
    user = membership.user
    application = services.start_draft(user, membership.organisation, Call.objects.get(slug=f"{slug}-demo"))
    application = services.save_draft(user, application.pk, content, application.revision)
    kinds = {nb: kind for kind, (nb, _en) in kinds_for(application).items()}
    for label in documents:
        upload = SimpleUploadedFile(file_name(label), small_pdf(label), content_type="application/pdf")
        add_attachment(user, application.pk, kinds[label], upload)
    return application.pk


def open_draft(page, pk: int) -> None:
    """From Min side, open the draft (its row's link): the form."""
    page.goto("/min-side/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f"th a[href$='/soknader/{pk}/']").click()
    assert page.url.endswith(f"/soknader/{pk}/"), page.url
    assert_accessible(page)


def go_to_review(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre og gå til gjennomgang og signering").click()
    assert page.get_by_role("heading", name="Gjennomgang og signering", level=1).is_visible()
    assert_accessible(page)


C2 = "frivillige-organisasjoner-2020"
C2_EXAMPLE = "delmal-a-bergen-moteplass-godkjent"
C4 = "nasjonale-ressurssentre-2026"
C4_EXAMPLE = "delmal-a-og-d-ressurssenter-godkjent"
C4_DOCUMENTS = (
    "Vedtekter",
    "Formidling av kunnskap og erfaringer til myndigheter, andre aktører og offentligheten",
    "Samarbeid med innvandrerorganisasjoner",
    "Interne rutiner og metoder for å vurdere måloppnåelse",
    "Rutiner for risikovurdering og internkontroll",
    "Siste årsregnskap",
)


def grantor_chosen_signed_and_submitted(page, pk: int, grantor: str) -> None:
    """Choose whom to apply to (nothing in C2's form depends on it), save, review, sign and submit."""
    page.get_by_role("combobox", name=re.compile("^Søk hos")).select_option(label=grantor)
    save(page)
    assert summary_rules(page) == set(), page.locator("#error-summary").inner_text()
    assert page.get_by_role("combobox", name=re.compile("^Søk hos")).locator("option:checked").inner_text() == grantor
    go_to_review(page)
    case_number = sign_and_submit(page)
    application = Application.objects.get(pk=pk)
    assert application.case_number == case_number
    assert application.content["areas"] == ["A"]


def test_c2_sub_goal_a_by_a_voluntary_organisation(demo, demo_login, page):
    """The whole form filled in the browser, applying to Bergen kommune."""
    demo_login("styreleder@ressurssenter.example")
    pk = start(page, C2)
    choose(page, page.get_by_role("group", name=re.compile("^Delmål")).get_by_role("checkbox", name=re.compile("^A ")))
    document = example(C2, C2_EXAMPLE)
    del document["grantor"]  # chosen here
    fill_form(page, Call.objects.get(slug=f"{C2}-demo").definition, document)
    grantor_chosen_signed_and_submitted(page, pk, "Bergen kommune")


def test_c2_sub_goal_a_to_imdi(demo, demo_login, page):
    """The same application to IMDi: the filling is the walk above's, so the draft is made with the services
    (the example's content, no grantor) and only the choice of IMDi is made in the browser."""
    content = example_content(C2, C2_EXAMPLE)
    del content["grantor"]
    pk = draft_made_with_services("styreleder@ressurssenter.example", C2, content)
    demo_login("styreleder@ressurssenter.example")
    open_draft(page, pk)
    grantor_chosen_signed_and_submitted(page, pk, "IMDi (nasjonale prosjekter)")


def fill_c4(page) -> int:
    pk = start(page, C4)
    document = example(C4, C4_EXAMPLE)
    group = page.get_by_role("group", name=re.compile("^Delmål"))
    for area in document["areas"]:
        choose(page, group.get_by_role("checkbox", name=re.compile(f"^{area} ")))
    fill_form(page, Call.objects.get(slug=f"{C4}-demo").definition, document)
    save(page)
    return pk


def test_c4_by_a_national_resource_centre_with_its_documents(demo, demo_login, page):
    demo_login("styreleder@ressurssenter.example")
    pk = fill_c4(page)
    for label in C4_DOCUMENTS:
        upload(page, label)
    assert summary_rules(page) == set(), page.locator("#error-summary").inner_text()
    assert Application.objects.get(pk=pk).attachment_files.count() == len(C4_DOCUMENTS)
    go_to_review(page)
    case_number = sign_and_submit(page)
    assert Application.objects.get(pk=pk).case_number == case_number


def test_c4_a_young_local_organisation_cannot_submit(demo, demo_login, page):
    """The walk above's application and documents, by an organisation one year old and active in one county:
    the filling and the uploads are that walk's, so the draft is made with the services; the person opens it,
    saves, and cannot sign."""
    content = example_content(C4, C4_EXAMPLE)
    pk = draft_made_with_services("leder@nabolagsvenner.example", C4, content, C4_DOCUMENTS)
    demo_login("leder@nabolagsvenner.example")
    open_draft(page, pk)
    for label in C4_DOCUMENTS:
        group = page.get_by_role("group", name=re.compile("^" + re.escape(label)))
        assert group.get_by_role("link", name=file_name(label)).is_visible()
    save(page)
    assert summary_rules(page) == {"C4-R03", "C4-R04"}, page.locator("#error-summary").inner_text()
    go_to_review(page)
    assert page.get_by_role("button", name="Signer søknaden").count() == 0
    assert page.get_by_role("button", name="Send inn søknaden").count() == 0
    assert page.get_by_text("Du kan signere når feilene over er rettet.").is_visible()
    assert Application.objects.get(pk=pk).case_number is None
