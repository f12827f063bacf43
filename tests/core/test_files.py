"""core.files.deleted_on_failure: a file stored before its row is taken away when saving the row fails."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage

from tilskudd.core.files import deleted_on_failure


def _stored():
    storage = InMemoryStorage()
    name = storage.save("brev.pdf", ContentFile(b"%PDF-1.7"))
    return SimpleNamespace(name=name, storage=storage)


def test_the_stored_file_is_deleted_when_the_block_fails_and_the_failure_goes_on():
    field_file = _stored()
    with pytest.raises(RuntimeError, match="refused"), deleted_on_failure(field_file):
        raise RuntimeError("refused")
    assert not field_file.storage.exists(field_file.name)


def test_the_stored_file_stays_when_the_block_succeeds():
    field_file = _stored()
    with deleted_on_failure(field_file):
        pass
    assert field_file.storage.exists(field_file.name)


def test_nothing_is_deleted_for_a_file_never_stored():
    empty = SimpleNamespace(name="", storage=InMemoryStorage())
    with pytest.raises(ValueError), deleted_on_failure(empty):
        raise ValueError
