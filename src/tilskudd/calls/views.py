"""The public pages: the list of calls and one call's rules.

Thin views: they read the calls, take the current time from
``django.utils.timezone.now`` (the server's clock decides what is open, X-R01)
and the language from the request, and hand both to the pure functions in
:mod:`tilskudd.calls.presentation`.

Both pages change only when a call is loaded (or its deadline passes), yet building them from a
57 kB definition cost 20–50 ms of CPU a request (issue #14, point 2). The part of each page below
the header is therefore kept, rendered, per process: keyed by the language, each call's version id
and definition hash, its row's last change and whether it is open, so a call loaded anew (a new
version, or a version changed in place, which changes its hash) or a deadline passing makes a new
key, and nothing needs to be invalidated. The header (who is logged in, the language switch) is
rendered for each request; for an anonymous visitor the whole answer is kept instead, by
tilskudd.middleware.PublicPageCacheMiddleware (issue #14, point 3).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.calls import presentation
from tilskudd.calls.models import Call
from tilskudd.calls.presentation.words import is_open
from tilskudd.calls.snapshot import PUBLIC_PAGE
from tilskudd.core.cache import BoundedCache
from tilskudd.rules.schema import Text

#: Rendered page bodies by key (see the module's docstring); the oldest go first.
RENDERED_CACHE_SIZE = 128
_RENDERED: BoundedCache[tuple[str, str]] = BoundedCache(RENDERED_CACHE_SIZE)


def _rendered(key: Hashable, build: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """(title, body HTML: a SafeString from render_to_string) for ``key``, built once per process."""
    found = _RENDERED.get(key)
    if found is None:
        title, html = build()
        found = _RENDERED.put(key, (title, html))
    return found


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
    listed = (
        Call.objects.filter(current_version__isnull=False)
        .order_by("deadline", "slug")
        .values_list("pk", "updated_at", "deadline", "current_version_id", "current_version__definition_hash")
    )
    key = ("front", language, tuple((*row, is_open(row[2], now)) for row in listed))

    def build() -> tuple[str, str]:
        calls = (
            Call.objects.select_related("current_version")
            .filter(current_version__isnull=False)
            .order_by("deadline", "slug")
        )
        cards = [_card(call, language, now) for call in calls]
        # Open calls: the nearest deadline first. Closed calls: the most recently closed first.
        open_calls = [card for card in cards if card.is_open]
        closed_calls = [card for card in reversed(cards) if not card.is_open]
        html = render_to_string(
            "calls/_front_page_content.html", {"open_calls": open_calls, "closed_calls": closed_calls}
        )
        return "", html

    _, content = _rendered(key, build)
    return _public(request, render(request, "calls/front_page.html", {"content": content}))


def call_detail(request, slug):
    call = get_object_or_404(
        Call.objects.select_related("current_version").defer("current_version__definition"), slug=slug
    )
    version = call.current_version
    if version is None:
        raise Http404("This call has no definition loaded.")
    now = timezone.now()
    language = get_language()
    # The grantor's staff see the rule ids and the sections written for them; the public does not
    # (issue #13, point 3) — so whether they are shown is part of the key.
    show_rules = bool(request.user.is_authenticated and request.user.is_staff)
    key = (
        "call",
        language,
        show_rules,
        call.pk,
        call.updated_at,
        version.pk,
        version.definition_hash,
        is_open(call.deadline, now),
    )

    def build() -> tuple[str, str]:
        definition = call.definition
        page = presentation.call_page(definition, language, now)
        blocks = page.blocks if show_rules else page.public_blocks()
        html = render_to_string(
            "calls/_call_detail_content.html",
            {"call": call, "definition": definition, "page": page, "blocks": blocks, "show_rules": show_rules},
        )
        return page.title, html

    title, content = _rendered(key, build)
    return _public(
        request, render(request, "calls/call_detail.html", {"call": call, "title": title, "content": content})
    )


def _public(request, response):
    """Mark an anonymous visitor's page as the same for all of them (tilskudd.middleware.PublicPageCacheMiddleware)."""
    if not request.user.is_authenticated:
        setattr(response, PUBLIC_PAGE, True)
    return response
