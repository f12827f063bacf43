import pytest

from tests.receipts import world
from tests.receipts.world import call, chief, lead, organisation  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEFAULT_FROM_EMAIL = "tilskudd <ikke-svar@tilskudd.example>"
    return settings.MEDIA_ROOT


@pytest.fixture
def signed_draft(call, organisation, lead, chief):
    """A complete draft signed by the chief executive, ready to submit."""
    from tilskudd.applications import services

    application = services.start_draft(lead, organisation, call)
    application = services.save_draft(lead, application.pk, world.complete_content(), application.revision)
    services.sign(chief, application.pk, application.revision)
    return application
