"""Applications submitted before casework existed get their case (grantor only; routing is left blank)."""

from django.db import migrations


def open_missing_cases(apps, schema_editor):
    Application = apps.get_model("applications", "Application")
    Case = apps.get_model("casework", "Case")
    submitted = Application.objects.exclude(submitted_at=None).filter(case__isnull=True).select_related("call", "call_version")
    for application in submitted.iterator():
        definition = application.call_version.definition
        number, name = definition["grantor"]["org_number"], definition["grantor"]["name"]["nb"]
        chosen = (application.submitted_content or {}).get("grantor")
        for local in (definition.get("local_grantors") or {}).get("municipalities", []):
            if chosen and local["org_number"] == chosen:
                number, name = local["org_number"], local["name"]["nb"]
        Case.objects.create(application=application, grantor_org_number=number, grantor_name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0001_initial"),
        ("applications", "0003_application_reopened_message_and_more"),
    ]

    operations = [migrations.RunPython(open_missing_cases, migrations.RunPython.noop)]
