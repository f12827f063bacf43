"""The rule engine: a call definition and an application in, findings out.

Pure Python. :func:`evaluate` checks, in this order: the deadline (X-R01),
identifiers (X-R02), who may apply (eligibility), the grantor, the priority
areas, the form's fields, the call's checks and the budget categories. The same
function serves the web form, the API, the CLI and the caseworker's screening,
so an applicant and a caseworker always see the same result.

The work that depends only on the call (paths, conditions, labels, the messages
that do not depend on an answer) is done once per call definition, in a
:class:`~tilskudd.rules.plan.CallPlan` (see :mod:`tilskudd.rules.plan`).
:func:`resolve` below states how a path is read; when a condition holds and
when an answer is empty is stated once, in :mod:`tilskudd.rules.conditions`
(:meth:`Context.lookup` gives it the application's values). The plan does the
same, faster.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tilskudd.rules.application import Application
from tilskudd.rules.conditions import holds as holds_for
from tilskudd.rules.conditions import is_empty
from tilskudd.rules.findings import Finding
from tilskudd.rules.plan import (
    GENERAL_RULE_DEADLINE,
    GENERAL_RULE_IDENTIFIERS,
    INDEXED,
    ORG_FORM_TYPES,
    clear_plans,
    plan_for,
)
from tilskudd.rules.schema import OSLO, CallDefinition, Condition

__all__ = [
    "GENERAL_RULE_DEADLINE",
    "GENERAL_RULE_IDENTIFIERS",
    "ORG_FORM_TYPES",
    "Context",
    "clear_plans",
    "evaluate",
    "holds",
    "is_empty",
    "resolve",
    "rule_ids_checked",
]


@dataclass(frozen=True, slots=True)
class Context:
    call: CallDefinition
    application: Application
    at: dt.datetime

    @property
    def today(self) -> dt.date:
        """The date of application, judged in Oslo."""
        return self.at.astimezone(OSLO).date()

    def lookup(self, path: str) -> Any:
        """The application's value at ``path`` (:func:`resolve`), for :func:`conditions.holds`."""
        return resolve(self.application, path)


def evaluate(call: CallDefinition, application: Application, at: dt.datetime) -> list[Finding]:
    """Every finding for ``application`` under ``call`` at the instant ``at`` (aware).

    A finding that comes from two places (a bank account is checked as an
    identifier, X-R02, and as a form field of type bank_account) is given once.
    """
    if at.tzinfo is None:
        raise ValueError("at must be an aware date-time")
    return plan_for(call).evaluate(application, at)


# --- paths and conditions ------------------------------------------------------


def resolve(application: Application, path: str) -> Any:
    """The value at ``path`` (``answers.x``, ``applicant.bank_account``, ``attachments[kind]``)."""
    current: Any = application
    for part in path.split("."):
        indexed = INDEXED.match(part)
        if indexed and indexed["name"] == "attachments":
            kind = indexed["key"]
            return [a for a in application.attachments if a.kind == kind]
        if isinstance(current, dict):
            current = current.get(part)
        else:
            current = getattr(current, part, None)
        if current is None:
            return None
    return current


def holds(condition: Condition | None, ctx: Context) -> bool:
    """Whether every part of ``condition`` holds for the application (:func:`conditions.holds`)."""
    return holds_for(condition, ctx.lookup)


def rule_ids_checked(call: CallDefinition) -> set[str]:
    """Rule ids the engine can produce findings for under ``call`` (for docs/rules.md and tests)."""
    ids = {GENERAL_RULE_DEADLINE, GENERAL_RULE_IDENTIFIERS}
    eligibility = call.eligibility
    for part in (
        eligibility.applicant_types,
        eligibility.allow_list,
        eligibility.voluntary_register,
        eligibility.minimum_age,
        eligibility.national_presence,
        eligibility.joint,
        call.areas,
        call.local_grantors,
    ):
        if part is not None:
            ids.add(part.rule)
    ids |= {field.rule for field in call.fields if field.rule and (field.required or field.required_when)}
    ids |= {check.rule for check in call.checks}
    ids |= {category.rule for category in call.budget.categories if not category.eligible}
    return ids
