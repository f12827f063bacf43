"""``Refusal``: the one base of every «this cannot be done, and here is why» a service raises.

A refusal carries its reason in bokmål and English, which the person is shown as it is, and the HTTP
status a view or the API answers with. Services raise a subclass named for their domain
(``SubmissionRefused``, ``AllocationRefused`` …); views turn any of them into a page with
``tilskudd.core.views.refusals_as_pages``, the API into JSON with ``tilskudd.core.api``.
"""

from __future__ import annotations

from tilskudd.core.permissions import Permission
from tilskudd.core.text import pick


class Refusal(Exception):
    """The action is not done; ``reason_nb``/``reason_en`` say why, in words for the person."""

    #: What a page or the API answers with when nothing more specific catches it.
    status = 409

    def __init__(self, reason_nb: str, reason_en: str = ""):
        self.reason_nb = reason_nb
        self.reason_en = reason_en or reason_nb
        super().__init__(self.reason_en)

    @property
    def reasons(self) -> tuple[str, str]:
        """(bokmål, English)."""
        return self.reason_nb, self.reason_en

    def reason(self, language: str | None) -> str:
        return pick(language, self.reason_nb, self.reason_en)


class NotAllowed(Refusal):
    """The person may not do this (a falsy ``Permission``); a 403."""

    status = 403

    def __init__(self, permission: Permission):
        self.permission = permission
        super().__init__(permission.reason_nb, permission.reason_en)


def require(permission: Permission) -> None:
    """Raise ``NotAllowed`` unless the permission allows."""
    if not permission:
        raise NotAllowed(permission)
