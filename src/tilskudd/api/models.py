"""API tokens (*API-nøkler*) that let an organisation's own systems use the API.

A token belongs to one organisation and acts with the permissions of the
person who created it in that organisation: a token created by a signatory
can sign, one created by a member cannot. Only the SHA-256 hash of the
secret is stored; the secret is shown once, when the token is created.

A token stops working when it is revoked, when it expires, or when the
person who created it leaves the organisation (or their account is closed).
Creating, checking and revoking tokens lives in :mod:`tilskudd.api.auth`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="api_tokens")
    #: The person the token acts as (their role and delegations in the organisation).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField("navn", max_length=100)
    #: The start of the secret (``tsk_`` and 8 characters), shown in lists and used to find the token.
    prefix = models.CharField("prefiks", max_length=16, db_index=True)
    #: SHA-256 (hex) of the whole secret. The secret itself is never stored.
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    last_used_at = models.DateTimeField("sist brukt", null=True, blank=True)
    expires_at = models.DateTimeField("utløper", null=True, blank=True)
    revoked_at = models.DateTimeField("trukket tilbake", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API-nøkkel"
        verbose_name_plural = "API-nøkler"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.organisation})"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and (now or timezone.now()) >= self.expires_at

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotencyKey(models.Model):
    """An ``Idempotency-Key`` an organisation's system sent with a submission, kept so that a
    key reused for another application is refused instead of silently meaning two things."""

    organisation = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    application = models.ForeignKey("applications.Application", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="one_use_per_idempotency_key")]
