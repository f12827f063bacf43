"""Casework's receiver of the submission: every submitted application gets its case, in the submission's
own transaction (connected when the app is ready, see :mod:`tilskudd.casework.apps`)."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.applications.signals import application_submitted


@receiver(application_submitted)
def open_case(sender, application, **kwargs) -> None:
    # Imported when an application is submitted, not when the app is ready: the services pull in the rule
    # engine, which management commands and the worker need not load at start (issue #13, point 11).
    from tilskudd.casework import services  # noqa: PLC0415

    services.open_case(application)
