"""generate_dataset keeps the triggers' plans fitted to the data it writes (issue #14, point 4).

The running totals' trigger functions are plpgsql, whose cached plans for a long session are made for the tables
as they were: the generator's one session kept sequential scans of the (then empty) tallies while it filled
them, and 24 000 applications took 17 minutes. The rule: the tables it fills are analysed after the first batch,
each time the data has doubled since, and at the end, so their statistics say how many rows there are
(``bench/results/2026-12-03-generate-dataset.md``).
"""

import pytest
from django.db import connection
from django.test import override_settings

from tests.builders import load_calls
from tests.conftest import CALLS_DIR
from tilskudd.applications.models import Application
from tilskudd.calls.services import call_files_in
from tilskudd.casework.models import CaseTally, CaseTotal
from tilskudd.demo import dataset
from tilskudd.demo.services import load_demo
from tilskudd.grants.models import AllocationTally, AllocationTotal

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_calls():
    load_calls(call_files_in(CALLS_DIR))
    load_demo(applications=False)


@override_settings(DEBUG=True)
def test_the_tables_are_analysed_after_the_first_batch_each_time_they_double_and_at_the_end(demo_calls, monkeypatch):
    monkeypatch.setattr(dataset, "BATCH", 5)
    analysed_at = []
    monkeypatch.setattr(dataset, "_analyse", lambda: analysed_at.append(Application.objects.count()))
    dataset.generate(45, seed=3)
    assert analysed_at == [5, 10, 20, 40, 45]


@pytest.mark.postgres
@override_settings(DEBUG=True)
def test_on_postgresql_the_statistics_of_the_tallies_count_the_generated_rows(demo_calls):
    dataset.generate(30, seed=4)
    for model in (Application, CaseTally, CaseTotal, AllocationTally, AllocationTotal):
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [model._meta.db_table])
            (reltuples,) = cursor.fetchone()
        assert reltuples == model.objects.count() > 0, model._meta.db_table
