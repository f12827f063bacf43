"""Every action the audit trail records: one list of what can happen (see docs/audit.md).

``record()`` takes only a member of ``AuditAction``; the stored value (``AuditEvent.action``) is the
member's string, ``<subject>.<what happened>`` in the past tense, e.g. ``application.submitted``. The
subject is what the event is about (``draft.saved`` is written to the application's stream). Readers
(history pages, idempotence checks) compare with the members too, so a spelling lives here only.

A new kind of event is a new member here (and, if people see it, a label where the history page
words it). Renaming a member's value needs a migration that renames the stored rows and re-chains
their streams, as ``0006_action_enum`` did for ``RENAMED`` below.
"""

from __future__ import annotations

from django.db import models


class AuditAction(models.TextChoices):
    # --- accounts (the person's own stream) ---
    ACCOUNT_REGISTERED = "account.registered"
    ACCOUNT_EMAIL_VERIFIED = "account.email_verified"
    ACCOUNT_EMAIL_CHANGE_REQUESTED = "account.email_change_requested"
    ACCOUNT_EMAIL_CHANGE_REFUSED = "account.email_change_refused"
    ACCOUNT_EMAIL_CHANGED = "account.email_changed"
    ACCOUNT_SIGNUP_FOR_TAKEN_ADDRESS = "account.signup_for_taken_address"
    ACCOUNT_TWO_FACTOR_ENABLED = "account.two_factor_enabled"
    ACCOUNT_TWO_FACTOR_REMOVED = "account.two_factor_removed"
    ACCOUNT_BACKUP_CODES_RENEWED = "account.backup_codes_renewed"
    ACCOUNT_PASSWORD_RESET = "account.password_reset"
    ACCOUNT_CREATED_IN_ADMIN = "account.created_in_admin"
    ACCOUNT_CHANGED_IN_ADMIN = "account.changed_in_admin"
    ACCOUNT_PASSWORD_SET_IN_ADMIN = "account.password_set_in_admin"

    # --- organisations (the organisation's stream) ---
    ORGANISATION_REGISTERED = "organisation.registered"
    ORGANISATION_RECLAIMED = "organisation.reclaimed"
    ORGANISATION_UPDATED = "organisation.updated"
    ORGANISATION_REGISTRY_REFRESHED = "organisation.registry_refreshed"
    ORGANISATION_REGISTRY_NOT_FOUND = "organisation.registry_not_found"
    ORGANISATION_REGISTRY_DELETED = "organisation.registry_deleted"
    MEMBERSHIP_CREATED = "membership.created"
    #: No longer written (inviting an address with an account added it at once until c91579a); old rows keep it.
    MEMBERSHIP_ADDED = "membership.added"
    MEMBERSHIP_REQUESTED = "membership.requested"
    MEMBERSHIP_REQUEST_ACCEPTED = "membership.request_accepted"
    MEMBERSHIP_REQUEST_DECLINED = "membership.request_declined"
    MEMBERSHIP_ROLE_CHANGED = "membership.role_changed"
    MEMBERSHIP_REMOVED = "membership.removed"
    MEMBERSHIP_LEFT = "membership.left"
    MEMBERSHIP_CONFIRMED = "membership.confirmed"
    MEMBERSHIP_REJECTED = "membership.rejected"
    ROLE_PROOF_UPLOADED = "membership.role_proof_uploaded"
    INVITATION_SENT = "invitation.sent"
    INVITATION_CLAIMED = "invitation.claimed"
    INVITATION_REVOKED = "invitation.revoked"
    DELEGATION_GRANTED = "delegation.granted"
    DELEGATION_REVOKED = "delegation.revoked"
    API_TOKEN_CREATED = "api_token.created"
    API_TOKEN_REVOKED = "api_token.revoked"

    # --- the grantor's staff (the grantor's and the role's streams) ---
    STAFF_INVITATION_SENT = "staff_invitation.sent"
    STAFF_INVITATION_REVOKED = "staff_invitation.revoked"
    STAFF_ROLE_ADDED = "staff_role.added"
    STAFF_ROLE_REMOVED = "staff_role.removed"
    STAFF_TITLE_CHANGED = "staff_profile.title_changed"

    # --- applications (the application's stream); the state machine's moves are in applications.states ---
    APPLICATION_CREATED = "application.created"
    DRAFT_SAVED = "draft.saved"
    ATTACHMENT_ADDED = "attachment.added"
    ATTACHMENT_REMOVED = "attachment.removed"
    APPLICATION_SENT_FOR_SIGNING = "application.sent_for_signing"
    APPLICATION_SIGNED = "application.signed"
    SIGNATURE_VOIDED = "signature.voided"
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_WITHDRAWN = "application.withdrawn"
    APPLICATION_REOPENED = "application.reopened"
    APPLICATION_ACCEPTED = "application.accepted"
    APPLICATION_GRANTED = "application.granted"
    APPLICATION_REFUSED = "application.refused"
    APPLICATION_REJECTED = "application.rejected"
    APPLICATION_REOPENED_AFTER_COMPLAINT = "application.reopened_after_complaint"
    RECEIPT_CREATED = "receipt.created"
    RECEIPT_SENT = "receipt.sent"
    #: A retried submission found its receipt missing and queued it again.
    RECEIPT_REQUEUED = "receipt.requeued"

    # --- casework (the case's stream) ---
    CASE_OPENED = "case.opened"
    CASE_ACCEPTED = "case.accepted"
    CASE_COMPLETION_REQUESTED = "case.completion_requested"
    CASE_COMPLETED = "case.completed"
    CASE_REJECTION_PROPOSED = "case.rejection_proposed"
    CASE_ASSIGNED = "case.assigned"

    # --- assessment (the assignment's and the result's streams) ---
    ASSESSMENT_ASSIGNED = "assessment.assigned"
    ASSESSMENT_UNASSIGNED = "assessment.unassigned"
    ASSESSMENT_DECLARED = "assessment.declared"
    ASSESSMENT_SCORED = "assessment.scored"
    ASSESSMENT_COMPLETED = "assessment.completed"
    ASSESSMENT_LOCKED = "assessment.locked"

    # --- frames and allocation ---
    FRAME_CREATED = "frame.created"
    FRAME_SET = "frame.set"
    ALLOCATION_SET = "allocation.set"
    ALLOCATION_PROPOSED = "allocation.proposed"
    #: The allocation assistant ran over a call (the call's stream; one ALLOCATION_PROPOSED per application).
    ALLOCATION_ASSISTANT_RUN = "allocation.assistant_run"

    # --- decisions (the decision's stream; the batch on the call's) ---
    DECISION_PREPARED = "decision.prepared"
    DECISION_APPROVED = "decision.approved"
    DECISION_RETURNED = "decision.returned"
    DECISION_CANCELLED = "decision.cancelled"
    DECISION_PUBLISHED = "decision.published"
    DECISION_SUPERSEDED = "decision.superseded"
    #: The decisions of one grantor in a call were published together (the call's stream).
    CALL_DECISIONS_PUBLISHED = "call.decisions_published"
    DECISION_NOTIFIED = "decision.notified"

    # --- the grant after its decision (the grant's stream; issue #11) ---
    GRANT_OFFERED = "grant.offered"
    GRANT_ACCEPTED = "grant.accepted"
    GRANT_DECLINED = "grant.declined"
    GRANT_LAPSED = "grant.lapsed"
    #: A caseworker let a lapsed offer be accepted after all, with a new deadline.
    GRANT_REOPENED = "grant.reopened"
    GRANT_PAYING = "grant.paying"
    GRANT_PAID_OUT = "grant.paid_out"
    GRANT_CANCELLED = "grant.cancelled"
    GRANT_AMOUNT_CHANGED = "grant.amount_changed"
    GRANT_BANK_ACCOUNT_CHANGED = "grant.bank_account_changed"
    #: The grantee asked, signed, for payments to a new account; a caseworker refused the request (the grant's stream).
    GRANT_BANK_ACCOUNT_REQUESTED = "grant.bank_account_requested"
    GRANT_BANK_ACCOUNT_REFUSED = "grant.bank_account_refused"
    #: A payment term was held back (with a reason) or released again (the grant's stream).
    PAYMENT_TERM_HELD = "payment_term.held"
    PAYMENT_TERM_RELEASED = "payment_term.released"
    PAYMENT_TERM_PAID = "payment_term.paid"

    # --- payment orders (the batch's stream; four eyes) ---
    PAYMENT_BATCH_PREPARED = "payment_batch.prepared"
    PAYMENT_BATCH_APPROVED = "payment_batch.approved"
    PAYMENT_BATCH_RETURNED = "payment_batch.returned"
    PAYMENT_BATCH_EXPORTED = "payment_batch.exported"
    PAYMENT_BATCH_SETTLED = "payment_batch.settled"
    #: A bank statement (camt.054) of booked payments was read (the batch's stream, one per batch it touched).
    BANK_STATEMENT_IMPORTED = "bank_statement.imported"

    # --- complaints (*klage*; the complaint's stream) ---
    COMPLAINT_FILED = "complaint.filed"
    COMPLAINT_ASSIGNED = "complaint.assigned"
    COMPLAINT_REVERSED = "complaint.reversed"
    #: The new decision after a complaint allowed by the grantor was published: the applicant is told only now.
    COMPLAINT_NEW_DECISION_PUBLISHED = "complaint.new_decision_published"
    COMPLAINT_FORWARDED = "complaint.forwarded"
    COMPLAINT_UPHELD = "complaint.upheld"
    COMPLAINT_APPEAL_DECIDED = "complaint.appeal_decided"
    COMPLAINT_WITHDRAWN = "complaint.withdrawn"
    #: The applicant was e-mailed a step of the complaint (data: the step's action).
    COMPLAINT_NOTIFIED = "complaint.notified"

    # --- reporting (*rapportering*, issue #12): duties on the grant's stream, reports on the duty's ---
    REPORT_DUTIES_CREATED = "report.duties_created"
    REPORT_ATTACHMENT_ADDED = "report.attachment_added"
    #: A report's draft saved through the API (the duty's stream; data: the revision, the fields answered).
    REPORT_DRAFT_SAVED = "report.draft_saved"
    REPORT_SUBMITTED = "report.submitted"
    #: The caseworker's review of a delivered report (the duty's stream; issue #12, point 5).
    REPORT_APPROVED = "report.approved"
    REPORT_CHANGES_REQUESTED = "report.changes_requested"
    #: Every report of the grant approved; the grant closed when nothing is owed (the grant's stream).
    GRANT_REPORTED = "grant.reported"
    GRANT_CLOSED = "grant.closed"
    #: A repayment claim (*krav om tilbakebetaling*; the claim's stream, four eyes).
    REPAYMENT_PREPARED = "repayment.prepared"
    REPAYMENT_APPROVED = "repayment.approved"
    REPAYMENT_SENT = "repayment.sent"
    REPAYMENT_PAID = "repayment.paid"
    REPAYMENT_CANCELLED = "repayment.cancelled"
    #: A change request (*endring*: carry-over or change of use; the grant's stream, issue #12 point 6).
    AMENDMENT_REQUESTED = "grant.amendment_requested"
    AMENDMENT_CONSENTED = "grant.amendment_consented"
    AMENDMENT_REFUSED = "grant.amendment_refused"
    AMENDMENT_WITHDRAWN = "grant.amendment_withdrawn"
    #: Individual reporting's participants (C0-R12; the duty's stream, never the personal data itself).
    PARTICIPANT_ADDED = "participant.added"
    PARTICIPANT_DATA_READ = "participant.data_read"
    PARTICIPANT_DATA_DELETED = "participant.data_deleted"
    #: Continuation of a multi-year grant (*videreføring*, the old grant's stream; issue #12, point 7).
    GRANT_CONTINUATION_FILED = "grant.continuation_filed"
    GRANT_CONTINUATION_PROPOSED = "grant.continuation_proposed"
    GRANT_CONTINUED = "grant.continued"
    GRANT_STOPPED = "grant.stopped"

    # --- background tasks (the task row's stream) ---
    TASK_REQUEUED = "task.requeued"
    TASK_ABANDONED = "task.abandoned"


#: Spellings written before the enum, and what they are now (migration 0006_action_enum renamed the rows).
RENAMED: dict[str, AuditAction] = {
    "application.submit": AuditAction.APPLICATION_SUBMITTED,
    "application.withdraw": AuditAction.APPLICATION_WITHDRAWN,
    "application.reopen": AuditAction.APPLICATION_REOPENED,
    "application.accept": AuditAction.APPLICATION_ACCEPTED,
    "application.grant": AuditAction.APPLICATION_GRANTED,
    "application.refuse": AuditAction.APPLICATION_REFUSED,
    "application.reject": AuditAction.APPLICATION_REJECTED,
    "decisions.published": AuditAction.CALL_DECISIONS_PUBLISHED,
}
