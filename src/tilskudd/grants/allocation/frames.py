"""Frames (*rammer*) and allocation lines (*fordeling*): the services, each one transaction with an audit event.

Public API (others call these):

* :func:`set_allocation` and :class:`FrameExceeded` — the one way to write an
  amount for an application and a year; it locks the frames the application
  counts against (``select_for_update``, in primary-key order) and refuses
  what would exceed one. Decisions go through it (``grants.decisions.services``).
* :func:`ensure_frames`, :func:`set_frame` — frames from the call file, or set
  by the grantor's administrator or approver.
* :func:`apply_proposal` — the allocation assistant (:mod:`grants.allocation.assistant`)
  over a grantor's applications in assessment, written under the frame locks.
* :func:`usage` — frame, applied, proposed, granted and left per frame and area.

The most one application can be given (its cap, by the call's checks) is
:func:`~tilskudd.grants.allocation.caps.cap_of`.

A *limit* is what one frame row means for the sum of lines: a grantor's frame
(whole call or one area), or — for C2 (C2-R02) — the scheme total T split into
IMDi's share ((100 − 60) % of T) and the municipalities' share together (60 % of T).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum

from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.assessment.models import AssessmentLock, Assignment
from tilskudd.assessment.services import locked_total
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.casework import facts as case_facts
from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing
from tilskudd.casework.models import CaseArea, CaseTotal, Role
from tilskudd.casework.scope import grantor_of
from tilskudd.core.formatting import format_nok, format_number
from tilskudd.core.refusals import Refusal
from tilskudd.grants import totals
from tilskudd.grants.allocation import assistant
from tilskudd.grants.allocation.caps import Cap, cap_of
from tilskudd.grants.models import AllocationLine, Frame

#: Applications whose amounts count: applied for and not withdrawn, refused or rejected (kept in grants.totals,
#: whose triggers count the same).
COUNTING = totals.COUNTING
FRAME_ROLES = (Role.ADMINISTRATOR, Role.APPROVER)
#: The rule behind an area's quality threshold (only C0 names thresholds).
THRESHOLD_RULE = "C0-R15"


class AllocationRefused(Refusal):
    """An allocation or frame change that is not allowed; ``reason_nb``/``reason_en`` say why."""


class FrameExceeded(AllocationRefused):
    """The amount would take a frame over its limit."""

    def __init__(self, label_nb: str, label_en: str, left: int, asked: int):
        self.label_nb, self.label_en, self.left, self.asked = label_nb, label_en, left, asked
        super().__init__(
            f"Det er bare {format_number(max(left, 0))} kr igjen i {label_nb}, "
            f"og det ble bedt om {format_number(asked)} kr. Ingenting er endret.",
            f"Only {format_nok(max(left, 0), 'en')} is left in {label_en}, "
            f"and {format_nok(asked, 'en')} was asked for. Nothing was changed.",
        )


# --- reading applications ------------------------------------------------------------


def area_of(application: Application) -> str:
    """The first area the application is made under (the case's), '' when none."""
    areas = case_facts.areas_of(application)
    return areas[0] if areas else ""


def grantor_number_of(application: Application) -> str:
    case = getattr(application, "case", None)
    if case is not None:
        return case.grantor_org_number
    return grantor_of(application)[0]


def area_name(definition, area_id: str) -> tuple[str, str]:
    """('prioritert område 2', 'priority area 2'), ('delmål A', 'sub-goal A')."""
    if definition.areas is None:
        return (f"område {area_id}", f"area {area_id}")
    label = definition.areas.label
    return (f"{label.nb.lower()} {area_id}", f"{(label.en or label.nb).lower()} {area_id}")


def _short(name: str) -> str:
    """'Integrerings- og mangfoldsdirektoratet (IMDi)' → 'IMDi'."""
    if name.endswith(")") and "(" in name:
        return name[name.rindex("(") + 1 : -1]
    return name


def _grantor_names(definition) -> dict[str, tuple[str, str]]:
    names = {
        definition.grantor.org_number: (
            definition.grantor.name.nb,
            definition.grantor.name.en or definition.grantor.name.nb,
        )
    }
    if definition.local_grantors:
        for grantor in definition.local_grantors.municipalities:
            names[grantor.org_number] = (grantor.name.nb, grantor.name.en or grantor.name.nb)
    return names


# --- limits ---------------------------------------------------------------------------


@dataclass
class Limit:
    key: str
    frame: Frame
    amount: int
    label_nb: str
    label_en: str
    #: Lines of applications at these grantors count (None: every grantor).
    grantors: frozenset[str] | None
    #: Only this area ("" = every area).
    area: str = ""

    def counts(self, grantor: str, area: str) -> bool:
        return (self.grantors is None or grantor in self.grantors) and (not self.area or self.area == area)


def limits(call, year: int, frames: list[Frame] | None = None) -> list[Limit]:
    """Every limit in ``call`` for ``year``, from its frame rows."""
    definition = call.definition
    names = _grantor_names(definition)
    own = definition.grantor.org_number
    local = definition.local_grantors
    found: list[Limit] = []
    rows = frames if frames is not None else list(Frame.objects.filter(call=call, year=year).order_by("pk"))
    for frame in rows:
        where_nb, where_en = area_name(definition, frame.area) if frame.area else ("", "")
        if frame.grantor_org_number == "" and local is not None and not frame.area:
            share = local.share_percent
            own_nb, own_en = (_short(name) for name in names[own])
            found.append(
                Limit(
                    f"share:{own}:{year}",
                    frame,
                    frame.amount * (100 - share) // 100,
                    f"{own_nb}s andel ({100 - share} %) av ordningens ramme for {year}",
                    f"{own_en}'s share ({100 - share} %) of the scheme's frame for {year}",
                    frozenset({own}),
                )
            )
            found.append(
                Limit(
                    f"share:local:{year}",
                    frame,
                    frame.amount * share // 100,
                    f"kommunenes andel ({share} %) av ordningens ramme for {year}",
                    f"the municipalities' share ({share} %) of the scheme's frame for {year}",
                    frozenset(g.org_number for g in local.municipalities),
                )
            )
            continue
        if frame.grantor_org_number == "":
            label_nb = f"ordningens ramme for {where_nb} {year}" if frame.area else f"ordningens ramme for {year}"
            label_en = f"the scheme's frame for {where_en} {year}" if frame.area else f"the scheme's frame for {year}"
            found.append(
                Limit(f"scheme:{frame.area}:{year}", frame, frame.amount, label_nb, label_en, None, frame.area)
            )
            continue
        grantor_nb, grantor_en = names.get(frame.grantor_org_number, (frame.grantor_org_number,) * 2)
        whose_nb = "" if local is None else f" hos {grantor_nb}"
        whose_en = "" if local is None else f" at {grantor_en}"
        if frame.area:
            label_nb, label_en = (
                f"rammen for {where_nb}{whose_nb} i {year}",
                f"the frame for {where_en}{whose_en} in {year}",
            )
        elif local is None:
            label_nb, label_en = f"rammen for hele utlysningen i {year}", f"the frame for the whole call in {year}"
        else:
            label_nb, label_en = f"rammen til {grantor_nb} i {year}", f"the frame of {grantor_en} in {year}"
        found.append(
            Limit(
                f"{frame.grantor_org_number}:{frame.area}:{year}",
                frame,
                frame.amount,
                label_nb,
                label_en,
                frozenset({frame.grantor_org_number}),
                frame.area,
            )
        )
    return found


def _lock(frames: list[Frame]) -> list[Frame]:
    """Lock the frame rows in primary-key order (so two transactions never wait on each other in a circle)."""
    ids = sorted({frame.pk for frame in frames})
    if not ids:
        return []
    return list(Frame.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _counted_lines(call, year: int) -> dict[totals.Group, int]:
    """(grantor, first area) → the sum of the counting lines in ``call`` for ``year``: the running totals
    (:mod:`tilskudd.grants.totals`), a row per group and shard, not every line of the call."""
    return totals.proposed_in(call, year)


def _used(limit: Limit, lines: dict[totals.Group, int], less: Iterable[tuple[totals.Group, int]] = ()) -> int:
    """What the counting lines take of ``limit``, less the lines ``less`` (some applications' own, from
    :func:`totals.proposed_of`)."""
    used = sum(amount for (grantor, area), amount in lines.items() if limit.counts(grantor, area))
    return used - sum(amount for (grantor, area), amount in less if limit.counts(grantor, area))


# --- frames ----------------------------------------------------------------------------


def ensure_frames(call) -> list[Frame]:
    """Frame rows from the call file where it names amounts (idempotent; a frame already set is kept)."""
    definition = call.definition
    wanted: list[tuple[str, int]] = []
    if definition.frame.amount is not None:
        wanted.append(("", definition.frame.amount))
    wanted += sorted(definition.frame.area_amounts.items())
    made = []
    with transaction.atomic():
        for area, amount in wanted:
            frame, created = Frame.objects.get_or_create(
                call=call,
                grantor_org_number=definition.grantor.org_number,
                area=area,
                year=definition.year,
                defaults={"amount": amount},
            )
            if created:
                record(
                    None,
                    frame,
                    AuditAction.FRAME_CREATED,
                    to_state=str(amount),
                    data={
                        "call": call.slug,
                        "area": area,
                        "year": definition.year,
                        "amount": amount,
                        "from": "call file",
                    },
                    audience=Audience.INTERNAL,
                )
                made.append(frame)
    return made


def set_frame(user, call, grantor_org_number: str, area: str, year: int, amount: int) -> Frame:
    """Set (or create) a frame. The grantor's administrator or approver; the whole scheme ("") only the call's grantor."""
    definition = call.definition
    own = definition.grantor.org_number
    deciding = own if grantor_org_number == "" else grantor_org_number
    if grantor_org_number and grantor_org_number not in definition.grantor_org_numbers():
        raise AllocationRefused(
            "Denne tilskuddsforvalteren er ikke med i utlysningen.", "This grantor takes no part in the call."
        )
    if not scope.has_role(user, deciding, *FRAME_ROLES):
        raise RoleMissing(*FRAME_ROLES)
    area = area or ""
    if area and definition.area(area) is None:
        raise AllocationRefused(f"Utlysningen har ikke område {area}.", f"The call has no area {area}.")
    try:
        amount, year = int(amount), int(year)
    except (TypeError, ValueError):
        raise AllocationRefused(
            "Rammen må være et helt kronebeløp.", "The frame must be a whole amount in NOK."
        ) from None
    if amount < 0:
        raise AllocationRefused("Rammen kan ikke være negativ.", "The frame cannot be negative.")
    if year < definition.year:
        raise AllocationRefused(
            f"Rammen må gjelde {definition.year} eller senere.", f"The frame must be for {definition.year} or later."
        )
    with transaction.atomic():
        frame = (
            Frame.objects.select_for_update()
            .filter(call=call, grantor_org_number=grantor_org_number, area=area, year=year)
            .first()
        )
        before = frame.amount if frame else None
        if frame is None:
            frame = Frame(call=call, grantor_org_number=grantor_org_number, area=area, year=year, amount=amount)
        candidate = Frame(
            pk=frame.pk or -1, call=call, grantor_org_number=grantor_org_number, area=area, year=year, amount=amount
        )
        lines = _counted_lines(call, year)
        for limit in limits(call, year, [candidate]):
            used = _used(limit, lines)
            if used > limit.amount:
                raise AllocationRefused(
                    f"{limit.label_nb[0].upper()}{limit.label_nb[1:]} kan ikke bli lavere enn det som allerede er fordelt "
                    f"({format_number(used)} kr). Ingenting er endret.",
                    f"{limit.label_en[0].upper()}{limit.label_en[1:]} cannot be lower than what is already allocated "
                    f"({format_nok(used, 'en')}). Nothing was changed.",
                )
        frame.amount, frame.set_by = amount, user
        frame.save()
        record(
            user,
            frame,
            AuditAction.FRAME_SET,
            from_state="" if before is None else str(before),
            to_state=str(amount),
            data={"call": call.slug, "grantor": grantor_org_number, "area": area, "year": year, "amount": amount},
            audience=Audience.INTERNAL,
        )
    return frame


# --- allocation lines ---------------------------------------------------------------------


def _check_amount(application: Application, year: int, amount: int, cap: Cap | None) -> int:
    definition = application.call_version.parsed()
    try:
        amount, year = int(amount), int(year)
    except (TypeError, ValueError):
        raise AllocationRefused(
            "Beløpet må være et helt kronebeløp.", "The amount must be a whole amount in NOK."
        ) from None
    if amount < 0:
        raise AllocationRefused("Beløpet kan ikke være negativt.", "The amount cannot be negative.")
    applied = case_facts.applied_for(application)
    if amount > applied:
        raise AllocationRefused(
            f"Beløpet kan ikke være større enn søknadsbeløpet ({format_number(applied)} kr).",
            f"The amount cannot be more than the amount applied for ({format_nok(applied, 'en')}).",
        )
    if year < definition.year:
        raise AllocationRefused(
            f"Året må være {definition.year} eller senere.", f"The year must be {definition.year} or later."
        )
    if year > definition.year and amount:
        multi = definition.multi_year
        if not multi.allowed:
            raise AllocationRefused(
                f"Utlysningen gir ikke tilskudd over flere år ({multi.rule}).",
                f"The call gives no multi-year grants ({multi.rule}).",
            )
        if multi.max_years and year >= definition.year + multi.max_years:
            raise AllocationRefused(
                f"Prosjekter kan få tilskudd i høyst {multi.max_years} år ({multi.rule}).",
                f"Projects can be funded for at most {multi.max_years} years ({multi.rule}).",
            )
    if year == definition.year and cap is not None and amount > cap.amount:
        raise AllocationRefused(
            f"Beløpet kan ikke være større enn taket {format_number(cap.amount)} kr ({cap.reason_nb}).",
            f"The amount cannot be more than the cap of {format_nok(cap.amount, 'en')} ({cap.reason_en}).",
        )
    if year == definition.year and cap is not None and cap.minimum and 0 < amount < cap.minimum:
        raise AllocationRefused(
            f"Beløpet må være 0 eller minst {format_number(cap.minimum)} kr ({cap.minimum_rule}).",
            f"The amount must be 0 or at least {format_nok(cap.minimum, 'en')} ({cap.minimum_rule}).",
        )
    return amount


def set_allocation(
    user,
    application_id: int,
    year: int,
    amount: int,
    explanation_nb: str = "",
    explanation_en: str = "",
    source: str = AllocationLine.Source.CASEWORKER,
) -> AllocationLine:
    """Write the amount ``application_id`` is to get in ``year``, within every frame it counts against.

    The caseworker of the application's grantor; the application in assessment
    (0 may also be written before that). Raises :class:`FrameExceeded` if a frame
    would be exceeded, :class:`AllocationRefused` for a bad amount, RoleMissing.
    """
    with transaction.atomic():
        application = Application.objects.select_for_update().filter(pk=application_id).first()
        if application is None:
            raise AllocationRefused("Søknaden finnes ikke.", "There is no such application.")
        grantor = grantor_number_of(application)
        if not scope.has_role(user, grantor, Role.CASEWORKER):
            raise RoleMissing(Role.CASEWORKER)
        return _write_line(user, application, grantor, year, amount, explanation_nb, explanation_en, source)


def _write_line(user, application, grantor, year, amount, explanation_nb, explanation_en, source) -> AllocationLine:
    in_assessment = application.status == Status.IN_ASSESSMENT
    if not in_assessment and not (int(amount or 0) == 0 and application.status in (Status.SUBMITTED, Status.REOPENED)):
        raise AllocationRefused(
            "Beløp kan bare settes for søknader som er til vurdering.",
            "Amounts can only be set for applications in assessment.",
        )
    year = int(year)
    cap = cap_of(application) if year == application.call.year else None
    amount = _check_amount(application, year, amount, cap)
    _lock_and_check_room(application, grantor, year, amount)
    return _store_line(user, application, grantor, year, amount, explanation_nb, explanation_en, source)


def _lock_and_check_room(application, grantor: str, year: int, amount: int) -> None:
    """Lock the frames ``application`` counts against in ``year``; FrameExceeded if ``amount`` does not fit."""
    call, area = application.call, area_of(application)
    mine = [limit for limit in limits(call, year) if limit.counts(grantor, area)]
    _lock([limit.frame for limit in mine])
    lines = _counted_lines(call, year)
    own = list(totals.proposed_of([application.pk], year).values())
    for limit in sorted(mine, key=lambda each: (each.frame.pk, each.key)):
        left = limit.amount - _used(limit, lines, own)
        if amount > left:
            raise FrameExceeded(limit.label_nb, limit.label_en, left, amount)


def _store_line(user, application, grantor, year, amount, explanation_nb, explanation_en, source) -> AllocationLine:
    line = AllocationLine.objects.filter(application=application, year=year).first()
    before = line.amount if line else None
    if line is None:
        line = AllocationLine(application=application, year=year)
    line.amount, line.source, line.set_by = amount, source, user
    line.explanation_nb = explanation_nb or _default_explanation(amount, year, application.call.year)[0]
    line.explanation_en = explanation_en or _default_explanation(amount, year, application.call.year)[1]
    line.save()
    record(
        user,
        application,
        AuditAction.ALLOCATION_SET,
        from_state="" if before is None else str(before),
        to_state=str(amount),
        reason=line.explanation_nb,
        data={"year": year, "amount": amount, "source": source, "grantor": grantor},
        audience=Audience.INTERNAL,
    )
    return line


def hold_granted(user, application, year: int, amount: int, reason_nb: str, reason_en: str) -> AllocationLine:
    """Set what a decided application holds in the frame for ``year`` (issue #11, point 6), in the caller's transaction.

    A decline, a lapse, a cancellation or a payment of less than granted lowers it; a late acceptance or a
    reversal after a complaint raises it, and then the frame must have room (FrameExceeded). Under the same
    row locks as allocation, so two such changes at once cannot break a frame.
    """
    grantor = grantor_number_of(application)
    year, amount = int(year), int(amount)
    if amount < 0:
        raise AllocationRefused("Beløpet kan ikke være negativt.", "The amount cannot be negative.")
    current = AllocationLine.objects.filter(application=application, year=year).values_list("amount", flat=True).first()
    if current is None or amount > current:
        _lock_and_check_room(application, grantor, year, amount)
    else:
        call, area = application.call, area_of(application)
        _lock([limit.frame for limit in limits(call, year) if limit.counts(grantor, area)])
    return _store_line(user, application, grantor, year, amount, reason_nb, reason_en, AllocationLine.Source.CASEWORKER)


def _default_explanation(amount: int, year: int, call_year: int) -> tuple[str, str]:
    if year > call_year:
        return (
            f"Tilsagn for {year}: {format_number(amount)} kr, med forbehold om bevilgning.",
            f"Commitment for {year}: {format_nok(amount, 'en')}, subject to appropriation.",
        )
    return (
        f"Satt av saksbehandler: {format_number(amount)} kr.",
        f"Set by the caseworker: {format_nok(amount, 'en')}.",
    )


# --- the assistant ----------------------------------------------------------------------------


def _quality(application: Application) -> tuple[bool, Decimal | None]:
    """(locked, total) of the application's assessment."""
    if not AssessmentLock.objects.filter(application=application).exists():
        return False, None
    return True, locked_total(application)


def proposed_by_assessors(applications: Iterable[int]) -> dict[int, int]:
    """The mean of the completed assessors' proposed amounts per application, in whole kroner (rounded down).

    The assistant never proposes more (issue #13, point 8; docs/decisions.md «The assistant and the assessors'
    amounts»): the mean rather than the lowest, so one assessor's low figure does not decide alone — a spread
    over 25 % is flagged as a disagreement on the assessment summary anyway. One query for all.
    """
    found: dict[int, list[int]] = defaultdict(list)
    rows = Assignment.objects.filter(
        application__in=list(applications),
        completed_at__isnull=False,
        proposed_amount__isnull=False,
        disqualified=False,
    ).values_list("application_id", "proposed_amount")
    for application_id, amount in rows:
        if amount is not None:  # excluded by the query; for the type checker
            found[application_id].append(amount)
    return {application_id: sum(amounts) // len(amounts) for application_id, amounts in found.items()}


def _item(
    application: Application,
    definition,
    limit_keys: tuple[str, ...],
    fixed: int | None,
    proposed: int | None = None,
) -> assistant.Item:
    area = area_of(application)
    locked, quality = _quality(application)
    cap = cap_of(application)
    cap_amount, cap_nb, cap_en = cap.amount, cap.reason_nb, cap.reason_en
    if proposed is not None and proposed < cap_amount:
        cap_amount = proposed
        cap_nb = f"fagvurdererne foreslo i snitt {format_nok(proposed)}"
        cap_en = f"the assessors proposed {format_nok(proposed, 'en')} on average"
    threshold = None
    found = definition.area(area) if area else None
    if found is not None and found.quality_threshold is not None:
        threshold = Decimal(str(found.quality_threshold))
    area_nb, area_en = area_name(definition, area) if area else ("utlysningen", "the call")
    return assistant.Item(
        application_id=application.pk,
        area=area,
        applied=case_facts.applied_for(application),
        cap=cap_amount,
        quality=quality,
        threshold=threshold,
        minimum=cap.minimum,
        frames=limit_keys,
        locked=locked,
        fixed=fixed,
        cap_reason_nb=cap_nb,
        cap_reason_en=cap_en,
        area_label_nb=area_nb,
        area_label_en=area_en,
        threshold_rule=THRESHOLD_RULE,
        minimum_rule=cap.minimum_rule or "C2-R04",
    )


@dataclass
class ProposalResult:
    proposals: list[assistant.Proposal]
    written: int
    kept: int


def apply_proposal(user, call, grantor_org_number: str) -> ProposalResult:
    """Run the assistant over ``grantor_org_number``'s applications in assessment in ``call``; write its lines."""
    definition = call.definition
    if grantor_org_number not in scope.call_grantors_of(call):
        raise AllocationRefused(
            "Denne tilskuddsforvalteren er ikke med i utlysningen.", "This grantor takes no part in the call."
        )
    if not scope.has_role(user, grantor_org_number, Role.CASEWORKER):
        raise RoleMissing(Role.CASEWORKER)
    ensure_frames(call)
    year = definition.year
    with transaction.atomic():
        applications = list(
            Application.objects.select_for_update(of=("self",))
            .filter(call=call, status=Status.IN_ASSESSMENT, case__grantor_org_number=grantor_org_number)
            .select_related("call_version", "call")
            .prefetch_related("case", "case__areas")
            .order_by("pk")
        )
        ours = {a.pk for a in applications}
        areas = {a.pk: area_of(a) for a in applications}
        relevant = [
            limit for limit in limits(call, year) if any(limit.counts(grantor_org_number, areas[pk]) for pk in ours)
        ]
        _lock([limit.frame for limit in relevant])
        lines = _counted_lines(call, year)
        theirs = list(totals.proposed_of(ours, year).values())
        existing = {
            line.application_id: line for line in AllocationLine.objects.filter(application__in=ours, year=year)
        }
        specs = [
            assistant.FrameSpec(
                limit.key, max(limit.amount - _used(limit, lines, theirs), 0), limit.label_nb, limit.label_en
            )
            for limit in relevant
        ]
        items = []
        proposed = proposed_by_assessors(ours)
        for application in applications:
            keys = tuple(limit.key for limit in relevant if limit.counts(grantor_org_number, areas[application.pk]))
            line = existing.get(application.pk)
            fixed = line.amount if line is not None and line.source == AllocationLine.Source.CASEWORKER else None
            items.append(_item(application, definition, keys, fixed, proposed.get(application.pk)))
        proposals = assistant.propose(items, specs)
        written = kept = 0
        for application, proposal in zip(applications, proposals, strict=True):
            if proposal.reason == "fixed":
                kept += 1
                continue
            line = existing.get(application.pk) or AllocationLine(application=application, year=year)
            before = line.amount if line.pk else None
            line.amount, line.source, line.set_by = proposal.amount, AllocationLine.Source.ASSISTANT, user
            line.explanation_nb, line.explanation_en = proposal.explanation_nb, proposal.explanation_en
            line.save()
            written += 1
            record(
                user,
                application,
                AuditAction.ALLOCATION_PROPOSED,
                from_state="" if before is None else str(before),
                to_state=str(proposal.amount),
                reason=proposal.explanation_nb,
                data={
                    "year": year,
                    "amount": proposal.amount,
                    "reason": proposal.reason,
                    "grantor": grantor_org_number,
                },
                audience=Audience.INTERNAL,
            )
        record(
            user,
            call,
            AuditAction.ALLOCATION_ASSISTANT_RUN,
            data={
                "grantor": grantor_org_number,
                "year": year,
                "written": written,
                "kept": kept,
                "total": sum(p.amount for p in proposals),
            },
            audience=Audience.INTERNAL,
        )
    return ProposalResult(proposals, written, kept)


# --- usage ------------------------------------------------------------------------------------


@dataclass
class UsageRow:
    key: str
    label_nb: str
    label_en: str
    year: int
    area: str
    frame: int | None
    applied: int = 0
    proposed: int = 0
    granted: int = 0

    @property
    def left(self) -> int | None:
        return None if self.frame is None else self.frame - self.proposed

    @property
    def label(self) -> tuple[str, str]:
        return (self.label_nb[:1].upper() + self.label_nb[1:], self.label_en[:1].upper() + self.label_en[1:])

    @property
    def later(self) -> bool:
        return self.key.startswith("later:")


@dataclass
class Usage:
    rows: list[UsageRow] = field(default_factory=list)
    #: application id → {year: amount} for years after the call's year (commitments).
    commitments: dict[int, dict[int, int]] = field(default_factory=dict)


def first_area(application_ref: str = "pk") -> Subquery:
    """The first area of the application ``application_ref`` points to, as a subquery ('' or None when none)."""
    return Subquery(
        CaseArea.objects.filter(case__application=OuterRef(application_ref)).order_by("position").values("area")[:1]
    )


def case_sums(call) -> dict[totals.Group, tuple[int, int]]:
    """(grantor, first area) → (how many, the amount applied for) of the call's applications that count.

    From the cases' running totals (casework.totals): one read of the call's groups for both the allocation
    page's «N applications» and its «applied» figures.
    """
    found: dict[totals.Group, tuple[int, int]] = {}
    for grantor, area, cases, applied in (
        CaseTotal.objects.filter(call=call, status__in=COUNTING, cases__gt=0)
        .values_list("grantor_org_number", "first_area")
        .annotate(cases=Sum("cases"), applied=Sum("applied"))
        .order_by()
    ):
        key = (grantor or "", area or "")
        before_cases, before_applied = found.get(key, (0, 0))
        found[key] = (before_cases + (cases or 0), before_applied + (applied or 0))
    return found


def counting_cases(call, grantor_org_number: str, area: str = "", sums=None) -> int:
    """How many applications of ``call`` at the grantor count against the frames (under ``area`` first, when given).

    From the running totals (:func:`case_sums`, or ``sums`` already read): without counting the rows.
    """
    sums = case_sums(call) if sums is None else sums
    return sum(
        cases
        for (grantor, first), (cases, _) in sums.items()
        if grantor == grantor_org_number and first == (area or first)
    )


def usage(call, grantor_org_number: str, applications: Iterable[int] = (), sums=None) -> Usage:
    """Per frame and per area for the call's year, and per later year: frame, applied, proposed, granted, left.

    Summed by the database per (grantor, first area) — a handful of groups however many applications the
    call has. ``commitments`` (later years' lines) are read for the ``applications`` given (a page) only.
    ``sums``: :func:`case_sums` already read.
    """
    definition = call.definition
    year = definition.year
    # The running totals (casework.totals): a row per group, not every application of the call.
    applied_by = {key: applied for key, (_, applied) in (case_sums(call) if sums is None else sums).items()}
    # The running totals of the lines and grants (grants.totals): a row per group, not every line and decision.
    lines_by_year, granted = totals.by_year(call, year)
    wanted = list(applications)
    later_lines = (
        AllocationLine.objects.filter(
            application_id__in=wanted, year__gt=year, application__case__grantor_org_number=grantor_org_number
        )
        .values_list("application_id", "year", "amount")
        .order_by()
    )

    def row(key, label_nb, label_en, row_year, frame, counts) -> UsageRow:
        return UsageRow(
            key,
            label_nb,
            label_en,
            row_year,
            "",
            frame,
            applied=sum(v for (g, a), v in applied_by.items() if counts(g, a)) if row_year == year else 0,
            proposed=sum(v for (g, a), v in lines_by_year[row_year].items() if counts(g, a)),
            granted=sum(v for (g, a), v in granted[row_year].items() if counts(g, a)),
        )

    found = Usage()
    mine = lambda g, a: g == grantor_org_number  # noqa: E731
    own_limits = [
        limit for limit in limits(call, year) if (limit.grantors is None or grantor_org_number in limit.grantors)
    ]
    whole = next(
        (limit for limit in own_limits if limit.grantors == frozenset({grantor_org_number}) and not limit.area), None
    )
    names = _grantor_names(definition)
    grantor_nb, grantor_en = names.get(grantor_org_number, (grantor_org_number,) * 2)
    found.rows.append(
        row(
            "whole",
            whole.label_nb if whole else f"Hele utlysningen hos {grantor_nb} i {year}",
            whole.label_en if whole else f"The whole call at {grantor_en} in {year}",
            year,
            whole.amount if whole else None,
            mine,
        )
    )
    for limit in own_limits:
        if limit is whole or (limit.area and limit.grantors == frozenset({grantor_org_number})):
            continue
        found.rows.append(row(limit.key, limit.label_nb, limit.label_en, year, limit.amount, limit.counts))
    if definition.areas:
        for area in definition.areas.items:
            area_limit = next(
                (
                    limit
                    for limit in own_limits
                    if limit.area == area.id and limit.grantors == frozenset({grantor_org_number})
                ),
                None,
            )
            nb, en = area_name(definition, area.id)
            r = row(
                f"area:{area.id}",
                area_limit.label_nb if area_limit else f"{nb[0].upper()}{nb[1:]} i {year}",
                area_limit.label_en if area_limit else f"{en[0].upper()}{en[1:]} in {year}",
                year,
                area_limit.amount if area_limit else None,
                lambda g, a, area_id=area.id: g == grantor_org_number and a == area_id,
            )
            r.area = area.id
            found.rows.append(r)
    for later in sorted(y for y in set(lines_by_year) | set(granted) if y > year):
        later_limit = next(
            (
                limit
                for limit in limits(call, later)
                if limit.grantors == frozenset({grantor_org_number}) and not limit.area
            ),
            None,
        )
        found.rows.append(
            row(
                f"later:{later}",
                f"Tilsagn for {later} (med forbehold om bevilgning)",
                f"Commitments for {later} (subject to appropriation)",
                later,
                later_limit.amount if later_limit else None,
                mine,
            )
        )
    for app_id, later, amount in later_lines if wanted else ():
        found.commitments.setdefault(app_id, {})[later] = amount
    return found
