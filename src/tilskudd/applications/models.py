"""Applications (*søknader*) and their signatures (*signaturer*).

``content`` holds the application in the exchange format of
``tilskudd.rules.application`` without ``applicant`` (that comes from the
organisation) and ``call``. On submission the whole exchange document is
frozen in ``submitted_content`` with the call version it was made under.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.applications.states import EDITABLE, Status
from tilskudd.core.text import pick
from tilskudd.rules import Application as ExchangeApplication


class Application(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.PROTECT, related_name="applications")
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="applications")
    #: The call version the application is made under (frozen once submitted).
    call_version = models.ForeignKey("calls.CallVersion", on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    title = models.CharField("prosjekttittel", max_length=300, blank=True)
    content = models.JSONField(default=dict, blank=True)
    #: Increases with every saved change; a save based on an older revision is refused (no lost edits).
    revision = models.PositiveIntegerField(default=1)
    case_number = models.CharField("saksnummer", max_length=20, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_content = models.JSONField(null=True, blank=True)
    submitted_hash = models.CharField(max_length=64, blank=True)
    #: The rule engine's findings at submission (warnings; errors block submission).
    submitted_findings = models.JSONField(default=list, blank=True)
    #: Reopened for completion (X-R04): the applicant may resubmit until then, past the call's deadline.
    reopened_until = models.DateTimeField("frist for komplettering", null=True, blank=True)
    reopened_message = models.TextField("hva som mangler", blank=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "søknad"
        verbose_name_plural = "søknader"
        indexes = [
            # The caseworker pages at scale (issue #14): a call's queue by status and in case-number
            # order, and one organisation's applications in a call (duplicate funding, C2-R07).
            models.Index(fields=["call", "status", "id"], name="application_call_status_id"),
            models.Index(fields=["call", "case_number"], name="application_call_number"),
            models.Index(fields=["organisation", "call"], name="application_org_call"),
        ]

    def __str__(self) -> str:
        return self.case_number or f"Utkast {self.pk}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    def submitted(self) -> ExchangeApplication | None:
        """The submitted application as the rule engine's typed model; None when it was never submitted.

        Only ``submitted_content`` is read, never the draft: an application reopened for completion
        gives what was last submitted until it is submitted again. Parsed once per instance (again
        only when ``submitted_content`` is replaced). A stored submission is valid by construction;
        one that is not raises pydantic's ValidationError rather than giving a guess.
        """
        content = self.submitted_content
        if not content:
            return None
        cached = self.__dict__.get("_submitted")
        if cached is not None and cached[0] is content:
            return cached[1]
        parsed = ExchangeApplication.model_validate(content)
        self.__dict__["_submitted"] = (content, parsed)
        return parsed

    def active_signature(self) -> Signature | None:
        """The signature in force (with who signed), or None."""
        return self.signatures.filter(voided_at__isnull=True).select_related("signed_by").order_by("-signed_at").first()


class Signature(models.Model):
    """Who signed, when, in which capacity, and the hash of exactly the content signed."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="signatures")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    revision = models.PositiveIntegerField()
    #: "signatory" or "delegate" (with the delegation).
    capacity = models.CharField(max_length=20)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-signed_at"]


class CaseNumberCounter(models.Model):
    """The last case number used in a year (*saksnummer* ÅÅ/NNNNN)."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"applications/{instance.application_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """An attached document (*vedlegg*) of a kind the call asks for. Type sniffed, size limited, scanned."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachment_files")
    kind = models.CharField(max_length=60)
    original_name = models.CharField("filnavn", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=attachment_path, max_length=300)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    #: "clean", "not_scanned" (no scanner configured) — an infected file is never stored.
    scan_result = models.CharField(max_length=20, default="not_scanned")

    class Meta:
        ordering = ["uploaded_at"]


class Document(models.Model):
    """A document the system made for the case: the receipt (*kvittering*), later letters."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Kvittering"
        GRANT_LETTER = "grant_letter", "Tilskuddsbrev"
        REFUSAL_LETTER = "refusal_letter", "Avslagsbrev"
        REJECTION_LETTER = "rejection_letter", "Avvisningsbrev"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    file = models.FileField(upload_to="documents/%Y/", max_length=300)
    sha256 = models.CharField(max_length=64)
    #: The submission a receipt is for (``Application.submitted_hash``): a completed and resubmitted
    #: application gets a new receipt. Empty for letters.
    submission_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "submission_hash"], name="one_document_per_kind_and_submission"
            )
        ]


class PublishedDecision(models.Model):
    """A published decision (*kunngjort vedtak*) as the applicant sees it: kind, amount, letter, date.

    Written by grants when it publishes a decision, in the same transaction
    (``tilskudd.applications.outcomes.record_published_decision``); the applicant's pages read only this,
    so nothing unpublished can show.
    """

    class Kind(models.TextChoices):
        GRANT = "grant", "Tilskudd"  # innvilgelse, full or partial
        REFUSAL = "refusal", "Avslag"
        REJECTION = "rejection", "Avvisning"

    #: The kinds' names in English (the labels are bokmål).
    KIND_EN = {Kind.GRANT: "Grant", Kind.REFUSAL: "Refusal", Kind.REJECTION: "Rejection"}

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="published_decisions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: Granted for the call's year, whole NOK (0 for refusal and rejection).
    amount = models.BigIntegerField("beløp (NOK)", default=0)
    letter = models.ForeignKey(Document, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "kunngjort vedtak"
        verbose_name_plural = "kunngjorte vedtak"

    def kind_name(self, language: str | None) -> str:
        kind = self.Kind(self.kind)
        return pick(language, kind.label, self.KIND_EN[kind])
