"""Signals the grant sends to the apps above it, which ``grants`` never imports (issue #12, point 1).

``grant_accepted`` is sent by ``grants.awards.acceptance.accept`` inside the acceptance's transaction, once the
grant has moved to ACCEPTED, with ``grant`` and ``actor`` (the person who accepted). A receiver's error undoes
the acceptance: what follows from it (the reporting duties, ``tilskudd.reports``) is made in the same
transaction or not at all.

``decision_published`` is sent by ``grants.decisions.services.publish`` inside the publication's transaction, for
each decision published, with ``decision`` and ``actor`` (the approver who published). A complaint allowed with a
new decision is told to the applicant then, and not before (``tilskudd.complaints.reversal.announce``): until the
new decision has passed four eyes and is published, the outcome is the grantor's internal work.
"""

from __future__ import annotations

from django.dispatch import Signal

grant_accepted = Signal()
decision_published = Signal()
