"""A small world for the receipt and attachment tests: the fixture call, a municipality, its people.

The organisation and people are made up for tests (``.example`` addresses,
the placeholder names Kari and Ola Nordmann). The organisation number and bank
account are the valid (MOD11) test values the rule-engine tests use.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

ORG_NUMBER = "964338531"  # as in tests/rules/test_engine.py
BANK_ACCOUNT = "12345678903"  # as in tests/rules/test_engine.py


def load_test_call(tmp_path: Path, deadline: dt.datetime | None = None):
    """tests/fixtures/minimal_call.yaml with its deadline moved into the future, loaded into the database."""
    from tilskudd.calls.models import Call
    from tilskudd.calls.services import load_call_files

    data = yaml.safe_load((FIXTURES / "minimal_call.yaml").read_text(encoding="utf-8"))
    deadline = deadline or timezone.now() + dt.timedelta(days=60)
    data["deadline"]["at"] = deadline.isoformat(timespec="seconds")
    variant = tmp_path / "minimal_call_open.yaml"
    variant.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    load_call_files([variant])
    return Call.objects.get(slug=data["id"])


def make_organisation(name: str = "Testkommune", org_number: str = ORG_NUMBER, email: str = "post@testkommune.example"):
    from tilskudd.orgs.models import Organisation

    return Organisation.objects.create(
        org_number=org_number,
        name=name,
        applicant_type="municipality",
        org_form="KOMM",
        email=email,
        bank_account=BANK_ACCOUNT,
    )


def make_person(organisation, email: str, full_name: str, role: str = "member", title: str = "", confirmed=True):
    from tilskudd.accounts.models import User
    from tilskudd.orgs.models import Membership

    user = User.objects.create_user(email=email, password=None, full_name=full_name)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return user


def complete_content() -> dict:
    """A draft for the fixture call that the rule engine accepts (area 3, 20 participants)."""
    return {
        "areas": ["3"],
        "answers": {"participants": 20, "needs_exemption": False, "project_title": "Språkkafé på biblioteket"},
        "contacts": [{"name": "Kari Nordmann", "email": "kari@testkommune.example", "role": "Prosjektleder"}],
        "partners": [{"kind": "volunteer_centre", "name": "Frivilligsentralen i Testkommune"}],
        "budget": {
            "lines": [
                {"category": "staff", "description": "Prosjektleder, 50 %", "amount": 350000},
                {"category": "staff", "description": "Tolk", "amount": 45000},
            ],
            "own_contribution": {"amount": 40000, "in_kind_amount": 15000, "description": "Lokaler og arbeid"},
            "funding_sources": [{"name": "Fylkeskommunen", "amount": 20000}],
            "amount_applied": 320000,
        },
    }


# --- fixtures shared by tests/receipts and tests/attachments (imported by their conftests) ---


@pytest.fixture
def call(db, tmp_path):
    return load_test_call(tmp_path)


@pytest.fixture
def organisation(db):
    return make_organisation()


@pytest.fixture
def lead(organisation):
    """The project lead: a member who drafts and submits."""
    return make_person(organisation, "kari@testkommune.example", "Kari Nordmann")


@pytest.fixture
def chief(organisation):
    """The chief municipal executive (rådmann), who signs."""
    return make_person(organisation, "ola@testkommune.example", "Ola Nordmann", role="signatory", title="Kommunedirektør")
