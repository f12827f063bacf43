"""Fixtures for the applicant's pages: loaded calls, organisations with people in each role (the frozen clock,
``freeze_now``, is in tests/conftest.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.utils import timezone

from tests.builders import load_calls
from tests.conftest import CALLS_DIR, FIXTURES, ROOT, oslo  # noqa: F401 - oslo re-exported for the tests
from tests.web.conftest import REAL_CALLS, visible_text  # noqa: F401 - re-exported for the tests

C0 = "kommunale-integreringstiltak-2019"
MINIMAL = "test-minimal"
EXAMPLES = ROOT / "examples"


@pytest.fixture
def calls_loaded(db):
    load_calls([CALLS_DIR / REAL_CALLS["C0"], FIXTURES / "minimal_call.yaml"])


def example_applicant(call_slug: str, name: str) -> dict:
    """The applicant of one of the call's example applications (examples/<call>/<name>.json)."""
    return json.loads((EXAMPLES / call_slug / f"{name}.json").read_text(encoding="utf-8"))["applicant"]


def make_organisation(applicant: dict):
    from tilskudd.orgs.models import Organisation

    return Organisation.objects.create(
        org_number=applicant["org_number"],
        name=applicant["name"],
        applicant_type=applicant["applicant_type"],
        org_form=applicant.get("org_form") or "",
        address=applicant.get("address") or "",
        postal_code=applicant.get("postal_code") or "",
        city=applicant.get("city") or "",
        phone=applicant.get("phone") or "",
        email=applicant.get("email") or "",
        bank_account=applicant.get("bank_account") or "",
        county=applicant.get("county") or "",
        municipality_number=applicant.get("municipality_number") or "",
    )


def make_person(organisation, email: str, name: str, role: str = "member", title: str = "", confirmed: bool = True):
    from tilskudd.accounts.models import User
    from tilskudd.orgs.models import Membership

    user = User.objects.create_user(email=email, password=None, full_name=name)
    Membership.objects.create(
        user=user,
        organisation=organisation,
        role=role,
        title=title,
        confirmed_at=timezone.now() if confirmed else None,
    )
    return user


class Municipality:
    """A municipality (the applicant of C0's example «omrade-1-godkjent») with a person in each role."""

    def __init__(self):
        self.organisation = make_organisation(example_applicant(C0, "omrade-1-godkjent"))
        self.lead = make_person(self.organisation, "prosjektleder@example.org", "Prosjekt Leder")
        self.signatory = make_person(
            self.organisation, "radmann@example.org", "Rå D. Mann", role="signatory", title="kommunedirektør"
        )
        self.delegate = make_person(self.organisation, "fullmektig@example.org", "Full Mektig")


@pytest.fixture
def municipality(calls_loaded):
    return Municipality()


@pytest.fixture
def other_organisation(calls_loaded):
    """A second organisation (the applicant of a C2 example) with one member."""
    files = sorted((EXAMPLES / "frivillige-organisasjoner-2020").glob("*.json"))
    applicant = json.loads(files[0].read_text(encoding="utf-8"))["applicant"]
    organisation = make_organisation(applicant)
    person = make_person(organisation, "annen@example.org", "Annen Person")
    return organisation, person


def csrf_free(response) -> str:
    return response.content.decode()


def form_data(html: str) -> dict[str, list[str]]:
    """What a browser would post from the page's application form as it stands (checked boxes, values, selects)."""
    form = re.search(r'<form[^>]*id="application-form".*?</form>', html, re.S)
    assert form, "no application form on the page"
    body = form.group(0)
    data: dict[str, list[str]] = {}
    for tag in re.finditer(r"<input\b[^>]*>", body):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag.group(0)))
        flags = re.findall(r"\s(checked|disabled)\b", tag.group(0))
        kind = attrs.get("type", "text")
        name = attrs.get("name")
        if not name or kind in ("file", "submit") or "disabled" in flags:
            continue
        if kind in ("radio", "checkbox") and "checked" not in flags:
            continue
        data.setdefault(name, []).append(_unescape(attrs.get("value", "")))
    for tag in re.finditer(r'<textarea\b[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', body, re.S):
        data.setdefault(tag.group(1), []).append(_unescape(tag.group(2)))
    for tag in re.finditer(r'<select\b[^>]*name="([^"]+)"[^>]*>(.*?)</select>', body, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*\bselected\b', tag.group(2))
        data.setdefault(tag.group(1), []).append(_unescape(chosen.group(1)) if chosen else "")
    data.pop("csrfmiddlewaretoken", None)
    data.pop("_save", None)
    return data


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def example_content(call_slug: str, name: str) -> dict:
    """The editable parts of an example application (what the applicant fills in)."""
    document = json.loads((EXAMPLES / call_slug / f"{name}.json").read_text(encoding="utf-8"))
    return {
        key: document[key]
        for key in ("grantor", "areas", "joint", "contacts", "answers", "partners", "project", "budget")
        if key in document
    }


@pytest.fixture
def draft(municipality, freeze_now):
    """A complete C0 area-3 draft of the municipality (from the example «omrade-3-godkjent»), on 20.02.2019."""
    from tilskudd.applications import services
    from tilskudd.calls.models import Call

    freeze_now(oslo(2019, 2, 20, 10, 0))
    call = Call.objects.get(slug=C0)
    application = services.start_draft(municipality.lead, municipality.organisation, call)
    return services.save_draft(
        municipality.lead, application.pk, example_content(C0, "omrade-3-godkjent"), application.revision
    )
