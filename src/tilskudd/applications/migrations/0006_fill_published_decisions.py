"""Every decision grants has already published gets its published decision (issue #9: the applicant's pages
read only applications' own read model)."""

from django.db import migrations


def fill(apps, schema_editor):
    Decision = apps.get_model("grants", "Decision")
    PublishedDecision = apps.get_model("applications", "PublishedDecision")
    PublishedDecision.objects.bulk_create(
        PublishedDecision(
            application_id=decision.application_id,
            kind=decision.kind,
            amount=decision.amount,
            letter_id=decision.letter_id,
            published_at=decision.published_at or decision.approved_at or decision.prepared_at,
        )
        for decision in Decision.objects.filter(status="published").order_by("pk").iterator()
    )


def empty(apps, schema_editor):
    apps.get_model("applications", "PublishedDecision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0005_published_decision"),
        ("grants", "0002_decision_report_due"),
    ]

    operations = [migrations.RunPython(fill, empty)]
