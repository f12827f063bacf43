"""The accessibility statement (*tilgjengelighetserklæring*) and the privacy statement
(*personvernerklæring*), public pages linked from every page's footer (issue #13, point 6).

Whom to contact comes from ``settings.SERVICE_CONTACT`` (the grantor that runs the service); the
grantors of the calls on the site are named beside it, since each is the data controller for the
applications it receives.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render

from tilskudd.calls.models import Call


def _context() -> dict:
    grantors = sorted(
        {
            name
            for name in Call.objects.filter(current_version__isnull=False).values_list("grantor_name", flat=True)
            if name
        }
    )
    return {"contact": settings.SERVICE_CONTACT, "grantors": grantors}


def accessibility(request):
    return render(request, "calls/statement_accessibility.html", _context())


def privacy(request):
    context = _context()
    context["session_hours"] = int(settings.SESSION_COOKIE_AGE // 3600) or 1
    context["lockout_minutes"] = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "calls/statement_privacy.html", context)
