"""A reminder (*påminnelse*, issue #12 point 4): one e-mail to one person about one deadline, recorded once.

What it is about is a grant's offer (the acceptance deadline, ``about = offer``, ``duty`` empty) or one of its
reporting duties (``about = duty``); ``grant`` is set for both, so the grant's timeline finds them. The row is
written, with its e-mail task queued, in the transaction that decides to remind; the unique constraints on
(subject, kind, recipient) make a second run — or two at once — find the row instead of sending again, and the
task sets ``sent_at`` so a retried task does not send twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class About(models.TextChoices):
    OFFER = "offer", "Tilbud om tilskudd"
    DUTY = "duty", "Rapporteringsplikt"


class Kind(models.TextChoices):
    BEFORE_14 = "before_14", "14 dager før fristen"
    BEFORE_3 = "before_3", "3 dager før fristen"
    ON_THE_DAY = "on_the_day", "På fristdagen"
    OVERDUE = "overdue", "Fristen er passert"
    OVERDUE_TO_CASEWORKER = "overdue_to_caseworker", "Fristen er passert (til saksbehandler)"


class Reminder(models.Model):
    about = models.CharField(max_length=10, choices=About.choices)
    grant = models.ForeignKey("grants.Grant", on_delete=models.CASCADE, related_name="reminders")
    duty = models.ForeignKey(
        "reports.ReportingDuty", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: The day (Europe/Oslo) the reminder is for, and the deadline it reminds of.
    day = models.DateField()
    due = models.DateField("frist")
    created_at = models.DateTimeField()
    #: When the e-mail went; None while its task is queued.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["grant", "day", "pk"]
        verbose_name = "påminnelse"
        verbose_name_plural = "påminnelser"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(about="offer", duty__isnull=True) | models.Q(about="duty", duty__isnull=False)),
                name="reminder_subject_matches_about",
            ),
            models.UniqueConstraint(
                fields=["grant", "kind", "recipient"],
                condition=models.Q(about="offer"),
                name="one_offer_reminder",
            ),
            models.UniqueConstraint(
                fields=["duty", "kind", "recipient"],
                condition=models.Q(about="duty"),
                name="one_duty_reminder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.recipient_id} ({self.day})"
