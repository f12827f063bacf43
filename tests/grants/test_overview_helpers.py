"""Shared set-ups for the overview, export and public-list tests (states made through the ORM)."""

from __future__ import annotations

from django.utils import timezone

from tilskudd.applications.states import Status
from tilskudd.grants.models import AllocationLine, Decision, Frame
from tests.staff_world import C0, C2


def line(application, year, amount, by):
    return AllocationLine.objects.create(application=application, year=year, amount=amount, source="caseworker", set_by=by)


def decision(application, kind, amount, by, status="published", later_years=None):
    return Decision.objects.create(
        application=application,
        kind=kind,
        status=status,
        amount=amount,
        later_years=later_years or {},
        prepared_by=by,
        prepared_at=timezone.now(),
        published_at=timezone.now() if status == "published" else None,
    )


def set_status(application, status):
    type(application).objects.filter(pk=application.pk).update(status=status)
    application.status = status


def c0_state(world):
    """C0 in mid-casework. The six demo applications (areas 1, 2, 3, 4, 5, 5):

    a0 area 1, Vestland, applied 1 800 000 — granted 1 500 000 (2019) + 700 000 (2020)
    a1 area 2, Trøndelag, 1 300 000 — refused
    a2 area 3, Oslo, 750 000 — in assessment, proposed 600 000, a prepared (unpublished) grant
    a3 area 4, Rogaland, 1 000 000 — rejected
    a4 area 5, Oslo, 950 000 — withdrawn (counted by status, not in the amounts)
    a5 area 5, Trøndelag, 260 000 — submitted, proposed 260 000 (2019) + 100 000 (2021)
    Frames (IMDi): whole call 2019 5 000 000, area 5 2019 300 000, whole call 2020 1 000 000.
    """
    by = world.staff["caseworker"]
    a0, a1, a2, a3, a4, a5 = world.applications[C0]
    call = world.calls[C0]
    set_status(a0, Status.GRANTED)
    line(a0, 2019, 1_500_000, by)
    line(a0, 2020, 700_000, by)
    decision(a0, "grant", 1_500_000, by, later_years={"2020": 700_000})
    set_status(a1, Status.REFUSED)
    decision(a1, "refusal", 0, by)
    set_status(a2, Status.IN_ASSESSMENT)
    line(a2, 2019, 600_000, by)
    decision(a2, "grant", 600_000, by, status="prepared")
    set_status(a3, Status.REJECTED)
    decision(a3, "rejection", 0, by)
    set_status(a4, Status.WITHDRAWN)
    line(a5, 2019, 260_000, by)
    line(a5, 2021, 100_000, by)
    imdi = world.imdi.org_number
    Frame.objects.create(call=call, grantor_org_number=imdi, area="", year=2019, amount=5_000_000)
    Frame.objects.create(call=call, grantor_org_number=imdi, area="5", year=2019, amount=300_000)
    Frame.objects.create(call=call, grantor_org_number=imdi, area="", year=2020, amount=1_000_000)
    return call, (a0, a1, a2, a3, a4, a5)


def c2_state(world):
    """C2: Landås (Bergen, A, 85 000), Norskstua (IMDi, B, 640 000), Trygg Oppvekst (IMDi, A+C, 630 000), Tromsø.

    Bergen grants Landås 80 000; IMDi proposes 500 000 for Trygg Oppvekst. Frames: Bergen 100 000,
    IMDi 1 000 000, and the whole scheme 2 000 000 (no grantor: shown to no one).
    """
    by_imdi, by_bergen = world.staff["caseworker"], world.bergen_staff["caseworker"]
    landas, norskstua, trygg, tromso = world.applications[C2]
    call = world.calls[C2]
    set_status(landas, Status.GRANTED)
    line(landas, 2020, 80_000, by_bergen)
    decision(landas, "grant", 80_000, by_bergen)
    set_status(trygg, Status.IN_ASSESSMENT)
    line(trygg, 2020, 500_000, by_imdi)
    Frame.objects.create(call=call, grantor_org_number=world.bergen.org_number, area="", year=2020, amount=100_000)
    Frame.objects.create(call=call, grantor_org_number=world.imdi.org_number, area="", year=2020, amount=1_000_000)
    Frame.objects.create(call=call, grantor_org_number="", area="", year=2020, amount=2_000_000)
    return call, (landas, norskstua, trygg, tromso)
