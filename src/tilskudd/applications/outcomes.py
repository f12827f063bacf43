"""Outcomes of the casework that the applicant sees: the published decision (*kunngjort vedtak*).

Grants publishes its decisions and calls down here, inside the publication's transaction; the applicant's
pages read only :class:`~tilskudd.applications.models.PublishedDecision`, never grants' own decisions.
"""

from __future__ import annotations

import datetime as dt

from tilskudd.applications.models import Application, Document, PublishedDecision


def record_published_decision(
    application: Application, kind: str, amount: int, letter: Document | None, published_at: dt.datetime
) -> PublishedDecision:
    """Record that a decision of ``kind`` (grant, refusal, rejection) was published for ``application``."""
    return PublishedDecision.objects.create(
        application=application,
        kind=PublishedDecision.Kind(kind),
        amount=amount,
        letter=letter,
        published_at=published_at,
    )


def published_decision(application: Application) -> PublishedDecision | None:
    """The latest published decision of ``application``; None before publication."""
    return application.published_decisions.select_related("letter").order_by("-published_at", "-id").first()
