"""Files stored before the rows that name them.

A letter, a receipt or an upload is saved to the storage (local disk or an object store) before the row that names
it: the storage is not part of the database transaction. :func:`deleted_on_failure` takes it away again when what
follows fails, so a refused or rolled-back change leaves no file behind.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models.fields.files import FieldFile


@contextmanager
def deleted_on_failure(field_file: FieldFile) -> Iterator[None]:
    """Run the block that saves the row naming ``field_file`` (its file just saved to the storage); if the block
    fails, the stored file is deleted and the failure goes on."""
    stored = field_file.name or ""
    try:
        yield
    except BaseException:
        if stored:
            field_file.storage.delete(stored)
        raise
