from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Organisations that apply (*søkere*) and the people in them, with roles and delegations (*fullmakt*)."""

    name = "tilskudd.orgs"
    verbose_name = "Organisasjoner"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from tilskudd.core.remembered import remember_per_request  # noqa: PLC0415
        from tilskudd.orgs import receivers  # noqa: F401, PLC0415  (connects the handlers)
        from tilskudd.orgs.models import Membership  # noqa: PLC0415
        from tilskudd.orgs.permissions import forget_memberships, memberships_remembered  # noqa: PLC0415

        # A person's membership of an organisation is read once a request, and again after one is written.
        remember_per_request(memberships_remembered)
        for signal, written in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(forget_memberships, sender=Membership, dispatch_uid=f"tilskudd.orgs.forget_{written}")
