"""The call page in plain language (issue #13, point 3): «Kort om tilskuddet» first, the details in
sections that open and close, no rule ids or text meant for the grantor on the public page, and no
statement that contradicts another."""

from __future__ import annotations

import re

import pytest

from tests.accounts.helpers import login_verified, make_user
from tests.conftest import HttpsClient
from tests.web.conftest import MINIMAL, element, items, load, real_call, visible_text

NBSP = "\u00a0"
RULE_ID = re.compile(r"\b(?:C\d+|X)-R\d{2}\b")

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    client = HttpsClient()
    login_verified(client, make_user("sara.saksbehandler@imdi.example", is_staff=True))
    return client


@pytest.fixture
def c2(db):
    load(real_call("C2"))
    return "/utlysninger/frivillige-organisasjoner-2020/"


def short(html: str) -> dict[str, str]:
    box = element(html, "section", aria_labelledby="kort-om")
    terms = [visible_text(term) for term in items(box, "dt")]
    values = [visible_text(value) for value in items(box, "dd")]
    return dict(zip(terms, values, strict=True))


def test_the_call_in_five_lines_first_who_what_how_much_by_when_how(client, c2):
    html = client.get(c2).content.decode()
    facts = short(html)

    assert list(facts) == [
        "Hvem kan søke",
        "Hva dere kan få tilskudd til",
        "Hvor mye",
        "Søknadsfrist",
        "Slik søker dere",
    ]
    assert facts["Hvem kan søke"] == "Frivillige organisasjoner."
    assert facts["Hva dere kan få tilskudd til"].startswith("Frivillige organisasjoner kan få støtte til prosjekter")
    assert f"Dere må søke om minst 10{NBSP}000{NBSP}kr" in facts["Hvor mye"]
    assert f"høyst 1{NBSP}000{NBSP}000{NBSP}kr per år" in facts["Hvor mye"]
    # A concrete date and time in Norwegian time, not «se utlysningen».
    assert facts["Søknadsfrist"].startswith("05.02.2020 kl. 23:59:59 norsk tid.")
    assert '<time datetime="2020-02-05T23:59:59+01:00">' in element(html, "section", aria_labelledby="kort-om")
    assert "Dere søker hos Integrerings- og mangfoldsdirektoratet (IMDi)." in facts["Slik søker dere"]
    assert "signeres av" in facts["Slik søker dere"]
    # The box comes before the first section of details.
    assert html.index('id="kort-om"') < html.index("<details")


def test_the_details_are_sections_that_open_and_close_each_named_by_its_heading(client, c2):
    html = client.get(c2).content.decode()
    disclosures = re.findall(r"<details\b[^>]*>\s*<summary>(.*?)</summary>", html, re.S)

    assert len(disclosures) >= 10
    for summary in disclosures:
        assert re.search(r"<h2 [^>]*id=\"[^\"]+\"[^>]*>[^<]+</h2>", summary), summary
    assert "Hvem kan søke" in [visible_text(summary) for summary in disclosures]


def test_the_public_page_shows_no_rule_ids_no_readings_and_no_source_file(client, c2):
    html = client.get(c2).content.decode()
    text = visible_text(html)

    assert not RULE_ID.findall(text)
    assert "tilskudd-rule" not in html
    assert "shared/seeds" not in html and ".txt" not in text
    assert "Slik tolker vi utlysningen" not in text
    assert "Andre regler" not in text
    assert "saksbehandler" not in text


def test_grantor_staff_see_the_rule_ids_and_what_is_written_for_them(staff, c2):
    html = staff.get(c2).content.decode()
    text = visible_text(html)

    assert "C2-R04" in text and "Regel C2-R04" in text
    assert "shared/seeds/002_3bfe467132ab1ade.txt" in text
    assert "Bare for saksbehandlere" in text


def test_the_cached_page_does_not_carry_the_ids_from_staff_to_the_public(client, staff, c2):
    assert "C2-R04" in visible_text(staff.get(c2).content.decode())
    public = client.get(c2).content.decode()
    assert not RULE_ID.findall(visible_text(public))
    assert "C2-R04" in visible_text(staff.get(c2).content.decode())


def test_no_field_is_called_optional_that_another_rule_says_must_be_given(client, c2):
    text = visible_text(client.get(c2).content.decode())

    # C2-R09: a measure for a reception centre must name the centre with a contact person.
    assert (
        "Asylmottaket og kontaktperson i ledelsen: må fylles ut når «Er tiltaket for beboere i asylmottak?» er ja"
        in text
    )
    assert "Asylmottaket og kontaktperson i ledelsen: valgfritt" not in text
    # C2-R03: only registered organisations can apply.
    assert "Registrert i Frivillighetsregisteret: må fylles ut" in text
    assert "Registrert i Frivillighetsregisteret: valgfritt" not in text


def test_payment_says_one_payment_only_up_to_the_amount_paid_in_two_terms(client, c2):
    text = visible_text(client.get(c2).content.decode())

    assert (
        "Tilskuddet betales ut etter at mottakeren har takket ja til vilkårene i tilskuddsbrevet (aksept), "
        f"i én utbetaling når tilskuddet er på 30{NBSP}000{NBSP}kr eller mindre." in text
    )
    assert f"Tilskudd over 30{NBSP}000{NBSP}kr betales ut i 2 deler (våren og høsten)." in text
    assert "(aksept), i én utbetaling." not in text


def test_who_decides_a_complaint_is_said_in_whole_sentences(client, c2):
    text = visible_text(client.get(c2).content.decode())

    assert "Vedtak gjort av en kommune: IMDi er klageinstans for tilskudd gitt av kommunene." in text
    assert "avgjøres klagen av IMDi er" not in text
    assert "Klagen sendes til kontaktpersonen hos den som ga tilskuddet" in text


def test_the_minimal_call_in_english(client):
    load(MINIMAL)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    facts = short(client.get("/utlysninger/test-minimal/").content.decode())

    assert list(facts) == ["Who can apply", "What the grant is for", "How much", "Deadline", "How to apply"]
    assert facts["Deadline"].startswith("28 February 2030 at 12:00 Norwegian time.")
