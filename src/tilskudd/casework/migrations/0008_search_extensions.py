"""PostgreSQL's pg_trgm (similar names) and unaccent (Tromsø = Tromso) for the queue's search (issue #13, point 9).

Both are trusted extensions from PostgreSQL 13, so the database owner may create them. Django's
``CreateExtension`` does nothing on SQLite. unaccent is best effort: where it cannot be created the search
works without it (``casework.search``).
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


def unaccent_if_possible(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
        if cursor.fetchone():
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


class Migration(migrations.Migration):
    dependencies = [("casework", "0007_staff_profile")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(unaccent_if_possible, migrations.RunPython.noop, elidable=True),
    ]
