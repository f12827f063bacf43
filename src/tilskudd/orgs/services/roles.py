"""A person's role in an organisation from the two questions «may sign?» and «administers people?»."""

from __future__ import annotations

from tilskudd.orgs.models import Role


def role_for(can_sign: bool, is_admin: bool) -> tuple[str, bool]:
    """(role, administers) for the two questions «may sign?» and «administers people?»."""
    if can_sign:
        return Role.SIGNATORY, bool(is_admin)
    return (Role.ADMINISTRATOR if is_admin else Role.MEMBER), False


def role_summary(role: str, administers: bool) -> dict[str, bool]:
    return {"can_sign": role == Role.SIGNATORY, "is_admin": role == Role.ADMINISTRATOR or administers}
