"""The page where an organisation's administrators create and revoke API tokens.

``/organisasjoner/<org_id>/api-nokler/``. Thin views over :mod:`tilskudd.api.auth`
(which holds the permission functions and the operations). A person outside
the organisation gets 404, so its existence does not leak. The secret of a new
token is shown once, in the answer to the form; only its hash is stored.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tilskudd.api import auth
from tilskudd.api.models import ApiToken
from tilskudd.core.formatting import OSLO
from tilskudd.core.refusals import NotAllowed
from tilskudd.core.text import pick
from tilskudd.orgs.models import Organisation

app_name = "api_tokens"

#: Form fields and the ids of their inputs (the error summary links to them).
FIELD_IDS = {"name": "token-name", "expires_on": "token-expires-on"}


def _organisation_for(request: HttpRequest, org_id: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=org_id)
    if not auth.can_see_tokens(request.user, organisation):
        raise Http404("not in this organisation")
    return organisation


def _expiry(value: str) -> dt.datetime | None:
    """``2030-12-31`` (valid to and including that day) → the start of the next day in Oslo."""
    value = value.strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise auth.TokenInputError(
            "expires_on", "Skriv datoen som dd.mm.åååå.", "Write the date as dd.mm.yyyy."
        ) from None
    if day >= auth.latest_expiry(timezone.now()).astimezone(OSLO).date():  # before 9999-12-31 + 1 day overflows
        raise auth.too_far_ahead()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=OSLO)


def _rows(request: HttpRequest, organisation: Organisation) -> list[dict]:
    language = get_language()
    now = timezone.now()
    rows = []
    for token in auth.visible_tokens(request.user, organisation):
        state = auth.token_state(token, now)
        rows.append(
            {
                "token": token,
                "state": state,
                "status": pick(language, state.text_nb, state.text_en),
                "valid_through": timezone.localtime(token.expires_at - dt.timedelta(seconds=1)).date()
                if token.expires_at
                else None,
                "can_revoke": token.revoked_at is None and bool(auth.can_revoke_token(request.user, token)),
            }
        )
    return rows


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest, org_id: int) -> HttpResponse:
    """The organisation's tokens, and (for administrators) the form that creates one."""
    organisation = _organisation_for(request, org_id)
    language = get_language()
    may_create = auth.can_create_token(request.user, organisation)
    errors: dict[str, str] = {}
    values = {"name": "", "expires_on": ""}
    issued = None
    status = 200
    if request.method == "POST":
        if not may_create:
            status = 403
        else:
            values = {key: request.POST.get(key, "")[:200] for key in values}
            try:
                issued = auth.issue_token(request.user, organisation, values["name"], _expiry(values["expires_on"]))
            except auth.TokenInputError as exc:
                errors[exc.field] = pick(language, exc.message_nb, exc.message_en)
                status = 400
            else:
                values = {"name": "", "expires_on": ""}
    context = {
        "organisation": organisation,
        "rows": _rows(request, organisation),
        "may_create": bool(may_create),
        "create_reason": may_create.reason(language),
        "is_administrator": auth.is_administrator(request.user, organisation),
        "errors": [(FIELD_IDS[field], message) for field, message in errors.items()],
        "field_errors": errors,
        "values": values,
        "issued": issued,
        "today": timezone.localdate().isoformat(),
        "latest": (auth.latest_expiry(timezone.now()).astimezone(OSLO) - dt.timedelta(days=1)).date().isoformat(),
    }
    return render(request, "api/tokens.html", context, status=status)


@never_cache
@login_required
@require_POST
def revoke(request: HttpRequest, org_id: int, token_id: int) -> HttpResponse:
    organisation = _organisation_for(request, org_id)
    language = get_language()
    try:
        token = auth.revoke_token(request.user, token_id, organisation)
    except ApiToken.DoesNotExist:
        raise Http404("no such token in this organisation") from None
    except NotAllowed as exc:
        messages.error(request, exc.reason(language))
    else:
        messages.success(
            request,
            pick(
                language,
                f"API-nøkkelen «{token.name}» er trukket tilbake og virker ikke lenger.",
                f"The API token '{token.name}' has been revoked and no longer works.",
            ),
        )
    return redirect("api_tokens:list", org_id=organisation.pk)


urlpatterns = [
    path("organisasjoner/<int:org_id>/api-nokler/", token_list, name="list"),
    path("organisasjoner/<int:org_id>/api-nokler/<int:token_id>/trekk-tilbake/", revoke, name="revoke"),
]
