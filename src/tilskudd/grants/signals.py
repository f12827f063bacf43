"""Signals the grant sends to the apps above it, which ``grants`` never imports (issue #12, point 1).

``grant_accepted`` is sent by ``grants.awards.acceptance.accept`` inside the acceptance's transaction, once the
grant has moved to ACCEPTED, with ``grant`` and ``actor`` (the person who accepted). A receiver's error undoes
the acceptance: what follows from it (the reporting duties, ``tilskudd.reports``) is made in the same
transaction or not at all.
"""

from __future__ import annotations

from django.dispatch import Signal

grant_accepted = Signal()
