"""PostgreSQL's pg_trgm (similar names) and unaccent (Tromsø = Tromso) for the queue's search (issue #13, point 9).

Both are trusted extensions from PostgreSQL 13, so the database owner may create them. Nothing happens on SQLite,
forwards or backwards (Django's ``CreateExtension`` reads ``pg_extension`` when migrating back, whatever the
database, so the tests that migrate back on SQLite failed with it). unaccent is best effort: where it cannot be
created the search works without it (``casework.search``). Migrating back leaves the extensions in place: other
objects of the database may use them.
"""

from django.db import migrations


def create_extensions(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
        if cursor.fetchone():
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_staff_profile")]

    operations = [migrations.RunPython(create_extensions, migrations.RunPython.noop, elidable=True)]
