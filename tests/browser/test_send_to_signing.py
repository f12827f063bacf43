"""«Send til signering» in a real browser (issue #13, point 4): a member who cannot sign sends the draft to
the signatory, the signatory's e-mail exists, the review page and Min side say «Venter på signatur fra …»,
and axe-core finds no serious problem on either."""

from __future__ import annotations

import pytest

from tests.applications.conftest import calls_loaded, draft, municipality  # noqa: F401 - fixtures
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, client, user, live_server):
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_a_member_sends_to_signing_and_the_signatory_is_told(
    page, client, municipality, draft, live_server, mailoutbox
):
    log_in(page, client, municipality.lead, live_server)
    page.goto(f"/soknader/{draft.pk}/signer/")
    assert_accessible(page)
    assert page.get_by_text("Venter på signatur fra").count() == 0

    page.get_by_role("button", name="Send til signering").click()
    page.get_by_text("Venter på signatur fra Rå D. Mann").wait_for()
    assert page.get_by_text("Vi har sendt e-post til Rå D. Mann").is_visible()
    assert_accessible(page)

    [mail] = mailoutbox
    assert mail.to == ["radmann@example.org"]
    assert f"/soknader/{draft.pk}/signer/" in mail.body

    # Pressing again within the hour sends nothing and says when it was sent.
    page.get_by_role("button", name="Send til signering").click()
    page.get_by_text("Vi sender ikke ny e-post før det har gått en time").wait_for()
    assert len(mailoutbox) == 1

    page.goto("/min-side/")
    assert page.get_by_text("Venter på signatur fra Rå D. Mann").is_visible()
    assert_accessible(page)


def test_a_waiting_first_person_reads_who_confirms_and_uploads_proof(page, client, calls_loaded, live_server, tmp_path):
    from tilskudd.applications import services
    from tilskudd.calls.models import Call
    from tilskudd.orgs.models import Membership, Organisation, RoleProof

    from tests.orgs.conftest import VOLUNTARY, make_user

    organisation = Organisation.objects.create(
        org_number=VOLUNTARY, name="PRØVELAGET FOR INKLUDERING", applicant_type="voluntary_organisation"
    )
    kari = make_user("kari@provelaget.example", "Kari Nordmann")
    Membership.objects.create(
        user=kari, organisation=organisation, role="signatory", administers=True, title="styreleder"
    )
    application = services.start_draft(kari, organisation, Call.objects.get(slug="test-minimal"))

    log_in(page, client, kari, live_server)
    page.goto(f"/soknader/{application.pk}/signer/")
    page.get_by_text("Ingen i organisasjonen har bekreftet signaturrett ennå.").wait_for()
    assert page.get_by_text("Tilgangen din til organisasjonen venter på bekreftelse fra IMDi").is_visible()
    assert_accessible(page)

    proof = tmp_path / "styreprotokoll.pdf"
    proof.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    page.get_by_label("Last opp styreprotokoll, fullmakt eller annet som viser rollen din").set_input_files(str(proof))
    page.get_by_role("button", name="Last opp", exact=True).click()
    page.get_by_role("link", name="styreprotokoll.pdf").wait_for()
    assert RoleProof.objects.filter(membership__user=kari).count() == 1
    assert_accessible(page)

    wrong = tmp_path / "notat.txt"
    wrong.write_text("Jeg er styreleder.")
    page.get_by_label("Last opp styreprotokoll, fullmakt eller annet som viser rollen din").set_input_files(str(wrong))
    page.get_by_role("button", name="Last opp", exact=True).click()
    page.get_by_text("Filtypen er ikke tillatt").wait_for()
    assert RoleProof.objects.filter(membership__user=kari).count() == 1
    assert_accessible(page)
