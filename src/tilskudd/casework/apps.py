from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The grantor's side of a case (*saksbehandling*): grantor staff, routing, intake and screening."""

    name = "tilskudd.casework"
    verbose_name = "Saksbehandling"

    def ready(self) -> None:
        # Models load once the apps are ready, hence the imports here.
        from tilskudd.accounts.services import require_two_factor_when  # noqa: PLC0415
        from tilskudd.casework import receivers, scope  # noqa: F401, PLC0415  - receivers connects the submission receiver
        from tilskudd.orgs.permissions import register_grantor_staff  # noqa: PLC0415

        scope.remember_roles_per_request()
        # Tell the apps below casework what only casework knows about grantor staff.
        require_two_factor_when(scope.is_grantor_staff)
        register_grantor_staff(
            works_cases=lambda user: bool(scope.grantor_numbers(user, *scope.ORGANISATION_ROLES)),
            reads_organisation=scope.can_read_organisation,
        )
