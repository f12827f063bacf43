"""Grantor staff and cases.

A grantor (*tilskuddsforvalter*) is an :class:`~tilskudd.orgs.models.Organisation`
too: IMDi, and each of C2's municipalities. People work for a grantor in one or
more :class:`StaffRole` roles. Every submitted application gets a :class:`Case`
(*sak*) that says which grantor handles it, where it is routed (C0-R27) and
what screening (*forhåndskontroll*) found.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tilskudd.orgs.models import LinkInvitation


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Saksbehandler"  # screens, prepares allocation and decisions
    ASSESSOR = "assessor", "Fagvurderer"  # scores applications assigned to them
    APPROVER = "approver", "Beslutter"  # approves decisions (four eyes) and publishes them
    ADMINISTRATOR = "administrator", "Administrator"  # manages the grantor's staff and frames


ROLE_EN = {
    Role.CASEWORKER: "Caseworker",
    Role.ASSESSOR: "Assessor",
    Role.APPROVER: "Approver",
    Role.ADMINISTRATOR: "Administrator",
}


class StaffRole(models.Model):
    """One role one person has at one grantor (*rolle hos tilskuddsforvalter*)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    grantor = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["grantor__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "grantor", "role"],
                condition=models.Q(removed_at__isnull=True),
                name="one_active_staff_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.grantor})"


class StaffProfile(models.Model):
    """What one person is at one grantor beside their roles: the job title (*stillingstittel*).

    One row per person and grantor, not per role: a person with two roles has one title, and it
    stays when a role ends. The decision letters sign with it (``job_title``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profiles")
    grantor = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="staff_profiles")
    job_title = models.CharField("stillingstittel", max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "grantor"], name="one_staff_profile_per_grantor")]

    def __str__(self) -> str:
        return f"{self.user} – {self.job_title or '(ingen stillingstittel)'} ({self.grantor})"


def job_title(user, grantor_org_number: str) -> str:
    """The person's job title at the grantor with that organisation number; empty when none is set."""
    if user is None:
        return ""
    found = (
        StaffProfile.objects.filter(user=user, grantor__org_number=grantor_org_number)
        .values_list("job_title", flat=True)
        .first()
    )
    return (found or "").strip()


class StaffInvitation(LinkInvitation):
    """A role at a grantor offered to an e-mail address (*invitasjon til rolle*).

    Claimed only through the link sent to the address, by a verified account with that address
    (casework.services.claim_staff_invitation): a stranger who signed up with a future employee's
    address gets nothing.
    """

    grantor = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="staff_invitations")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)

    class Meta(LinkInvitation.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.email} → {self.get_role_display()} ({self.grantor})"


class ScreeningOutcome(models.TextChoices):
    NOT_SCREENED = "", "Ikke kontrollert"
    ACCEPTED = "accepted", "Godtatt til vurdering"
    COMPLETION_REQUESTED = "completion_requested", "Bedt om komplettering"
    REJECTION_PROPOSED = "rejection_proposed", "Foreslått avvist"


class Case(models.Model):
    """The grantor's handling of one submitted application (*sak*)."""

    application = models.OneToOneField("applications.Application", on_delete=models.CASCADE, related_name="case")
    #: The grantor that handles the case: the call's, or the one chosen in the application (C2-R02).
    grantor_org_number = models.CharField("tilskuddsforvalter", max_length=9, db_index=True)
    grantor_name = models.CharField(max_length=200, blank=True)
    #: Routing (C0-R27): the regional office and the contact for the application's area.
    office = models.CharField("regionkontor", max_length=100, blank=True)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.CharField(max_length=200, blank=True)
    contact_phone = models.CharField(max_length=50, blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    screening = models.CharField(max_length=30, choices=ScreeningOutcome.choices, blank=True, default="")
    screened_at = models.DateTimeField(null=True, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    screening_note = models.TextField("begrunnelse", blank=True)
    #: Facts of the submitted application, written at each submission by ``casework.facts.write``
    #: (the only code that reads them from the application), so that the queue filters and the
    #: grants sum in the database. None when the application states no amount applied for.
    amount_applied = models.BigIntegerField("søkt beløp", null=True, blank=True, db_index=True)
    #: County number of the applicant's seat (the organisation's when the application has none).
    county = models.CharField("fylke", max_length=10, blank=True, default="", db_index=True)
    org_form = models.CharField("organisasjonsform", max_length=20, blank=True, default="")
    applicant_type = models.CharField("søkertype", max_length=30, blank=True, default="")
    #: The applicant declared that the same activity has a grant from, or is applied for at, another grantor
    #: (``answers.same_activity_other_grantor`` is a yes): C2-R07's own flag, read with the case rows by the queue.
    declared_other_funding = models.BooleanField("søkt/fått støtte fra annen forvalter", default=False)

    class Meta:
        ordering = ["application__case_number"]
        verbose_name = "sak"
        verbose_name_plural = "saker"
        indexes = [
            # A grantor's cases joined to a call's applications from the index alone (the queue's count, issue #14).
            models.Index(fields=["grantor_org_number", "application"], name="case_grantor_application"),
        ]

    def __str__(self) -> str:
        return f"Sak {self.application.case_number}"

    @property
    def area_codes(self) -> list[str]:
        """The priority areas applied under, in the application's order (prefetch ``areas`` for lists)."""
        return [row.area for row in sorted(self.areas.all(), key=lambda row: row.position)]


class CaseArea(models.Model):
    """One priority area or sub-goal a case's application is made under: a row, so the queue filters on it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField("område", max_length=50, db_index=True)
    #: The area's place in the application's list.
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "area"], name="one_row_per_case_area")]

    def __str__(self) -> str:
        return f"{self.case} – {self.area}"


class CaseTally(models.Model):
    """What one case counts for in :class:`CaseTotal`: a ledger row per case, written by database triggers.

    The triggers (``casework/migrations/0009``, SQL in :mod:`tilskudd.casework.totals`) keep it equal to the
    case's facts and its application's status whatever writes them; nothing in Python writes it.
    """

    #: Written by the database's triggers alone (a test snapshot leaves it out: the rows it copies rebuild it).
    kept_by_database = True

    case = models.OneToOneField(
        Case, on_delete=models.DO_NOTHING, primary_key=True, db_constraint=False, related_name="tally"
    )
    call = models.ForeignKey("calls.Call", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    #: The case's application (migration 0012): sums over an application's rows (the allocation lines, the
    #: grants) join the ledger on it directly, not each row through its case (issue #14: the overview). Null only
    #: in the moment between the column's creation and its fill in that migration.
    application = models.ForeignKey(
        "applications.Application",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="case_tally",
    )
    grantor_org_number = models.CharField(max_length=9)
    grantor_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20)
    first_area = models.CharField(max_length=50)
    county = models.CharField(max_length=10)
    several = models.BooleanField()
    #: The row of its group's total this case counts in (case id % ``totals.SHARDS``).
    shard = models.SmallIntegerField(default=0)
    applied = models.BigIntegerField()

    class Meta:
        indexes = [
            # A grantor's cases in a call, from the index alone (the queue of a grantor with few, issue #14).
            models.Index(fields=["call", "grantor_org_number", "case"], name="case_tally_call_grantor"),
        ]


class CaseTotal(models.Model):
    """Running totals of a call's cases (issue #14, point 4): how many, and the amount applied for, per group.

    One row per call, grantor, status, first area, county and whether several areas are named — the groups the
    queue's count, the dashboard, the overview and the allocation page sum, so they read a few hundred rows
    instead of every case. Kept by database triggers in the transaction of every change to a case, its area
    rows or its application's status (:mod:`tilskudd.casework.totals`); a group that empties stays at zero.
    """

    kept_by_database = True

    call = models.ForeignKey("calls.Call", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    grantor_org_number = models.CharField(max_length=9)
    grantor_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20)
    first_area = models.CharField(max_length=50)
    county = models.CharField(max_length=10)
    several = models.BooleanField()
    #: One of ``totals.SHARDS`` rows per group, so concurrent submissions do not queue on one row; readers sum.
    shard = models.SmallIntegerField(default=0)
    cases = models.IntegerField()
    applied = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "call",
                    "grantor_org_number",
                    "grantor_name",
                    "status",
                    "first_area",
                    "county",
                    "several",
                    "shard",
                ],
                name="one_case_total_per_group",
            )
        ]
