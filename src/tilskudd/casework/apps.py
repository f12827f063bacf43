from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    """The grantor's side of a case (*saksbehandling*): grantor staff, routing, intake and screening."""

    name = "tilskudd.casework"
    verbose_name = "Saksbehandling"

    def ready(self) -> None:
        # Models load once the apps are ready, hence the imports here.
        from django.db.models.signals import post_delete, post_save  # noqa: PLC0415

        from tilskudd.accounts.services import require_two_factor_when  # noqa: PLC0415
        from tilskudd.casework import receivers, scope  # noqa: F401, PLC0415  - receivers connects the submission receiver
        from tilskudd.casework.models import StaffRole  # noqa: PLC0415
        from tilskudd.core.remembered import remember_per_request  # noqa: PLC0415
        from tilskudd.orgs.permissions import register_grantor_staff  # noqa: PLC0415

        # A person's roles are read once a request, and again after one is written (scope.roles_remembered).
        remember_per_request(scope.roles_remembered)
        for signal, written in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(scope.forget_roles, sender=StaffRole, dispatch_uid=f"tilskudd.casework.forget_{written}")
        # Tell the apps below casework what only casework knows about grantor staff.
        require_two_factor_when(scope.is_grantor_staff)
        register_grantor_staff(
            works_cases=lambda user: bool(scope.grantor_numbers(user, *scope.ORGANISATION_ROLES)),
            reads_organisation=scope.can_read_organisation,
        )
