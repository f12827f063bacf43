"""Every existing case gets the facts of its application's submission (issue #9), as ``casework.facts.write`` does.

The facts are computed by the same functions as at submission, from the rule engine's typed model of
``submitted_content``; a case whose stored submission does not parse keeps empty facts (but the county).
"""

from django.db import migrations
from pydantic import ValidationError

from tilskudd.casework import facts
from tilskudd.rules import Application as Submitted


def write_facts(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    CaseArea = apps.get_model("casework", "CaseArea")
    for case in Case.objects.select_related("application", "application__organisation").iterator(chunk_size=500):
        application = case.application
        submitted = None
        if application.submitted_content:
            try:
                submitted = Submitted.model_validate(application.submitted_content)
            except ValidationError:
                submitted = None
        codes = []
        if submitted is not None:
            case.amount_applied = facts.amount_applied(submitted)
            case.county = facts.county(submitted)
            case.org_form = facts.org_form(submitted)
            case.applicant_type = facts.applicant_type(submitted)
            codes = facts.areas(submitted)
        if not case.county:
            case.county = application.organisation.county or ""
        case.save(update_fields=["amount_applied", "county", "org_form", "applicant_type"])
        CaseArea.objects.filter(case=case).delete()
        CaseArea.objects.bulk_create(
            [CaseArea(case=case, area=code, position=position) for position, code in enumerate(codes)]
        )


class Migration(migrations.Migration):
    dependencies = [("casework", "0004_case_facts")]

    operations = [migrations.RunPython(write_facts, migrations.RunPython.noop)]
