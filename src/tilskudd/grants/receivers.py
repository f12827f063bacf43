"""Grants listens to casework (connected in GrantsConfig.ready()): casework sits below grants and never
imports it.

The services are imported in the receivers, not when the app is ready: they pull in the rule engine and the
letters, which management commands and the worker need not load at start (issue #13, point 11)."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.casework import signals


@receiver(signals.rejection_proposed)
def prepare_rejection(sender, user, application, reasons: str, **kwargs) -> None:
    """A proposal to reject prepares the rejection decision for an approver (four eyes), in its transaction."""
    from tilskudd.casework.services import CaseworkRefused  # noqa: PLC0415 - see the module's docstring
    from tilskudd.grants.decisions import services  # noqa: PLC0415

    try:
        services.prepare_decision(user, application.pk, kind="rejection", reasons=reasons)
    except services.DecisionRefused as refused:
        raise CaseworkRefused(refused.reason_nb, refused.reason_en) from None


@receiver(signals.decision_asked)
def has_active_decision(sender, application, **kwargs) -> bool:
    """A prepared, approved or published decision holds the application."""
    from tilskudd.grants.decisions import services  # noqa: PLC0415 - see the module's docstring

    return services.active_decision(application) is not None
