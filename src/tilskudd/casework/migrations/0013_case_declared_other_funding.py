"""The applicant's declaration of other funding is a fact of the case (issue #14, C2's flagged queue at 100 000).

The column, then every existing case's declaration as the duplicate flag (C2-R07) read it from the answer
documents until now: the submitted document, or the drafted one where ``submitted_content`` is null or ``{}``;
a yes only when ``answers.same_activity_other_grantor`` is JSON ``true`` (not ``1``, not ``"ja"``). One UPDATE
in the database, on each of the two the project runs on (PostgreSQL, SQLite). Only the new column is written, which
no trigger of the running totals (``casework.totals``, ``grants.totals``) watches.

SQLite adds (and drops) a NOT NULL column by copying the table under a new name and dropping the old one, which
drops the triggers on ``casework_case`` and breaks the rename for those on other tables that name it (the running
totals of casework and grants): there every trigger that names the table is taken down before and put back after
from its own stored SQL (the rows are only copied, so the totals stand as they were). PostgreSQL adds the column in
place and keeps them. Back: the column goes, the same way.
"""

from contextlib import contextmanager

from django.db import migrations, models

#: The cases whose application's document (submitted, else drafted) declares other funding, per vendor.
DECLARED = {
    "postgresql": (
        "UPDATE casework_case AS c SET declared_other_funding = TRUE FROM applications_application AS a "
        "WHERE a.id = c.application_id "
        "AND (COALESCE(NULLIF(a.submitted_content, '{}'::jsonb), a.content) "
        "-> 'answers' -> 'same_activity_other_grantor') = 'true'::jsonb"
    ),
    "sqlite": (
        "UPDATE casework_case SET declared_other_funding = 1 WHERE application_id IN ("
        "SELECT a.id FROM applications_application AS a WHERE json_type("
        "CASE WHEN a.submitted_content IS NULL OR json(a.submitted_content) = '{}' "
        "THEN a.content ELSE a.submitted_content END, '$.answers.same_activity_other_grantor') = 'true')"
    ),
}


def fill(connection) -> None:
    """Set ``declared_other_funding`` on the cases whose documents declare other funding (the column is False
    before: AddField's default), in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(DECLARED[connection.vendor])


def write_declarations(apps, schema_editor):
    fill(schema_editor.connection)


@contextmanager
def _triggers_kept(schema_editor, table: str):
    """On SQLite, the triggers whose SQL names ``table`` are dropped for the block and created again after it."""
    if schema_editor.connection.vendor != "sqlite":
        yield
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s", [f"%{table}%"])
        kept = cursor.fetchall()
        for name, _ in kept:
            cursor.execute(f'DROP TRIGGER "{name}"')
    yield
    with schema_editor.connection.cursor() as cursor:
        for _, sql in kept:
            cursor.execute(sql)


class AddCaseField(migrations.AddField):
    """AddField on ``casework_case`` that keeps the table's triggers on SQLite (both ways)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        with _triggers_kept(schema_editor, "casework_case"):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        with _triggers_kept(schema_editor, "casework_case"):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("casework", "0012_case_tally_application")]

    operations = [
        AddCaseField(
            model_name="case",
            name="declared_other_funding",
            field=models.BooleanField(default=False, verbose_name="søkt/fått støtte fra annen forvalter"),
        ),
        migrations.RunPython(write_declarations, migrations.RunPython.noop),
    ]
