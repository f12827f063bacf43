"""What each audit action is called on a history page: one label per ``AuditAction``, bokmål and English.

The applicant's history, the case history and the organisation's history all word an event from here,
so an event never shows as its stored id (``signature.voided``). A new member of ``AuditAction``
needs its label here; ``tests/audit/test_labels.py`` says so.
"""

from __future__ import annotations

from tilskudd.audit.actions import AuditAction
from tilskudd.core.text import pick

A = AuditAction

LABELS: dict[AuditAction, tuple[str, str]] = {
    # accounts
    A.ACCOUNT_REGISTERED: ("Kontoen ble laget", "The account was made"),
    A.ACCOUNT_EMAIL_VERIFIED: ("E-postadressen ble bekreftet", "The e-mail address was verified"),
    A.ACCOUNT_EMAIL_CHANGE_REQUESTED: ("Ny e-postadresse ble bedt om", "A new e-mail address was asked for"),
    A.ACCOUNT_EMAIL_CHANGE_REFUSED: ("Ny e-postadresse ble ikke tatt i bruk", "A new e-mail address was not taken"),
    A.ACCOUNT_EMAIL_CHANGED: ("E-postadressen ble endret", "The e-mail address was changed"),
    A.ACCOUNT_SIGNUP_FOR_TAKEN_ADDRESS: (
        "Noen prøvde å lage en konto med denne adressen",
        "Someone tried to sign up with this address",
    ),
    A.ACCOUNT_TWO_FACTOR_ENABLED: ("Totrinnsinnlogging ble slått på", "Two-factor authentication was turned on"),
    A.ACCOUNT_TWO_FACTOR_REMOVED: ("Totrinnsinnlogging ble slått av", "Two-factor authentication was turned off"),
    A.ACCOUNT_BACKUP_CODES_RENEWED: ("Nye reservekoder ble laget", "New backup codes were made"),
    A.ACCOUNT_PASSWORD_RESET: ("Passordet ble satt på nytt", "The password was reset"),
    A.ACCOUNT_CREATED_IN_ADMIN: ("Kontoen ble laget av en administrator", "The account was made by an administrator"),
    A.ACCOUNT_CHANGED_IN_ADMIN: (
        "Kontoen ble endret av en administrator",
        "The account was changed by an administrator",
    ),
    A.ACCOUNT_PASSWORD_SET_IN_ADMIN: (
        "Passordet ble satt av en administrator",
        "The password was set by an administrator",
    ),
    # organisations
    A.ORGANISATION_REGISTERED: ("Organisasjonen ble registrert", "The organisation was registered"),
    A.ORGANISATION_RECLAIMED: ("Organisasjonen ble registrert på nytt", "The organisation was registered again"),
    A.ORGANISATION_UPDATED: ("Opplysningene ble endret", "The details were changed"),
    A.ORGANISATION_REGISTRY_REFRESHED: ("Oppdatert fra Enhetsregisteret", "Updated from Enhetsregisteret"),
    A.ORGANISATION_REGISTRY_NOT_FOUND: ("Ikke funnet i Enhetsregisteret", "Not found in Enhetsregisteret"),
    A.ORGANISATION_REGISTRY_DELETED: ("Slettet i Enhetsregisteret", "Deleted in Enhetsregisteret"),
    A.MEMBERSHIP_CREATED: ("Første person registrert", "First person registered"),
    A.MEMBERSHIP_ADDED: ("Person lagt til", "Person added"),
    A.MEMBERSHIP_REQUESTED: ("Forespørsel om tilgang", "Request to join"),
    A.MEMBERSHIP_REQUEST_ACCEPTED: ("Forespørsel godtatt", "Request accepted"),
    A.MEMBERSHIP_REQUEST_DECLINED: ("Forespørsel avslått", "Request declined"),
    A.MEMBERSHIP_ROLE_CHANGED: ("Rolle endret", "Role changed"),
    A.MEMBERSHIP_REMOVED: ("Person fjernet", "Person removed"),
    A.MEMBERSHIP_LEFT: ("Person gikk ut", "Person left"),
    A.MEMBERSHIP_CONFIRMED: ("Tilgang bekreftet av tilskuddsforvalteren", "Access confirmed by the grantor"),
    A.MEMBERSHIP_REJECTED: ("Tilgang avvist av tilskuddsforvalteren", "Access rejected by the grantor"),
    A.ROLE_PROOF_UPLOADED: ("Bevis for rollen lastet opp", "Proof of the role uploaded"),
    A.INVITATION_SENT: ("Invitasjon sendt", "Invitation sent"),
    A.INVITATION_CLAIMED: ("Invitasjon tatt imot", "Invitation accepted"),
    A.INVITATION_REVOKED: ("Invitasjon trukket tilbake", "Invitation withdrawn"),
    A.DELEGATION_GRANTED: ("Fullmakt gitt", "Delegation granted"),
    A.DELEGATION_REVOKED: ("Fullmakt trukket tilbake", "Delegation revoked"),
    A.API_TOKEN_CREATED: ("API-nøkkel laget", "API token made"),
    A.API_TOKEN_REVOKED: ("API-nøkkel trukket tilbake", "API token revoked"),
    # the grantor's staff
    A.STAFF_INVITATION_SENT: ("Invitasjon til en rolle sendt", "Invitation to a role sent"),
    A.STAFF_INVITATION_REVOKED: ("Invitasjon til en rolle trukket tilbake", "Invitation to a role withdrawn"),
    A.STAFF_ROLE_ADDED: ("Rolle gitt", "Role given"),
    A.STAFF_ROLE_REMOVED: ("Rolle tatt bort", "Role removed"),
    A.STAFF_TITLE_CHANGED: ("Stillingstittel endret", "Job title changed"),
    # applications
    A.APPLICATION_CREATED: ("Utkastet ble laget", "The draft was made"),
    A.DRAFT_SAVED: ("Utkastet ble lagret", "The draft was saved"),
    A.ATTACHMENT_ADDED: ("Et vedlegg ble lastet opp", "An attachment was uploaded"),
    A.ATTACHMENT_REMOVED: ("Et vedlegg ble fjernet", "An attachment was removed"),
    A.APPLICATION_SENT_FOR_SIGNING: ("Søknaden ble sendt til signering", "The application was sent for signing"),
    A.APPLICATION_SIGNED: ("Søknaden ble signert", "The application was signed"),
    A.SIGNATURE_VOIDED: (
        "En signatur falt bort fordi fullmakten ble trukket tilbake",
        "A signature lapsed because the delegation was revoked",
    ),
    A.APPLICATION_SUBMITTED: ("Søknaden ble sendt inn", "The application was submitted"),
    A.APPLICATION_WITHDRAWN: ("Søknaden ble trukket", "The application was withdrawn"),
    A.APPLICATION_REOPENED: ("Søknaden ble åpnet for komplettering", "The application was reopened for completion"),
    A.APPLICATION_ACCEPTED: ("Søknaden ble tatt til vurdering", "The application was taken into assessment"),
    A.APPLICATION_GRANTED: ("Vedtak: søknaden ble innvilget", "Decision: the application was granted"),
    A.APPLICATION_REFUSED: ("Vedtak: søknaden ble avslått", "Decision: the application was refused"),
    A.APPLICATION_REJECTED: ("Vedtak: søknaden ble avvist", "Decision: the application was rejected"),
    A.APPLICATION_REOPENED_AFTER_COMPLAINT: (
        "Klagen ble tatt til følge: søknaden behandles på nytt",
        "The complaint was allowed: the application is considered again",
    ),
    A.RECEIPT_CREATED: ("Kvitteringen ble laget", "The receipt was made"),
    A.RECEIPT_SENT: ("Kvitteringen ble sendt på e-post", "The receipt was sent by e-mail"),
    A.RECEIPT_REQUEUED: ("Kvitteringen ble lagt i kø på nytt", "The receipt was queued again"),
    # casework
    A.CASE_OPENED: ("Saken ble opprettet og fordelt", "The case was opened and routed"),
    A.CASE_ACCEPTED: ("Søknaden ble godtatt til vurdering", "The application was accepted for assessment"),
    A.CASE_COMPLETION_REQUESTED: ("Søkeren ble bedt om å komplettere", "The applicant was asked to complete"),
    A.CASE_COMPLETED: ("Søkeren kompletterte og sendte inn på nytt", "The applicant completed and resubmitted"),
    A.CASE_REJECTION_PROPOSED: ("Avvisning ble foreslått", "Rejection was proposed"),
    A.CASE_ASSIGNED: ("Saksbehandler ble endret", "The caseworker was changed"),
    # assessment
    A.ASSESSMENT_ASSIGNED: ("Vurderer ble tildelt", "An assessor was assigned"),
    A.ASSESSMENT_UNASSIGNED: ("Vurderer ble tatt av saken", "An assessor was unassigned"),
    A.ASSESSMENT_DECLARED: ("Vurderer leverte habilitetserklæring", "An assessor made an impartiality declaration"),
    A.ASSESSMENT_SCORED: ("Vurderingen ble lagret", "The assessment was saved"),
    A.ASSESSMENT_COMPLETED: ("Vurderingen ble fullført", "The assessment was completed"),
    A.ASSESSMENT_LOCKED: ("Vurderingene ble låst", "The assessments were locked"),
    # frames and allocation
    A.FRAME_CREATED: ("Ramme ble opprettet", "A frame was created"),
    A.FRAME_SET: ("Ramme ble endret", "A frame was changed"),
    A.ALLOCATION_SET: ("Beløp ble fordelt", "An amount was allocated"),
    A.ALLOCATION_PROPOSED: ("Fordelingsassistenten foreslo et beløp", "The allocation assistant proposed an amount"),
    A.ALLOCATION_ASSISTANT_RUN: ("Fordelingsassistenten ble kjørt", "The allocation assistant was run"),
    # decisions
    A.DECISION_PREPARED: ("Vedtak ble forberedt", "A decision was prepared"),
    A.DECISION_APPROVED: ("Vedtak ble godkjent", "A decision was approved"),
    A.DECISION_RETURNED: ("Vedtak ble sendt tilbake", "A decision was returned"),
    A.DECISION_CANCELLED: ("Vedtak ble trukket", "A decision was cancelled"),
    A.DECISION_PUBLISHED: ("Vedtak ble kunngjort", "A decision was published"),
    A.DECISION_SUPERSEDED: ("Vedtaket ble omgjort etter klage", "The decision was reversed after a complaint"),
    A.CALL_DECISIONS_PUBLISHED: ("Vedtakene i utlysningen ble kunngjort", "The call's decisions were published"),
    A.DECISION_NOTIFIED: ("Søkeren fikk vedtaket på e-post", "The applicant was sent the decision by e-mail"),
    # the grant after its decision
    A.GRANT_OFFERED: ("Tilskuddet ble tilbudt", "The grant was offered"),
    A.GRANT_ACCEPTED: ("Tilskuddet ble akseptert", "The grant was accepted"),
    A.GRANT_DECLINED: ("Tilskuddet ble takket nei til", "The grant was declined"),
    A.GRANT_LAPSED: ("Fristen for aksept gikk ut", "The deadline for acceptance passed"),
    A.GRANT_REOPENED: ("Fristen for aksept ble forlenget", "The deadline for acceptance was extended"),
    A.GRANT_PAYING: ("Utbetalingen av tilskuddet startet", "Payment of the grant started"),
    A.GRANT_PAID_OUT: ("Tilskuddet er utbetalt", "The grant has been paid out"),
    A.GRANT_CANCELLED: ("Tilskuddet ble trukket tilbake", "The grant was cancelled"),
    A.GRANT_AMOUNT_CHANGED: ("Tilskuddsbeløpet ble endret", "The grant amount was changed"),
    A.GRANT_BANK_ACCOUNT_CHANGED: (
        "Kontonummeret for utbetaling ble endret",
        "The bank account for payment was changed",
    ),
    A.GRANT_BANK_ACCOUNT_REQUESTED: (
        "Tilskuddsmottakeren ba om nytt kontonummer for utbetaling",
        "The grantee asked for payment to a new bank account",
    ),
    A.GRANT_BANK_ACCOUNT_REFUSED: (
        "Endringen av kontonummer ble avvist",
        "The change of bank account was refused",
    ),
    A.PAYMENT_TERM_HELD: ("En utbetaling ble holdt tilbake", "A payment was held back"),
    A.PAYMENT_TERM_RELEASED: ("En utbetaling ble frigitt", "A payment was released"),
    A.PAYMENT_TERM_PAID: ("En utbetaling ble betalt", "A payment was made"),
    # payment orders
    A.PAYMENT_BATCH_PREPARED: ("Betalingsoppdrag ble klargjort", "A payment batch was prepared"),
    A.PAYMENT_BATCH_APPROVED: ("Betalingsoppdrag ble godkjent", "A payment batch was approved"),
    A.PAYMENT_BATCH_RETURNED: ("Betalingsoppdrag ble sendt tilbake", "A payment batch was returned"),
    A.PAYMENT_BATCH_EXPORTED: ("Betalingsfil ble lastet ned", "A payment file was downloaded"),
    A.PAYMENT_BATCH_SETTLED: ("Alle betalinger i oppdraget er bokført", "Every payment in the batch is booked"),
    A.BANK_STATEMENT_IMPORTED: ("Bankens bokføring ble lest inn", "The bank's booking statement was imported"),
    # reporting
    A.REPORT_DUTIES_CREATED: ("Rapporteringspliktene ble opprettet", "The reporting duties were created"),
    A.REPORT_ATTACHMENT_ADDED: ("Vedlegg til rapporten ble lastet opp", "An attachment to the report was uploaded"),
    A.REPORT_DRAFT_SAVED: ("Utkastet til rapporten ble lagret", "The report's draft was saved"),
    A.REPORT_SUBMITTED: ("Rapporten ble levert", "The report was delivered"),
    A.REPORT_APPROVED: ("Rapporten ble godkjent", "The report was approved"),
    A.REPORT_CHANGES_REQUESTED: (
        "Saksbehandleren ba om endringer i rapporten",
        "The caseworker asked for changes to the report",
    ),
    A.GRANT_REPORTED: ("Alle rapporter er godkjent", "Every report is approved"),
    A.GRANT_CLOSED: ("Tilskuddet ble avsluttet", "The grant was closed"),
    A.REPAYMENT_PREPARED: ("Krav om tilbakebetaling ble forberedt", "A repayment claim was prepared"),
    A.REPAYMENT_APPROVED: ("Krav om tilbakebetaling ble godkjent", "A repayment claim was approved"),
    A.REPAYMENT_SENT: ("Krav om tilbakebetaling ble sendt", "A repayment claim was sent"),
    A.REPAYMENT_PAID: ("Tilbakebetalingen er registrert", "The repayment was recorded"),
    A.REPAYMENT_CANCELLED: ("Krav om tilbakebetaling ble avbrutt", "A repayment claim was cancelled"),
    A.AMENDMENT_REQUESTED: ("Tilskuddsmottakeren ba om en endring", "The grantee asked for a change"),
    A.AMENDMENT_CONSENTED: ("Endringen ble godkjent", "The change was consented to"),
    A.AMENDMENT_REFUSED: ("Endringen ble avslått", "The change was refused"),
    A.AMENDMENT_WITHDRAWN: ("Endringen ble trukket", "The change request was withdrawn"),
    A.PARTICIPANT_ADDED: (
        "En deltaker ble registrert i individrapporteringen",
        "A participant was added to the individual report",
    ),
    A.PARTICIPANT_DATA_READ: ("Deltakernes personopplysninger ble lest", "The participants' personal data were read"),
    A.PARTICIPANT_DATA_DELETED: (
        "Deltakernes personopplysninger ble slettet",
        "The participants' personal data were deleted",
    ),
    # complaints
    A.COMPLAINT_FILED: ("Klage ble sendt", "A complaint was filed"),
    A.COMPLAINT_ASSIGNED: ("Klagen fikk saksbehandler", "The complaint was assigned"),
    A.COMPLAINT_REVERSED: ("Klagen ble tatt til følge", "The complaint was upheld and the decision changed"),
    A.COMPLAINT_NEW_DECISION_PUBLISHED: (
        "Klagen ble tatt til følge, og det nye vedtaket er sendt",
        "The complaint was allowed and the new decision has been sent",
    ),
    A.COMPLAINT_FORWARDED: ("Klagen ble sendt til klageinstansen", "The complaint was sent to the appeal body"),
    A.COMPLAINT_UPHELD: ("Vedtaket ble opprettholdt", "The decision was upheld"),
    A.COMPLAINT_APPEAL_DECIDED: ("Klageinstansen har avgjort klagen", "The appeal body decided the complaint"),
    A.COMPLAINT_WITHDRAWN: ("Klagen ble trukket", "The complaint was withdrawn"),
    A.COMPLAINT_NOTIFIED: (
        "Søkeren fikk beskjed om klagen på e-post",
        "The applicant was told of the complaint by e-mail",
    ),
    # continuation of a multi-year grant (issue #12, point 7)
    A.GRANT_CONTINUATION_FILED: (
        "Vilkårene bekreftet og plan for neste år sendt",
        "Conditions confirmed and next year's plan filed",
    ),
    A.GRANT_CONTINUATION_PROPOSED: ("Beløp for neste år foreslått", "Next year's amount proposed"),
    A.GRANT_CONTINUED: ("Tilskuddet videreført for neste år", "The grant continued into next year"),
    A.GRANT_STOPPED: ("Tilskuddet stanset: vilkårene er ikke oppfylt", "The grant stopped: conditions not met"),
    # background tasks
    A.TASK_REQUEUED: ("En bakgrunnsjobb ble startet på nytt", "A background task was started again"),
    A.TASK_ABANDONED: ("En bakgrunnsjobb ble gitt opp", "A background task was given up"),
}


def action_label(action: str, language: str | None) -> str:
    """The event's name in the language; an unknown stored value (an old row) is shown as it is."""
    try:
        nb, en = LABELS[AuditAction(action)]
    except (ValueError, KeyError):
        return str(action)
    return pick(language, nb, en)
