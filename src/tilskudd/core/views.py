"""One way for a view to turn a ``Refusal`` into a page."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import render
from django.utils.translation import get_language

from tilskudd.core.refusals import Refusal


def refused_page(
    request, reason_nb: str, reason_en: str = "", status: int = 403, template: str = "core/refused.html", **context
):
    """The page that says why not: heading «Ikke tilgang» for 403, «Kan ikke gjøres» otherwise."""
    return render(
        request,
        template,
        {"reason_nb": reason_nb, "reason_en": reason_en or reason_nb, "status": status, **context},
        status=status,
    )


def refusals_as_pages(view=None, *, template: str = "core/refused.html"):
    """A ``Refusal`` the view lets through becomes its page, with the refusal's status (403, 409 …).

    Views that show the reason on their own form catch the refusal themselves; this is for the rest.
    """

    def decorate(function):
        @wraps(function)
        def wrapper(request, *args, **kwargs):
            try:
                return function(request, *args, **kwargs)
            except Refusal as refusal:
                return refused_page(request, refusal.reason_nb, refusal.reason_en, refusal.status, template)

        return wrapper

    return decorate(view) if view is not None else decorate


def reason_of(refusal: Refusal) -> str:
    """The refusal's reason in the page's language."""
    return refusal.reason(get_language())


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: Django's own page is styled inline, which the Content-Security-Policy blocks; this one
    is the site's page and says in plain words what to do. ``reason`` is Django's technical one and is not shown."""
    return refused_page(
        request,
        "Skjemaet kunne ikke sendes fordi siden var for gammel eller kom fra et annet nettsted. Ingenting er lagret. "
        "Gå tilbake, last inn siden på nytt og prøv igjen. Skjer det igjen, må nettleseren tillate informasjonskapsler "
        "fra denne siden.",
        "The form could not be sent because the page was too old or came from another site. Nothing has been saved. "
        "Go back, reload the page and try again. If it happens again, your browser must allow cookies from this site.",
        status=403,
    )
