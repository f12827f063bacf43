"""Every submitted application gets its case, in the submission's own transaction."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.applications.signals import application_submitted


@receiver(application_submitted)
def open_case(sender, application, **kwargs) -> None:
    from tilskudd.casework.services import open_case as open_case_for  # noqa: PLC0415 - avoid import cycles at startup

    open_case_for(application)
