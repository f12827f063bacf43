"""Organisations, the people in them and who may sign for them.

* :class:`Organisation` — an applicant, registered by organisation number.
* :class:`Membership` — a person's role in an organisation: member (drafts),
  signatory (*signaturberettiget*: rådmann/kommunedirektør, fylkeskommunedirektør,
  bydelsdirektør, styreleder, daglig leder) or administrator.
* :class:`Delegation` — a signatory's delegated authority (*fullmakt*) to a
  member, for all calls or one, until a date; revocable.
* :class:`MembershipRequest` — a person asks to join an organisation that is
  already registered; an administrator accepts or declines.
* :class:`Invitation` — an administrator invites an e-mail address that has no
  account yet; claimed when that address logs in.

Roles: ``Membership.role`` says whether a person may sign (``signatory``) and is
what :func:`tilskudd.applications.permissions.signing_capacity` reads. A
signatory can also administer the organisation's people: ``administers`` marks
that (the first person of a new organisation is often both). An
``administrator`` role administers without signing. Use
:attr:`Membership.is_administrator` rather than comparing the role.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from tilskudd.rules.application import ApplicantType


class Organisation(models.Model):
    org_number = models.CharField("organisasjonsnummer", max_length=9, unique=True)
    name = models.CharField("navn", max_length=300)
    applicant_type = models.CharField("søkertype", max_length=40, choices=[(t.value, t.value) for t in ApplicantType])
    org_form = models.CharField("organisasjonsform", max_length=10, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    postal_code = models.CharField("postnummer", max_length=4, blank=True)
    city = models.CharField("poststed", max_length=100, blank=True)
    phone = models.CharField("telefon", max_length=30, blank=True)
    email = models.EmailField("e-post", blank=True)
    bank_account = models.CharField("kontonummer", max_length=11, blank=True)
    county = models.CharField("fylkesnummer", max_length=2, blank=True)
    municipality_number = models.CharField("kommunenummer", max_length=4, blank=True)
    founded_on = models.DateField("stiftelsesdato", null=True, blank=True)
    voluntary_registered = models.BooleanField("registrert i Frivillighetsregisteret", default=False)
    voluntary_registered_on = models.DateField("registrert i Frivillighetsregisteret fra", null=True, blank=True)
    #: County numbers where a national organisation is present (C4-R04).
    counties_activity = models.JSONField(default=list, blank=True)
    counties_members = models.JSONField(default=list, blank=True)
    counties_branches = models.JSONField(default=list, blank=True)
    #: Whether the registry data came from Enhetsregisteret (False: typed by the user, unverified).
    registry_verified = models.BooleanField("bekreftet mot Enhetsregisteret", default=False)
    registry_checked_at = models.DateTimeField(null=True, blank=True)
    #: What Enhetsregisteret said at the last look-up (the JSON as received), for the caseworker.
    registry_data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "organisasjon"
        verbose_name_plural = "organisasjoner"

    def __str__(self) -> str:
        return f"{self.name} ({self.org_number})"

    def as_applicant(self) -> dict:
        """The applicant part of the application exchange format."""
        data = {
            "org_number": self.org_number,
            "name": self.name,
            "applicant_type": self.applicant_type,
            "org_form": self.org_form or None,
            "address": self.address or None,
            "postal_code": self.postal_code or None,
            "city": self.city or None,
            "phone": self.phone or None,
            "email": self.email or None,
            "bank_account": self.bank_account or None,
            "county": self.county or None,
            "municipality_number": self.municipality_number or None,
            "founded_on": self.founded_on.isoformat() if self.founded_on else None,
            "voluntary_register": {
                "registered": self.voluntary_registered,
                "registered_on": self.voluntary_registered_on.isoformat() if self.voluntary_registered_on else None,
            },
            "counties": {
                "activity": list(self.counties_activity),
                "members": list(self.counties_members),
                "branches": list(self.counties_branches),
            },
        }
        return data


class Role(models.TextChoices):
    MEMBER = "member", "Medlem"  # drafts and edits
    SIGNATORY = "signatory", "Signaturberettiget"  # may sign
    ADMINISTRATOR = "administrator", "Administrator"  # invites and removes people


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rolle", max_length=20, choices=Role.choices, default=Role.MEMBER)
    #: A signatory who also administers the organisation's people (invites, removes, changes roles).
    administers = models.BooleanField("administrerer personer", default=False)
    #: The title that gives signing authority, e.g. «kommunedirektør» or «styreleder».
    title = models.CharField("stilling", max_length=100, blank=True)
    #: Grantor staff confirm the first person of a new organisation before they can submit.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    #: Who brought this person in (invitation or accepted request). None: they registered the organisation.
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_administrator(self) -> bool:
        """Invites and removes people and edits the organisation's data."""
        return self.role == Role.ADMINISTRATOR or (self.role == Role.SIGNATORY and self.administers)

    @property
    def is_signatory(self) -> bool:
        return self.role == Role.SIGNATORY

    @property
    def registered_organisation(self) -> bool:
        """Whether this person registered the organisation (the first person, confirmed by grantor staff)."""
        return self.added_by_id is None


def administrators_q(prefix: str = "") -> models.Q:
    """Active memberships that administer (for counting administrators)."""
    return models.Q(**{f"{prefix}removed_at__isnull": True}) & (
        models.Q(**{f"{prefix}role": Role.ADMINISTRATOR})
        | models.Q(**{f"{prefix}role": Role.SIGNATORY, f"{prefix}administers": True})
    )


class Delegation(models.Model):
    """Delegated signing authority (*fullmakt*) from a signatory to a member."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="delegations")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations")
    #: None: every call.
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    valid_until = models.DateField("gyldig til og med")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.granted_by} → {self.delegate} ({self.organisation})"

    def covers(self, call_id: int, on: dt.date | None = None) -> bool:
        """Whether this delegation lets the delegate sign for ``call_id`` on the date ``on`` (Oslo)."""
        on = on or timezone.localdate()
        if self.revoked_at is not None or on > self.valid_until:
            return False
        return self.call_id is None or self.call_id == call_id

    def status(self, on: dt.date | None = None) -> str:
        """``active``, ``expired`` (past its date) or ``revoked``."""
        on = on or timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        if on > self.valid_until:
            return "expired"
        return "active"


class MembershipRequest(models.Model):
    """A person asks to join an organisation that is already registered (*forespørsel om tilgang*)."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Venter"
        ACCEPTED = "accepted", "Godtatt"
        DECLINED = "declined", "Avslått"
        WITHDRAWN = "withdrawn", "Trukket"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="membership_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership_requests")
    title = models.CharField("stilling", max_length=100, blank=True)
    message = models.TextField("melding", blank=True)
    status = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(status="pending"),
                name="one_pending_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.organisation} ({self.status})"


class LinkInvitation(models.Model):
    """What every invitation by e-mailed link has: the address, the token its link carries, who
    invited, until when, and whether it was claimed (by whom) or revoked. Claimed only through the
    link, by a verified account with that address (the organisation's and the grantor's alike)."""

    email = models.EmailField("e-post")
    #: Random, URL-safe; the link in the e-mail carries it.
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def is_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.claimed_at is None and self.revoked_at is None and at < self.expires_at


class Invitation(LinkInvitation):
    """An invitation to join an organisation, sent to an e-mail address."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField("rolle", max_length=20, choices=Role.choices, default=Role.MEMBER)
    administers = models.BooleanField(default=False)
    title = models.CharField("stilling", max_length=100, blank=True)
    #: Whether the person who invited was a confirmed administrator then (the new member is confirmed at once).
    inviter_confirmed = models.BooleanField(default=False)

    class Meta(LinkInvitation.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class RoleProof(models.Model):
    """What a person uploads to prove the role they claim (board minutes, a power of attorney), for the
    grantor staff who confirm their access. Checked like an application's attachment (PDF or image,
    typed by content, size-limited, virus-scanned) before it is stored."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_proofs")
    file = models.FileField(upload_to="role-proofs/%Y/%m/", max_length=300)
    original_name = models.CharField("filnavn", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = "bevis for rolle"
        verbose_name_plural = "bevis for roller"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.membership})"
