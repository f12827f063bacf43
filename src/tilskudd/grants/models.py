"""Frames, allocation and decisions.

* :class:`Frame` (*ramme*): the money a grantor may allocate in a call, for one
  year, for the whole call or one priority area. Filled from the call file
  where it names amounts (C0, C1, C3, C4) and set by the grantor where it does
  not (C2's scheme total, split 60/40 by ``local_grantors.share_percent``).
* :class:`AllocationLine` (*fordeling*): the amount an application is to get in
  one year — the call's year against the frame, later years as commitments
  (*tilsagn*) subject to appropriation. Proposed by the allocation assistant or
  set by a caseworker; the sum never exceeds a frame.
* :class:`Decision` (*vedtak*): grant, refusal or rejection, prepared by a
  caseworker and approved by someone else; published with the call's others.
* :class:`Grant` (*tilskudd*): made when a grant decision is published — amount,
  period, purpose, conditions, the bank account to pay to, and its own state
  machine (``grants.states.GRANT_TRANSITIONS``): offered → accepted (or declined,
  lapsed) → in payment → paid out → reported → closed; repayment and
  cancellation as exits.
* :class:`Acceptance` (*aksept*): the grantee's signed answer to the offer —
  accepted or declined — with the hash of exactly the terms answered.
* :class:`PaymentTerm` (*utbetalingstermin*): the grant's payment plan, from
  the call (one term; C2-R10 two above NOK 30 000); amounts in whole kroner
  that add up to the grant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.casework import facts as case_facts
from tilskudd.grants.awards.bank_states import BankChangeStatus
from tilskudd.grants.awards.continuation_states import ContinuationStatus
from tilskudd.grants.states import ACTIVE, DecisionKind, DecisionStatus, GrantStatus, TermStatus
from tilskudd.rules.validators import format_bank_account


class Frame(models.Model):
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="frames")
    #: The grantor whose frame this is; "" is the whole scheme (C2's total before the 60/40 split).
    grantor_org_number = models.CharField(max_length=9, blank=True)
    #: A priority area id, or "" for the whole call.
    area = models.CharField(max_length=60, blank=True)
    year = models.PositiveIntegerField()
    amount = models.BigIntegerField("ramme (NOK)")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "grantor_org_number", "year", "area"]
        constraints = [
            models.UniqueConstraint(fields=["call", "grantor_org_number", "area", "year"], name="one_frame_per_scope"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="frame_not_negative"),
        ]


class AllocationLine(models.Model):
    class Source(models.TextChoices):
        ASSISTANT = "assistant", "Forslag fra fordelingsassistenten"
        CASEWORKER = "caseworker", "Satt av saksbehandler"

    application = models.ForeignKey(
        "applications.Application", on_delete=models.CASCADE, related_name="allocation_lines"
    )
    year = models.PositiveIntegerField()
    amount = models.BigIntegerField("beløp (NOK)")
    #: Why this amount, in plain bokmål and English (from the assistant or the caseworker).
    explanation_nb = models.TextField(blank=True)
    explanation_en = models.TextField(blank=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    #: None when the system wrote it (a lapsed offer freeing its amount).
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="one_allocation_per_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="allocation_not_negative"),
        ]


class Decision(models.Model):
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    status = models.CharField(max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.PREPARED)
    #: Granted for the call's year, whole NOK (0 for refusal and rejection).
    amount = models.BigIntegerField("beløp (NOK)", default=0)
    #: Commitments for later years {year: amount}, subject to appropriation.
    later_years = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    #: The deadline for reports the call gives no date for (C2, C3, C4 leave it to the grant letter).
    report_due = models.DateField("rapportfrist", null=True, blank=True)
    #: The last day to accept, where the call sets no deadline and the caseworker does (None: the call's or none).
    acceptance_due = models.DateField("frist for aksept", null=True, blank=True)
    #: The payment plan the caseworker set, where the call leaves it to the letter (``payment.plan_in_decision``):
    #: the number of terms, None for the call's plan, and the first day of each term after the first (ISO dates,
    #: None where the term follows the acceptance).
    payment_terms = models.PositiveSmallIntegerField("antall terminer", null=True, blank=True)
    payment_dates = models.JSONField(default=list, blank=True)
    #: Reasons (*begrunnelse*) in bokmål; shown in the letter.
    reasons = models.TextField("begrunnelse", blank=True)
    #: Ids of the call's grant conditions the letter carries (C0-R23, C4-R05 …).
    conditions = models.JSONField(default=list, blank=True)
    extra_conditions = models.TextField("andre vilkår", blank=True)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    letter = models.ForeignKey(
        "applications.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: The grant this decision continues into next year (*videreføring*, ``grants.awards.continuation``); None for
    #: the application's own decisions. A continuation decision does not hold the application (one active each).
    continues = models.ForeignKey(
        "Grant", on_delete=models.PROTECT, null=True, blank=True, related_name="continuation_decisions"
    )

    class Meta:
        ordering = ["-prepared_at", "-id"]
        verbose_name = "vedtak"
        verbose_name_plural = "vedtak"
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                # sorted: a set has no stable order
                condition=models.Q(status__in=sorted(s.value for s in ACTIVE), continues__isnull=True),
                name="one_active_decision",
            )
        ]

    @property
    def is_partial(self) -> bool:
        applied = case_facts.applied_for(self.application)
        return self.kind == DecisionKind.GRANT and self.amount < applied


class AllocationTally(models.Model):
    """What one application's allocation lines and published grant counts for in :class:`AllocationTotal`, per
    year: a ledger row per application and year, written by database triggers alone (``grants.totals``).

    ``year`` 0 holds the grant decision's own amount, which is for the call's year whatever that is; the readers
    add it to the call's year. Only applications whose amounts count (``frames.COUNTING``) have rows.
    """

    kept_by_database = True

    #: Indexed by the unique (application, year) alone.
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    year = models.PositiveIntegerField()
    call = models.ForeignKey(
        "calls.Call", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    grantor_org_number = models.CharField(max_length=9)
    first_area = models.CharField(max_length=50)
    #: The row of its group's total this application counts in (application id % ``totals.SHARDS``).
    shard = models.SmallIntegerField(default=0)
    #: The allocation line's amount for the year.
    proposed = models.BigIntegerField()
    #: Published grants: the decision's amount (year 0) and its commitments for later years.
    granted = models.BigIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="one_allocation_tally_per_year")]


class AllocationTotal(models.Model):
    """Running totals of a call's allocation (issue #14, point 4): per grantor, first area and year, the sum of
    the counting applications' allocation lines (``proposed``) and published grants (``granted``; year 0 is the
    decisions' own amounts, for the call's year). The allocation page and the frame checks read these few rows
    instead of every line and decision of the call. Kept by database triggers (:mod:`tilskudd.grants.totals`).
    """

    kept_by_database = True

    #: Indexed by the unique group, which starts with it.
    call = models.ForeignKey(
        "calls.Call", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    grantor_org_number = models.CharField(max_length=9)
    first_area = models.CharField(max_length=50)
    year = models.PositiveIntegerField()
    #: One of ``totals.SHARDS`` rows per group, so concurrent writes do not queue on one row; readers sum.
    shard = models.SmallIntegerField(default=0)
    #: How many tallies (applications with a line or a grant for the year) the group holds.
    entries = models.IntegerField()
    proposed = models.BigIntegerField()
    granted = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "year", "grantor_org_number", "first_area", "shard"],
                name="one_allocation_total_per_group",
            )
        ]


class Grant(models.Model):
    """A grant (*tilskudd*) from its published decision to its end (issue #11, point 1)."""

    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="grant")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="grants")
    #: The call's year; the amount is for that year (later years are commitments, ``later_years``).
    year = models.PositiveIntegerField()
    #: What the grant is now, whole NOK: the decision's amount, less what a decline, cancellation or
    #: reversal took away (each change audited with the amount before and after).
    amount = models.BigIntegerField("beløp (NOK)")
    later_years = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    #: The project title as applied for (the purpose the letter names beside the call's).
    purpose = models.CharField("formål", max_length=300, blank=True)
    conditions = models.JSONField(default=list, blank=True)
    extra_conditions = models.TextField("andre vilkår", blank=True)
    #: The account to pay to: the one in the application unless the grantee changed it by a signed request.
    bank_account = models.CharField("kontonummer", max_length=34, blank=True)
    status = models.CharField(max_length=20, choices=GrantStatus.choices, default=GrantStatus.OFFERED)
    offered_at = models.DateTimeField()
    #: The last day (Europe/Oslo) to accept, as the letter states; None where there is no deadline.
    acceptance_due = models.DateField("frist for aksept", null=True, blank=True)
    status_changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-offered_at", "-id"]
        verbose_name = "tilskudd"
        verbose_name_plural = "tilskudd"
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="grant_not_negative")]

    def __str__(self) -> str:
        return f"Tilskudd {self.application.case_number}"


class Acceptance(models.Model):
    """The grantee's signed answer to the offer (*aksept*): accepted or declined, once per grant."""

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Akseptert"
        DECLINED = "declined", "Takket nei"

    grant = models.OneToOneField(Grant, on_delete=models.PROTECT, related_name="acceptance")
    answer = models.CharField(max_length=20, choices=Answer.choices)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField()
    #: SHA-256 of exactly the terms answered (``grants.awards.terms_document``), as an application's signature.
    content_hash = models.CharField(max_length=64)
    #: "signatory" or "delegate" (with the delegation), as ``applications.Signature``.
    capacity = models.CharField(max_length=20)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    #: Why the grant was declined (optional), in the grantee's words.
    reason = models.TextField(blank=True)
    #: Whether the answer came after the deadline (a caseworker let a lapsed offer be accepted).
    late = models.BooleanField(default=False)


class PaymentTerm(models.Model):
    """One term of a grant's payment plan (*utbetalingstermin*), whole NOK."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField()
    amount = models.BigIntegerField("beløp (NOK)")
    #: "spring" or "autumn" where the call pays by season (C2-R10), else "".
    season = models.CharField(max_length=10, blank=True)
    #: Not to be paid before this day (the season's first day), None: no such limit.
    earliest = models.DateField(null=True, blank=True)
    #: The day the term falls due (Europe/Oslo): set on acceptance (or on the decision where the call pays
    #: on the decision); None while the offer is open.
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=TermStatus.choices, default=TermStatus.PLANNED)
    held_reason = models.TextField(blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["grant", "number"]
        constraints = [
            models.UniqueConstraint(fields=["grant", "number"], name="one_term_per_number"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="term_not_negative"),
        ]


class BankAccountChange(models.Model):
    """The grantee's signed request to be paid to a new account (*endring av kontonummer*, issue #11 point 4).

    It takes effect only when a caseworker of the grantor confirms it (four eyes on money going to a new
    account): then ``Grant.bank_account`` becomes ``new_account`` and terms not yet ordered are paid there.
    States in ``grants.awards.bank_states``; services in ``grants.awards.bank_account``.
    """

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="bank_changes")
    old_account = models.CharField("gammelt kontonummer", max_length=34, blank=True)
    new_account = models.CharField("nytt kontonummer", max_length=11)
    status = models.CharField(max_length=20, choices=BankChangeStatus.choices, default=BankChangeStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    #: SHA-256 of (grant, case number, organisation, old account, new account): the request's signature.
    content_hash = models.CharField(max_length=64)
    #: "signatory" or "delegate" (with the delegation), as ``Acceptance``.
    capacity = models.CharField(max_length=20)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Why the caseworker refused it, which the grantee reads.
    refusal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["grant"],
                condition=models.Q(status="requested"),
                name="one_open_bank_change_per_grant",
            )
        ]

    @property
    def old_shown(self) -> str:
        """The old account as people write it: 1234.56.78903."""
        return format_bank_account(self.old_account)

    @property
    def new_shown(self) -> str:
        return format_bank_account(self.new_account)


class Continuation(models.Model):
    """A multi-year grant's continuation into next year (*videreføring*, issue #12 point 7; C4-R09).

    The grantee confirms each condition and files next year's plan and budget, signed with the SHA-256 of what
    was filed (``grants.awards.continuation.filing_document``) as an acceptance; the grantor proposes and
    approves next year's amount within next year's frame (four eyes), which makes next year's grant
    (``new_grant``) with its continuation letter, or stops the grant where the conditions no longer hold.
    States in ``grants.awards.continuation_states``.
    """

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="continuations")
    #: The year continued into (a key of the grant's ``later_years``).
    year = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=ContinuationStatus.choices, default=ContinuationStatus.FILED)
    #: The conditions confirmed, as ids of the grant's conditions.
    confirmed = models.JSONField(default=list, blank=True)
    plan = models.TextField("plan for neste år", blank=True)
    budget_total = models.BigIntegerField("budsjett (NOK)", null=True, blank=True)
    #: [{"text": ..., "amount": ...}] in whole NOK, adding up to ``budget_total``.
    budget_lines = models.JSONField(default=list, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    filed_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    capacity = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=100, blank=True)
    delegation = models.ForeignKey("orgs.Delegation", on_delete=models.PROTECT, null=True, blank=True)
    amount = models.BigIntegerField("beløp (NOK)", null=True, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    #: Why the caseworker returned the proposal, or (STOPPED) which conditions no longer hold, as the letter says.
    reason = models.TextField(blank=True)
    new_grant = models.OneToOneField(
        Grant, on_delete=models.PROTECT, null=True, blank=True, related_name="continued_from"
    )
    letter = models.ForeignKey(
        "applications.Document", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["grant", "year"]
        constraints = [models.UniqueConstraint(fields=["grant", "year"], name="one_continuation_per_grant_year")]
