"""The complaint box on the applicant's decision (``applications/_casework_notice.html``): a «Klag på vedtaket»
button where the call allows a complaint, else why not with the legal reference; an open complaint's status.

A template tag, so the applications layer (below complaints) shows it without importing complaints."""

from __future__ import annotations

from typing import Any

from django import template

from tilskudd.complaints import services
from tilskudd.complaints.models import Complaint
from tilskudd.orgs.permissions import is_member

register = template.Library()


@register.inclusion_tag("complaints/_decision_box.html", takes_context=True)
def complaint_box(context, application) -> dict[str, Any]:
    decision = services.published_decision_of(application) if application is not None else None
    if decision is None:
        return {"decision": None}
    right = services.complaint_right(decision)
    user = context.get("user")
    return {
        "application": application,
        "decision": decision,
        "right": right,
        "member": user is not None and is_member(user, application.organisation).allowed,
        "deadline": services.deadline_of(decision, right.deadline_weeks)
        if right.allowed and right.deadline_weeks
        else None,
        "complaints": list(Complaint.objects.filter(decision=decision).order_by("-filed_at")),
    }
