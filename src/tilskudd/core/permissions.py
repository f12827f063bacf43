"""``Permission``: may this person do this — and if not, why, in bokmål and English.

Every «may X do Y» function on the applicant side and the staff side returns one; it is falsy when
the answer is no, and its reasons are shown to the person where a button is missing.
"""

from __future__ import annotations

from typing import NamedTuple

from tilskudd.core.text import pick


class Permission(NamedTuple):
    allowed: bool
    reason_nb: str = ""
    reason_en: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def reason(self, language: str | None) -> str:
        return pick(language, self.reason_nb, self.reason_en or self.reason_nb)


ALLOWED = Permission(True)


def denied(reason_nb: str, reason_en: str) -> Permission:
    return Permission(False, reason_nb, reason_en)
