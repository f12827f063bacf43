"""Helpers for the intake and screening tests."""

from __future__ import annotations

import re

from tilskudd.orgs.models import Membership


def applicant_of(application):
    """The applicant organisation's confirmed signatory (who drafted, signed and submitted the demo example)."""
    return (
        Membership.objects.filter(organisation=application.organisation, role="signatory", removed_at__isnull=True)
        .exclude(confirmed_at=None)
        .first()
        .user
    )


def queue_rows(html: str) -> list[str]:
    """The visible text of each row of the queue table."""
    from tests.web.conftest import visible_text

    table = re.search(r'<table class="ds-table" data-size="sm" id="queue">(.*?)</table>', html, re.S)
    if table is None:
        return []
    body = table.group(1).split("<tbody>", 1)[1]
    return [visible_text(row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]
