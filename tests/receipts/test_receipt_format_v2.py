"""The receipt shows what the application format's version 2 adds (issue #10, point 9): the kind of each member
of a joint application, and a funding source's status and grantor. Pure: the receipt's helpers, no database."""

from __future__ import annotations

from tilskudd.applications.receipts import funding_source_text, joint_member_rows
from tilskudd.rules import Application
from tilskudd.rules.application import FundingSource

APPLICANT = {"org_number": "964965226", "name": "Stavanger kommune", "applicant_type": "municipality"}


def test_the_receipt_lists_each_joint_members_kind():
    application = Application.model_validate(
        {
            "call": "x",
            "applicant": APPLICANT,
            "joint": {
                "lead_org_number": "964965226",
                "members": [
                    {"org_number": "964338531", "name": "Bergen kommune", "applicant_type": "municipality"},
                    {"org_number": "958935420"},  # stored in version 1: no name, no kind
                ],
            },
        }
    )
    assert joint_member_rows(application) == [
        ("Bergen kommune", "964338531", "Kommune"),
        ("–", "958935420", "–"),
    ]
    assert joint_member_rows(Application.model_validate({"call": "x", "applicant": APPLICANT})) == []


def test_the_receipt_says_whether_a_grant_is_applied_for_or_granted_and_by_whom():
    applied = FundingSource(name="IMDi", amount=1000, grantor_org_number="987879696", status="applied")
    granted = FundingSource(name="Sparebankstiftelsen", amount=1000, status="granted")
    plain = FundingSource(name="Egne midler", amount=1000)
    assert funding_source_text(applied) == "IMDi (søkt om, org.nr. 987879696)"
    assert funding_source_text(granted) == "Sparebankstiftelsen (innvilget)"
    assert funding_source_text(plain) == "Egne midler"
