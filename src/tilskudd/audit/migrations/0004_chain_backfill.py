"""Chain the events written before the hash chain existed: per stream in the order they were written."""

from django.db import migrations


def backfill(apps, schema_editor):
    from tilskudd.audit import chain  # noqa: PLC0415 - plain functions over field values, safe on historical models

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditStreamHead = apps.get_model("audit", "AuditStreamHead")
    db = schema_editor.connection.alias
    heads: dict[str, tuple[int, str]] = {}
    events = AuditEvent.objects.using(db).order_by("at", "id")
    for event in events.iterator(chunk_size=2000):
        event.stream = chain.stream_of(event.subject_type, event.subject_id)
        sequence, prev_hash = heads.get(event.stream, (0, ""))
        event.sequence = sequence + 1
        event.prev_hash = prev_hash
        event.data = chain.normalised_data(event.data)
        event.hash = chain.compute_hash(event)
        event.save(update_fields=["stream", "sequence", "prev_hash", "hash", "data"])
        heads[event.stream] = (event.sequence, event.hash)
    AuditStreamHead.objects.using(db).bulk_create(
        [AuditStreamHead(stream=stream, sequence=sequence, hash=hash_) for stream, (sequence, hash_) in heads.items()],
        batch_size=1000,
    )


def unchain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditStreamHead = apps.get_model("audit", "AuditStreamHead")
    db = schema_editor.connection.alias
    AuditStreamHead.objects.using(db).all().delete()
    AuditEvent.objects.using(db).update(stream="", sequence=0, prev_hash="", hash="")


class Migration(migrations.Migration):

    dependencies = [("audit", "0003_chain")]

    operations = [migrations.RunPython(backfill, unchain)]
