"""The JSON API, version 1. The OpenAPI document is at /api/v1/openapi.json, docs at /api/v1/docs.

Errors are JSON: ``{"detail": "<bokmål>", "detail_en": "<English>"}``, and for a
malformed request (422) ``{"detail": [{"loc", "msg", "type", "field",
"message_nb", "message_en"}, …]}`` with one item per problem.
"""

import json

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from ninja import NinjaAPI, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

from tilskudd.core.api import install as install_refusal_handler
from tilskudd.rules.cli_check import problem_from_error


class BodyNotJSON(ValueError):
    """A request body that is not JSON (or not UTF-8)."""


class JSONParser(Parser):
    """ninja's JSON parser, with an error that says where the JSON breaks."""

    def parse_body(self, request: HttpRequest):
        try:
            return json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise BodyNotJSON(f"not UTF-8 at byte {exc.start}") from exc
        except json.JSONDecodeError as exc:
            raise BodyNotJSON(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
        except RecursionError as exc:
            raise BodyNotJSON("nested too deeply") from exc
        except ValueError as exc:  # an integer of more than 4300 digits (sys.set_int_max_str_digits)
            raise BodyNotJSON("a number has too many digits") from exc


api = NinjaAPI(
    title="tilskudd API",
    version="1",
    description=(
        "Utlysninger og regelmotoren, for integrasjoner. / Calls for applications and the rule engine, "
        "for integrations. The application format is documented in docs/application-format.md and "
        "docs/application.schema.json."
    ),
    urls_namespace="api-v1",
    parser=JSONParser(),
    # Swagger UI from django-ninja's own static files ("ninja" in INSTALLED_APPS), never a CDN, and
    # no badge from the public validator: the docs page asks no other host (CSP connect-src 'self').
    docs=Swagger(settings={"validatorUrl": None}),
)
install_refusal_handler(api)  # a service's Refusal (NotAllowed: 403 …) answers {"detail", "detail_en"}


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    if isinstance(exc.__cause__, BodyNotJSON):
        reason = str(exc.__cause__)
        return api.create_response(
            request,
            {
                "detail": f"Innholdet i forespørselen er ikke gyldig JSON ({reason}).",
                "detail_en": f"The request body is not valid JSON ({reason}).",
            },
            status=400,
        )
    return api.create_response(request, {"detail": str(exc), "detail_en": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
def body_too_large(request: HttpRequest, exc: RequestDataTooBig):
    """413 with the limit (DATA_UPLOAD_MAX_MEMORY_SIZE), in JSON like every other error of the API."""
    limit = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f}".removesuffix(".0")
    return api.create_response(
        request,
        {
            "detail": f"Innholdet i forespørselen er større enn {limit.replace('.', ',')} MB, som er grensen.",
            "detail_en": f"The request body is larger than the limit of {limit} MB.",
        },
        status=413,
    )


def _skip(loc: tuple) -> int:
    """How much of ninja's location to drop to get a path into the application: ``body``, ``application``."""
    if len(loc) >= 2 and loc[0] == "body" and loc[1] == "application":
        return 2
    return 1 if loc else 0


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    detail = []
    for item in exc.errors:
        loc = tuple(item.get("loc", ()))
        problem = problem_from_error(item, skip=_skip(loc))
        nb, en = problem.message_nb, problem.message_en
        if not problem.location and item.get("type") == "missing":
            nb, en = "Forespørselen mangler en søknad (JSON).", "The request has no application (JSON)."
        detail.append(
            {
                "type": item.get("type", ""),
                "loc": list(loc),
                "msg": item.get("msg", ""),
                "field": problem.location,
                "message_nb": nb,
                "message_en": en,
            }
        )
    return api.create_response(request, {"detail": detail}, status=422)


from tilskudd.api.calls import router as calls_router  # noqa: E402

api.add_router("/calls", calls_router)

from ninja.errors import AuthenticationError  # noqa: E402

from tilskudd.api.applications import router as applications_router  # noqa: E402
from tilskudd.api.auth import unauthorised  # noqa: E402

api.add_router("/applications", applications_router)
api.add_exception_handler(AuthenticationError, unauthorised)  # 401 in bokmål and English

from tilskudd.api.grants import router as grants_router  # noqa: E402

api.add_router("/applications", grants_router)  # …/{id}/grant and …/{id}/grant/answer (issue #11)

from tilskudd.api.reports import router as reports_router  # noqa: E402

api.add_router("/applications", reports_router)  # …/{id}/grant/reports: duties, drafts, delivery (issue #12)
