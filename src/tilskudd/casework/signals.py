"""Casework's signals, and its receiver of the submission: every submitted application gets its case,
in the submission's own transaction.

The apps above casework (grants) listen to casework's signals; casework never imports them.
"""

from __future__ import annotations

from django.dispatch import Signal, receiver

from tilskudd.applications.signals import application_submitted
from tilskudd.casework import services  # the module: services sends these signals (imports this module)
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


@receiver(application_submitted)
def open_case(sender, application, **kwargs) -> None:
    services.open_case(application)
