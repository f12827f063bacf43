"""The public pages as a user sees them: the list of calls and a call's rules."""

from __future__ import annotations

import re

import pytest

from tests.accounts.helpers import login_verified, make_user
from tests.conftest import HttpsClient, oslo
from tests.web.conftest import (
    MINIMAL,
    REAL_CALLS,
    element,
    item_with,
    items,
    load,
    real_call,
    rule_ids_in,
    visible_text,
    write_variant,
)

NBSP = "\u00a0"
BEFORE_DEADLINE = oslo(2030, 1, 15, 9, 0)  # the fixture's deadline is 28.02.2030 12:00
AFTER_DEADLINE = oslo(2030, 2, 28, 12, 0, 1)


@pytest.fixture
def staff(db):
    """A client logged in as grantor staff, who see the rule ids on the call pages (issue #13, point 3)."""
    staff_client = HttpsClient()
    login_verified(staff_client, make_user("sara.saksbehandler@imdi.example", is_staff=True))
    return staff_client


def section_text(html: str, heading_id: str) -> str:
    return visible_text(element(html, "section", aria_labelledby=heading_id))


# --- front page ------------------------------------------------------------------


@pytest.mark.django_db
def test_front_page_lists_a_call_as_open_before_its_deadline(client, minimal_loaded, freeze_now):
    freeze_now(BEFORE_DEADLINE)
    html = client.get("/").content.decode()

    open_section = section_text(html, "open-calls")
    assert open_section.startswith("Åpne utlysninger")
    assert "Testutlysning" in open_section
    assert "Testutlysning" not in section_text(html, "closed-calls")
    assert 'href="/utlysninger/test-minimal/"' in html


@pytest.mark.django_db
def test_front_page_moves_the_call_to_closed_once_the_deadline_has_passed(client, minimal_loaded, freeze_now):
    freeze_now(AFTER_DEADLINE)
    html = client.get("/").content.decode()

    assert "Testutlysning" not in section_text(html, "open-calls")
    assert "Ingen utlysninger er åpne for søknader akkurat nå." in section_text(html, "open-calls")
    closed = section_text(html, "closed-calls")
    assert closed.startswith("Avsluttede utlysninger")
    assert "Testutlysning" in closed
    assert "Søknadsfristen er ute" in closed


@pytest.mark.django_db
def test_front_page_shows_frame_grantor_deadline_in_oslo_time_and_applicant_types(client, minimal_loaded, freeze_now):
    freeze_now(BEFORE_DEADLINE)
    html = client.get("/").content.decode()
    card = item_with(html, "Testutlysning")

    assert f"Ramme 1{NBSP}000{NBSP}000{NBSP}kr" in card
    assert "Tilskuddsforvalter IMDi" in card
    assert "Søknadsfrist 28.02.2030 kl. 12:00" in card
    assert "Hvem kan søke Kommuner" in card
    assert '<time datetime="2030-02-28T12:00:00+01:00">28.02.2030 kl. 12:00</time>' in html


@pytest.mark.django_db
def test_front_page_puts_open_calls_first_nearest_deadline_first(client, tmp_path, freeze_now):
    def later(data):
        data["id"] = "test-later"
        data["title"] = {"nb": "Senere utlysning", "en": "Later call"}
        data["deadline"]["at"] = "2030-06-01T12:00:00+02:00"

    def earlier_closed(data):
        data["id"] = "test-closed"
        data["title"] = {"nb": "Gammel utlysning", "en": "Old call"}
        data["deadline"]["at"] = "2029-06-01T12:00:00+02:00"

    later_path = write_variant(tmp_path, later)
    later_path = later_path.rename(tmp_path / "later.yaml")
    closed_path = write_variant(tmp_path, earlier_closed)
    load(MINIMAL, later_path, closed_path)
    freeze_now(BEFORE_DEADLINE)

    text = visible_text(client.get("/").content.decode())
    assert text.index("Åpne utlysninger") < text.index("Testutlysning") < text.index("Senere utlysning")
    assert text.index("Senere utlysning") < text.index("Avsluttede utlysninger") < text.index("Gammel utlysning")


@pytest.mark.django_db
def test_front_page_without_calls_says_so_kindly(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Det er ingen utlysninger her ennå." in visible_text(response.content.decode())


@pytest.mark.django_db
def test_language_switch_to_english_changes_headings_amounts_and_dates(english, minimal_loaded, freeze_now):
    freeze_now(BEFORE_DEADLINE)
    html = english.get("/").content.decode()
    text = visible_text(html)

    assert '<html lang="en"' in html
    assert "Calls for applications" in text
    assert section_text(html, "open-calls").startswith("Open calls")
    assert "Test call" in section_text(html, "open-calls")
    card = item_with(html, "Test call")
    assert "Frame NOK 1,000,000" in card
    assert "Deadline 28 February 2030 at 12:00" in card
    assert "Who may apply Municipalities" in card
    assert "Åpne utlysninger" not in text


@pytest.mark.django_db
def test_pages_are_in_bokmal_by_default_with_a_switch_to_english(client):
    html = client.get("/").content.decode()
    assert '<html lang="nb"' in html
    switch = element(html, "form", action="/i18n/setlang/")
    assert 'name="language" value="en"' in switch
    assert re.search(r'lang="en"[^>]*>English</button>', switch)
    assert 'name="next" value="/"' in switch


# --- the call page ---------------------------------------------------------------


@pytest.mark.django_db
def test_call_page_shows_title_key_facts_and_status(client, minimal_loaded, freeze_now):
    freeze_now(BEFORE_DEADLINE)
    html = client.get("/utlysninger/test-minimal/").content.decode()
    text = visible_text(html)

    assert visible_text(element(html, "h1")) == "Testutlysning"
    assert f"Hvor mye I alt fordeles 1{NBSP}000{NBSP}000{NBSP}kr." in section_text(html, "kort-om")
    assert "Søknadsfrist 28.02.2030 kl. 12:00" in text
    assert "Åpen for søknader" in text
    assert "<title>Testutlysning – tilskudd</title>" in html


@pytest.mark.django_db
def test_call_page_states_the_minimum_participants_rule_with_its_rule_id(staff, minimal_loaded):
    html = staff.get("/utlysninger/test-minimal/").content.decode()
    area_3 = section_text(html, "omrade-3")

    assert area_3.startswith("Område 3")
    rule = item_with(html, "C0-R20")
    assert "Antall deltakere må være minst 15." in rule
    assert "Regel C0-R20" in rule  # the tag is read out as "Regel C0-R20"
    assert "C0-R20" not in section_text(html, "omrade-1")


@pytest.mark.django_db
def test_call_page_says_so_when_the_call_text_gave_no_time(client, tmp_path):
    def date_only(data):
        data["deadline"] = {"rule": "C0-R01", "at": "2030-02-28", "time_given": False}

    load(write_variant(tmp_path, date_only))
    html = client.get("/utlysninger/test-minimal/").content.decode()
    deadline = section_text(html, "frist")

    assert "Søknaden må være sendt inn senest 28.02.2030 kl. 23:59:59 (norsk tid)." in deadline
    assert "Utlysningsteksten oppgir ingen klokkeslett for fristen." in deadline
    assert "til og med kl. 23:59:59 denne dagen" in deadline
    assert '<time datetime="2030-02-28T23:59:59+01:00">' in html


@pytest.mark.django_db
def test_call_page_has_no_such_line_when_the_call_gave_a_time(client, minimal_loaded):
    html = client.get("/utlysninger/test-minimal/").content.decode()
    assert "oppgir ingen klokkeslett" not in html


@pytest.mark.django_db
def test_call_page_shows_complaint_rights_per_decision_kind(staff, minimal_loaded):
    html = staff.get("/utlysninger/test-minimal/").content.decode()
    complaints = element(html, "section", aria_labelledby="klage")

    rejection = item_with(complaints, "Avvisning", tag="tr")
    assert "Ja, innen 3 uker etter at dere fikk vedtaket." in rejection
    assert "fvl. § 29" in rejection
    assert "C1-R09" in rejection
    refusal = item_with(complaints, "Avslag", tag="tr")
    assert "Nei." in refusal and "C0-R13" in refusal
    assert "Kan dere klage på vedtaket?" in visible_text(complaints)


@pytest.mark.django_db
def test_call_page_shows_budget_reporting_signing_and_payment(staff, minimal_loaded):
    html = staff.get("/utlysninger/test-minimal/").content.decode()

    assert "Ja" in item_with(html, "Personal", tag="tr")
    assert "Nei" in item_with(html, "Investering", tag="tr")
    assert "Statusrapport: frist 01.09.2030." in item_with(html, "Statusrapport")
    assert "Søknaden må signeres av rådmann" in item_with(html, "C0-R10")
    assert "Stønaden regnes for høyst 1 år per deltaker." in item_with(html, "C0-R18")
    assert "Tilskuddet betales ut etter at mottakeren har takket ja" in item_with(html, "C3-R08")


@pytest.mark.django_db
def test_call_page_in_english(staff, minimal_loaded):
    # No frozen clock here: a session made today has expired by 2030. Today lies before the deadline.
    staff.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = staff.get("/utlysninger/test-minimal/").content.decode()
    text = visible_text(html)

    assert visible_text(element(html, "h1")) == "Test call"
    assert "Deadline 28 February 2030 at 12:00" in text
    assert "Number of participants must be at least 15." in item_with(html, "C0-R20")
    assert "Rule C0-R20" in item_with(html, "C0-R20")
    for heading in ("Who may apply", "What the application must contain", "Complaints", "How we assess applications"):
        assert f">{heading}</h2>" in html
    assert "Hvem kan søke" not in text


@pytest.mark.django_db
def test_unknown_call_is_404(client, minimal_loaded):
    assert client.get("/utlysninger/finnes-ikke/").status_code == 404


@pytest.mark.django_db
def test_every_rule_the_fixture_names_is_shown_on_its_page(staff, minimal_loaded):
    from tilskudd.calls.models import Call

    html = staff.get("/utlysninger/test-minimal/").content.decode()
    shown = set(re.findall(r"(?:C\d+|X)-R\d{2}", visible_text(html)))
    named = rule_ids_in(Call.objects.get(slug="test-minimal").current_version.definition)
    assert named <= shown, f"rules named in the file but not on the page: {sorted(named - shown)}"


# --- accessibility basics ----------------------------------------------------------


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/utlysninger/test-minimal/"])
def test_pages_have_landmarks_skip_link_and_headings_in_order(client, minimal_loaded, url):
    html = client.get(url).content.decode()

    assert '<a class="ds-skip-link" href="#main">Hopp til hovedinnholdet</a>' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    levels = _headings(html)
    assert levels.count(1) == 1 and levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level jumps from h{before} to h{after}"


@pytest.mark.django_db
def test_tables_have_captions_and_header_cells(client, minimal_loaded):
    html = client.get("/utlysninger/test-minimal/").content.decode()
    tables = re.findall(r"<table\b.*?</table>", html, re.S)

    assert tables
    for table in tables:
        assert "<caption>" in table
        assert '<th scope="col">' in table
        assert '<th scope="row">' in table


@pytest.mark.django_db
def test_links_to_calls_name_the_call(client, minimal_loaded, freeze_now):
    freeze_now(BEFORE_DEADLINE)
    html = client.get("/").content.decode()
    links = re.findall(r'<a [^>]*href="/utlysninger/[^"]+"[^>]*>(.*?)</a>', html, re.S)
    assert [visible_text(link) for link in links] == ["Testutlysning"]


# --- the real calls ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_real_call_pages_show_every_rule_their_file_names(client, staff, call_id):
    from tilskudd.calls.models import Call

    load(real_call(call_id))
    call = Call.objects.get()
    definition = call.definition
    html = staff.get(f"/utlysninger/{call.slug}/").content.decode()
    text = visible_text(html)

    assert visible_text(element(html, "h1")) == definition.title.nb
    assert call.title_nb in visible_text(client.get("/").content.decode())
    shown = set(re.findall(r"(?:C\d+|X)-R\d{2}", text))
    named = rule_ids_in(call.current_version.definition)
    assert named <= shown, f"rules named in {REAL_CALLS[call_id]} but not on the page: {sorted(named - shown)}"
    if not definition.deadline.time_given:
        assert "Utlysningsteksten oppgir ingen klokkeslett for fristen." in text
    assert [visible_text(cell) for cell in items(html, "caption")]  # at least one table with a caption


@pytest.mark.django_db
@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_real_call_pages_in_english(english, call_id):
    from tilskudd.calls.models import Call

    load(real_call(call_id))
    call = Call.objects.get()
    response = english.get(f"/utlysninger/{call.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert ">Who may apply</h2>" in html
    assert visible_text(element(html, "h1")) == call.definition.title.get("en")


@pytest.mark.django_db
def test_an_open_call_page_offers_to_apply_and_a_closed_one_does_not(client, minimal_loaded, freeze_now):
    freeze_now(oslo(2030, 1, 1))
    assert 'href="/soknader/ny/test-minimal/"' in client.get("/utlysninger/test-minimal/").content.decode()
    freeze_now(oslo(2030, 3, 1))
    assert "/soknader/ny/" not in client.get("/utlysninger/test-minimal/").content.decode()
