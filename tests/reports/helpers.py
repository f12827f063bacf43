"""Shared set-up for the report tests (no tests here): a world with C0, C2 and C3, and accepted grants."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from unittest import mock

from tests.casework.helpers import applicant_of
from tests.complaints.helpers import C3, decide
from tilskudd.grants.awards import acceptance

OSLO = dt.timezone(dt.timedelta(hours=1))
#: A day in each call's year when its grants are decided and accepted.
DECIDED = {
    "kommunale-integreringstiltak-2019": dt.datetime(2019, 6, 3, 12, 0, tzinfo=OSLO),
    "frivillige-organisasjoner-2020": dt.datetime(2020, 4, 1, 12, 0, tzinfo=OSLO),
    C3: dt.datetime(2024, 5, 6, 12, 0, tzinfo=OSLO),
}


@contextlib.contextmanager
def frozen_clock() -> Iterator[Callable[[dt.datetime], dt.datetime]]:
    """``freeze_now`` for a shared world's builder, which runs outside any test (tests/builders.py): the clock
    stays where it was last set until the block ends."""
    with contextlib.ExitStack() as stack:

        def freeze(instant: dt.datetime) -> dt.datetime:
            stack.enter_context(mock.patch("django.utils.timezone.now", lambda: instant))
            return instant

        yield freeze


def accepted_grant(world, freeze_now, slug: str, amount: int, index: int = 0, **decision):
    """A grant of ``amount`` in the call ``slug`` (the world's ``index``-th application that applied for at least
    that much), published and accepted by the organisation's signatory through the acceptance service."""
    freeze_now(DECIDED[slug])
    application = [a for a in world.applications[slug] if (a.case.amount_applied or 0) >= amount][index]
    grant = decide(world, application, kind="grant", amount=amount, **decision).grant
    acceptance.accept(applicant_of(application), grant.pk, acceptance.terms_hash(grant))
    grant.refresh_from_db()
    return grant
