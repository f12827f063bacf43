"""The allocation ledger's refresh reads the one application by its key (issue #14; ``grants.totals``).

0008's ``grants_allocation_refresh`` filtered the allocation lines and decisions by the application's id but
joined ``applications_application`` on theirs only, so the planner could hash-join a sequential scan of every
application into each allocation write (it did between ~2 000 and ~16 000 applications). The ledger's INSERT now
also says ``a.id = target``: a primary-key lookup. PostgreSQL: the function replaced (back: 0008's body, kept
here). SQLite: nothing to do; its triggers already find the application by rowid (a nested loop), and a new
database gets the statement ``grants.totals`` writes from 0008.
"""

from django.db import migrations

from tilskudd.grants import totals

#: ``grants_allocation_refresh`` as 0008 installed it.
REFRESH_0008 = """
CREATE OR REPLACE FUNCTION grants_allocation_refresh(target bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE grants_allocationtotal SET entries = grants_allocationtotal.entries - 1, proposed = grants_allocationtotal.proposed - l.proposed, granted = grants_allocationtotal.granted - l.granted FROM grants_allocationtally l WHERE l.application_id = target AND l.call_id = grants_allocationtotal.call_id AND l.year = grants_allocationtotal.year AND l.grantor_org_number = grants_allocationtotal.grantor_org_number AND l.first_area = grants_allocationtotal.first_area AND l.shard = grants_allocationtotal.shard;
  DELETE FROM grants_allocationtally WHERE application_id = target;
  INSERT INTO grants_allocationtally (application_id, call_id, year, grantor_org_number, first_area, shard, proposed, granted) SELECT a.id, a.call_id, m.year, COALESCE(c.grantor_org_number, ''), COALESCE((SELECT r.area FROM casework_casearea r WHERE r.case_id = c.id AND r.position = 0 LIMIT 1), ''), a.id % 32, COALESCE(SUM(m.proposed), 0), COALESCE(SUM(m.granted), 0) FROM (SELECT l.application_id, l.year, l.amount AS proposed, 0 AS granted FROM grants_allocationline l WHERE l.application_id = target UNION ALL SELECT d.application_id, 0, 0, d.amount FROM grants_decision d WHERE d.application_id = target AND d.status = 'published' AND d.kind = 'grant' UNION ALL SELECT d.application_id, CAST(j.key AS INTEGER), 0, CAST(j.value AS BIGINT) FROM grants_decision d, jsonb_each_text(CASE WHEN jsonb_typeof(d.later_years) = 'object' THEN d.later_years ELSE '{}' END) j WHERE d.application_id = target AND d.status = 'published' AND d.kind = 'grant') m JOIN applications_application a ON a.id = m.application_id LEFT JOIN casework_case c ON c.application_id = a.id WHERE a.status IN ('submitted', 'reopened', 'in_assessment', 'granted') GROUP BY a.id, a.call_id, m.year, c.id, c.grantor_org_number;
  INSERT INTO grants_allocationtotal (call_id, year, grantor_org_number, first_area, shard, entries, proposed, granted) SELECT call_id, year, grantor_org_number, first_area, shard, 1, proposed, granted FROM grants_allocationtally WHERE application_id = target ON CONFLICT (call_id, year, grantor_org_number, first_area, shard) DO UPDATE SET entries = grants_allocationtotal.entries + 1, proposed = grants_allocationtotal.proposed + excluded.proposed, granted = grants_allocationtotal.granted + excluded.granted;
END $$;
"""


def _on_postgres(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def by_key(apps, schema_editor):
    _on_postgres(schema_editor, totals.POSTGRES_REFRESH)


def back_to_0008(apps, schema_editor):
    _on_postgres(schema_editor, REFRESH_0008)


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0008_allocation_totals'),
    ]

    operations = [
        migrations.RunPython(by_key, back_to_0008),
    ]
