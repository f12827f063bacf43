"""One chain per stream (unique stream + sequence) and, on PostgreSQL, append-only audit tables.

The triggers refuse UPDATE and DELETE of audit events, DELETE of stream heads and any move of a
head other than one step on. TRUNCATE is left allowed on purpose: Django's test runner empties
tables with TRUNCATE between tests on PostgreSQL, and a TRUNCATE needs the table owner's rights
anyway. Runs after 0004 (the backfill updates every event).
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused on audit_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();

CREATE OR REPLACE FUNCTION audit_stream_head_forward_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR NEW.stream <> OLD.stream OR NEW.sequence <> OLD.sequence + 1 THEN
        RAISE EXCEPTION 'audit stream heads only move one event on: % refused on audit_auditstreamhead', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_stream_head_forward_only
    BEFORE UPDATE OR DELETE ON audit_auditstreamhead
    FOR EACH ROW EXECUTE FUNCTION audit_stream_head_forward_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_stream_head_forward_only ON audit_auditstreamhead;
DROP FUNCTION IF EXISTS audit_stream_head_forward_only();
DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # no parameters: the "%" in RAISE stays


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [("audit", "0004_chain_backfill")]

    operations = [
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.UniqueConstraint(fields=("stream", "sequence"), name="audit_event_stream_sequence"),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
