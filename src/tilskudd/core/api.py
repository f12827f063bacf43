"""One way for the JSON API to turn a ``Refusal`` into an error: ``{"detail": nb, "detail_en": en}``."""

from __future__ import annotations

from typing import Any

from tilskudd.core.refusals import Refusal


def refusal_body(refusal: Refusal, **extra: Any) -> dict[str, Any]:
    """The JSON body of an error, the same shape as every other error of the API."""
    return {"detail": refusal.reason_nb, "detail_en": refusal.reason_en, **extra}


def install(api) -> None:
    """Register the handler on a NinjaAPI: an uncaught refusal answers with its own status."""

    def handle(request, exc: Refusal):
        return api.create_response(request, refusal_body(exc), status=exc.status)

    api.add_exception_handler(Refusal, handle)
