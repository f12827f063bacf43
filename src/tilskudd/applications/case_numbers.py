"""Case numbers (*saksnummer* ÅÅ/NNNNN): one series per year, given at submission.

On PostgreSQL each year's series is a sequence (``applications_case_number_<year>``), made on the
year's first submission, so submissions never wait for each other to take a number (issue #14,
point 2): one counter row locked by every submission until it committed serialised them all.
A sequence is not rolled back: a submission that fails after taking its number leaves a gap in the
series (docs/decisions.md, 2026-12-02). Other databases (SQLite, which writes one transaction at a
time anyway) keep the counter row, :class:`CaseNumberCounter`, gapless.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone

from tilskudd.applications.models import Application, CaseNumberCounter

SEQUENCE_PREFIX = "applications_case_number_"


def sequence_name(year: int) -> str:
    return f"{SEQUENCE_PREFIX}{int(year)}"


def format_case_number(year: int, number: int) -> str:
    return f"{year % 100:02d}/{number:05d}"


def next_case_number(now: dt.datetime) -> str:
    """The next case number of the year ``now`` falls in (Oslo time). Call inside the submission's transaction."""
    year = timezone.localtime(now).year
    if connection.vendor == "postgresql":
        return format_case_number(year, _next_from_sequence(year))
    counter, _ = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return format_case_number(year, counter.last)


def _next_from_sequence(year: int) -> int:
    name = sequence_name(year)
    with connection.cursor() as cursor:
        # One round trip in the usual case; NULL (not an error, which would end the transaction) when the
        # year has no sequence yet. regclass is resolved when the row is computed, not when planned.
        cursor.execute(
            "SELECT CASE WHEN to_regclass(%s) IS NOT NULL THEN nextval(%s::text::regclass) END", [name, name]
        )
        value = cursor.fetchone()[0]
        if value is not None:
            return int(value)
        _create_sequence(year)
        cursor.execute("SELECT nextval(%s::text::regclass)", [name])
        return int(cursor.fetchone()[0])


def _create_sequence(year: int) -> None:
    """Make the year's sequence, starting after every number the year already has (counter row or cases)."""
    start = _numbers_taken(year) + 1
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {sequence_name(year)} START WITH {int(start)}")
    except (IntegrityError, ProgrammingError):
        pass  # a parallel submission made it first (and committed): use theirs


def _numbers_taken(year: int) -> int:
    counted = CaseNumberCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    highest = (
        Application.objects.filter(case_number__startswith=f"{year % 100:02d}/")
        .order_by("-case_number")
        .values_list("case_number", flat=True)
        .first()
    )
    used = int(highest.split("/", 1)[1]) if highest and highest.split("/", 1)[1].isdigit() else 0
    return max(counted, used)


def case_numbers_used(year: int) -> int:
    """How many numbers the year's series has handed out (its last number; 0 before the first)."""
    if connection.vendor != "postgresql":
        return CaseNumberCounter.objects.filter(year=year).values_list("last", flat=True).first() or 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [sequence_name(year)])
        if not cursor.fetchone()[0]:
            return _numbers_taken(year)
        cursor.execute(f"SELECT last_value, is_called FROM {sequence_name(year)}")
        last, called = cursor.fetchone()
    return int(last) if called else int(last) - 1


def drop_sequences() -> None:
    """Drop every year's sequence (PostgreSQL): for a database emptied without them, as tests do between runs."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND c.relname LIKE %s AND n.nspname = current_schema()",
            [SEQUENCE_PREFIX + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')
