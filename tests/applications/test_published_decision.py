"""The published decision (*offentliggjort vedtak*) is applications' own read model: grants writes it when it
publishes, in the same transaction; the applicant's pages read only it (issue #9: applications never imports
grants). Casework asks grants through its signals (a proposed rejection, whether a decision holds the case).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.casework.helpers import applicant_of
from tests.grants.test_decisions_helpers import ready_for_decision
from tests.staff_world import C0
from tests.web.conftest import visible_text
from tilskudd.applications.models import Application, PublishedDecision
from tilskudd.applications.states import Status
from tilskudd.casework import services as casework_services
from tilskudd.casework import signals
from tilskudd.casework.models import Case
from tilskudd.grants.decisions import services
from tilskudd.grants.decisions.services import DecisionRefused
from tilskudd.grants.models import Decision


def _approved(world, application, kind="grant", amount=10000):
    ready_for_decision(application, world.staff["caseworker"])
    decision = services.prepare_decision(
        world.staff["caseworker"],
        application.pk,
        kind,
        amount=amount if kind == "grant" else None,
        reasons="" if kind == "grant" else "Ikke innenfor formålet.",
    )
    services.approve(world.staff["approver"], decision.pk)
    return decision


def _publish(world, application):
    return services.publish(world.staff["approver"], application.call, world.imdi.org_number)


def test_publishing_writes_the_published_decision_and_nothing_before(casework_world):
    application = casework_world.applications[C0][0]
    decision = _approved(casework_world, application, amount=12345)
    assert not PublishedDecision.objects.filter(application=application).exists()  # approved is not published
    _publish(casework_world, application)
    decision.refresh_from_db()
    published = PublishedDecision.objects.get(application=application)
    assert (published.kind, published.amount, published.letter_id, published.published_at) == (
        "grant",
        12345,
        decision.letter_id,
        decision.published_at,
    )
    assert published.kind_name("nb") == "Tilskudd" and published.kind_name("en") == "Grant"
    _publish(casework_world, application)  # publishing again publishes nothing new
    assert PublishedDecision.objects.filter(application=application).count() == 1


def test_a_refused_publication_writes_no_published_decision(casework_world):
    first, second = casework_world.applications[C0][:2]
    _approved(casework_world, first)
    _approved(casework_world, second)
    Application.objects.filter(pk=second.pk).update(status=Status.DRAFT)  # cannot get a decision any more
    with pytest.raises(DecisionRefused):
        _publish(casework_world, first)
    assert not PublishedDecision.objects.exists()
    assert not Decision.objects.filter(status="published").exists()


def test_the_applicant_page_reads_the_published_decision(casework_world, client):
    application = casework_world.applications[C0][0]
    _approved(casework_world, application, kind="refusal")
    _publish(casework_world, application)
    client.force_login(applicant_of(application))
    text = visible_text(client.get(f"/soknader/{application.pk}/signer/").content.decode())
    assert "Vedtak: Avslag" in text
    # the page shows what the read model says (it does not look at grants' decisions)
    PublishedDecision.objects.filter(application=application).update(kind=PublishedDecision.Kind.REJECTION)
    text = visible_text(client.get(f"/soknader/{application.pk}/signer/").content.decode())
    assert "Vedtak: Avvisning" in text
    PublishedDecision.objects.filter(application=application).delete()
    page = client.get(f"/soknader/{application.pk}/signer/").content.decode()
    assert 'id="decision"' not in page


def test_casework_asks_grants_through_its_signals(casework_world):
    application = casework_world.applications[C0][0]
    caseworker = casework_world.staff["caseworker"]
    assert signals.has_active_decision(application) is False
    casework_services.propose_rejection(caseworker, application.case.pk, "Søkeren er ikke en kommune.")
    assert signals.has_active_decision(application) is True
    assert Decision.objects.get(application=application).kind == "rejection"
    # grants' refusal (one active decision at a time) reaches casework as its own, and rolls the proposal back
    with pytest.raises(casework_services.CaseworkRefused) as refused:
        casework_services.propose_rejection(caseworker, application.case.pk, "Igjen.")
    assert refused.value.reason_nb and refused.value.reason_en
    assert Decision.objects.filter(application=application).count() == 1
    assert Case.objects.get(pk=application.case.pk).screening_note == "Søkeren er ikke en kommune."


BEFORE = [("applications", "0005_published_decision")]
AFTER = [("applications", "0006_fill_published_decisions")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_decisions_already_published(fresh_casework_world, every_migration_after):
    world = fresh_casework_world
    published, approved = world.applications[C0][:2]
    _approved(world, published, kind="grant", amount=20000)
    _publish(world, published)
    _approved(world, approved, kind="refusal")  # approved, not published: not for the applicant
    expected = list(
        PublishedDecision.objects.values_list("application_id", "kind", "amount", "letter_id", "published_at")
    )
    assert len(expected) == 1

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the reverse empties the table
    old = executor.loader.project_state(BEFORE).apps
    assert not old.get_model("applications", "PublishedDecision").objects.exists()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    filled = list(
        PublishedDecision.objects.values_list("application_id", "kind", "amount", "letter_id", "published_at")
    )
    assert filled == expected
    assert filled[0][4] <= timezone.now()
