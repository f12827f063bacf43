"""The letters as an applicant reads them, for every call and every kind of decision (X-R05; issue #10, points
11–14 and 16).

Each test renders the letter and reads its text (``tests/grants/letter_text.py``), not the facts behind it:
no rule ids or readings meant for us, concrete terms, complaint rights a person can use, who decided and whom
to ask. ``test_golden_letter_per_call`` keeps a reviewed text of one grant letter per call under
``tests/grants/golden/``; to write them again on purpose after a reviewed change, run

    TILSKUDD_WRITE_GOLDEN=1 .venv/bin/pytest -n 0 tests/grants/test_letter_texts.py -k golden

and read the diff in review. The golden letters use the first passing example of each call (C2: the one
Bergen kommune decides), so a change of that example changes them too.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tests.builders import fresh, shared_world
from tests.grants.letter_text import letter_text
from tests.grants.test_letters import decision
from tests.staff_world import C0, C2, build_world
from tilskudd.casework.models import StaffProfile
from tilskudd.casework.services import set_job_title
from tilskudd.grants.decisions import letters

C1 = "fag-og-yrkesopplaering-2025"
C3 = "mangfold-mot-rasisme-2024"
C4 = "nasjonale-ressurssentre-2026"
CALLS = (C0, C1, C2, C3, C4)
KINDS = ("grant", "refusal", "rejection")
GOLDEN = Path(__file__).parent / "golden"
LETTER_DATE = dt.date(2026, 3, 16)

#: A rule id as the project writes them: C0-R13, X-R05.
RULE_ID = re.compile(r"\b(?:C\d|X)-R\d+\b")
#: Words that belong in the case file and the call's readings, never in a letter.
READING_PHRASES = (
    "Regel ",
    "generell lesning",
    "lesning",
    "sier ikke noe om",
    "Informasjonsmøtet",
    "Tilskuddsbrevet angir",
    "står i tilskuddsbrevet",
    "tilskuddsbrevet avgjør",
    "Utlysningen:",
    "Utlysningen sier",
    "unverified",
)


def _world():
    return build_world(CALLS)


letters_world_built = shared_world(_world, name="letters_world_built")


@pytest.fixture
def world(letters_world_built, db):
    return fresh(letters_world_built)


def _staff(world, application):
    """The caseworker and the approver of the application's grantor (IMDi or Bergen kommune)."""
    if application.case.grantor_org_number == world.bergen.org_number:
        return world.bergen_staff["caseworker"], world.bergen_staff["approver"]
    return world.staff["caseworker"], world.staff["approver"]


def _decision(world, application, kind="grant", amount=None, **extra):
    applied = application.submitted_content["budget"]["amount_applied"]
    made = decision(
        application, kind=kind, amount=(applied - 1000 if amount is None else amount) if kind == "grant" else 0, **extra
    )
    made.prepared_by, made.approved_by = _staff(world, application)
    return made


def read(made, today=LETTER_DATE) -> str:
    return letter_text(letters.letter_html(made, today=today))


def _every_letter(world):
    """(call, grantor, kind, text) for every call, every kind, and both grantor kinds of C2."""
    for slug in CALLS:
        applications = world.applications[slug]
        grantors = {a.case.grantor_org_number: a for a in applications}
        chosen = list(grantors.values()) if slug == C2 else applications[:1]
        for application in chosen:
            for kind in KINDS:
                yield slug, application.case.grantor_name, kind, read(_decision(world, application, kind))


# --- point 11: no text meant for us --------------------------------------------------------------


def test_no_letter_carries_rule_ids_or_readings(world):
    seen = 0
    for slug, grantor, kind, text in _every_letter(world):
        seen += 1
        assert not RULE_ID.search(text), (slug, grantor, kind, RULE_ID.findall(text))
        for words in READING_PHRASES:
            assert words not in text, (slug, grantor, kind, words)
    assert seen == 5 * 3 + 2 * 3  # C2 twice: IMDi and a municipality


def test_area_1_personal_data_is_only_in_area_1_letters(world):
    by_area = {a.submitted_content["areas"][0]: a for a in world.applications[C0]}
    area1, area3 = read(_decision(world, by_area["1"])), read(_decision(world, by_area["3"]))
    for words in ("personopplysninger", "NIR", "Individrapportering", "introduksjonsloven § 25"):
        assert words in area1 and words not in area3, words


def test_the_joint_condition_is_only_in_a_joint_applications_letter(world):
    single = next(a for a in world.applications[C3] if not a.submitted_content.get("joint"))
    joint = next(a for a in world.applications[C3] if a.submitted_content.get("joint"))
    assert "felles søknad" not in read(_decision(world, single)).lower()
    assert "Ved felles søknad har kommunen som søkte, prosjektansvaret for hele prosjektet." in read(
        _decision(world, joint)
    )


# --- point 12: concrete terms -------------------------------------------------------------------


def test_c2_two_terms_name_the_amount_and_season_of_each(world):
    imdi_app = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    text = read(_decision(world, imdi_app, amount=30001))
    assert "1 | Våren 2020, når vi har mottatt aksepten | 15 001 kr" in text
    assert "2 | Høsten 2020 | 15 000 kr" in text
    one = read(_decision(world, imdi_app, amount=30000))  # not over NOK 30 000: one term (C2-R10 reading)
    assert "1 | Når vi har mottatt aksepten | 30 000 kr" in one and "Høsten" not in one


def test_acceptance_says_how_by_whom_and_what_follows(world):
    for slug in CALLS:
        application = world.applications[slug][0]
        text = read(_decision(world, application))
        assert "\nAksept\n" in text, slug
        assert "Det er ingen frist for aksept, men tilskuddet blir ikke utbetalt før det er akseptert." in text
        # In the portal, under the application (issue #11), not by letter or e-mail.
        assert (
            "Dere aksepterer tilskuddet og vilkårene i dette brevet på Min side i tilskuddsportalen, "
            f"under søknaden med saksnummer {application.case_number}." in text
        ), slug
        assert "Der kan dere også takke nei til tilskuddet." in text
    c1 = read(_decision(world, world.applications[C1][0]))
    assert "Aksepten signeres der av fylkeskommunedirektør eller av noen som har fått fullmakt til det." in c1
    assert "på e-post til tuki@imdi.no" not in c1.split("\nAksept\n", 1)[1].split("\n\n", 1)[0]
    c3 = read(_decision(world, world.applications[C3][0]))
    assert "Aksepten signeres der av kommunedirektør eller bydelsdirektør" in c3
    # The caseworker's deadline (Decision.acceptance_due) is the letter's, with what follows if it passes.
    due = read(_decision(world, world.applications[C3][0], acceptance_due=dt.date(2025, 3, 31)))
    assert "Fristen for aksept er 31.03.2025." in due
    assert "Er tilskuddet ikke akseptert innen fristen, faller tilbudet bort" in due


def test_report_deadlines_are_dates(world):
    c1 = read(_decision(world, world.applications[C1][0]))
    assert "Årsrapport 2025 | 01.02.2026 |" in c1 and "Prosjektregnskap 2025 | 01.02.2026 |" in c1
    c3 = read(_decision(world, world.applications[C3][0], report_due=dt.date(2025, 3, 1)))
    assert "Sluttrapport | 01.03.2025 |" in c3 and "Regnskap 2024 | 01.03.2025 |" in c3


def test_repayment_terms_are_the_calls(world):
    c1 = read(_decision(world, world.applications[C1][0]))
    assert (
        "Kan dere ikke bruke tilskuddet til formålet, eller bruker dere det ikke innen rimelig tid, skal dere betale det tilbake."
        in c1
    )
    bergen = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    c2 = read(_decision(world, bergen))
    assert "Kan tilskuddet ikke brukes til formålet i den perioden, skal det betales tilbake." in c2
    assert "Tilskuddet skal være brukt innen 31.12.2020." in c2


def test_multi_year_grant_names_the_years_and_the_reservation(world):
    application = world.applications[C4][0]
    later = {"2027": 500000, "2028": 500000, "2029": 500000}
    text = read(_decision(world, application, amount=500000, later_years=later, period_end=dt.date(2029, 12, 31)))
    for year in ("2027", "2028", "2029"):
        assert f"{year} | 500 000 kr" in text
    assert "Tilsagn for senere år gis med forbehold om Stortingets bevilgning for det enkelte budsjettår." in text
    assert "vurderer hvert år om kravene for videre tilskudd er oppfylt" in text


# --- point 13: complaint rights a person can use -------------------------------------------------


def test_every_rejection_letter_carries_a_usable_complaint_right(world):
    for slug, _grantor, kind, text in _every_letter(world):
        if kind != "rejection":
            continue
        complaint = text.split("\nKlagerett\n", 1)[1].split("\nSpørsmål\n", 1)[0]
        assert (
            "Dere kan klage på vedtaket. Klagefristen er tre uker fra den dagen dere mottok dette brevet." in complaint
        ), slug
        assert "Send klagen til" in complaint and "hva dere mener er feil" in complaint, slug
        assert "Dere har rett til å se dokumentene i saken (forvaltningsloven § 18)." in complaint, slug
        assert "avgjøres av" in complaint or "er klageinstans" in complaint, (slug, complaint)


def test_no_complaint_on_allocation_where_the_call_says_so(world):
    for slug in (C0, C1, C3):
        text = read(_decision(world, world.applications[slug][0]))
        assert "Dere har ikke klagerett på dette vedtaket." in text, slug
        assert "Klagefristen" not in text, slug


def test_c2_complaints_go_to_the_named_contact_and_the_right_body(world):
    bergen = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    text = read(_decision(world, bergen))
    assert "Send klagen til oss på e-post til Sølve Sætre (solve.saetre@bergen.kommune.no)" in text
    assert "IMDi er klageinstans for tilskudd gitt av kommunene." in text
    imdi_app = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.imdi.org_number)
    imdi_text = read(_decision(world, imdi_app, kind="refusal"))
    assert "Kunnskapsdepartementet er klageinstans for tilskuddene IMDi forvalter." in imdi_text
    assert "Hjemmel: Forvaltningsloven §§ 28 og 29." in imdi_text


def test_the_legal_basis_is_the_regulation_or_circular_the_call_names(world):
    expected = {
        C1: "Vedtaket er gjort etter rundskriv 08/2025 Tilskudd til utvikling av kommunale kvalifiserings- og integreringstiltak",
        C3: "Vedtaket er gjort etter rundskriv 08/2024 Tilskudd til utvikling av kvalifiserings- og integreringstiltak.",
        C4: "Vedtaket er gjort etter forskrift om tilskudd til integreringsarbeid i regi av frivillige organisasjoner",
        C0: "Vedtaket er gjort etter reglene for tilskuddsordningen «Tilskudd til utvikling av kommunale integreringstiltak»",
        C2: "Vedtaket er gjort etter reglene for tilskuddsordningen «Tilskudd til integreringsarbeid i regi av frivillige organisasjoner»",
    }
    for slug, sentence in expected.items():
        text = read(_decision(world, world.applications[slug][0], kind="refusal"))
        assert "\nHjemmel\n" + sentence in text, slug


# --- point 14: who signs and whom to ask --------------------------------------------------------


def test_the_caseworker_and_the_approver_sign_by_name_and_title(world):
    application = world.applications[C1][0]
    text = read(_decision(world, application))
    signature = text.split("Med hilsen\n", 1)[1]
    # The job titles the demo gives IMDi's staff (issue #10, point 14): the four eyes by name and title.
    assert signature.startswith("Integrerings- og mangfoldsdirektoratet (IMDi)\nBjørn Beslutter\n")
    assert "avdelingsdirektør (godkjente vedtaket)\nSiri Saksbehandler\nseniorrådgiver\n" in signature
    assert "Saksbehandler: Siri Saksbehandler" in text
    bergen = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    bergen_text = read(_decision(world, bergen))
    assert "Med hilsen\nBergen kommune\nBerit Beslutter\netatsdirektør (godkjente vedtaket)\n" in bergen_text
    assert "Tone Tilskudd\nrådgiver\n" in bergen_text


def test_a_signer_without_a_job_title_signs_with_the_role_in_the_case(world):
    application = world.applications[C1][0]
    approver = world.staff["approver"]
    StaffProfile.objects.filter(user=approver, grantor=world.imdi).update(job_title="")
    signature = read(_decision(world, application)).split("Med hilsen\n", 1)[1]
    assert "Bjørn Beslutter\nbeslutter (godkjente vedtaket)\nSiri Saksbehandler\nseniorrådgiver\n" in signature
    # A title is the person's at one grantor: IMDi's caseworker has none at Bergen kommune.
    bergen = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    made = _decision(world, bergen)
    made.prepared_by = world.staff["caseworker"]
    assert "Siri Saksbehandler\nsaksbehandler\n" in read(made)


def test_the_title_the_administrator_sets_is_the_one_the_letter_shows(world):
    application = world.applications[C1][0]
    set_job_title(world.staff["administrator"], world.imdi, world.staff["caseworker"], "  fagdirektør ")
    signature = read(_decision(world, application)).split("Med hilsen\n", 1)[1]
    assert "Siri Saksbehandler\nfagdirektør\n" in signature
    assert "seniorrådgiver" not in signature


def test_the_contact_and_the_grantors_address(world):
    c0 = world.applications[C0][0]  # routed to IMDi Vest, area 1 (C0-R27)
    text = read(_decision(world, c0))
    assert f"kontakt {c0.case.contact_name} ({c0.case.office}), e-post {c0.case.contact_email}" in text
    assert text.startswith("Integrerings- og mangfoldsdirektoratet (IMDi)\nTollbugata 20\n0152 Oslo\n")
    c4 = read(_decision(world, world.applications[C4][0]))
    assert "kontakt IMDi, e-post frivillighet@imdi.no, telefon 400 21 005." in c4
    bergen = next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    assert "kontakt Sølve Sætre, e-post solve.saetre@bergen.kommune.no, telefon 95 76 31 65." in read(
        _decision(world, bergen)
    )


# --- point 16: a reviewed golden text per call -----------------------------------------------------


def _golden_application(world, slug):
    if slug == C2:
        return next(a for a in world.applications[C2] if a.case.grantor_org_number == world.bergen.org_number)
    return world.applications[slug][0]


@pytest.mark.parametrize("slug", CALLS)
def test_golden_letter_per_call(world, slug):
    application = _golden_application(world, slug)
    # What changes from run to run is fixed: the case number, when the application came in, the letter's date.
    application.case_number = "26/00042"
    application.submitted_at = timezone.make_aware(dt.datetime(2026, 1, 20, 12, 0))
    year = application.call_version.parsed().year
    applied = application.submitted_content["budget"]["amount_applied"]
    made = _decision(
        world,
        application,
        amount=min(applied, 120000),
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
    )
    text = read(made)
    path = GOLDEN / f"{slug}.txt"
    if os.environ.get("TILSKUDD_WRITE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} is missing: write it with TILSKUDD_WRITE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), (
        f"the letter of {slug} changed: review, then TILSKUDD_WRITE_GOLDEN=1"
    )
