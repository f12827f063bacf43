"""Reporting duties and reports (issue #12, points 1 and 2).

* :class:`ReportingDuty` (*rapporteringsplikt*): one report or accounts a grant owes, copied from the call's
  ``reporting.duties`` when the grant is accepted — the kind, title, rule, due date (the call's, or the
  decision's ``report_due`` where the call gives none), what it must say, whether accounts and an auditor's
  statement (C2-R11) are part of it, and who approves it; its own state machine (``reports.states``).
* :class:`ReportAttachment`: the auditor's statement and the signed approval, uploaded for a duty.
* :class:`Report` (*rapport*): what the signatory delivered — the answers, the accounts, the attachments'
  hashes — signed by its content hash, with a PDF receipt. Delivered again after changes were asked
  for, a duty gets a new version; the earlier ones are kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.reports.states import ClaimStatus, DutyStatus


class ReportingDuty(models.Model):
    grant = models.ForeignKey("grants.Grant", on_delete=models.PROTECT, related_name="reporting_duties")
    #: The duty's place in the call's ``reporting.duties`` (with the grant: what makes creation idempotent).
    position = models.PositiveSmallIntegerField()
    rule = models.CharField(max_length=20)
    #: ``rules.schema.ReportKind`` value: status_report, grant_report, annual_report, final_report …
    kind = models.CharField(max_length=30)
    title_nb = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    #: The last day (Europe/Oslo); None where neither the call nor the decision gives one.
    due = models.DateField("frist", null=True, blank=True)
    #: What the report must say: [{"nb": …, "en": …}].
    content = models.JSONField(default=list, blank=True)
    accounts = models.BooleanField(default=False)
    accounts_period_nb = models.CharField(max_length=300, blank=True)
    accounts_period_en = models.CharField(max_length=300, blank=True)
    #: An auditor's statement must be attached (C2-R11: grants of NOK 100 000 or more).
    auditor_required = models.BooleanField(default=False)
    #: Who approves the accounts: [{"nb": …, "en": …}] (C1-R11, C3-R09); a signed approval is attached.
    approved_by = models.JSONField(default=list, blank=True)
    personal_data = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=DutyStatus.choices, default=DutyStatus.OPEN)
    #: The caseworker's message when changes were last asked for (the grantee reads it; ``reports.review``).
    changes_message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField()
    status_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["grant", "due", "position"]
        verbose_name = "rapporteringsplikt"
        verbose_name_plural = "rapporteringsplikter"
        constraints = [models.UniqueConstraint(fields=["grant", "position"], name="one_duty_per_call_duty")]

    def __str__(self) -> str:
        return f"{self.title_nb} ({self.grant})"

    @property
    def title(self) -> tuple[str, str]:
        return self.title_nb, self.title_en or self.title_nb

    @property
    def needs_approval(self) -> bool:
        return bool(self.approved_by)


class ReportAttachment(models.Model):
    class Kind(models.TextChoices):
        AUDITOR_STATEMENT = "auditor_statement", "Revisorberetning"
        SIGNED_APPROVAL = "signed_approval", "Signert godkjenning"

    duty = models.ForeignKey(ReportingDuty, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to="reports/%Y/", max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["duty", "kind", "uploaded_at", "pk"]


class Report(models.Model):
    duty = models.ForeignKey(ReportingDuty, on_delete=models.PROTECT, related_name="reports")
    #: 1 for the first delivery, 2 after changes were asked for …
    version = models.PositiveSmallIntegerField(default=1)
    #: The form's answers by field id.
    answers = models.JSONField(default=dict, blank=True)
    #: The accounts as delivered (``reports.accounts.Accounts.as_dict``), {} where the duty has none.
    accounts = models.JSONField(default=dict, blank=True)
    #: SHA-256 of the canonical JSON of what was delivered (``reports.services.report_document``).
    content_hash = models.CharField(max_length=64)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    #: "signatory" or "delegate", as ``applications.Signature``.
    capacity = models.CharField(max_length=20)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    receipt = models.FileField(upload_to="reports/receipts/%Y/", max_length=300, blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["duty", "version"]
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        constraints = [models.UniqueConstraint(fields=["duty", "version"], name="one_report_per_version")]

    def __str__(self) -> str:
        return f"{self.duty.title_nb} v{self.version}"


class RepaymentClaim(models.Model):
    """A claim to pay back (*krav om tilbakebetaling*, C1-R13, C2-R12): a decision with a letter (``reports.repayment``).

    Prepared by a caseworker with the amount (by default the accounts' unused amount), the reason, the legal basis
    (the call's repayment rule and text) and the due date; approved by another person with the approver role; sent
    with its letter (stored here, the grantee reads it); paid in full by hand or from the bank's statement.
    """

    grant = models.ForeignKey("grants.Grant", on_delete=models.PROTECT, related_name="repayment_claims")
    #: The accounts the amount was read from (None where the claim is for another reason, such as misuse).
    report = models.ForeignKey(Report, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    amount = models.PositiveIntegerField("beløp")
    reason = models.TextField("begrunnelse")
    rule = models.CharField(max_length=20, blank=True)
    legal_basis = models.TextField("hjemmel")
    due = models.DateField("betalingsfrist")
    #: What the grantee pays with: the claim's KID (``reports.repayment.claim_kid``); older claims, the case number.
    reference = models.CharField(max_length=40)
    status = models.CharField(max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.PREPARED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    letter = models.FileField(upload_to="reports/repayment/%Y/", max_length=300, blank=True)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    paid_amount = models.PositiveIntegerField(default=0)
    paid_on = models.DateField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["grant", "prepared_at", "pk"]
        verbose_name = "krav om tilbakebetaling"
        verbose_name_plural = "krav om tilbakebetaling"

    def __str__(self) -> str:
        return f"Krav om tilbakebetaling {self.amount} ({self.grant})"

    @property
    def left(self) -> int:
        """What is still to be paid of the claim, whole kroner."""
        return self.amount - self.paid_amount


class RepaymentPayment(models.Model):
    """One payment recorded on a repayment claim (``reports.repayment``): by hand, or from a credit in the bank's
    camt.054. The claim's ``paid_amount`` is the sum of its payments; these are the parts, each with its day.

    A payment from the bank's file carries the credit's ``bank_reference`` (``BookedCredit.bank_id``: the bank's
    own reference of the transaction, else of its entry and the place in it), unique for the grantor: the same
    file, or one overlapping it, read again finds the credit already recorded and pays nothing twice."""

    class Via(models.TextChoices):
        MANUAL = "manual", "registrert for hånd"
        CAMT054 = "camt054", "fra bankens fil (camt.054)"

    claim = models.ForeignKey(RepaymentClaim, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveIntegerField("beløp")
    paid_on = models.DateField("bokført")
    via = models.CharField(max_length=10, choices=Via.choices)
    #: The grantor whose account the money came into (the scope of ``bank_reference``).
    grantor_org_number = models.CharField(max_length=9)
    #: The bank's reference of the credit (""), for a payment recorded by hand unless a credit was linked to it.
    bank_reference = models.CharField("bankens referanse", max_length=100, blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["claim", "paid_on", "pk"]
        verbose_name = "innbetaling på krav"
        verbose_name_plural = "innbetalinger på krav"
        constraints = [
            models.UniqueConstraint(
                fields=["grantor_org_number", "bank_reference"],
                condition=~models.Q(bank_reference=""),
                name="one_repayment_per_bank_credit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} kr {self.paid_on} ({self.via})"


class ReportDraft(models.Model):
    """A report being written through the API (issue #12, point 2): the answers and the accounts' amounts saved
    so far, each checked as the form checks them, not yet complete (``reports.drafts``). The signatory delivers
    what is saved; ``revision`` makes a save against a draft changed since it was read a conflict."""

    duty = models.OneToOneField(ReportingDuty, on_delete=models.CASCADE, related_name="draft")
    #: The form's answers by field id, as JSON (a date as yyyy-mm-dd).
    answers = models.JSONField(default=dict, blank=True)
    #: The actual cost of each budget line by the line's index (as a string: JSON keys), whole kroner.
    actual = models.JSONField(default=dict, blank=True)
    other_income = models.PositiveIntegerField(default=0)
    own_contribution = models.PositiveIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField()

    class Meta:
        verbose_name = "rapportutkast"
        verbose_name_plural = "rapportutkast"

    def __str__(self) -> str:
        return f"Utkast: {self.duty.title_nb} r{self.revision}"
