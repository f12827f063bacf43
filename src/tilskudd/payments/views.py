"""Staff pages for payments (*utbetalinger*) under /saksbehandling/utbetalinger/, thin over ``payments.services``.

Scope: a grantor's staff see only their own grantor's payments — another grantor's batch, order or term answers
404 (its existence does not leak); inside, a missing role answers 403 with the reason (``casework.access``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from tilskudd.casework import scope
from tilskudd.casework.access import RoleMissing, staff_view
from tilskudd.core.refusals import Refusal
from tilskudd.core.text import pick
from tilskudd.core.views import reason_of
from tilskudd.grants.models import PaymentTerm
from tilskudd.orgs.models import Organisation
from tilskudd.payments import services
from tilskudd.payments.iso20022.camt054 import MAX_BYTES
from tilskudd.payments.models import PaymentBatch, PaymentOrder
from tilskudd.payments.states import BATCH_STATUS_EN, BatchStatus


def _say(request, nb: str, en: str) -> None:
    messages.success(request, pick(get_language(), nb, en))


def _status(status: str) -> tuple[str, str]:
    return BatchStatus(status).label, BATCH_STATUS_EN[BatchStatus(status)]


def _require_roles(user, grantor_org_number: str, *acting: str) -> None:
    """RoleMissing without a role that reads payments at the grantor, or without one of ``acting`` where given."""
    for wanted in (services.READERS, acting):
        if wanted and not scope.has_role(user, grantor_org_number, *wanted):
            raise RoleMissing(*wanted)


def _grantor_or_404(user, org_id: int, *acting: str) -> Organisation:
    """The grantor, if ``user`` works for it (else 404); RoleMissing without a role that reads payments, or without
    one of the ``acting`` roles where given."""
    grantor = Organisation.objects.filter(pk=org_id).first()
    if grantor is None or not scope.has_role(user, grantor.org_number):
        raise Http404("no such grantor")
    _require_roles(user, grantor.org_number, *acting)
    return grantor


def _batch_or_404(user, batch_id: int, *acting: str) -> PaymentBatch:
    """The batch, as :func:`_grantor_or_404` its grantor."""
    batch = PaymentBatch.objects.select_related("prepared_by", "approved_by").filter(pk=batch_id).first()
    if batch is None or not scope.has_role(user, batch.grantor_org_number):
        raise Http404("no such batch")
    _require_roles(user, batch.grantor_org_number, *acting)
    return batch


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@staff_view
@require_GET
def index(request):
    """The grantors whose payments the person may read; one goes straight to its page."""
    numbers = scope.grantor_numbers(request.user, *services.READERS)
    if not numbers:
        raise RoleMissing(*services.READERS)
    grantors = list(Organisation.objects.filter(org_number__in=numbers).order_by("name"))
    return render(request, "payments/index.html", {"casework_section": "payments", "grantors": grantors})


def _grantor_page(request, grantor: Organisation, *, errors=(), report=None, status: int = 200, chosen=()):
    user = request.user
    number = grantor.org_number
    today = timezone.localdate()
    due = list(services.due_terms(number, today))
    batches = list(
        PaymentBatch.objects.filter(grantor_org_number=number)
        .prefetch_related("orders")
        .select_related("prepared_by")[:50]
    )
    rows = [
        {
            "batch": batch,
            "status": _status(batch.status),
            "total": sum(o.amount for o in batch.orders.all() if o.live),
            "count": sum(1 for o in batch.orders.all() if o.live),
        }
        for batch in batches
    ]
    held = PaymentTerm.objects.filter(
        status="held", grant__application__case__grantor_org_number=number
    ).select_related("grant__application__organisation")
    context = {
        "casework_section": "payments",
        "grantor": grantor,
        "due": due,
        "due_total": sum(t.amount for t in due),
        "held": list(held),
        "rows": rows,
        "errors": list(errors),
        "report": report,
        "chosen": {int(c) for c in chosen if str(c).isdigit()},
        "execution_date": request.POST.get("execution_date") or today.isoformat(),
        "can_prepare": scope.has_role(user, number, *services.PREPARERS),
        "can_import": scope.has_role(user, number, *services.HANDLERS),
    }
    return render(request, "payments/grantor.html", context, status=status)


@staff_view
@require_GET
def grantor(request, org_id: int):
    return _grantor_page(request, _grantor_or_404(request.user, org_id))


@staff_view
@require_POST
def prepare(request, org_id: int):
    item = _grantor_or_404(request.user, org_id, *services.PREPARERS)
    chosen = request.POST.getlist("terms")
    errors = []
    if not chosen or not all(c.isdigit() for c in chosen):
        errors.append(("due-terms", pick(get_language(), "Velg minst én termin.", "Choose at least one term.")))
    execution = _date(request.POST.get("execution_date", ""))
    if execution is None:
        errors.append(("id_execution_date", pick(get_language(), "Oppgi betalingsdatoen.", "Give the payment date.")))
    if execution is not None and not errors:
        try:
            batch = services.prepare_batch(request.user, item.org_number, [int(c) for c in chosen], execution)
        except services.PaymentRefused as error:
            errors.append(("", reason_of(error)))
        else:
            _say(request, "Betalingsoppdraget er klargjort og venter på godkjenning.", "The batch awaits approval.")
            return redirect("payments:batch", batch_id=batch.pk)
    return _grantor_page(request, item, errors=errors, status=400, chosen=chosen)


@staff_view
@require_POST
def import_camt054(request, org_id: int):
    item = _grantor_or_404(request.user, org_id, *services.HANDLERS)
    upload = request.FILES.get("file")
    errors = []
    if upload is None:
        errors.append(("id_file", pick(get_language(), "Velg filen fra banken.", "Choose the file from the bank.")))
    elif upload.size > MAX_BYTES:
        errors.append(("id_file", pick(get_language(), "Filen er for stor.", "The file is too large.")))
    else:
        try:
            report = services.import_camt054(request.user, item.org_number, upload.read())
        except Refusal as error:  # BankFileRefused (400): the file cannot be read
            errors.append(("id_file", reason_of(error)))
        else:
            return _grantor_page(request, item, report=report)
    return _grantor_page(request, item, errors=errors, status=400)


@staff_view
@require_GET
def batch(request, batch_id: int):
    item = _batch_or_404(request.user, batch_id)
    return _batch_page(request, item)


def _batch_page(request, item: PaymentBatch, *, errors=(), status: int = 200):
    user, number = request.user, item.grantor_org_number
    orders = list(
        item.orders.select_related("term", "term__grant", "term__grant__application").order_by("end_to_end_id")
    )
    live = [o for o in orders if o.live]
    approver = scope.has_role(user, number, *services.APPROVERS)
    own = item.prepared_by_id == user.pk
    context = {
        "casework_section": "payments",
        "batch": item,
        "grantor": Organisation.objects.filter(org_number=number).first(),
        "status": _status(item.status),
        "orders": orders,
        "total": sum(o.amount for o in live),
        "errors": list(errors),
        "today": timezone.localdate().isoformat(),
        "can_approve": approver and not own and item.status == BatchStatus.PREPARED,
        "own_and_approver": approver and own and item.status == BatchStatus.PREPARED,
        "can_return": approver and item.status in (BatchStatus.PREPARED, BatchStatus.APPROVED),
        "can_download": scope.has_role(user, number, *services.HANDLERS)
        and item.status in (BatchStatus.APPROVED, BatchStatus.EXPORTED, BatchStatus.SETTLED),
        "can_mark_paid": scope.has_role(user, number, *services.HANDLERS)
        and item.status in (BatchStatus.EXPORTED, BatchStatus.SETTLED),
    }
    return render(request, "payments/batch.html", context, status=status)


@staff_view
@require_POST
def approve(request, batch_id: int):
    item = _batch_or_404(request.user, batch_id)
    try:
        services.approve_batch(request.user, item.pk)
    except services.PaymentRefused as error:
        return _batch_page(request, item, errors=[("", reason_of(error))], status=error.status)
    _say(request, "Betalingsoppdraget er godkjent.", "The payment batch is approved.")
    return redirect("payments:batch", batch_id=item.pk)


@staff_view
@require_POST
def return_batch(request, batch_id: int):
    item = _batch_or_404(request.user, batch_id, *services.APPROVERS)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        message = pick(get_language(), "Skriv hvorfor oppdraget sendes tilbake.", "Write why the batch is returned.")
        return _batch_page(request, item, errors=[("id_reason", message)], status=400)
    try:
        services.return_batch(request.user, item.pk, reason)
    except services.PaymentRefused as error:
        return _batch_page(request, item, errors=[("id_reason", reason_of(error))], status=error.status)
    _say(request, "Betalingsoppdraget er sendt tilbake; terminene kan bestilles på nytt.", "The batch is returned.")
    return redirect("payments:batch", batch_id=item.pk)


def _download(request, batch_id: int, export, content_type: str, suffix: str) -> HttpResponse:
    item = _batch_or_404(request.user, batch_id)
    data = export(request.user, item.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{item.message_id}.{suffix}"'
    response["Cache-Control"] = "no-store"
    return response


@staff_view
@require_GET
def pain001(request, batch_id: int):
    return _download(request, batch_id, services.export_pain001, "application/xml", "xml")


@staff_view
@require_GET
def csv(request, batch_id: int):
    return _download(request, batch_id, services.export_csv, "text/csv; charset=utf-8", "csv")


@staff_view
@require_POST
def mark_paid(request, order_id: int):
    order = PaymentOrder.objects.filter(pk=order_id).only("batch_id").first()
    if order is None:
        raise Http404("no such order")
    item = _batch_or_404(request.user, order.batch_id, *services.HANDLERS)
    paid_on = _date(request.POST.get("paid_on", ""))
    if paid_on is None:
        message = pick(get_language(), "Oppgi datoen betalingen ble bokført.", "Give the date the payment was booked.")
        return _batch_page(request, item, errors=[(f"paid-on-{order_id}", message)], status=400)
    try:
        services.mark_paid(request.user, order_id, paid_on, request.POST.get("reference", ""))
    except services.PaymentRefused as error:
        return _batch_page(request, item, errors=[(f"paid-on-{order_id}", reason_of(error))], status=error.status)
    _say(request, "Betalingen er registrert som betalt.", "The payment is recorded as paid.")
    return redirect("payments:batch", batch_id=item.pk)


def _back(request, fallback: str) -> str:
    """The page the form was on (a path on this site, ``next``), else the ``fallback`` route's address.

    Always an address, never a route name: ``redirect()`` would try to reverse a ``next`` such as «541370»."""
    target = request.POST.get("next", "")
    if (
        target.startswith("/")
        and not target.startswith("//")
        and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    ):
        return target
    return reverse(fallback)


@staff_view
@require_POST
def hold_term(request, term_id: int):
    """Hold a term back with a reason (caseworker), then back to where the form was (the grant's staff page)."""
    services.hold_term(request.user, term_id, request.POST.get("reason", ""))
    _say(request, "Utbetalingen er holdt tilbake.", "The payment is held.")
    return redirect(_back(request, "payments:index"))


@staff_view
@require_POST
def release_term(request, term_id: int):
    services.release_term(request.user, term_id)
    _say(request, "Utbetalingen er frigitt.", "The payment is released.")
    return redirect(_back(request, "payments:index"))
