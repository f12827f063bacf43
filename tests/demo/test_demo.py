"""The demo data `make run` loads: organisations for every applicant type, people in every role, open calls."""

import datetime as dt

import pytest
from django.core.management import call_command

from tests.builders import load_calls, shared_world
from tests.conftest import CALLS_DIR
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call
from tilskudd.calls.services import call_files_in
from tilskudd.casework.models import Role, StaffRole, job_title
from tilskudd.demo import dates
from tilskudd.demo.casework import STAFF
from tilskudd.demo.data import DEMO_PASSWORD, ORGANISATIONS
from tilskudd.demo.services import load_demo
from tilskudd.orgs.models import Membership, Organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def calls():
    load_calls(call_files_in(CALLS_DIR))  # load_call_files, each file read and validated once per session


def _demo_of_today():
    load_calls(call_files_in(CALLS_DIR))
    load_demo(TODAY)


demo_of_today = shared_world(_demo_of_today, name="demo_of_today")


@pytest.fixture
def demo_today(demo_of_today, db):
    """The calls and ``load_demo(TODAY)``, loaded once for the module's tests that only read what it made
    (tests/builders.py: each test in its own savepoint; issue #9 point 7)."""


def test_demo_has_the_four_organisations_the_issue_asks_for(demo_today):
    demo = Organisation.objects.filter(org_number__in=[o.org_number for o in ORGANISATIONS])
    types = sorted(demo.values_list("applicant_type", flat=True))
    assert types == ["county_authority", "municipality", "voluntary_organisation", "voluntary_organisation"]
    county = demo.get(applicant_type="county_authority")
    c1 = Call.objects.get(slug="fag-og-yrkesopplaering-2025").definition
    assert county.org_number in c1.eligibility.allow_list.org_numbers
    ages = sorted(o.founded_on for o in demo.filter(applicant_type="voluntary_organisation"))
    assert ages == [dt.date(2021, 11, 22), dt.date(2025, 11, 22)]


def test_every_role_has_a_person_who_can_log_in(demo_today, client):
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == {"member", "signatory", "administrator"}
    member = Membership.objects.get(organisation__org_number="964338531", role="member").user
    assert member.check_password(DEMO_PASSWORD)
    assert Membership.objects.filter(confirmed_at__isnull=True).count() == 0


def test_every_call_gets_an_open_demo_copy_with_the_same_rules(demo_today):
    for original in Call.objects.exclude(slug__endswith="-demo"):
        copy = Call.objects.get(slug=original.slug + "-demo")
        assert copy.title_nb == "[Demo] " + original.title_nb
        assert copy.deadline.date() == dt.date(2027, 1, 21)
        assert copy.definition.fields == original.definition.fields
        # The same checks, with their dates moved as the year moved (a project that ends by 30 June, C0-R04).
        moved = copy.definition.year - original.definition.year
        assert copy.definition.checks == dates.shifted(original.definition, moved).checks


def test_loading_twice_changes_nothing(calls):
    load_demo(TODAY)
    counts = (
        Organisation.objects.count(),
        Membership.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
    )
    load_demo(TODAY)
    after = (
        Organisation.objects.count(),
        Membership.objects.count(),
        Call.objects.count(),
        Application.objects.count(),
    )
    assert after == counts


def test_command_prints_the_logins(calls, capsys, settings):
    settings.DEBUG = True  # the demo commands run only in the demo (tests/test_production_defaults.py)
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "prosjektleder@bergen.example" in out
    assert "kommunedirektor@bergen.example" in out
    assert DEMO_PASSWORD in out


def test_demo_organisations_have_valid_identifiers(demo_today):
    from tilskudd.rules.validators import is_valid_bank_account, is_valid_org_number

    for organisation in Organisation.objects.exclude(applicant_type=""):  # IMDi is only a grantor here
        assert is_valid_org_number(organisation.org_number), organisation.name
        assert is_valid_bank_account(organisation.bank_account), organisation.name


def test_grantor_staff_hold_every_role_at_imdi_and_bergen(demo_today):
    imdi = set(StaffRole.objects.filter(grantor__org_number="987879696").values_list("role", flat=True))
    bergen = set(StaffRole.objects.filter(grantor__org_number="964338531").values_list("role", flat=True))
    assert imdi == set(Role.values)
    assert bergen == {Role.CASEWORKER, Role.ASSESSOR, Role.APPROVER}
    staff = StaffRole.objects.select_related("user")
    assert all(role.user.is_staff and role.user.check_password(DEMO_PASSWORD) for role in staff)


def test_every_demo_staff_member_has_a_job_title_at_their_grantor_for_the_letters(demo_today):
    for person in STAFF:
        user = StaffRole.objects.filter(user__email=person.email).first().user
        assert job_title(user, person.grantor) == person.title != ""
    approver = StaffRole.objects.get(grantor__org_number="987879696", role=Role.APPROVER).user
    assert job_title(approver, "987879696") == "avdelingsdirektør"


def test_every_call_has_submitted_demo_applications_with_cases(demo_today):
    submitted = Application.objects.filter(status="submitted", call__slug__endswith="-demo")
    per_call = {
        slug: submitted.filter(call__slug=f"{slug}-demo").count()
        for slug in Call.objects.exclude(slug__endswith="-demo").values_list("slug", flat=True)
    }
    assert per_call == {
        "fag-og-yrkesopplaering-2025": 4,  # with the example whose organisation number is written with spaces
        "frivillige-organisasjoner-2020": 4,
        "kommunale-integreringstiltak-2019": 6,
        "mangfold-mot-rasisme-2024": 4,
        "nasjonale-ressurssentre-2026": 3,
    }
    assert all(application.case.grantor_org_number for application in submitted)
    assert all(application.case_number for application in submitted)


def test_command_prints_the_staff_logins(calls, capsys, settings):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "beslutter@imdi.example" in out and "vurderer2@imdi.example" in out
    assert "innsendte søknader / submitted applications: 21" in out
