"""The organisations the person is in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from tilskudd.orgs.models import Membership, MembershipRequest
from tilskudd.orgs.views.labels import role_label


@login_required
def my_organisations(request):
    memberships = (
        Membership.objects.filter(user=request.user, removed_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )
    pending = MembershipRequest.objects.filter(
        user=request.user, status=MembershipRequest.Decision.PENDING
    ).select_related("organisation")
    rows = [{"member": member, "role": role_label(member)} for member in memberships]
    return render(request, "orgs/my_organisations.html", {"rows": rows, "pending": pending})
