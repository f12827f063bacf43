"""Running totals of the allocation per call (issue #14, point 4): the SQL that keeps them, and what reads them.

:class:`~tilskudd.grants.models.AllocationTotal` holds, per call, grantor, first area and year, the sum of the
allocation lines (``proposed``) and of the published grants (``granted``) of the applications whose amounts
count (``frames.COUNTING``); :class:`~tilskudd.grants.models.AllocationTally` is the ledger, a row per
application and year. The same pattern as the cases' totals (:mod:`tilskudd.core.running_totals`,
``casework.totals``): database triggers (``grants/migrations/0008``) refresh an application's tallies in the
transaction of every change that can move them — a line written or deleted, a decision written, published or
withdrawn, the case's grantor, its first area or the application's status or call changed — so the totals are
exact whatever writes the rows. A grant decision's own amount is tallied under year 0 (it is for the call's
year, whatever the call says that is); the readers add it to the call's year.

:func:`recount` is the same figures from the rows themselves (what the allocation page summed before): the tests
compare the two after every kind of move.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Sum

from tilskudd.applications.states import Status
from tilskudd.core import running_totals
from tilskudd.core.running_totals import RunningTotals
from tilskudd.grants.models import AllocationLine, AllocationTally, AllocationTotal, Decision
from tilskudd.grants.states import DecisionKind, DecisionStatus

#: As the cases' totals: a group's total is kept in this many rows (application id % SHARDS), readers sum.
SHARDS = 32
#: Applications whose amounts count (``frames.COUNTING``, which reads it from here).
COUNTING = (Status.SUBMITTED, Status.REOPENED, Status.IN_ASSESSMENT, Status.GRANTED)
#: The year a grant decision's own amount is tallied under: the call's year, whatever it is.
CALL_YEAR = 0

GROUP = ("call_id", "year", "grantor_org_number", "first_area", "shard")
_COUNTING_SQL = ", ".join(f"'{status.value}'" for status in COUNTING)
_GRANT = f"d.status = '{DecisionStatus.PUBLISHED.value}' AND d.kind = '{DecisionKind.GRANT.value}'"
#: A decision's later years as (key, value) rows: json_each on SQLite, jsonb_each_text on PostgreSQL.
_LATER = {
    "sqlite": "json_each(CASE WHEN json_type(d.later_years) = 'object' THEN d.later_years ELSE '{}' END)",
    "postgresql": (
        "jsonb_each_text(CASE WHEN jsonb_typeof(d.later_years) = 'object' THEN d.later_years ELSE '{}' END)"
    ),
}


def _tally_insert(vendor: str):
    def insert(target: str | None) -> str:
        """The tallies of application ``target`` as its rows say now, a row per year (none when it does not
        count); every application's when None."""
        line = "" if target is None else f" WHERE l.application_id = {target}"
        decision = "" if target is None else f"d.application_id = {target} AND "
        # The one application by its key (issue #14): without it the planner may hash-join a scan of them all.
        application = "" if target is None else f"a.id = {target} AND "
        return (
            "INSERT INTO grants_allocationtally (application_id, call_id, year, grantor_org_number, first_area, "
            "shard, proposed, granted) "
            "SELECT a.id, a.call_id, m.year, COALESCE(c.grantor_org_number, ''), "
            "COALESCE((SELECT r.area FROM casework_casearea r WHERE r.case_id = c.id AND r.position = 0 LIMIT 1), ''), "
            f"a.id % {SHARDS}, COALESCE(SUM(m.proposed), 0), COALESCE(SUM(m.granted), 0) "
            "FROM ("
            f"SELECT l.application_id, l.year, l.amount AS proposed, 0 AS granted FROM grants_allocationline l{line} "
            f"UNION ALL SELECT d.application_id, {CALL_YEAR}, 0, d.amount FROM grants_decision d "
            f"WHERE {decision}{_GRANT} "
            "UNION ALL SELECT d.application_id, CAST(j.key AS INTEGER), 0, CAST(j.value AS BIGINT) "
            f"FROM grants_decision d, {_LATER[vendor]} j WHERE {decision}{_GRANT}"
            ") m JOIN applications_application a ON a.id = m.application_id "
            "LEFT JOIN casework_case c ON c.application_id = a.id "
            f"WHERE {application}a.status IN ({_COUNTING_SQL}) "
            "GROUP BY a.id, a.call_id, m.year, c.id, c.grantor_org_number"
        )

    return insert


def totals_for(vendor: str) -> RunningTotals:
    return RunningTotals(
        total="grants_allocationtotal",
        tally="grants_allocationtally",
        key="application_id",
        group=GROUP,
        count="entries",
        sums=("proposed", "granted"),
        tally_insert=_tally_insert(vendor),
    )


# --- the triggers ------------------------------------------------------------------------------------------------

_PG = totals_for("postgresql")
_SQLITE = totals_for("sqlite")

#: An application's refresh (grants/migrations/0009 replaces 0008's with it: the application read by its key).
POSTGRES_REFRESH = f"""
CREATE OR REPLACE FUNCTION grants_allocation_refresh(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{_PG.body("target")}END $$;
"""

POSTGRES_CREATE = f"""{POSTGRES_REFRESH}
CREATE OR REPLACE FUNCTION grants_allocation_row_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.application_id IS DISTINCT FROM NEW.application_id) THEN
    PERFORM grants_allocation_refresh(OLD.application_id);
  END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM grants_allocation_refresh(NEW.application_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER grants_allocationline_tally AFTER INSERT OR DELETE OR UPDATE OF application_id, year, amount
  ON grants_allocationline FOR EACH ROW EXECUTE FUNCTION grants_allocation_row_tally();
CREATE TRIGGER grants_decision_tally AFTER INSERT OR DELETE
  OR UPDATE OF application_id, kind, status, amount, later_years
  ON grants_decision FOR EACH ROW EXECUTE FUNCTION grants_allocation_row_tally();
CREATE TRIGGER grants_case_allocation_tally AFTER INSERT OR DELETE OR UPDATE OF application_id, grantor_org_number
  ON casework_case FOR EACH ROW EXECUTE FUNCTION grants_allocation_row_tally();

CREATE OR REPLACE FUNCTION grants_casearea_allocation_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM grants_allocation_refresh(c.application_id) FROM casework_case c WHERE c.id = OLD.case_id;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id) THEN
    PERFORM grants_allocation_refresh(c.application_id) FROM casework_case c WHERE c.id = NEW.case_id;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER grants_casearea_allocation_tally AFTER INSERT OR DELETE OR UPDATE ON casework_casearea
  FOR EACH ROW EXECUTE FUNCTION grants_casearea_allocation_tally();

CREATE OR REPLACE FUNCTION grants_application_allocation_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM grants_allocation_refresh(NEW.id);
  RETURN NULL;
END $$;
CREATE TRIGGER grants_application_allocation_tally AFTER UPDATE OF status, call_id ON applications_application
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.call_id IS DISTINCT FROM NEW.call_id)
  EXECUTE FUNCTION grants_application_allocation_tally();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS grants_application_allocation_tally ON applications_application;
DROP TRIGGER IF EXISTS grants_casearea_allocation_tally ON casework_casearea;
DROP TRIGGER IF EXISTS grants_case_allocation_tally ON casework_case;
DROP TRIGGER IF EXISTS grants_decision_tally ON grants_decision;
DROP TRIGGER IF EXISTS grants_allocationline_tally ON grants_allocationline;
DROP FUNCTION IF EXISTS grants_application_allocation_tally();
DROP FUNCTION IF EXISTS grants_casearea_allocation_tally();
DROP FUNCTION IF EXISTS grants_allocation_row_tally();
DROP FUNCTION IF EXISTS grants_allocation_refresh(bigint);
"""


def _sqlite_row_triggers(table: str, prefix: str, columns: str) -> dict[str, str]:
    """Insert, delete, update (and a move to another application) of a row with an ``application_id``."""
    body = _SQLITE.body
    return {
        f"{prefix}_insert": f"AFTER INSERT ON {table} BEGIN\n{body('NEW.application_id')}END",
        f"{prefix}_delete": f"AFTER DELETE ON {table} BEGIN\n{body('OLD.application_id')}END",
        f"{prefix}_update": f"AFTER UPDATE OF {columns} ON {table} BEGIN\n{body('NEW.application_id')}END",
        f"{prefix}_moved": (
            f"AFTER UPDATE OF application_id ON {table} WHEN OLD.application_id IS NOT NEW.application_id "
            f"BEGIN\n{body('OLD.application_id')}END"
        ),
    }


def _case_of(case_id: str) -> str:
    return f"(SELECT application_id FROM casework_case WHERE id = {case_id})"


SQLITE_TRIGGERS = {
    **_sqlite_row_triggers("grants_allocationline", "grants_allocationline_tally", "application_id, year, amount"),
    **_sqlite_row_triggers(
        "grants_decision", "grants_decision_tally", "application_id, kind, status, amount, later_years"
    ),
    **_sqlite_row_triggers("casework_case", "grants_case_allocation_tally", "application_id, grantor_org_number"),
    "grants_casearea_allocation_tally_insert": (
        f"AFTER INSERT ON casework_casearea BEGIN\n{_SQLITE.body(_case_of('NEW.case_id'))}END"
    ),
    "grants_casearea_allocation_tally_delete": (
        f"AFTER DELETE ON casework_casearea BEGIN\n{_SQLITE.body(_case_of('OLD.case_id'))}END"
    ),
    "grants_casearea_allocation_tally_update": (
        "AFTER UPDATE ON casework_casearea BEGIN\n"
        f"{_SQLITE.body(_case_of('OLD.case_id'))}{_SQLITE.body(_case_of('NEW.case_id'))}END"
    ),
    "grants_application_allocation_tally": (
        "AFTER UPDATE OF status, call_id ON applications_application "
        "WHEN OLD.status IS NOT NEW.status OR OLD.call_id IS NOT NEW.call_id "
        f"BEGIN\n{_SQLITE.body('NEW.id')}END"
    ),
}


def _fill(vendor: str) -> list[str]:
    return totals_for(vendor).fill()


def create_triggers(schema_editor) -> None:
    """The triggers for the database ``schema_editor`` works on, and the totals of the rows already there."""
    running_totals.create_triggers(schema_editor, POSTGRES_CREATE, SQLITE_TRIGGERS, _fill)


def drop_triggers(schema_editor) -> None:
    running_totals.drop_triggers(schema_editor, POSTGRES_DROP, SQLITE_TRIGGERS)


def rebuild() -> None:
    """Every tally and total again from the rows (never needed while the triggers stand; for a repair)."""
    with connection.cursor() as cursor:
        for statement in _fill(connection.vendor):
            cursor.execute(statement)


# --- reading -----------------------------------------------------------------------------------------------------

Group = tuple[str, str]  # (grantor, first area)


def by_year(call, call_year: int) -> tuple[dict[int, dict[Group, int]], dict[int, dict[Group, int]]]:
    """(proposed, granted): year → (grantor, first area) → amount, for every group of ``call`` that holds
    anything (a year appears when a counting application has a line or a grant for it, as the rows summed gave).
    The decisions' own amounts are under ``call_year`` (the call's)."""
    proposed: dict[int, dict[Group, int]] = defaultdict(dict)
    granted: dict[int, dict[Group, int]] = defaultdict(dict)
    rows = (
        AllocationTotal.objects.filter(call=call, entries__gt=0)
        .values_list("year", "grantor_org_number", "first_area")
        .annotate(proposed=Sum("proposed"), granted=Sum("granted"), entries=Sum("entries"))
        .order_by()
    )
    for year, grantor, area, in_lines, in_grants, _entries in rows:
        key = (grantor, area)
        if year == CALL_YEAR:
            year = call_year
            granted[year][key] = granted[year].get(key, 0) + in_grants
            continue
        proposed[year][key] = proposed[year].get(key, 0) + in_lines
        granted[year][key] = granted[year].get(key, 0) + in_grants
    return proposed, granted


def proposed_in(call, year: int) -> dict[Group, int]:
    """The sum of the counting lines of ``call`` for ``year`` per (grantor, first area)."""
    found: dict[Group, int] = {}
    for grantor, area, amount in (
        AllocationTotal.objects.filter(call=call, year=year, entries__gt=0)
        .values_list("grantor_org_number", "first_area")
        .annotate(amount=Sum("proposed"))
        .order_by()
    ):
        found[(grantor, area)] = found.get((grantor, area), 0) + (amount or 0)
    return found


def proposed_of(applications, year: int) -> dict[int, tuple[Group, int]]:
    """Application id → ((grantor, first area), its counting line for ``year``) for the ``applications`` given."""
    return {
        application_id: ((grantor, area), amount)
        for application_id, grantor, area, amount in AllocationTally.objects.filter(
            application_id__in=list(applications), year=year
        ).values_list("application_id", "grantor_org_number", "first_area", "proposed")
    }


def recount(call, call_year: int) -> tuple[dict[int, dict[Group, int]], dict[int, dict[Group, int]]]:
    """:func:`by_year`'s figures summed from the rows themselves (what the allocation page did before)."""
    proposed: dict[int, dict[Group, int]] = defaultdict(dict)
    for year, grantor, area, amount in (
        AllocationLine.objects.filter(application__call=call, application__status__in=COUNTING)
        .values_list("year", "application__case__grantor_org_number", "application__case__tally__first_area")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        key = (grantor or "", area or "")
        proposed[year][key] = proposed[year].get(key, 0) + (amount or 0)
    grants = Decision.objects.filter(
        application__call=call,
        application__status__in=COUNTING,
        status=DecisionStatus.PUBLISHED,
        kind=DecisionKind.GRANT,
    )
    granted: dict[int, dict[Group, int]] = defaultdict(dict)
    for grantor, area, amount in (
        grants.values_list("application__case__grantor_org_number", "application__case__tally__first_area")
        .annotate(amount=Sum("amount"))
        .order_by()
    ):
        key = (grantor or "", area or "")
        granted[call_year][key] = granted[call_year].get(key, 0) + (amount or 0)
    for grantor, area, later in grants.exclude(later_years={}).values_list(
        "application__case__grantor_org_number", "application__case__tally__first_area", "later_years"
    ):
        key = (grantor or "", area or "")
        for later_year, value in (later or {}).items():
            granted[int(later_year)][key] = granted[int(later_year)].get(key, 0) + int(value or 0)
    return proposed, granted
