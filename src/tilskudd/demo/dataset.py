"""A generated data set of any size, for measuring the caseworker pages at scale (issue #14, point 4).

:func:`generate` adds ``n`` submitted applications from a seed (the same seed gives the same data on
an empty database) to the open demo calls that ``load_demo`` made: organisations with one signatory
each, the applications (each a copy of one of the call's passing examples with its own applicant,
areas, county and amount), their cases with the facts the queue filters on
(``casework.facts`` columns and ``CaseArea`` rows), caseworkers, some locked assessments, allocation
lines and published decisions. Everything is written with ``bulk_create`` in batches, so 100 000
applications take minutes.

What it is not: a history. The generated rows are written directly, not through the services, so
they have **no audit events** (``record()`` per row would hash-chain 300 000 events one by one and
make the generator take hours; faking the chain's hashes would break what the chain is for). The
case page of a generated case shows an empty history. Case numbers have the prefix ``D`` (``D26/000001``)
so that they never meet a number the submission counter gives out.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.assessment.models import AssessmentLock
from tilskudd.calls.models import Call
from tilskudd.casework.models import Case, CaseArea, CaseTally, CaseTotal, Role, ScreeningOutcome, StaffRole
from tilskudd.demo.casework import passing_examples
from tilskudd.demo.data import DEMO_SUFFIX
from tilskudd.grants.models import AllocationLine, AllocationTally, AllocationTotal, Decision
from tilskudd.grants.states import DecisionKind, DecisionStatus
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.rules.reference import counties
from tilskudd.rules.reference.imdi import regional_office_for_county

#: Share of the generated applications in each status (the rest are submitted).
STATUS_SHARES = (
    (Status.IN_ASSESSMENT, 0.30),
    (Status.GRANTED, 0.10),
    (Status.REFUSED, 0.06),
    (Status.REJECTED, 0.02),
    (Status.REOPENED, 0.03),
    (Status.WITHDRAWN, 0.02),
)
BATCH = 2000
#: The tables the generator fills besides the users', directly or through the running totals' triggers
#: (``casework.totals``, ``grants.totals``). On PostgreSQL they are analysed after the first batch, each time they have grown by
#: :data:`GROWTH` since, and at the end (:func:`_analyse`).
FILLED = (
    Organisation,
    Membership,
    Application,
    Case,
    CaseArea,
    AssessmentLock,
    AllocationLine,
    Decision,
    CaseTally,
    CaseTotal,
    AllocationTally,
    AllocationTotal,
)
GROWTH = 2
#: Organisation names are made of these (fictional).
PLACES = ("Nord", "Sør", "Øst", "Vest", "Fjord", "Dal", "Berg", "Strand", "Haug", "Lund", "Vik", "Ås")
KINDS = ("Nabolagsforening", "Frivilligsentral", "Kvinnenettverk", "Idrettslag", "Kulturforening", "Ressurssenter")
TITLES = ("Møteplass", "Språkkafé", "Leksehjelp", "Foreldrekurs", "Arbeidstrening", "Mentorordning", "Sommerleir")


@dataclass
class CallPlan:
    call: Call
    examples: list[dict]
    areas: list[str]
    #: (org number, name) of the grantors an application may be addressed to.
    grantors: list[tuple[str, str]]
    routed: bool
    local: bool


@dataclass
class Generated:
    organisations: int = 0
    applications: int = 0
    by_call: dict[str, int] = field(default_factory=dict)


def _org_number(rng: random.Random, taken: set[str]) -> str:
    """A MOD11-valid organisation number starting with 8 (made up, not looked up)."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [8] + [rng.randrange(10) for _ in range(7)]
        rest = 11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if rest == 11 else rest
        if check == 10:
            continue
        number = "".join(map(str, digits)) + str(check)
        if number not in taken:
            taken.add(number)
            return number


def _plans(calls) -> list[CallPlan]:
    plans = []
    for call in calls:
        real = call.slug.removesuffix(DEMO_SUFFIX)
        try:
            examples = [example.data for example in passing_examples(real)]
        except FileNotFoundError:
            continue
        if not examples:
            continue
        definition = call.definition
        grantors = [(definition.grantor.org_number, definition.grantor.name.nb)]
        if definition.local_grantors:
            grantors += [(g.org_number, g.name.nb) for g in definition.local_grantors.municipalities]
        plans.append(
            CallPlan(
                call=call,
                examples=examples,
                areas=[area.id for area in definition.areas.items] if definition.areas else [],
                grantors=grantors,
                routed=bool(definition.routing and definition.routing.by == "regional_office"),
                local=bool(definition.local_grantors),
            )
        )
    return plans


def _status(rng: random.Random) -> str:
    draw = rng.random()
    for status, share in STATUS_SHARES:
        if draw < share:
            return status
        draw -= share
    return Status.SUBMITTED


def _staff(role: str) -> dict[str, list]:
    """Grantor org number → users with ``role`` there."""
    found: dict[str, list] = {}
    for staff_role in StaffRole.objects.filter(role=role, removed_at__isnull=True).select_related("user", "grantor"):
        found.setdefault(staff_role.grantor.org_number, []).append(staff_role.user)
    return found


def default_calls():
    """The open demo copies of the calls (``load_demo``), in slug order."""
    return list(Call.objects.filter(slug__endswith=DEMO_SUFFIX, current_version__isnull=False).order_by("slug"))


def generate(
    n: int,
    seed: int = 1,
    calls=None,
    per_organisation: float = 2.5,
    progress: Callable[[int, float], None] | None = None,
) -> Generated:
    """Add ``n`` submitted applications to ``calls`` (the demo calls by default); see the module's docstring.
    ``progress(done, seconds)`` is called after each batch with the applications made so far and the batch's
    time."""
    rng = random.Random(seed)
    plans = _plans(calls if calls is not None else default_calls())
    if not plans:
        raise ValueError("No call with passing examples is loaded: run load_demo first.")
    caseworkers = _staff(Role.CASEWORKER)
    assessors = _staff(Role.ASSESSOR)
    anyone = next(iter(next(iter(caseworkers.values()), [])), None) or get_user_model().objects.first()
    county_codes = [county.code for county in counties()]
    taken = set(Organisation.objects.values_list("org_number", flat=True))
    year = timezone.localdate().year % 100
    start = Application.objects.filter(case_number__startswith=f"D{year:02d}/").count()
    now = timezone.now()
    result = Generated()
    done = 0
    analysed = 0  # applications made when the tables were last analysed
    while done < n:
        size = min(BATCH, n - done)
        began = time.monotonic()
        with transaction.atomic():
            made = _batch(rng, plans, size, start + done, year, now, county_codes, taken, per_organisation)
            _cases(rng, made, caseworkers, assessors, anyone, now)
        result.organisations += len({a.organisation_id for a, _ in made})
        for application, _plan in made:
            result.by_call[application.call.slug] = result.by_call.get(application.call.slug, 0) + 1
        done += size
        if done >= analysed * GROWTH or done == n:
            _analyse()
            analysed = done
        if progress is not None:
            progress(done, time.monotonic() - began)
    result.applications = done
    return result


def _analyse() -> None:
    """ANALYZE the tables the generator fills (PostgreSQL; nothing on SQLite), so that the triggers' statements
    are planned again for the rows there are now.

    The running totals' trigger functions are plpgsql: a session caches each statement's generic plan after a few
    calls, made for the tables' size at that moment, and keeps it until something invalidates it (an ANALYZE or a
    change of a table it reads). Made while the tallies were nearly empty, a lookup by the tally's key is a
    sequential scan, and the generator's one long session kept those plans while the tables grew: 24 000
    applications took 17 minutes, the rate falling (126 268 sequential scans of ``casework_casetally``, no index
    scan; ``bench/results/2026-12-03-generate-dataset.md``). Analysing after the first batch and each time the
    data has doubled, a plan is never used on more than twice the rows it was made for; ANALYZE samples (at most
    30 000 rows a table), so that costs seconds for 100 000 applications, and the last one leaves the data set's
    statistics right for the pages measured next. Not ``plan_cache_mode = force_custom_plan`` on the trigger
    functions: it would plan every statement on every call (0.09 → 0.56 ms a case's refresh, 0.06 → 0.78 ms an
    application's allocation refresh, measured), and the site's connections live at most ``DB_CONN_MAX_AGE``
    while its tables grow slowly.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        tables = [model._meta.db_table for model in (get_user_model(), *FILLED)]
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _batch(rng, plans, size, first, year, now, county_codes, taken, per_organisation):
    """Organisations, their signatories and ``size`` applications; [(application, plan)]."""
    User = get_user_model()
    unusable = make_password(None)
    count = max(1, round(size / per_organisation))
    organisations = []
    for _ in range(count):
        number = _org_number(rng, taken)
        organisations.append(
            Organisation(
                org_number=number,
                name=f"{rng.choice(PLACES)}{rng.choice(('by', 'dalen', 'lia', 'haugen'))} {rng.choice(KINDS)}",
                applicant_type="voluntary_organisation",
                org_form="FLI",
                county=rng.choice(county_codes),
                email=f"post@{number}.generert.example",
                voluntary_registered=True,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    users = User.objects.bulk_create(
        [
            User(
                email=f"signatar.{o.org_number}@generert.example",
                full_name=f"Signatar {o.name}",
                password=unusable,
                email_verified_at=now,
            )
            for o in organisations
        ],
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=o, role="signatory", title="leder", confirmed_at=now)
            for user, o in zip(users, organisations, strict=True)
        ],
        batch_size=BATCH,
    )
    signatory = dict(zip([o.pk for o in organisations], users, strict=True))
    applications = []
    for index in range(size):
        plan = rng.choice(plans)
        organisation = rng.choice(organisations)
        content = copy.deepcopy(rng.choice(plan.examples))
        applicant = content.setdefault("applicant", {})
        applicant.update(org_number=organisation.org_number, name=organisation.name, county=organisation.county)
        if plan.areas:
            content["areas"] = sorted(rng.sample(plan.areas, k=min(len(plan.areas), rng.choice((1, 1, 1, 2)))))
        if plan.local:
            content["grantor"] = rng.choice(plan.grantors)[0]
        budget = content.setdefault("budget", {})
        template_amount = budget.get("amount_applied") or 100_000
        budget["amount_applied"] = max(10_000, int(round(template_amount * rng.uniform(0.3, 1.5), -3)))
        title = f"{rng.choice(TITLES)} i {organisation.name.split()[0]}"
        answers = content.setdefault("answers", {})
        for key in ("title", "project_title"):
            if key in answers:
                answers[key] = title
        if plan.local:
            answers["same_activity_other_grantor"] = rng.random() < 0.03
        status = _status(rng)
        submitted_at = now - dt.timedelta(minutes=rng.randrange(60 * 24 * 30))
        findings = []
        if rng.random() < 0.1:
            findings = [
                {
                    "rule_id": "X-R00",
                    "severity": "warning",
                    "message_nb": "Generert funn (testdata).",
                    "message_en": "Generated finding (test data).",
                    "field": "budget.amount_applied",
                }
            ]
        raw = json.dumps(content, sort_keys=True, ensure_ascii=False)
        application = Application(
            organisation=organisation,
            call=plan.call,
            call_version_id=plan.call.current_version_id,
            status=status,
            title=title,
            content=content,
            case_number=f"D{year:02d}/{first + index + 1:06d}",
            created_by=signatory[organisation.pk],
            updated_by=signatory[organisation.pk],
            submitted_at=submitted_at,
            submitted_by=signatory[organisation.pk],
            submitted_content=content,
            submitted_hash=hashlib.sha256(raw.encode()).hexdigest(),
            submitted_findings=findings,
        )
        applications.append((application, plan))
    Application.objects.bulk_create([a for a, _ in applications], batch_size=BATCH)
    return applications


SCREENING_OF = {
    Status.SUBMITTED: ScreeningOutcome.NOT_SCREENED,
    Status.REOPENED: ScreeningOutcome.COMPLETION_REQUESTED,
    Status.REJECTED: ScreeningOutcome.REJECTION_PROPOSED,
}


def _cases(rng, made, caseworkers, assessors, anyone, now) -> None:
    """The cases of the applications ``made``, their areas, and the assessments, lines and decisions."""
    cases = []
    for application, plan in made:
        content = application.submitted_content
        chosen = content.get("grantor")
        grantor = next((g for g in plan.grantors if g[0] == chosen), plan.grantors[0])
        county = content["applicant"].get("county") or ""
        office = ""
        if plan.routed and county:
            try:
                office = regional_office_for_county(county)
            except KeyError:
                office = ""
        workers = caseworkers.get(grantor[0], [])
        worker = rng.choice(workers) if workers and rng.random() < 0.6 else None
        screening = SCREENING_OF.get(application.status, ScreeningOutcome.ACCEPTED)
        cases.append(
            Case(
                application=application,
                grantor_org_number=grantor[0],
                grantor_name=grantor[1],
                office=office,
                caseworker=worker,
                screening=screening,
                screened_at=now if screening else None,
                screened_by=worker if screening else None,
                amount_applied=content["budget"]["amount_applied"],
                county=county,
                org_form=content["applicant"].get("org_form") or "",
                applicant_type=content["applicant"].get("applicant_type") or "",
                declared_other_funding=(content.get("answers") or {}).get("same_activity_other_grantor") is True,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    CaseArea.objects.bulk_create(
        [
            CaseArea(case=case, area=str(area), position=position)
            for case in cases
            for position, area in enumerate(
                dict.fromkeys((case.application.submitted_content or {}).get("areas") or [])
            )
        ],
        batch_size=BATCH,
    )
    locks, lines, decisions = [], [], []
    for case in cases:
        application = case.application
        status = application.status
        applied = case.amount_applied or 0
        year = application.call.year
        staff = case.caseworker or anyone
        if status in (Status.IN_ASSESSMENT, Status.GRANTED, Status.REFUSED) and rng.random() < 0.7:
            scorer = rng.choice(assessors.get(case.grantor_org_number, [staff]))
            total = Decimal(rng.randrange(1000, 6001)) / 1000
            locks.append(AssessmentLock(application=application, locked_by=scorer, locked_at=now, total=total))
        if status == Status.GRANTED or (status == Status.IN_ASSESSMENT and rng.random() < 0.4):
            amount = int(round(applied * rng.choice((1, 1, 0.8, 0.5)), -3))
            lines.append(
                AllocationLine(
                    application=application,
                    year=year,
                    amount=amount,
                    source=AllocationLine.Source.ASSISTANT,
                    set_by=staff,
                    explanation_nb="Generert (testdata).",
                    explanation_en="Generated (test data).",
                )
            )
            if status == Status.GRANTED:
                decisions.append(_decision(application, DecisionKind.GRANT, amount, staff, now))
        elif status == Status.REFUSED:
            decisions.append(_decision(application, DecisionKind.REFUSAL, 0, staff, now))
        elif status == Status.REJECTED:
            decisions.append(_decision(application, DecisionKind.REJECTION, 0, staff, now))
    AssessmentLock.objects.bulk_create(locks, batch_size=BATCH)
    AllocationLine.objects.bulk_create(lines, batch_size=BATCH)
    Decision.objects.bulk_create(decisions, batch_size=BATCH)


def _decision(application, kind, amount, staff, now) -> Decision:
    return Decision(
        application=application,
        kind=kind,
        status=DecisionStatus.PUBLISHED,
        amount=amount,
        reasons="Generert vedtak (testdata).",
        prepared_by=staff,
        prepared_at=now,
        approved_by=staff,
        approved_at=now,
        published_by=staff,
        published_at=now,
    )
