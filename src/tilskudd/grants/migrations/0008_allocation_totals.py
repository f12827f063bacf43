"""Running totals of the allocation per call, kept by database triggers (issue #14, point 4; ``grants.totals``).

The tables, then the triggers on grants_allocationline, grants_decision, casework_case, casework_casearea and
applications_application (PostgreSQL or SQLite) and the totals of the rows already there. Back: the triggers
go, then the tables.
"""

import django.db.models.deletion
from django.db import migrations, models

from tilskudd.grants import totals


def create_triggers(apps, schema_editor):
    totals.create_triggers(schema_editor)


def drop_triggers(apps, schema_editor):
    totals.drop_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0008_queue_count_index'),
        ('calls', '0001_initial'),
        ('casework', '0011_case_tally_call_grantor_index'),
        ('grants', '0007_continuation'),
    ]

    operations = [
        migrations.CreateModel(
            name='AllocationTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveIntegerField()),
                ('grantor_org_number', models.CharField(max_length=9)),
                ('first_area', models.CharField(max_length=50)),
                ('shard', models.SmallIntegerField(default=0)),
                ('proposed', models.BigIntegerField()),
                ('granted', models.BigIntegerField()),
                ('application', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='applications.application')),
                ('call', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='calls.call')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('application', 'year'), name='one_allocation_tally_per_year')],
            },
        ),
        migrations.CreateModel(
            name='AllocationTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grantor_org_number', models.CharField(max_length=9)),
                ('first_area', models.CharField(max_length=50)),
                ('year', models.PositiveIntegerField()),
                ('shard', models.SmallIntegerField(default=0)),
                ('entries', models.IntegerField()),
                ('proposed', models.BigIntegerField()),
                ('granted', models.BigIntegerField()),
                ('call', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='calls.call')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('call', 'year', 'grantor_org_number', 'first_area', 'shard'), name='one_allocation_total_per_group')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
