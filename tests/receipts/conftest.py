import pytest

from tests.receipts import world


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEFAULT_FROM_EMAIL = "tilskudd <ikke-svar@tilskudd.example>"
    return settings.MEDIA_ROOT


@pytest.fixture
def call(db, tmp_path):
    return world.load_test_call(tmp_path)


@pytest.fixture
def organisation(db):
    return world.make_organisation()


@pytest.fixture
def lead(organisation):
    """The project lead: a member who drafts and submits."""
    return world.make_person(organisation, "kari@testkommune.example", "Kari Nordmann")


@pytest.fixture
def chief(organisation):
    """The chief municipal executive (rådmann), who signs."""
    return world.make_person(
        organisation, "ola@testkommune.example", "Ola Nordmann", role="signatory", title="Kommunedirektør"
    )


@pytest.fixture
def signed_draft(call, organisation, lead, chief):
    """A complete draft signed by the chief executive, ready to submit."""
    from tilskudd.applications import services

    application = services.start_draft(lead, organisation, call)
    application = services.save_draft(lead, application.pk, world.complete_content(), application.revision)
    services.sign(chief, application.pk, application.revision)
    return application
