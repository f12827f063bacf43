"""Loading the demo data: idempotent, so `make run` can run it every time."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tilskudd.calls.models import Call
from tilskudd.calls.services import LoadResult, load_call
from tilskudd.casework.models import Role
from tilskudd.core.formatting import OSLO
from tilskudd.demo import after_decision, casework, dates
from tilskudd.demo.data import DEMO_CALL_DAYS_OPEN, DEMO_PASSWORD, DEMO_SUFFIX, ORGANISATIONS, STAFF, DemoPerson
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.rules.schema import CallDefinition, Deadline, Text


def demo_call(definition: CallDefinition, today: dt.date, move_dates: bool = True) -> CallDefinition:
    """An open copy of a call: same rules, deadline DEMO_CALL_DAYS_OPEN days ahead at 12:00 Oslo time.

    The year and every other date move by as many whole years as the deadline did (``demo.dates``), so the
    demo letters' periods and report deadlines follow the demo deadline. ``move_dates=False`` keeps the seed's
    dates (the casework tests' world, whose letters are compared with golden files).
    """
    closes = dt.datetime.combine(today + dt.timedelta(days=DEMO_CALL_DAYS_OPEN), dt.time(12, 0), tzinfo=OSLO)
    if move_dates:
        definition = dates.shifted(definition, dates.years_to_move(definition, closes))
    title = Text(nb=f"[Demo] {definition.title.nb}", en=f"[Demo] {definition.title.en or definition.title.nb}")
    deadline = Deadline(rule=definition.deadline.rule, at=closes, time_given=True)
    data = definition.model_dump(mode="json", by_alias=True)
    data.update(
        id=definition.id + DEMO_SUFFIX,
        title=title.model_dump(),
        deadline=deadline.model_dump(mode="json"),
    )
    return CallDefinition.model_validate(data)


def load_demo_calls(today: dt.date | None = None, move_dates: bool = True) -> list[LoadResult]:
    """An open demo copy of every loaded call (refreshed while no application uses it)."""
    today = today or timezone.localdate()
    results = []
    for call in Call.objects.exclude(slug__endswith=DEMO_SUFFIX).select_related("current_version"):
        copy = demo_call(call.definition, today, move_dates)
        existing = Call.objects.filter(slug=copy.id).select_related("current_version").first()
        if existing and existing.current_version.is_in_use():
            continue  # keep the version applications were made under
        results.append(load_call(copy, source_file=f"demo copy of {call.slug}"))
    return results


def _person(person: DemoPerson, staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=person.email,
        defaults={"full_name": person.full_name, "is_staff": staff, "email_verified_at": timezone.now()},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


@transaction.atomic
def load_demo(
    today: dt.date | None = None, applications: bool = True, decided: bool = False, move_dates: bool = True
) -> dict:
    """Organisations, people with every role, and open demo calls. Returns what was made, for printing.

    ``applications=False`` leaves out the submitted examples (``generate_dataset`` makes its own).
    ``decided=True`` (the command) also takes a few of them to accepted grants (``demo.after_decision``).
    ``move_dates=False`` keeps the calls' own years and dates (see ``demo_call``).
    """
    today = today or timezone.localdate()
    now = timezone.now()
    staff_users = [_person(person, staff=True) for person in STAFF]
    logins = [(person, "IMDi", "saksbehandler (grantor staff)") for person in STAFF]
    for demo in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            org_number=demo.org_number,
            defaults={
                "name": demo.name,
                "applicant_type": demo.applicant_type,
                "org_form": demo.org_form,
                "county": demo.county,
                "municipality_number": demo.municipality_number,
                "address": demo.address,
                "postal_code": demo.postal_code,
                "city": demo.city,
                "bank_account": demo.bank_account,
                "email": demo.email,
                "phone": demo.phone,
                "founded_on": demo.founded_on(today),
                "voluntary_registered": demo.voluntary_register_years_ago is not None,
                "voluntary_registered_on": demo.registered_on(today),
                "counties_activity": list(demo.counties_activity),
                "counties_members": list(demo.counties_members),
                "counties_branches": list(demo.counties_branches),
                "registry_verified": False,
            },
        )
        for person in demo.people:
            user = _person(person)
            Membership.objects.update_or_create(
                user=user,
                organisation=organisation,
                removed_at=None,
                defaults={
                    "role": person.role,
                    "title": person.title,
                    "confirmed_at": now,
                    "confirmed_by": staff_users[0],
                },
            )
            logins.append((person, demo.name, f"{person.role} ({person.title})"))
    calls = load_demo_calls(today, move_dates)
    logins = [login for login in logins if login[0].email not in {p.email for p in casework.STAFF}]
    for person, _user in casework.load_grantor_staff():
        grantor = "IMDi" if person.grantor == casework.IMDI_ORG_NUMBER else "Bergen kommune (tilskuddsforvalter)"
        roles = ", ".join(Role(role).label.lower() for role in person.roles)
        logins.append((DemoPerson(person.email, person.full_name, "staff", person.title), grantor, roles))
    submitted = casework.load_demo_applications() if applications else []
    granted = after_decision.load(today) if applications and decided else []
    # The named people of example applicants (only where their application was submitted: C2 loaded).
    for example in Organisation.objects.filter(org_number__in=casework.EXAMPLE_PEOPLE if applications else ()):
        people = casework.EXAMPLE_PEOPLE[example.org_number]
        logins += [(DemoPerson(*person), example.name, f"{person[2]} ({person[3]})") for person in people]
    return {"logins": logins, "calls": calls, "password": DEMO_PASSWORD, "applications": submitted, "grants": granted}
