"""Running totals of the cases per call, kept by database triggers (issue #14, point 4; ``casework.totals``).

The tables, then the triggers on casework_case, casework_casearea and applications_application (PostgreSQL
or SQLite) and the totals of the rows already there. Back: the triggers go, then the tables.
"""

import django.db.models.deletion
from django.db import migrations, models

from tilskudd.casework import totals


def create_triggers(apps, schema_editor):
    totals.create_triggers(schema_editor, application=False)  # the ledger's columns here (0012 adds one)


def drop_triggers(apps, schema_editor):
    totals.drop_triggers(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('calls', '0001_initial'),
        ('casework', '0008_search_extensions'),
        ('applications', '0008_queue_count_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='CaseTally',
            fields=[
                ('case', models.OneToOneField(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, primary_key=True, related_name='tally', serialize=False, to='casework.case')),
                ('grantor_org_number', models.CharField(max_length=9)),
                ('grantor_name', models.CharField(max_length=200)),
                ('status', models.CharField(max_length=20)),
                ('first_area', models.CharField(max_length=50)),
                ('county', models.CharField(max_length=10)),
                ('several', models.BooleanField()),
                ('shard', models.SmallIntegerField(default=0)),
                ('applied', models.BigIntegerField()),
                ('call', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='calls.call')),
            ],
        ),
        migrations.CreateModel(
            name='CaseTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('grantor_org_number', models.CharField(max_length=9)),
                ('grantor_name', models.CharField(max_length=200)),
                ('status', models.CharField(max_length=20)),
                ('first_area', models.CharField(max_length=50)),
                ('county', models.CharField(max_length=10)),
                ('several', models.BooleanField()),
                ('shard', models.SmallIntegerField(default=0)),
                ('cases', models.IntegerField()),
                ('applied', models.BigIntegerField()),
                ('call', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='calls.call')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('call', 'grantor_org_number', 'grantor_name', 'status', 'first_area', 'county', 'several', 'shard'), name='one_case_total_per_group')],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
