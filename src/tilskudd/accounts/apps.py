from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """People who log in: applicants and grantor staff (*brukere*)."""

    name = "tilskudd.accounts"
    verbose_name = "Brukere"

    def ready(self) -> None:
        from tilskudd import checks  # noqa: F401, PLC0415  (registers the deploy checks: e-mail backend)
        from tilskudd.accounts import signals  # noqa: F401, PLC0415  (when a session was logged in)
