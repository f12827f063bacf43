from django.apps import AppConfig


class OrgsConfig(AppConfig):
    """Organisations that apply (*søkere*) and the people in them, with roles and delegations (*fullmakt*)."""

    name = "tilskudd.orgs"
    verbose_name = "Organisasjoner"

    def ready(self) -> None:
        from tilskudd.orgs import receivers  # noqa: F401, PLC0415  (connects the handlers)
        from tilskudd.orgs.permissions import remember_memberships_per_request  # noqa: PLC0415

        remember_memberships_per_request()
