"""Audit actions as an enum (tilskudd.audit.actions.AuditAction): the stray spellings written before it are renamed.

The hash of an event covers its action, so each stream holding a renamed event is chained again
from its first event on (the hash of every later event covers the one before it) and its head is
moved to the new last hash. A stream whose chain is already broken (``tilskudd audit verify``
names it) is left exactly as it is: re-chaining it would hide the tampering. On PostgreSQL the
append-only triggers of 0005 are disabled for the update and enabled again in the same transaction.
The reverse renames back the same way. The mapping is copied here, not imported: a migration keeps
what it did.
"""

from django.db import migrations, models

RENAMED = {
    "application.submit": "application.submitted",
    "application.withdraw": "application.withdrawn",
    "application.reopen": "application.reopened",
    "application.accept": "application.accepted",
    "application.grant": "application.granted",
    "application.refuse": "application.refused",
    "application.reject": "application.rejected",
    "decisions.published": "call.decisions_published",
}

TRIGGERS = (
    ("audit_auditevent", "audit_event_append_only"),
    ("audit_auditstreamhead", "audit_stream_head_forward_only"),
)


def _triggers(schema_editor, enable: bool) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        if enable:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events before ALTER TABLE
        for table, trigger in TRIGGERS:
            cursor.execute(f"ALTER TABLE {table} {'ENABLE' if enable else 'DISABLE'} TRIGGER {trigger}")


def _rename(apps, schema_editor, mapping: dict[str, str]) -> None:
    from tilskudd.audit import chain  # noqa: PLC0415 - plain functions over field values, safe on historical models

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditStreamHead = apps.get_model("audit", "AuditStreamHead")
    db = schema_editor.connection.alias
    streams = sorted(
        set(AuditEvent.objects.using(db).filter(action__in=list(mapping)).values_list("stream", flat=True))
    )
    if not streams:
        return
    _triggers(schema_editor, enable=False)  # a failure rolls the DISABLE back with the rest (DDL is transactional)
    for stream in streams:
        events = list(AuditEvent.objects.using(db).filter(stream=stream).order_by("sequence", "id"))
        head = AuditStreamHead.objects.using(db).filter(stream=stream).first()
        if not stream or chain._check_stream(stream, events, head) is not None:
            continue  # broken before: left as it is, so verify still names it
        prev_hash = ""
        for event in events:
            event.action = mapping.get(event.action, event.action)
            event.prev_hash = prev_hash
            event.hash = chain.compute_hash(event)
            event.save(update_fields=["action", "prev_hash", "hash"])
            prev_hash = event.hash
        AuditStreamHead.objects.using(db).filter(pk=head.pk).update(hash=prev_hash)
    _triggers(schema_editor, enable=True)


def forward(apps, schema_editor):
    _rename(apps, schema_editor, RENAMED)


def backward(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_append_only"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("account.registered", "Account Registered"),
                    ("account.email_verified", "Account Email Verified"),
                    ("account.email_change_requested", "Account Email Change Requested"),
                    ("account.email_change_refused", "Account Email Change Refused"),
                    ("account.email_changed", "Account Email Changed"),
                    ("account.signup_for_taken_address", "Account Signup For Taken Address"),
                    ("account.two_factor_enabled", "Account Two Factor Enabled"),
                    ("account.two_factor_removed", "Account Two Factor Removed"),
                    ("account.backup_codes_renewed", "Account Backup Codes Renewed"),
                    ("account.password_reset", "Account Password Reset"),
                    ("account.created_in_admin", "Account Created In Admin"),
                    ("account.changed_in_admin", "Account Changed In Admin"),
                    ("account.password_set_in_admin", "Account Password Set In Admin"),
                    ("organisation.registered", "Organisation Registered"),
                    ("organisation.reclaimed", "Organisation Reclaimed"),
                    ("organisation.updated", "Organisation Updated"),
                    ("organisation.registry_refreshed", "Organisation Registry Refreshed"),
                    ("organisation.registry_not_found", "Organisation Registry Not Found"),
                    ("organisation.registry_deleted", "Organisation Registry Deleted"),
                    ("membership.created", "Membership Created"),
                    ("membership.added", "Membership Added"),
                    ("membership.requested", "Membership Requested"),
                    ("membership.request_accepted", "Membership Request Accepted"),
                    ("membership.request_declined", "Membership Request Declined"),
                    ("membership.role_changed", "Membership Role Changed"),
                    ("membership.removed", "Membership Removed"),
                    ("membership.left", "Membership Left"),
                    ("membership.confirmed", "Membership Confirmed"),
                    ("membership.rejected", "Membership Rejected"),
                    ("invitation.sent", "Invitation Sent"),
                    ("invitation.claimed", "Invitation Claimed"),
                    ("invitation.revoked", "Invitation Revoked"),
                    ("delegation.granted", "Delegation Granted"),
                    ("delegation.revoked", "Delegation Revoked"),
                    ("api_token.created", "Api Token Created"),
                    ("api_token.revoked", "Api Token Revoked"),
                    ("staff_invitation.sent", "Staff Invitation Sent"),
                    ("staff_invitation.revoked", "Staff Invitation Revoked"),
                    ("staff_role.added", "Staff Role Added"),
                    ("staff_role.removed", "Staff Role Removed"),
                    ("application.created", "Application Created"),
                    ("draft.saved", "Draft Saved"),
                    ("attachment.added", "Attachment Added"),
                    ("attachment.removed", "Attachment Removed"),
                    ("application.signed", "Application Signed"),
                    ("signature.voided", "Signature Voided"),
                    ("application.submitted", "Application Submitted"),
                    ("application.withdrawn", "Application Withdrawn"),
                    ("application.reopened", "Application Reopened"),
                    ("application.accepted", "Application Accepted"),
                    ("application.granted", "Application Granted"),
                    ("application.refused", "Application Refused"),
                    ("application.rejected", "Application Rejected"),
                    ("receipt.created", "Receipt Created"),
                    ("receipt.sent", "Receipt Sent"),
                    ("receipt.requeued", "Receipt Requeued"),
                    ("case.opened", "Case Opened"),
                    ("case.accepted", "Case Accepted"),
                    ("case.completion_requested", "Case Completion Requested"),
                    ("case.completed", "Case Completed"),
                    ("case.rejection_proposed", "Case Rejection Proposed"),
                    ("case.assigned", "Case Assigned"),
                    ("assessment.assigned", "Assessment Assigned"),
                    ("assessment.unassigned", "Assessment Unassigned"),
                    ("assessment.declared", "Assessment Declared"),
                    ("assessment.scored", "Assessment Scored"),
                    ("assessment.completed", "Assessment Completed"),
                    ("assessment.locked", "Assessment Locked"),
                    ("frame.created", "Frame Created"),
                    ("frame.set", "Frame Set"),
                    ("allocation.set", "Allocation Set"),
                    ("allocation.proposed", "Allocation Proposed"),
                    ("allocation.assistant_run", "Allocation Assistant Run"),
                    ("decision.prepared", "Decision Prepared"),
                    ("decision.approved", "Decision Approved"),
                    ("decision.returned", "Decision Returned"),
                    ("decision.cancelled", "Decision Cancelled"),
                    ("decision.published", "Decision Published"),
                    ("call.decisions_published", "Call Decisions Published"),
                    ("decision.notified", "Decision Notified"),
                    ("task.requeued", "Task Requeued"),
                    ("task.abandoned", "Task Abandoned"),
                ],
                max_length=80,
            ),
        ),
    ]
