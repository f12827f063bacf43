"""The receipt (*kvittering*) for a delivered report: a PDF of what was delivered, its hash and who signed.

Rendered by :func:`tilskudd.core.pdf.render_pdf` (tagged PDF/UA-1) from ``reports/receipt.html``, in bokmål,
inside the delivery's transaction, and stored on the report with its own SHA-256.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string

from tilskudd.applications.receipts import FONT_DIR
from tilskudd.core.formatting import format_date, format_datetime, format_nok
from tilskudd.core.pdf import render_pdf
from tilskudd.reports.goals import stated_goals
from tilskudd.reports.models import Report
from tilskudd.reports.services import form_fields


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def receipt_context(report: Report) -> dict[str, Any]:
    duty = report.duty
    grant = duty.grant
    application = grant.application
    labels = {f.id: f.label.nb for f in form_fields(duty)}
    goals = stated_goals(duty)
    answers = []
    for key, value in report.answers.items():
        shown = {True: "Ja", False: "Nei"}.get(value, value) if isinstance(value, bool) else value
        beside = [goal.as_dict("nb") for goal in goals.get(key, [])]
        answers.append({"label": labels.get(key, key), "value": shown, "goals": beside})
    accounts = report.accounts or {}
    return {
        "case_number": application.case_number or "",
        "organisation": application.organisation.name,
        "org_number": application.organisation.org_number,
        "call_title": application.call_version.parsed().title.nb,
        "duty_title": duty.title_nb,
        "rule": duty.rule,
        "due": format_date(duty.due) if duty.due else "",
        "version": report.version,
        "submitted_at": format_datetime(report.submitted_at, "nb", seconds=True),
        "signer": report.submitted_by.get_full_name() or report.submitted_by.email,
        "signer_title": report.title,
        "capacity": "signaturrett" if report.capacity == "signatory" else "fullmakt",
        "hash": report.content_hash,
        "grant_amount": format_nok(grant.amount),
        "answers": answers,
        "accounts": accounts,
        "lines": [
            {**line, "budget_nok": format_nok(line["budget"]), "actual_nok": format_nok(line["actual"])}
            for line in accounts.get("lines", [])
        ],
        "totals": {
            key: format_nok(accounts[key])
            for key in (
                "granted",
                "other_income",
                "own_contribution",
                "total_budget",
                "total_actual",
                "net_costs",
                "unused",
                "carried_over",  # only where last year's unused money was carried into the year
                "paid_for_year",
            )
            if key in accounts
        },
        "attachments": list(duty.attachments.order_by("pk")),
    }


def receipt_html(report: Report) -> str:
    return render_to_string("reports/receipt.html", receipt_context(report))


def receipt_pdf(report: Report) -> bytes:
    return render_pdf(receipt_html(report), base_url=FONT_DIR.as_uri() + "/", language="nb")
