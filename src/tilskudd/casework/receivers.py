"""Casework's receiver of the submission: every submitted application gets its case, in the submission's
own transaction (connected when the app is ready, see :mod:`tilskudd.casework.apps`)."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.applications.signals import application_submitted
from tilskudd.casework import services


@receiver(application_submitted)
def open_case(sender, application, **kwargs) -> None:
    services.open_case(application)
