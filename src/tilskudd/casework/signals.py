"""Casework's signals. The apps above casework (grants) listen to them; casework never imports those apps.

Casework's own receiver of the submission is in :mod:`tilskudd.casework.receivers`.
"""

from __future__ import annotations

from django.dispatch import Signal

from tilskudd.casework.models import Case

#: Sent with ``user``, ``application`` and ``reasons`` inside the transaction of a proposal to reject
#: (*avvise*) the application. A receiver prepares the rejection decision; a Refusal it raises rolls the
#: proposal back and reaches the caseworker.
rejection_proposed = Signal()

#: Sent with ``application`` to ask whether a decision holds it (prepared, approved or published);
#: a receiver answers True or False.
decision_asked = Signal()


def has_active_decision(application) -> bool:
    """Whether an app above casework holds ``application`` with a decision."""
    return any(answer for _receiver, answer in decision_asked.send(sender=Case, application=application))
