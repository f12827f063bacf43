"""The figures of a call's overview (issue 4, point 7) and the public list of grants (X-R07).

Every figure is for one call and the grantors a person works for in it
(:func:`tilskudd.casework.scope.call_grantors`): IMDi's staff see IMDi's
numbers in C2, Bergen kommune's staff Bergen's. Drafts are never counted (they
are not the grantor's business); only applications with a case at one of the
grantors are.

Choices the page states in words:

* **Several areas.** An application under several priority areas or sub-goals
  (C2: A and C) is counted under its *first* area, so the rows add up to the
  total and no krone is counted twice; the column "of which also under other
  areas" says how many such applications a row holds.
* **Amounts.** Applied for, proposed and granted are summed over the
  applications in casework (submitted, reopened, in assessment, decided);
  withdrawn applications are counted by status but left out of the amounts.
  Proposed is the allocation for the call's year (``AllocationLine.year ==
  call.year``); later years are commitments, shown per year. Granted is the
  amount of published grant decisions.
* **County.** The applicant's county at submission (the case's ``county``,
  written by ``casework.facts``), named from the county table.
* **Frame use.** Used is what is proposed against the frame, or what is
  granted if that is larger; left is the frame less what is used.

How it is computed: the amount applied for, the county and the areas are the
case's columns and area rows (``casework.facts``, written at submission), and
the database keeps running totals of them per status, grantor, first area and
county (``casework.totals``, issue #14 point 4), so :func:`load` reads those
groups (a few hundred rows at most, whatever the number of applications), sums
the proposed and granted amounts by the same groups over the lines and
decisions, and reads the later years' commitments; the figures add up those
groups. The exports stream one row per
application from one query (:func:`export_rows`). No submitted JSON is decoded
in Python: the applicant's name and number as submitted are extracted by the
database.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import AFTER_SUBMISSION, IN_CASEWORK, STATUS_EN, Status
from tilskudd.assessment.models import AssessmentLock
from tilskudd.casework import scope
from tilskudd.casework import totals as case_totals
from tilskudd.casework.models import CaseArea, Role
from tilskudd.core.formatting import format_nok, format_percent
from tilskudd.core.text import pick
from tilskudd.grants.models import AllocationLine, Decision, Frame
from tilskudd.grants.states import DecisionKind, DecisionStatus
from tilskudd.rules.reference import county_name
from tilskudd.rules.schema import Text

#: Roles that may see a call's overview and exports (assessors see only their own assignments).
OVERVIEW_ROLES = (Role.CASEWORKER, Role.APPROVER, Role.ADMINISTRATOR)

NO_COUNTY = Text(nb="Fylke ikke oppgitt", en="County not given")
NO_AREA = Text(nb="Uten område", en="No area")


def overview_grantors(user, call) -> set[str]:
    """The grantors of ``call`` where ``user`` holds a role that may see the overview."""
    return scope.call_grantors(user, call) & scope.grantor_numbers(user, *OVERVIEW_ROLES)


# --- the data, summed by the database ----------------------------------------------


def _first_area(ref: str = "pk") -> Subquery:
    return Subquery(CaseArea.objects.filter(case__application=OuterRef(ref)).order_by("position").values("area")[:1])


def _proposed(year: int) -> Subquery:
    return Subquery(AllocationLine.objects.filter(application=OuterRef("pk"), year=year).values("amount")[:1])


def _granted() -> Subquery:
    return Subquery(
        Decision.objects.filter(
            application=OuterRef("pk"), status=DecisionStatus.PUBLISHED, kind=DecisionKind.GRANT
        ).values("amount")[:1]
    )


@dataclass(frozen=True)
class Bucket:
    """Applications alike in everything the figures group by, counted and summed by the database."""

    status: str
    grantor_org_number: str
    grantor_name: str
    first_area: str
    county: str
    several_areas: bool
    count: int
    applied: int
    #: Proposed for the call's year (allocation lines) and granted (published grant decisions).
    proposed: int
    granted: int

    @property
    def in_casework(self) -> bool:
        return self.status in IN_CASEWORK


@dataclass(frozen=True)
class Later:
    """A later year's proposed or granted amount for one application in casework (commitments)."""

    application_id: int
    year: int
    grantor_org_number: str
    first_area: str
    proposed: int = 0
    granted: int = 0


@dataclass
class Facts:
    call: object
    grantors: frozenset[str]
    buckets: list[Bucket]
    later: list[Later] = field(default_factory=list)

    @property
    def grantor_names(self) -> list[str]:
        return sorted({bucket.grantor_name for bucket in self.buckets})


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def applications(call, grantors):
    """The call's applications with a case at ``grantors`` (never drafts)."""
    return Application.objects.filter(call=call, case__grantor_org_number__in=grantors).exclude(status=Status.DRAFT)


#: The groups of the running totals (casework.totals), reached from an application's row through the cases'
#: ledger, which names the application (casework/migrations/0012) and holds its status, grantor and facts.
_GROUP = (
    "application__case_tally__status",
    "application__case_tally__grantor_org_number",
    "application__case_tally__grantor_name",
    "application__case_tally__first_area",
    "application__case_tally__county",
    "application__case_tally__several",
)


def _sums(rows, call, grantors) -> dict[tuple, int]:
    """``rows`` (allocation lines or decisions) of the call's applications at ``grantors``: amount per group.

    Joined to the ledger on the application's id (drafts have no tally): at 100 000 applications a hash join of
    the ledger's rows for the call and grantors, not a look-up of each row's case and tally (issue #14: C0's
    proposed sum ~80 → 45–58 ms at that session's pace)."""
    found = (
        rows.filter(application__case_tally__call=call, application__case_tally__grantor_org_number__in=grantors)
        .values_list(*_GROUP)
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {
        (status, grantor, name, area, county, bool(several)): total or 0
        for status, grantor, name, area, county, several, total in found
    }


def load(call, grantors) -> Facts:
    """The figures' data in three queries, summed by the database whatever the number of applications.

    The buckets: applications grouped by status, grantor, first area, county and whether they name
    several areas, with the amounts applied, proposed and granted for the call's year summed. Later
    years' commitments are read row by row, but only for the applications that have them.
    """
    grantors = frozenset(grantors)
    year = call.year
    # Counts and amounts applied for: the running totals (casework.totals), a row per group however many
    # applications. Proposed (the call year's lines) and granted (published grants): summed by the same groups
    # over the rows that have them, the case's tally giving the group.
    proposed = _sums(AllocationLine.objects.filter(year=year), call, grantors)
    granted = _sums(Decision.objects.filter(status=DecisionStatus.PUBLISHED, kind=DecisionKind.GRANT), call, grantors)
    # One bucket per group: a group's total is kept in several rows (casework.totals.SHARDS), summed here.
    group = ("status", "grantor_org_number", "grantor_name", "first_area", "county", "several")
    buckets = [
        Bucket(
            status=status,
            grantor_org_number=grantor,
            grantor_name=name or grantor,
            first_area=area,
            county=county,
            several_areas=bool(several),
            count=cases or 0,
            applied=applied or 0,
            proposed=proposed.get(key, 0) or 0,
            granted=granted.get(key, 0) or 0,
        )
        for status, grantor, name, area, county, several, cases, applied in case_totals.totals(call, grantors)
        .values_list(*group)
        .annotate(n=Sum("cases"), money=Sum("applied"))
        .order_by()
        for key in [(status, grantor, name, area, county, several)]
    ]
    # Joined, not «application in (the call's applications)»: that built the call's every case before finding
    # that no line of a later year is there (96 ms at 100 000 for none).
    in_casework = {
        "application__call": call,
        "application__status__in": IN_CASEWORK,
        "application__case__grantor_org_number__in": grantors,
    }
    later = [
        Later(app_id, line_year, grantor, area or "", proposed=amount)
        for app_id, line_year, grantor, area, amount in AllocationLine.objects.filter(year__gt=year, **in_casework)
        .values_list(
            "application_id",
            "year",
            "application__case__grantor_org_number",
            "application__case__tally__first_area",
            "amount",
        )
        .order_by()  # no order needed: the model's (application's -updated_at) costs a join and a sort
    ]
    for app_id, grantor, area, years in (
        Decision.objects.filter(status=DecisionStatus.PUBLISHED, kind=DecisionKind.GRANT, **in_casework)
        .exclude(later_years={})
        .values_list(
            "application_id",
            "application__case__grantor_org_number",
            "application__case__tally__first_area",
            "later_years",
        )
        .order_by()
    ):
        for later_year, value in (years or {}).items():
            if _int(later_year) > year:
                later.append(Later(app_id, _int(later_year), grantor, area or "", granted=_int(value)))
    return Facts(call=call, grantors=grantors, buckets=buckets, later=later)


def _facts(call, grantors, facts: Facts | None) -> Facts:
    return facts if facts is not None else load(call, grantors)


# --- counts by status ---------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: Text
    count: int


def status_counts(call, grantors, facts: Facts | None = None) -> list[StatusCount]:
    """How many applications are in each status after submission (every status listed, zeros too)."""
    facts = _facts(call, grantors, facts)
    counted: dict[str, int] = defaultdict(int)
    for bucket in facts.buckets:
        counted[bucket.status] += bucket.count
    return [
        StatusCount(s.value, Text(nb=s.label, en=STATUS_EN[s]), counted[s.value]) for s in AFTER_SUBMISSION
    ]  # never drafts


# --- amounts per area and per county ------------------------------------------


@dataclass
class AmountRow:
    key: str
    label: Text
    count: int = 0
    applied: int = 0
    proposed: int = 0
    granted: int = 0
    #: Applications counted here that name other areas too (areas only).
    also_other_areas: int = 0

    def add(self, bucket: Bucket) -> None:
        self.count += bucket.count
        self.applied += bucket.applied
        self.proposed += bucket.proposed
        self.granted += bucket.granted


def _total(rows: list[AmountRow]) -> AmountRow:
    total = AmountRow("", Text(nb="Sum", en="Total"))
    for row in rows:
        total.count += row.count
        total.applied += row.applied
        total.proposed += row.proposed
        total.granted += row.granted
        total.also_other_areas += row.also_other_areas
    return total


def area_titles(call) -> dict[str, Text]:
    if not call.current_version_id or call.definition.areas is None:
        return {}
    return {area.id: area.title for area in call.definition.areas.items}


def by_area(call, grantors, facts: Facts | None = None) -> tuple[list[AmountRow], AmountRow]:
    """Applied, proposed and granted per priority area / sub-goal, each application under its first area."""
    facts = _facts(call, grantors, facts)
    titles = area_titles(call)
    rows = {area_id: AmountRow(area_id, title) for area_id, title in titles.items()}
    for bucket in facts.buckets:
        if not bucket.in_casework:
            continue
        key = bucket.first_area
        if key not in rows:
            rows[key] = AmountRow(key, Text(nb=key, en=key) if key else NO_AREA)
        rows[key].add(bucket)
        if bucket.several_areas:
            rows[key].also_other_areas += bucket.count
    ordered = list(rows.values())
    return ordered, _total(ordered)


def by_county(call, grantors, facts: Facts | None = None) -> tuple[list[AmountRow], AmountRow]:
    """Applied, proposed and granted per applicant county at submission (counties with applications only)."""
    facts = _facts(call, grantors, facts)
    rows: dict[str, AmountRow] = {}
    for bucket in facts.buckets:
        if not bucket.in_casework:
            continue
        if bucket.county not in rows:
            name = county_name(bucket.county) if bucket.county else ""
            label = Text(nb=f"{name} ({bucket.county})", en=f"{name} ({bucket.county})") if bucket.county else NO_COUNTY
            rows[bucket.county] = AmountRow(bucket.county, label)
        rows[bucket.county].add(bucket)
    ordered = sorted(rows.values(), key=lambda r: (r.key == "", r.label.nb))
    return ordered, _total(ordered)


# --- frame use ----------------------------------------------------------------


@dataclass(frozen=True)
class FrameUse:
    frame_id: int
    label: Text
    short_label: Text
    year: int
    area: str
    grantor_org_number: str
    frame: int
    proposed: int
    granted: int

    @property
    def used(self) -> int:
        return max(self.proposed, self.granted)

    @property
    def left(self) -> int:
        return self.frame - self.used

    @property
    def percent_used(self) -> Decimal | None:
        """Per cent of the frame used, one decimal, rounded half up; None for a frame of 0."""
        if not self.frame:
            return None
        return (Decimal(self.used) * 100 / Decimal(self.frame)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def over(self) -> bool:
        return self.used > self.frame


def _grantor_names(call) -> dict[str, str]:
    names = {call.grantor_org_number: call.grantor_name}
    if call.current_version_id and call.definition.local_grantors:
        names |= {g.org_number: g.name.nb for g in call.definition.local_grantors.municipalities}
    return names


def frame_use(call, grantors, facts: Facts | None = None) -> list[FrameUse]:
    """Each of the call's frames at ``grantors``: frame, proposed, granted, left and per cent used.

    A frame with no grantor is the whole call's, shown to the call's own grantor; in a call with
    local grantors (C2) it is the whole scheme before the 60/40 split, which no one grantor's
    numbers can be set against, so it is left out. An area frame counts the applications whose
    first area it is.
    """
    facts = _facts(call, grantors, facts)
    wanted = set(facts.grantors)
    has_local = bool(call.current_version_id and call.definition.local_grantors)
    if call.grantor_org_number in wanted and not has_local:
        wanted.add("")
    titles = area_titles(call)
    result = []
    for frame in Frame.objects.filter(call=call, grantor_org_number__in=wanted).order_by(
        "year", "grantor_org_number", "area"
    ):

        def member(grantor: str, area: str, frame=frame) -> bool:
            return (not frame.grantor_org_number or grantor == frame.grantor_org_number) and (
                not frame.area or area == frame.area
            )

        if frame.year == call.year:
            members = [b for b in facts.buckets if b.in_casework and member(b.grantor_org_number, b.first_area)]
            proposed = sum(b.proposed for b in members)
            granted = sum(b.granted for b in members)
        else:
            members_later = [
                row for row in facts.later if row.year == frame.year and member(row.grantor_org_number, row.first_area)
            ]
            proposed = sum(row.proposed for row in members_later)
            granted = sum(row.granted for row in members_later)
        full, short = _frame_labels(call, frame, titles)
        result.append(
            FrameUse(
                frame_id=frame.pk,
                label=full,
                short_label=short,
                year=frame.year,
                area=frame.area,
                grantor_org_number=frame.grantor_org_number,
                frame=frame.amount,
                proposed=proposed,
                granted=granted,
            )
        )
    return result


def _frame_labels(call, frame, titles: dict[str, Text]) -> tuple[Text, Text]:
    """The frame's name in full for the table and short for the chart.

    'Prioritert område 5: Innovative løsninger … (2019)' / 'Prioritert område 5 (2019)';
    'Hele utlysningen (2019)'; another grantor's frame is prefixed with its name.
    """
    if frame.area:
        kind = (
            call.definition.areas.label
            if call.current_version_id and call.definition.areas
            else Text(nb="Område", en="Area")
        )
        short = Text(nb=f"{kind.nb} {frame.area}", en=f"{kind.en or kind.nb} {frame.area}")
        title = titles.get(frame.area)
        full = Text(nb=f"{short.nb}: {title.nb}", en=f"{short.en}: {title.en or title.nb}") if title else short
    else:
        full = short = Text(nb="Hele utlysningen", en="The whole call")
    prefix = ""
    if frame.grantor_org_number and frame.grantor_org_number != call.grantor_org_number:
        prefix = _grantor_names(call).get(frame.grantor_org_number, frame.grantor_org_number) + ": "

    def named(text: Text) -> Text:
        return Text(nb=f"{prefix}{text.nb} ({frame.year})", en=f"{prefix}{text.en or text.nb} ({frame.year})")

    return named(full), named(short)


# --- later years --------------------------------------------------------------


@dataclass(frozen=True)
class LaterYear:
    year: int
    applications: int
    proposed: int
    granted: int


def later_years(call, grantors, facts: Facts | None = None) -> list[LaterYear]:
    """Commitments for the years after the call's year: proposed (allocation lines) and granted, per year."""
    facts = _facts(call, grantors, facts)
    proposed: dict[int, int] = defaultdict(int)
    granted: dict[int, int] = defaultdict(int)
    who: dict[int, set[int]] = defaultdict(set)
    for row in facts.later:
        proposed[row.year] += row.proposed
        granted[row.year] += row.granted
        who[row.year].add(row.application_id)
    return [LaterYear(year, len(who[year]), proposed[year], granted[year]) for year in sorted(who)]


# --- one row per application (exports) ----------------------------------------

EXPORT_HEADINGS = (
    "Saksnummer",
    "Organisasjon",
    "Organisasjonsnummer",
    "Fylke",
    "Område",
    "Tilskuddsforvalter",
    "Status",
    "Søkt beløp (NOK)",
    "Foreslått (NOK)",
    "Innvilget (NOK)",
    "Kvalitet (samlet, låst)",
    "Sendt inn",
)


@dataclass(frozen=True)
class ExportRow:
    case_number: str
    organisation: str
    org_number: str
    county: str
    areas: str
    grantor: str
    status: str
    applied: int
    proposed: int
    granted: int
    quality: Decimal | None
    submitted_at: dt.datetime | None  # Europe/Oslo

    def values(self) -> tuple:
        return (
            self.case_number,
            self.organisation,
            self.org_number,
            self.county,
            self.areas,
            self.grantor,
            self.status,
            self.applied,
            self.proposed,
            self.granted,
            self.quality,
            self.submitted_at,
        )


def _submitted_or(path: str, fallback: str) -> Coalesce:
    """The text at ``path`` (a JSON field, across relations, then its keys) extracted by the database, else the
    column ``fallback``: 'application__submitted_content__applicant__name'."""
    field, _, keys = path.partition("submitted_content__")
    expression = F(field + "submitted_content")
    *inner, last = keys.split("__")
    for key in inner:
        expression = KeyTransform(key, expression)
    return Coalesce(NullIf(KeyTextTransform(last, expression), Value("")), F(fallback), output_field=CharField())


def export_rows(call, grantors, facts: Facts | None = None) -> Iterator[ExportRow]:
    """One row per application at ``grantors`` (drafts never), in bokmål, amounts in whole NOK.

    A generator over one query (one row per area of each application, read in chunks), so an export of
    100 000 applications streams instead of being built in memory. ``facts`` is not needed (kept for callers).
    """
    titles = area_titles(call)
    rows = (
        applications(call, frozenset(grantors))
        .annotate(
            name=_submitted_or("submitted_content__applicant__name", "organisation__name"),
            number=_submitted_or("submitted_content__applicant__org_number", "organisation__org_number"),
            line=_proposed(call.year),
            grant=_granted(),
            quality=Subquery(AssessmentLock.objects.filter(application=OuterRef("pk")).values("total")[:1]),
        )
        .values_list(
            "pk",
            "case_number",
            "status",
            "name",
            "number",
            "case__grantor_org_number",
            "case__grantor_name",
            "submitted_at",
            "case__county",
            "case__amount_applied",
            "line",
            "grant",
            "quality",
            "case__areas__area",  # one row per area of the case (a left join: one row without areas)
        )
        .order_by("case_number", "pk", "case__areas__position")
    )
    current: list | None = None
    areas: list[str] = []
    for row in rows.iterator(chunk_size=2000):
        if current is not None and row[0] == current[0]:
            areas.append(row[-1])
            continue
        if current is not None:
            yield _export_row(current, areas, titles)
        current, areas = list(row), [row[-1]] if row[-1] is not None else []
    if current is not None:
        yield _export_row(current, areas, titles)


def _export_row(row: list, areas: list[str], titles: dict[str, Text]) -> ExportRow:
    (
        _pk,
        case_number,
        status,
        name,
        number,
        grantor,
        grantor_name,
        submitted_at,
        county,
        applied,
        line,
        grant,
        quality,
    ) = row[:13]
    return ExportRow(
        case_number=case_number or "",
        organisation=name or "",
        org_number=number or "",
        county=f"{county_name(county)} ({county})" if county else "",
        areas=", ".join(f"{a} {titles[a].nb}" if a in titles else a for a in areas),
        grantor=grantor_name or grantor,
        status=Status(status).label,
        applied=applied or 0,
        proposed=line or 0,
        granted=grant or 0,
        quality=quality.quantize(Decimal("0.001")) if quality is not None else None,
        submitted_at=timezone.localtime(submitted_at) if submitted_at else None,
    )


# --- the public list of grants (X-R07) ----------------------------------------


@dataclass(frozen=True)
class PublicGrant:
    recipient: str
    org_number: str
    title: str
    amount: int
    grantor: str
    #: A sole proprietorship (ENK) carries its owner's name: neither name nor number is published.
    withheld: bool = False


def published_grants(call) -> list[PublicGrant]:
    """The call's published grant decisions: recipient organisation, number, project, amount, grantor.

    Never personal data: no contact people, no signatories, and for a sole proprietorship (*ENK*),
    whose name is its owner's, neither name nor organisation number.
    """
    rows = (
        Decision.objects.filter(application__call=call, status=DecisionStatus.PUBLISHED, kind=DecisionKind.GRANT)
        .annotate(
            name=_submitted_or("application__submitted_content__applicant__name", "application__organisation__name"),
            number=_submitted_or(
                "application__submitted_content__applicant__org_number", "application__organisation__org_number"
            ),
            form=_submitted_or("application__submitted_content__applicant__org_form", "application__case__org_form"),
        )
        .order_by("application__case__grantor_name", "application__organisation__name", "application__case_number")
        .values_list("amount", "application__title", "name", "number", "form", "application__case__grantor_name")
    )
    result = []
    for amount, title, name, number, form, grantor in rows:
        withheld = (form or "").upper() == "ENK"
        result.append(
            PublicGrant(
                recipient="" if withheld else (name or ""),
                org_number="" if withheld else (number or ""),
                title=title or "",
                amount=amount,
                grantor=grantor or call.grantor_name,
                withheld=withheld,
            )
        )
    return result


# --- the chart of frame use ---------------------------------------------------


@dataclass(frozen=True)
class Bar:
    name: str  # "frame", "proposed", "granted": the fill (outline, hatching, solid)
    label: str
    value_text: str
    y: int
    width: int
    text_x: int


@dataclass(frozen=True)
class BarGroup:
    label: str
    y: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    title: str  # the text alternative: every number in words
    width: int
    height: int
    groups: tuple[BarGroup, ...]


CHART_WIDTH = 760
_LABEL_WIDTH = 110
_BAR_SPACE = 440
_BAR_HEIGHT = 18
_BAR_STEP = 24
_GROUP_HEADING = 24
_GROUP_GAP = 14


def frame_chart(frames: list[FrameUse], language: str | None) -> Chart | None:
    """Horizontal bars per frame — frame, proposed, granted — on one scale, with the numbers as text.

    Meaning never rests on colour: the bars are an outline, hatching and a solid fill, each with its
    name in text beside it, and the chart's title states every number.
    """
    if not frames:
        return None
    scale = max(max(f.frame, f.proposed, f.granted) for f in frames) or 1
    names = (
        ("frame", pick(language, "Ramme", "Frame")),
        ("proposed", pick(language, "Foreslått", "Proposed")),
        ("granted", pick(language, "Innvilget", "Granted")),
    )
    groups, sentences, y = [], [], 0
    for use in frames:
        label = use.short_label.get(language or "nb")
        top = y + _GROUP_HEADING
        bars = []
        for index, (name, name_label) in enumerate(names):
            value = getattr(use, name)
            width = round(_BAR_SPACE * value / scale)
            bars.append(
                Bar(
                    name=name,
                    label=name_label,
                    value_text=format_nok(value, language),
                    y=top + index * _BAR_STEP,
                    width=width,
                    text_x=_LABEL_WIDTH + width + 8,
                )
            )
        groups.append(BarGroup(label=label, y=y + 16, bars=tuple(bars)))
        used = (
            pick(language, ", brukt ", ", used ") + format_percent(float(use.percent_used), language)
            if use.percent_used is not None
            else ""
        )
        sentences.append(f"{label}: " + ", ".join(f"{bar.label.lower()} {bar.value_text}" for bar in bars) + used)
        y = top + len(names) * _BAR_STEP + _GROUP_GAP
    title = pick(language, "Bruk av rammene. ", "Frame use. ") + ". ".join(sentences) + "."
    return Chart(title=title, width=CHART_WIDTH, height=y, groups=tuple(groups))
