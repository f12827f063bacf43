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
case's columns and area rows (``casework.facts``, written at submission), so
:func:`load` reads the needed columns of the call's applications in one query
(one row per area; plus one each for allocation lines, decisions and locks) and
the figures are summed in Python. That is fine for thousands of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from tilskudd.applications.models import Application
from tilskudd.applications.states import AFTER_SUBMISSION, IN_CASEWORK, STATUS_EN, Status
from tilskudd.assessment.models import AssessmentLock
from tilskudd.casework import scope
from tilskudd.casework.models import Role
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


# --- the data, read once ------------------------------------------------------


@dataclass(frozen=True)
class AppRow:
    """What the overview needs of one application (organisation data only, no personal data)."""

    id: int
    case_number: str
    status: str
    title: str
    organisation: str
    org_number: str
    county: str  # county code at submission, "" if not given
    areas: tuple[str, ...]
    applied: int
    grantor_org_number: str
    grantor_name: str
    submitted_at: dt.datetime | None

    @property
    def in_casework(self) -> bool:
        return self.status in IN_CASEWORK

    @property
    def first_area(self) -> str:
        return self.areas[0] if self.areas else ""


@dataclass
class Facts:
    call: object
    grantors: frozenset[str]
    applications: list[AppRow]
    #: application id → {year: amount} from the allocation lines.
    allocation: dict[int, dict[int, int]] = field(default_factory=dict)
    #: application id → (amount for the call's year, {later year: amount}) of its published grant.
    granted: dict[int, tuple[int, dict[int, int]]] = field(default_factory=dict)
    #: application id → locked quality total (None when no criterion applied).
    quality: dict[int, Decimal | None] = field(default_factory=dict)

    def proposed(self, app_id: int, year: int | None = None) -> int:
        return self.allocation.get(app_id, {}).get(self.call.year if year is None else year, 0)

    def granted_amount(self, app_id: int, year: int | None = None) -> int:
        amount, later = self.granted.get(app_id, (0, {}))
        if year is None or year == self.call.year:
            return amount
        return later.get(year, 0)


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def load(call, grantors) -> Facts:
    """The call's applications at ``grantors`` with their allocation, grants and locks: four queries."""
    grantors = frozenset(grantors)
    rows = (
        Application.objects.filter(call=call, case__grantor_org_number__in=grantors)
        .exclude(status=Status.DRAFT)
        .order_by("case_number", "pk")
        .values_list(
            "pk",
            "case_number",
            "status",
            "title",
            "submitted_content",
            "organisation__name",
            "organisation__org_number",
            "case__grantor_org_number",
            "case__grantor_name",
            "submitted_at",
            "case__county",
            "case__amount_applied",
            "case__areas__area",  # one row per area of the case (a left join: one row without areas)
        )
        .order_by("case_number", "pk", "case__areas__position")
    )
    applications = []
    areas: dict[int, list[str]] = {}
    for (
        pk,
        case_number,
        status,
        title,
        content,
        org_name,
        org_number,
        grantor,
        grantor_name,
        submitted_at,
        county,
        applied,
        area,
    ) in rows:
        if pk in areas:
            areas[pk].append(area)
            continue
        areas[pk] = [area] if area is not None else []
        content = content or {}
        applicant = content.get("applicant") or {}
        applications.append(
            AppRow(
                id=pk,
                case_number=case_number or "",
                status=status,
                title=title or "",
                organisation=applicant.get("name") or org_name,
                org_number=applicant.get("org_number") or org_number,
                county=county or "",
                areas=(),
                applied=applied or 0,
                grantor_org_number=grantor,
                grantor_name=grantor_name or grantor,
                submitted_at=submitted_at,
            )
        )
    applications = [replace(row, areas=tuple(areas[row.id])) for row in applications]
    ids = [row.id for row in applications]
    allocation: dict[int, dict[int, int]] = defaultdict(dict)
    for app_id, year, amount in AllocationLine.objects.filter(application_id__in=ids).values_list(
        "application_id", "year", "amount"
    ):
        allocation[app_id][year] = amount
    granted = {}
    for app_id, amount, later in Decision.objects.filter(
        application_id__in=ids, status=DecisionStatus.PUBLISHED, kind=DecisionKind.GRANT
    ).values_list("application_id", "amount", "later_years"):
        granted[app_id] = (amount, {_int(year): _int(value) for year, value in (later or {}).items()})
    quality = dict(AssessmentLock.objects.filter(application_id__in=ids).values_list("application_id", "total"))
    return Facts(
        call=call,
        grantors=grantors,
        applications=applications,
        allocation=dict(allocation),
        granted=granted,
        quality=quality,
    )


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
    for row in facts.applications:
        counted[row.status] += 1
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

    def add(self, facts: Facts, row: AppRow) -> None:
        self.count += 1
        self.applied += row.applied
        self.proposed += facts.proposed(row.id)
        self.granted += facts.granted_amount(row.id)


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
    for row in facts.applications:
        if not row.in_casework:
            continue
        key = row.first_area
        if key not in rows:
            rows[key] = AmountRow(key, Text(nb=key, en=key) if key else NO_AREA)
        rows[key].add(facts, row)
        if len(row.areas) > 1:
            rows[key].also_other_areas += 1
    ordered = list(rows.values())
    return ordered, _total(ordered)


def by_county(call, grantors, facts: Facts | None = None) -> tuple[list[AmountRow], AmountRow]:
    """Applied, proposed and granted per applicant county at submission (counties with applications only)."""
    facts = _facts(call, grantors, facts)
    rows: dict[str, AmountRow] = {}
    for row in facts.applications:
        if not row.in_casework:
            continue
        if row.county not in rows:
            name = county_name(row.county) if row.county else ""
            label = Text(nb=f"{name} ({row.county})", en=f"{name} ({row.county})") if row.county else NO_COUNTY
            rows[row.county] = AmountRow(row.county, label)
        rows[row.county].add(facts, row)
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
        members = [
            row
            for row in facts.applications
            if row.in_casework
            and (not frame.grantor_org_number or row.grantor_org_number == frame.grantor_org_number)
            and (not frame.area or row.first_area == frame.area)
        ]
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
                proposed=sum(facts.proposed(row.id, frame.year) for row in members),
                granted=sum(facts.granted_amount(row.id, frame.year) for row in members),
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
    for row in facts.applications:
        if not row.in_casework:
            continue
        for year, amount in facts.allocation.get(row.id, {}).items():
            if year > call.year:
                proposed[year] += amount
                who[year].add(row.id)
        for year, amount in facts.granted.get(row.id, (0, {}))[1].items():
            if year > call.year:
                granted[year] += amount
                who[year].add(row.id)
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


def export_rows(call, grantors, facts: Facts | None = None) -> list[ExportRow]:
    """One row per application at ``grantors`` (drafts never), in bokmål, amounts in whole NOK."""
    facts = _facts(call, grantors, facts)
    titles = area_titles(call)
    result = []
    for row in facts.applications:
        county = f"{county_name(row.county)} ({row.county})" if row.county else ""
        areas = ", ".join(f"{a} {titles[a].nb}" if a in titles else a for a in row.areas)
        result.append(
            ExportRow(
                case_number=row.case_number,
                organisation=row.organisation,
                org_number=row.org_number,
                county=county,
                areas=areas,
                grantor=row.grantor_name,
                status=Status(row.status).label,
                applied=row.applied,
                proposed=facts.proposed(row.id),
                granted=facts.granted_amount(row.id),
                quality=facts.quality.get(row.id),
                submitted_at=timezone.localtime(row.submitted_at) if row.submitted_at else None,
            )
        )
    return result


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
        .order_by("application__case__grantor_name", "application__organisation__name", "application__case_number")
        .values_list(
            "amount",
            "application__title",
            "application__organisation__name",
            "application__organisation__org_number",
            "application__submitted_content",
            "application__case__grantor_name",
        )
    )
    result = []
    for amount, title, org_name, org_number, content, grantor in rows:
        applicant = (content or {}).get("applicant") or {}
        withheld = (applicant.get("org_form") or "").upper() == "ENK"
        result.append(
            PublicGrant(
                recipient="" if withheld else (applicant.get("name") or org_name),
                org_number="" if withheld else (applicant.get("org_number") or org_number),
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
