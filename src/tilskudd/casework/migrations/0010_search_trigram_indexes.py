"""Trigram indexes for the queue's search on PostgreSQL (issue #14, point 4; ``casework.search``).

``tilskudd_fold(text)``: lower case with accents folded by unaccent where the extension is there (else lower
case alone), declared IMMUTABLE so a column may be generated from it: ``name_folded`` on organisations and
``title_folded`` on applications, stored (the search's recheck of a common word then reads the folded text
instead of folding thousands of names again: 0.75 s → a few ms), and GIN trigram indexes on them serve the
search's «a word like» (``<%``) and «holds» (``LIKE``) alike. The models do not know the columns (the database
writes them); the search reads them in SQL. Nothing happens on SQLite, where the search is ``icontains``.
"""

from django.db import migrations

FOLD = """
CREATE OR REPLACE FUNCTION tilskudd_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$ SELECT {body} $$
"""
COLUMNS = {"orgs_organisation": ("name", "name_folded"), "applications_application": ("title", "title_folded")}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'")
        found = cursor.fetchone()
        if found:  # the dictionary named with its schema: an IMMUTABLE function must not depend on search_path
            schema = found[0]
            body = f"{schema}.unaccent('{schema}.unaccent'::regdictionary, lower(value))"
        else:
            body = "lower(value)"
        cursor.execute(FOLD.format(body=body))
        for table, (source, column) in COLUMNS.items():
            cursor.execute(
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} text "
                f"GENERATED ALWAYS AS (tilskudd_fold({source})) STORED"
            )
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm ON {table} USING gin ({column} gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, (_source, column) in COLUMNS.items():
            cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {column}")
        cursor.execute("DROP FUNCTION IF EXISTS tilskudd_fold(text)")


class Migration(migrations.Migration):
    dependencies = [("casework", "0009_case_totals")]

    operations = [migrations.RunPython(create, drop, elidable=True)]
