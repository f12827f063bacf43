"""Demo data for casework: the grantors' staff and submitted applications to the open demo calls.

The grantors are IMDi (every call) and Bergen kommune (one of C2's local
grantors). The applications are the passing examples of ``examples/<call>/``
(their applicants are real public bodies or made-up organisations, see each
``examples.yaml``), drafted, signed and submitted through the same services
as the portal, so they carry case numbers, findings and routing like any other.
Idempotent: an example already submitted is not submitted again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from tilskudd.applications import attachments, services
from tilskudd.applications.models import Application
from tilskudd.calls.models import Call
from tilskudd.casework.models import Role, StaffProfile, StaffRole
from tilskudd.demo.data import DEMO_PASSWORD, DEMO_SUFFIX
from tilskudd.orgs.models import Membership, Organisation
from tilskudd.rules.validators import org_number_digits

EXAMPLES_DIR = Path(__file__).resolve().parents[3] / "examples"
IMDI_ORG_NUMBER = "987879696"
BERGEN_ORG_NUMBER = "964338531"

#: Only the top-level keys the portal lets an applicant edit.
EDITABLE = tuple(services.EDITABLE_KEYS)

# A one-page PDF: what the demo attaches where a call asks for documents.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass(frozen=True)
class DemoStaff:
    email: str
    full_name: str
    grantor: str  # org number
    roles: tuple[str, ...]
    title: str


STAFF = (
    DemoStaff(
        "saksbehandler@imdi.example", "Siri Saksbehandler", IMDI_ORG_NUMBER, (Role.CASEWORKER,), "seniorrådgiver"
    ),
    DemoStaff("vurderer1@imdi.example", "Vidar Vurderer", IMDI_ORG_NUMBER, (Role.ASSESSOR,), "rådgiver"),
    DemoStaff("vurderer2@imdi.example", "Vera Vurderer", IMDI_ORG_NUMBER, (Role.ASSESSOR,), "rådgiver"),
    DemoStaff("beslutter@imdi.example", "Bjørn Beslutter", IMDI_ORG_NUMBER, (Role.APPROVER,), "avdelingsdirektør"),
    DemoStaff("admin@imdi.example", "Anne Administrator", IMDI_ORG_NUMBER, (Role.ADMINISTRATOR,), "seksjonssjef"),
    DemoStaff(
        "tilskudd@bergen.example", "Tone Tilskudd", BERGEN_ORG_NUMBER, (Role.CASEWORKER, Role.ASSESSOR), "rådgiver"
    ),
    DemoStaff("vurderer@bergen.example", "Per Vurderer", BERGEN_ORG_NUMBER, (Role.ASSESSOR,), "rådgiver"),
    DemoStaff("beslutter@bergen.example", "Berit Beslutter", BERGEN_ORG_NUMBER, (Role.APPROVER,), "etatsdirektør"),
    # A complaint is prepared by a caseworker who did not decide (fvl § 33; issue #11, point 5): Bergen's second.
    DemoStaff("klage@bergen.example", "Kari Klagebehandler", BERGEN_ORG_NUMBER, (Role.CASEWORKER,), "seniorrådgiver"),
)

#: Named people of an example applicant, instead of the made-up «Signatar …» (issue #11's «Done when»: the chair of
#: Foreningen Trygg Oppvekst accepts IMDi's C2 grant; a member of it sees why she cannot). (email, name, role, title)
EXAMPLE_PEOPLE: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "926229419": (
        ("styreleder@tryggoppvekst.example", "Tale Trygg", "signatory", "styreleder"),
        ("medlem@tryggoppvekst.example", "Mona Medlem", "member", "kasserer"),
    ),
}

IMDI = {
    "name": "Integrerings- og mangfoldsdirektoratet (IMDi)",
    "applicant_type": "",
    "org_form": "ORGL",
    "address": "Tollbugata 20",
    "postal_code": "0152",
    "city": "Oslo",
    "email": "post@imdi.example",
    "county": "03",
    "municipality_number": "0301",
}


def _user(email: str, full_name: str, *, staff: bool = False):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": staff, "email_verified_at": timezone.now()}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    elif staff and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def load_grantor_staff() -> list[tuple[DemoStaff, object]]:
    """IMDi as an organisation, and the demo staff of IMDi and Bergen kommune in their roles, with job titles."""
    Organisation.objects.get_or_create(org_number=IMDI_ORG_NUMBER, defaults=IMDI)
    made = []
    for person in STAFF:
        # Grantor staff are ``is_staff``: two-factor authentication is required of them.
        user = _user(person.email, person.full_name, staff=True)
        grantor = Organisation.objects.get(org_number=person.grantor)
        for role in person.roles:
            StaffRole.objects.get_or_create(user=user, grantor=grantor, role=role, removed_at=None)
        # The job title the decision letters sign with; a title the administrator changed is kept.
        StaffProfile.objects.get_or_create(user=user, grantor=grantor, defaults={"job_title": person.title})
        made.append((person, user))
    return made


@dataclass(frozen=True)
class Example:
    call: str
    file: str
    title: str
    data: dict


def passing_examples(call_slug: str) -> list[Example]:
    """The examples of a call that the rule engine passes (no error findings), one per file."""
    index = yaml.safe_load((EXAMPLES_DIR / call_slug / "examples.yaml").read_text(encoding="utf-8"))
    found = []
    for entry in index["examples"]:
        if any(f.get("severity") == "error" for f in entry.get("findings", [])):
            continue
        data = json.loads((EXAMPLES_DIR / call_slug / entry["file"]).read_text(encoding="utf-8"))
        found.append(Example(call_slug, entry["file"], entry["title"]["nb"], data))
    return found


def _applicant_organisation(applicant: dict) -> Organisation:
    fields = {
        "name": applicant["name"],
        "applicant_type": applicant["applicant_type"],
        "org_form": applicant.get("org_form") or "",
        "address": applicant.get("address") or "",
        "postal_code": applicant.get("postal_code") or "",
        "city": applicant.get("city") or "",
        "phone": applicant.get("phone") or "",
        "email": applicant.get("email") or "",
        "bank_account": applicant.get("bank_account") or "",
        "county": applicant.get("county") or "",
        "municipality_number": applicant.get("municipality_number") or "",
    }
    if applicant.get("founded_on"):
        fields["founded_on"] = dt.date.fromisoformat(applicant["founded_on"])
    register = applicant.get("voluntary_register") or {}
    if register.get("registered"):
        fields["voluntary_registered"] = True
        if register.get("registered_on"):
            fields["voluntary_registered_on"] = dt.date.fromisoformat(register["registered_on"])
    counties = applicant.get("counties") or {}
    for key in ("activity", "members", "branches"):
        fields[f"counties_{key}"] = list(counties.get(key) or [])
    organisation, _ = Organisation.objects.get_or_create(
        org_number=org_number_digits(applicant["org_number"]), defaults=fields
    )
    return organisation


def _signatory(organisation: Organisation):
    membership = (
        Membership.objects.filter(organisation=organisation, role="signatory", removed_at__isnull=True)
        .exclude(confirmed_at=None)
        .select_related("user")
        .first()
    )
    if membership:
        return membership.user
    if organisation.org_number in EXAMPLE_PEOPLE:
        people = EXAMPLE_PEOPLE[organisation.org_number]
        for email, full_name, role, title in people:
            Membership.objects.create(
                user=_user(email, full_name),
                organisation=organisation,
                role=role,
                title=title,
                confirmed_at=timezone.now(),
            )
        return get_user_model().objects.get(email=next(p[0] for p in people if p[2] == "signatory"))
    user = _user(f"signatar.{organisation.org_number}@demo.example", f"Signatar {organisation.name}")
    Membership.objects.create(
        user=user, organisation=organisation, role="signatory", title="leder", confirmed_at=timezone.now()
    )
    return user


def submit_example(example: Example, call: Call) -> Application:
    """Draft, attach, sign and submit one example application to ``call``; the earlier one if already there."""
    organisation = _applicant_organisation(example.data["applicant"])
    existing = Application.objects.filter(organisation=organisation, call=call, title=example.title).first()
    if existing is not None:
        return existing
    signer = _signatory(organisation)
    with transaction.atomic():
        application = services.start_draft(signer, organisation, call)
        content = {key: example.data[key] for key in EDITABLE if key in example.data}
        application = services.save_draft(signer, application.pk, content, application.revision)
        Application.objects.filter(pk=application.pk).update(title=example.title)
        for attachment in example.data.get("attachments", []):
            upload = SimpleUploadedFile(attachment["filename"].rsplit(".", 1)[0] + ".pdf", DEMO_PDF, "application/pdf")
            attachments.add_attachment(signer, application.pk, attachment["kind"], upload)
        application.refresh_from_db()
        services.sign(signer, application.pk, application.revision)
        services.submit(signer, application.pk)
    application.refresh_from_db()
    return application


def load_demo_applications(call_slugs: list[str] | None = None) -> list[Application]:
    """Submit every passing example to the open demo copy of its call (``<slug>-demo``)."""
    submitted = []
    for call in Call.objects.filter(slug__endswith=DEMO_SUFFIX).order_by("slug"):
        real = call.slug.removesuffix(DEMO_SUFFIX)
        if call_slugs is not None and real not in call_slugs:
            continue
        if not (EXAMPLES_DIR / real / "examples.yaml").exists():
            continue
        for example in passing_examples(real):
            submitted.append(submit_example(example, call))
    return submitted
