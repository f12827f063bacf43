"""Running totals of the cases per call (issue #14, point 4): the SQL that keeps them, and what reads them.

:class:`~tilskudd.casework.models.CaseTotal` holds, per call, grantor, application status, first area,
county and «several areas», how many cases there are and the amount they apply for;
:class:`~tilskudd.casework.models.CaseTally` is the ledger: what each case counts for now. Database
triggers (created by ``casework/migrations/0009``, the same four statements on PostgreSQL and SQLite) keep
both in the transaction of every change to a case's facts, its area rows or its application's status: the
case's old tally is taken out of its group, the tally recomputed from the rows, and put into its group.
So the totals are exact whatever writes the rows — the services, the data generator's bulk inserts, a test
that sets a status directly, a data fix — which Python hooks in each service could not promise
(docs/decisions.md, «Running totals of the cases»). Drafts count nowhere.

:func:`recount` is the same figures from the rows themselves (what the pages read before): the tests
compare the two after random moves.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from tilskudd.applications.states import Status
from tilskudd.casework.models import Case, CaseArea, CaseTotal
from tilskudd.core import running_totals
from tilskudd.core.running_totals import RunningTotals

#: Each group's total is kept in this many rows (a case counts in row ``case id % SHARDS``), so submissions at
#: the same moment to the same call, county and area do not all wait for one row's lock until they commit —
#: the single counter row that made every submission wait (issue #14) would be back otherwise. Readers sum.
SHARDS = 32

GROUP = ("call_id", "grantor_org_number", "grantor_name", "status", "first_area", "county", "several", "shard")
_COLUMNS = ", ".join(GROUP)


def _tally_insert(target: str | None, application: bool = True) -> str:
    """The tally of case ``target`` as the rows say it now (none for a deleted case or a draft); every case's
    when None. ``application``: with the application's id (casework/migrations/0012; 0009's triggers had none)."""
    where = "" if target is None else f"c.id = {target} AND "
    column, value = (", application_id", ", c.application_id") if application else ("", "")
    return (
        f"INSERT INTO casework_casetally (case_id{column}, {_COLUMNS}, applied) "
        f"SELECT c.id{value}, a.call_id, c.grantor_org_number, c.grantor_name, a.status, "
        "COALESCE((SELECT r.area FROM casework_casearea r WHERE r.case_id = c.id AND r.position = 0 LIMIT 1), ''), "
        "c.county, EXISTS (SELECT 1 FROM casework_casearea r WHERE r.case_id = c.id AND r.position = 1), "
        f"c.id % {SHARDS}, COALESCE(c.amount_applied, 0) "
        "FROM casework_case c JOIN applications_application a ON a.id = c.application_id "
        f"WHERE {where}a.status <> '{Status.DRAFT.value}'"
    )


def _cases(application: bool = True) -> RunningTotals:
    return RunningTotals(
        total="casework_casetotal",
        tally="casework_casetally",
        key="case_id",
        group=GROUP,
        count="cases",
        sums=("applied",),
        tally_insert=lambda target: _tally_insert(target, application),
    )


CASES = _cases()


def refresh_statements(target: str) -> list[str]:
    """The statements that move case ``target`` (an SQL expression for its id) to the group its rows say now."""
    return CASES.refresh(target)


def _postgres_create(cases: RunningTotals) -> str:
    return f"""
CREATE OR REPLACE FUNCTION casework_tally_refresh(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
{cases.body("target")}END $$;

CREATE OR REPLACE FUNCTION casework_case_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN PERFORM casework_tally_refresh(OLD.id); ELSE PERFORM casework_tally_refresh(NEW.id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER casework_case_tally AFTER INSERT OR DELETE
  OR UPDATE OF application_id, grantor_org_number, grantor_name, county, amount_applied
  ON casework_case FOR EACH ROW EXECUTE FUNCTION casework_case_tally();

CREATE OR REPLACE FUNCTION casework_casearea_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM casework_tally_refresh(OLD.case_id); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM casework_tally_refresh(NEW.case_id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER casework_casearea_tally AFTER INSERT OR DELETE OR UPDATE
  ON casework_casearea FOR EACH ROW EXECUTE FUNCTION casework_casearea_tally();

CREATE OR REPLACE FUNCTION casework_application_tally() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM casework_tally_refresh(c.id) FROM casework_case c WHERE c.application_id = NEW.id;
  RETURN NULL;
END $$;
CREATE TRIGGER casework_application_tally AFTER UPDATE OF status, call_id ON applications_application
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.call_id IS DISTINCT FROM NEW.call_id)
  EXECUTE FUNCTION casework_application_tally();
"""


POSTGRES_DROP = """
DROP TRIGGER IF EXISTS casework_application_tally ON applications_application;
DROP TRIGGER IF EXISTS casework_casearea_tally ON casework_casearea;
DROP TRIGGER IF EXISTS casework_case_tally ON casework_case;
DROP FUNCTION IF EXISTS casework_application_tally();
DROP FUNCTION IF EXISTS casework_casearea_tally();
DROP FUNCTION IF EXISTS casework_case_tally();
DROP FUNCTION IF EXISTS casework_tally_refresh(bigint);
"""

_APPLICATION_CASE = "(SELECT id FROM casework_case WHERE application_id = NEW.id)"


def _sqlite_triggers(cases: RunningTotals) -> dict[str, str]:
    return {
        "casework_case_tally_insert": f"AFTER INSERT ON casework_case BEGIN\n{cases.body('NEW.id')}END",
        "casework_case_tally_update": (
            "AFTER UPDATE OF application_id, grantor_org_number, grantor_name, county, amount_applied "
            f"ON casework_case BEGIN\n{cases.body('NEW.id')}END"
        ),
        "casework_case_tally_delete": f"AFTER DELETE ON casework_case BEGIN\n{cases.body('OLD.id')}END",
        "casework_casearea_tally_insert": f"AFTER INSERT ON casework_casearea BEGIN\n{cases.body('NEW.case_id')}END",
        "casework_casearea_tally_delete": f"AFTER DELETE ON casework_casearea BEGIN\n{cases.body('OLD.case_id')}END",
        "casework_casearea_tally_update": (
            f"AFTER UPDATE ON casework_casearea BEGIN\n{cases.body('OLD.case_id')}{cases.body('NEW.case_id')}END"
        ),
        "casework_application_tally": (
            "AFTER UPDATE OF status, call_id ON applications_application "
            "WHEN OLD.status IS NOT NEW.status OR OLD.call_id IS NOT NEW.call_id "
            f"BEGIN\n{cases.body(_APPLICATION_CASE)}END"
        ),
    }


SQLITE_TRIGGERS = _sqlite_triggers(CASES)

#: Every case's tally and the totals from the rows as they are (the migration's fill, and :func:`rebuild`).
FILL = CASES.fill()


def create_triggers(schema_editor, application: bool = True) -> None:
    """The triggers for the database ``schema_editor`` works on, and the totals of the rows already there.

    ``application=False``: the ledger as casework/migrations/0009 made it, before the application's id was on it
    (0012); a migration builds what its own schema has."""
    cases = CASES if application else _cases(application=False)
    running_totals.create_triggers(schema_editor, _postgres_create(cases), _sqlite_triggers(cases), cases.fill())


def drop_triggers(schema_editor) -> None:
    running_totals.drop_triggers(schema_editor, POSTGRES_DROP, SQLITE_TRIGGERS)


def rebuild() -> None:
    """Every tally and total again from the rows (never needed while the triggers stand; for a repair)."""
    with connection.cursor() as cursor:
        for statement in FILL:
            cursor.execute(statement)


# --- reading ---------------------------------------------------------------------------------------------------


def totals(call, grantors, statuses=None):
    """The call's non-empty totals at ``grantors`` (and ``statuses``, when given)."""
    found = CaseTotal.objects.filter(call=call, grantor_org_number__in=grantors, cases__gt=0)
    if statuses is not None:
        found = found.filter(status__in=statuses)
    return found


def case_count(call, grantors) -> int:
    """How many cases of ``call`` the ``grantors`` have (drafts never count)."""
    return totals(call, grantors).aggregate(n=Coalesce(Sum("cases"), 0))["n"]


def recount(call, grantors) -> dict[tuple, tuple[int, int]]:
    """The totals' figures counted from the rows: group → (cases, applied). What the totals must equal."""
    first = CaseArea.objects.filter(case=OuterRef("pk"), position=0).values("area")[:1]
    second = CaseArea.objects.filter(case=OuterRef("pk"), position=1)
    rows = (
        Case.objects.filter(application__call=call, grantor_org_number__in=grantors)
        .exclude(application__status=Status.DRAFT)
        .annotate(first=Subquery(first), several=Exists(second))
        .values_list("grantor_org_number", "grantor_name", "application__status", "first", "county", "several")
        .annotate(n=Count("pk"), applied=Sum(Coalesce("amount_applied", 0)))
        .order_by()
    )
    return {
        (call.pk, grantor, name, status, area or "", county, bool(several)): (n, applied or 0)
        for grantor, name, status, area, county, several, n, applied in rows
    }


def stored(call, grantors) -> dict[tuple, tuple[int, int]]:
    """The totals as stored, in :func:`recount`'s shape."""
    found: dict[tuple, tuple[int, int]] = {}
    for row in totals(call, grantors):  # a group's shards summed
        key = (
            row.call_id,
            row.grantor_org_number,
            row.grantor_name,
            row.status,
            row.first_area,
            row.county,
            row.several,
        )
        cases, applied = found.get(key, (0, 0))
        found[key] = (cases + row.cases, applied + row.applied)
    return found
