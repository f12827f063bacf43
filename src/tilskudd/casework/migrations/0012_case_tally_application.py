"""The cases' ledger names each case's application (issue #14, point 4: the overview's sums).

The column, then the triggers again with the statements that write it, and every tally and total filled again
from the rows (``casework.totals``). Back: 0009's triggers, then the column goes.
"""

import django.db.models.deletion
from django.db import migrations, models

from tilskudd.casework import totals


def with_application(apps, schema_editor):
    totals.drop_triggers(schema_editor)
    totals.create_triggers(schema_editor, application=True)


def without_application(apps, schema_editor):
    totals.drop_triggers(schema_editor)
    totals.create_triggers(schema_editor, application=False)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0008_queue_count_index'),
        ('casework', '0011_case_tally_call_grantor_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='casetally',
            name='application',
            field=models.ForeignKey(db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='case_tally', to='applications.application'),
        ),
        migrations.RunPython(with_application, without_application),
    ]
