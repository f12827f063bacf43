"""The public pages: the list of calls and one call's rules.

Thin views: they read the calls, take the current time from
``django.utils.timezone.now`` (the server's clock decides what is open, X-R01)
and the language from the request, and hand both to the pure functions in
:mod:`tilskudd.calls.presentation`.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.calls import presentation
from tilskudd.calls.models import Call
from tilskudd.rules.schema import Text


def _listed_text(value, fallback: str) -> Text:
    """A Text from the stored JSON, without validating the whole definition."""
    if isinstance(value, dict) and value.get("nb"):
        return Text(nb=value["nb"], en=value.get("en") or "")
    return Text(nb=fallback or "–")


def _card(call: Call, language: str, now) -> presentation.CallCard:
    # The list reads a few keys of the stored definition; it does not parse every call in full.
    data = call.current_version.definition if call.current_version else {}
    frame = data.get("frame") or {}
    eligibility = data.get("eligibility") or {}
    return presentation.call_card(
        slug=call.slug,
        title=Text(nb=call.title_nb, en=call.title_en),
        grantor=_listed_text((data.get("grantor") or {}).get("name"), call.grantor_name),
        frame_amount=call.frame_amount,
        frame_up_to=bool(frame.get("up_to")),
        deadline=call.deadline,
        applicant_types=(eligibility.get("applicant_types") or {}).get("allowed") or [],
        language=language,
        now=now,
    )


def front_page(request):
    now = timezone.now()
    language = get_language()
    calls = (
        Call.objects.select_related("current_version")
        .filter(current_version__isnull=False)
        .order_by("deadline", "slug")
    )
    cards = [_card(call, language, now) for call in calls]
    # Open calls: the nearest deadline first. Closed calls: the most recently closed first.
    open_calls = [card for card in cards if card.is_open]
    closed_calls = [card for card in reversed(cards) if not card.is_open]
    return render(request, "calls/front_page.html", {"open_calls": open_calls, "closed_calls": closed_calls})


def call_detail(request, slug):
    call = get_object_or_404(Call.objects.select_related("current_version"), slug=slug)
    if call.current_version is None:
        raise Http404("This call has no definition loaded.")
    definition = call.definition
    page = presentation.call_page(definition, get_language(), timezone.now())
    return render(request, "calls/call_detail.html", {"call": call, "definition": definition, "page": page})
