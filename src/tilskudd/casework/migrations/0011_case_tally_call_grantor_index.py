"""A grantor's cases in a call from the ledger's index, and PostgreSQL told how call and grantor go together
(issue #14, point 4).

``case_tally_call_grantor``: the queue of a grantor with few cases in the call reads their ids from this index
(``casework.services.queue_cases``). The statistics (PostgreSQL only; nothing happens on SQLite): the planner
multiplied «this call» by «this grantor» as if independent, so it expected ~11 000 of IMDi's C2 total rows
where there are ~900, and read every row of the call; with the two columns' common values it reads the ~900.
"""

from django.db import migrations, models

STATISTICS = {
    "casework_casetotal_call_grantor": "casework_casetotal",
    "casework_casetally_call_grantor": "casework_casetally",
}


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name, table in STATISTICS.items():
            cursor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} (mcv, dependencies) ON call_id, grantor_org_number FROM {table}"
            )
            cursor.execute(f"ANALYZE {table}")


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for name in STATISTICS:
            cursor.execute(f"DROP STATISTICS IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("casework", "0010_search_trigram_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="casetally",
            index=models.Index(fields=["call", "grantor_org_number", "case"], name="case_tally_call_grantor"),
        ),
        migrations.RunPython(create_statistics, drop_statistics, elidable=True),
    ]
