"""What applications do when something changes below them (orgs' signals)."""

from __future__ import annotations

from django.dispatch import receiver

from tilskudd.orgs.signals import delegation_revoked


@receiver(delegation_revoked, dispatch_uid="tilskudd.applications.void_delegated_signatures")
def void_delegated_signatures(sender, delegation, actor, **kwargs) -> None:
    """A revoked delegation voids the signatures made under it on applications not yet submitted."""
    # Imported here, not when the app is ready: the services pull in the rule engine (issue #13, point 11).
    from tilskudd.applications.services import void_signatures_of_delegation  # noqa: PLC0415

    void_signatures_of_delegation(actor, delegation)
