"""Every submitted application gets its case, in the submission's own transaction."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.applications.signals import application_submitted
from tilskudd.casework.services import open_case as open_case_for


@receiver(application_submitted)
def open_case(sender, application, **kwargs) -> None:
    open_case_for(application)
