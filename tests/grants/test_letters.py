"""The letters' facts for every call (X-R05) and the PDF itself (issue #4 point 6)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.builders import fresh, shared_world
from tests.staff_world import C0, C2, build_world
from tilskudd.casework.facts import is_joint
from tilskudd.grants.decisions import letters
from tilskudd.grants.decisions.services import default_conditions
from tilskudd.grants.models import Decision

C1 = "fag-og-yrkesopplaering-2025"
C3 = "mangfold-mot-rasisme-2024"
C4 = "nasjonale-ressurssentre-2026"


def decision(application, kind="grant", amount=0, conditions=None, **extra) -> Decision:
    """An unsaved decision: letter_facts is pure data, so no services are needed."""
    year = application.call_version.parsed().year
    defaults = {
        "period_start": dt.date(year, 1, 1) if kind == "grant" else None,
        "period_end": dt.date(year, 12, 31) if kind == "grant" else None,
        "reasons": "" if kind == "grant" else "Søknaden oppfyller ikke kravene.",
    }
    defaults.update(extra)
    return Decision(
        application=application,
        kind=kind,
        amount=amount,
        conditions=default_conditions(application) if conditions is None and kind == "grant" else (conditions or []),
        prepared_at=timezone.now(),
        **defaults,
    )


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


#: Every call's submitted examples in one world, built once for the module: C0 and C2 as in the casework world,
#: with C1, C3 and C4 beside them (before, each of the three tests of those calls built them again).
letters_world_built = shared_world(lambda: build_world((C0, C2, C1, C3, C4)), name="letters_world_built")


@pytest.fixture
def casework_world(letters_world_built, db):
    return fresh(letters_world_built)


@pytest.fixture
def other_calls(casework_world):
    return casework_world


# --- C0 ---------------------------------------------------------------------------------------


def test_c0_grant_letter_has_no_complaint_right_and_the_area_4_deliverables(casework_world):
    area4 = next(a for a in casework_world.applications[C0] if a.submitted_content["areas"] == ["4"])
    applied = area4.submitted_content["budget"]["amount_applied"]
    facts = letters.letter_facts(decision(area4, amount=applied - 1000), today=dt.date(2019, 5, 2))
    assert facts["title"].startswith("Tilskuddsbrev")
    assert facts["grantor_name"] == "Integrerings- og mangfoldsdirektoratet (IMDi)"
    assert facts["case_number"] == area4.case_number and facts["date_text"] == "02.05.2019"
    assert facts["applicant_name"] == area4.submitted_content["applicant"]["name"]
    assert facts["amount"] == applied - 1000 and facts["partial"] and facts["amount_applied"] == applied
    assert facts["period_text"] == "01.01.2019–31.12.2019"
    assert facts["purpose"].startswith("Formålet er å øke kvaliteten")
    assert [c["id"] for c in facts["conditions"]] == ["extra_deliverables"]
    assert (
        facts["conditions"][0]["rule"] == "C0-R23" and "særskilte krav til leveranser" in facts["conditions"][0]["text"]
    )
    complaint = facts["complaint"]
    assert complaint["rule"] == "C0-R13" and complaint["allowed"] is False and complaint["deadline_weeks"] is None
    assert "forvaltningsloven § 2" in complaint["legal_reference"]
    assert complaint["text"].startswith("Dere har ikke klagerett")
    assert facts["payment"]["after_acceptance"] and facts["payment"]["terms"] == 1 and facts["acceptance"]
    due = {d["title"]: d["due_text"] for d in facts["reporting"]}
    assert due == {
        "Statusrapport om gjennomføringen av prosjektet": "01.09.2019",
        "Tilskuddsrapport": "01.02.2020",
        "Prosjektregnskap": "01.02.2020",
    }  # individual reporting (C0-R12) is for area 1 only
    # C0-R26's carry-over is of 2018 funds into the application for 2019: not a term of this grant.
    assert facts["carry_over"] is None and facts["repayment"]["rule"] == "X-R05"


def test_c0_area_1_letter_carries_individual_reporting(casework_world):
    area1 = next(a for a in casework_world.applications[C0] if a.submitted_content["areas"] == ["1"])
    facts = letters.letter_facts(decision(area1, amount=100000))
    assert [c["id"] for c in facts["conditions"]] == ["individual_reporting"]
    assert "Individrapportering" in [d["title"] for d in facts["reporting"]]
    assert not [c for c in facts["conditions"] if c["id"] == "extra_deliverables"]


def test_c0_multi_year_commitments_are_subject_to_appropriation(casework_world):
    application = casework_world.applications[C0][0]
    facts = letters.letter_facts(
        decision(
            application, amount=100000, later_years={"2020": 90000, "2021": 80000}, period_end=dt.date(2021, 12, 31)
        )
    )
    assert [(line["year"], line["amount"]) for line in facts["later_years"]] == [(2020, 90000), (2021, 80000)]
    assert "forbehold om Stortingets bevilgning" in facts["later_years_text"]


def test_c0_refusal_has_no_complaint_but_the_rejection_has(casework_world):
    application = casework_world.applications[C0][0]
    for kind in ("refusal", "rejection"):
        facts = letters.letter_facts(decision(application, kind=kind))
        assert facts["reasons"] == "Søknaden oppfyller ikke kravene."
        assert facts["complaint"]["rule"] == "C0-R13"
        assert "amount" not in facts and "conditions" not in facts
    assert letters.letter_facts(decision(application, kind="refusal"))["complaint"]["allowed"] is False
    # A rejection is an individual decision (fvl § 2 first paragraph b): three weeks, to IMDi (issue #10 point 13).
    rejection = letters.letter_facts(decision(application, kind="rejection"))["complaint"]
    assert rejection["allowed"] and rejection["deadline_weeks"] == 3 and rejection["sent_to"] == "IMDi"


# --- C2 ---------------------------------------------------------------------------------------


def _c2(world, grantor_org_number):
    return next(a for a in world.applications[C2] if a.case.grantor_org_number == grantor_org_number)


def test_c2_bergens_grant_complaint_goes_to_imdi_three_weeks(casework_world):
    landaas = _c2(casework_world, casework_world.bergen.org_number)
    facts = letters.letter_facts(decision(landaas, amount=30000))
    assert facts["grantor_name"] == "Bergen kommune" and facts["grantor_kind"] == "municipality"
    complaint = facts["complaint"]
    assert complaint["rule"] == "C2-R13" and complaint["allowed"] and complaint["deadline_weeks"] == 3
    assert complaint["decided_by"] == "IMDi er klageinstans for tilskudd gitt av kommunene."
    assert "tre uker" in complaint["text"] and "IMDi er klageinstans" in complaint["text"]
    # C2-R10: NOK 30 000 is not over the threshold: one term.
    assert facts["payment"]["terms"] == 1 and facts["payment"]["schedule"] == []


def test_c2_imdis_grant_complaint_goes_to_the_ministry(casework_world):
    imdi_app = _c2(casework_world, casework_world.imdi.org_number)
    facts = letters.letter_facts(decision(imdi_app, amount=100000))
    assert facts["grantor_kind"] == "directorate"
    assert "Kunnskapsdepartementet er klageinstans" in facts["complaint"]["decided_by"]
    for kind in ("refusal", "rejection"):
        assert "Kunnskapsdepartementet" in letters.letter_facts(decision(imdi_app, kind=kind))["complaint"]["text"]


def test_c2_two_terms_above_30000_and_auditor_from_100000(casework_world):
    imdi_app = _c2(casework_world, casework_world.imdi.org_number)
    above = letters.letter_facts(decision(imdi_app, amount=30001))
    assert above["payment"]["terms"] == 2 and above["payment"]["schedule"] == ["vår", "høst"]
    assert "to terminer, vår og høst" in above["payment"]["text"]
    assert above["auditor_required"] is False
    audited = letters.letter_facts(decision(imdi_app, amount=100000))
    accounts = next(d for d in audited["reporting"] if d["kind"] == "accounts")
    assert audited["auditor_required"] is True and accounts["auditor_required"] is True
    assert "revisor" in accounts["auditor_text"]
    below = letters.letter_facts(decision(imdi_app, amount=99999))
    assert below["auditor_required"] is False
    # The call gives no dates; the letter sets them (1 February after the grant year).
    assert {d["due_text"] for d in audited["reporting"]} == {"01.02.2021"}
    assert all(d["due_set_in_letter"] for d in audited["reporting"])
    assert audited["repayment"]["rule"] == "C2-R12" and audited["repayment"]["use_by"] == "31.12.2020"
    assert audited["carry_over"]["allowed"] is False
    assert [c["id"] for c in audited["conditions"]] == ["use_as_granted", "no_double_funding"]
    # The caseworker may set the deadline in the decision instead.
    chosen = letters.letter_facts(decision(imdi_app, amount=100000, report_due=dt.date(2021, 3, 15)))
    assert {d["due_text"] for d in chosen["reporting"]} == {"15.03.2021"}


# --- C1, C3, C4 -----------------------------------------------------------------------------------


def test_c1_complaint_only_on_rejection(other_calls):
    application = other_calls.applications[C1][0]
    grant = letters.letter_facts(decision(application, amount=100000))
    assert grant["complaint"]["allowed"] is False and grant["complaint"]["rule"] == "C1-R09"
    assert "ikke enkeltvedtak" in grant["complaint"]["legal_reference"]
    assert letters.letter_facts(decision(application, kind="refusal"))["complaint"]["allowed"] is False
    rejection = letters.letter_facts(decision(application, kind="rejection"))["complaint"]
    assert rejection["allowed"] and rejection["deadline_weeks"] == 3
    assert "Arbeids- og inkluderingsdepartementet" in rejection["decided_by"]
    accounts = next(d for d in grant["reporting"] if d["kind"] == "accounts")
    assert accounts["due_text"] == "01.02.2026" and accounts["auditor_required"] is False


def test_c3_no_complaint_on_grant_or_refusal_but_on_rejection(other_calls):
    application = other_calls.applications[C3][0]
    grant = letters.letter_facts(decision(application, amount=100000))
    assert grant["complaint"]["rule"] == "C3-R10" and grant["complaint"]["allowed"] is False
    assert "§§ 3 første ledd og 28" in grant["complaint"]["legal_reference"]
    assert letters.letter_facts(decision(application, kind="refusal"))["complaint"]["allowed"] is False
    rejection = letters.letter_facts(decision(application, kind="rejection"))["complaint"]
    assert rejection["allowed"] and rejection["deadline_weeks"] == 3 and rejection["sent_to"] == "IMDi"
    # A single municipality's letter does not carry the joint application's condition (issue #10 point 11).
    assert not is_joint(application) and grant["conditions"] == []
    assert grant["payment"]["terms"] == 1 and grant["acceptance"]
    joint = next(a for a in other_calls.applications[C3] if is_joint(a))
    joint_grant = letters.letter_facts(decision(joint, amount=100000))
    assert [c["id"] for c in joint_grant["conditions"]] == ["lead_municipality_responsible"]


def test_c4_statutes_condition_and_yearly_reevaluation(other_calls):
    application = other_calls.applications[C4][0]
    facts = letters.letter_facts(
        decision(application, amount=500000, later_years={"2027": 500000}, period_end=dt.date(2027, 12, 31))
    )
    statutes = next(c for c in facts["conditions"] if c["id"] == "statutes_representation")
    assert statutes["rule"] == "C4-R05" and "innvandrerbakgrunn" in statutes["text"]
    assert facts["complaint"]["allowed"] and facts["complaint"]["deadline_weeks"] == 3
    assert facts["yearly_reevaluation"] and "forbehold" in facts["later_years_text"]


# --- the PDF ------------------------------------------------------------------------------------


def test_the_grant_letter_is_a_real_pdf_with_amount_and_complaint_text(casework_world):
    imdi_app = _c2(casework_world, casework_world.imdi.org_number)
    pdf = letters.letter_pdf(decision(imdi_app, amount=123456, extra_conditions="Rapporter til IMDi Vest."))
    assert pdf[:5] == b"%PDF-"
    text = pdf_text(pdf)
    assert "123 456" in text.replace("\u00a0", " ")
    assert "Klagefristen er tre uker" in text and "Kunnskapsdepartementet" in text
    assert "Rapporter til IMDi Vest." in text and imdi_app.case_number in text
    assert "to terminer, vår og høst" in text
    reader = PdfReader(io.BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    assert any("Inter" in name for name in fonts), fonts  # the service's typeface, as on the receipt


def test_the_refusal_letter_pdf_states_the_reasons_and_no_complaint(casework_world):
    application = casework_world.applications[C0][0]
    text = pdf_text(letters.letter_pdf(decision(application, kind="refusal")))
    assert "Søknaden oppfyller ikke kravene." in text
    assert "Dere har ikke klagerett" in text and "forvaltningsloven" in text
