from django.apps import AppConfig


class GrantsConfig(AppConfig):
    """Grants (*tilskudd*): frames, allocation, decisions (*vedtak*) and letters (*brev*)."""

    name = "tilskudd.grants"
    verbose_name = "Tilskudd og vedtak"
