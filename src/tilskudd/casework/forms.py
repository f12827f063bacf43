"""Forms of the intake and screening pages: they read what the person typed; the services change state.

Labels and messages are (bokmål, English) pairs picked by the page's language.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.applications.states import STATUS_EN, Status
from tilskudd.casework.models import ROLE_EN, Role
from tilskudd.core.forms import NokField
from tilskudd.core.text import pick
from tilskudd.rules.reference import counties
from tilskudd.rules.schema import OSLO


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BilingualForm(forms.Form):
    labels: dict[str, tuple[str, str]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, form_field in self.fields.items():
            if name in self.labels:
                form_field.label = pick(get_language(), *self.labels[name])
            form_field.error_messages["required"] = pick(
                get_language(), f"Fyll ut «{form_field.label}».", f"Fill in “{form_field.label}”."
            )
            form_field.error_messages["invalid"] = pick(get_language(), "Sjekk det du skrev.", "Check what you typed.")
            if isinstance(form_field, forms.DateField):
                form_field.error_messages["invalid"] = pick(
                    get_language(), "Skriv en dato, for eksempel 31.12.2025.", "Enter a date, for example 31/12/2025."
                )
            form_field.widget.attrs.setdefault("class", "ds-input")

    def error_entries(self) -> list[tuple[str, str]]:
        """(anchor, message) for the error summary."""
        entries = []
        for name, errors in self.errors.items():
            anchor = self[name].auto_id if name in self.fields else ""
            entries.extend((anchor, str(error)) for error in errors)
        return entries


# --- the queue -------------------------------------------------------------------------


class QueueFilterForm(BilingualForm):
    """The queue's filters (GET). Every field is optional; an invalid value is ignored with a message."""

    labels = {
        "q": (
            "Søk (saksnummer, organisasjon, organisasjonsnummer eller tittel)",
            "Search (case number, organisation, organisation number or title)",
        ),
        "area": ("Prioritert område / delmål", "Priority area / sub-goal"),
        "status": ("Status", "Status"),
        "county": ("Søkerens fylke", "Applicant's county"),
        "amount_from": ("Søkt beløp fra (kr)", "Amount applied from (NOK)"),
        "amount_to": ("Søkt beløp til (kr)", "Amount applied to (NOK)"),
        "findings": ("Bare søknader med funn ved innsending", "Only applications with findings at submission"),
        "flagged": ("Bare søknader flagget for dobbeltfinansiering", "Only applications flagged for double funding"),
        "grantor": ("Tilskuddsforvalter", "Grantor"),
        "office": ("Regionkontor", "Regional office"),
        "mine": ("Bare saker der jeg er saksbehandler", "Only cases where I am the caseworker"),
    }

    q = forms.CharField(required=False, max_length=200)
    area = forms.ChoiceField(required=False)
    status = forms.ChoiceField(required=False)
    county = forms.ChoiceField(required=False)
    # «100 000» and «100.000,-» as well as 100000 (issue #13, point 6).
    amount_from = NokField(required=False, min_value=0)
    amount_to = NokField(required=False, min_value=0)
    findings = forms.BooleanField(required=False)
    flagged = forms.BooleanField(required=False)
    grantor = forms.ChoiceField(required=False)
    office = forms.ChoiceField(required=False)
    mine = forms.BooleanField(required=False)

    def __init__(self, *args, areas=(), grantors=(), show_flagged=False, offices=(), **kwargs):
        super().__init__(*args, **kwargs)
        everyone = pick(get_language(), "Alle", "All")
        self.fields["area"].choices = [("", everyone), *areas]
        self.fields["status"].choices = [("", everyone)] + [
            (s.value, pick(get_language(), s.label, STATUS_EN[s])) for s in Status if s not in (Status.DRAFT,)
        ]
        self.fields["county"].choices = [("", everyone)] + [(c.code, c.name) for c in counties()]
        self.fields["grantor"].choices = [("", everyone), *grantors]
        self.fields["office"].choices = [("", everyone)] + [(office, office) for office in offices]
        for name in ("amount_from", "amount_to"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric"})
            self.fields[name].error_messages["invalid"] = pick(
                get_language(), "Skriv et helt beløp i kroner.", "Enter a whole amount in NOK."
            )
            self.fields[name].error_messages["min_value"] = pick(
                get_language(), "Beløpet kan ikke være negativt.", "The amount cannot be negative."
            )
        if len(grantors) < 2:
            del self.fields["grantor"]
        if not show_flagged:
            del self.fields["flagged"]
        if not offices:
            del self.fields["office"]
        for name in ("findings", "flagged", "mine"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "ds-input"


# --- screening -------------------------------------------------------------------------


class AcceptForm(BilingualForm):
    labels = {"note": ("Merknad (valgfri)", "Note (optional)")}
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


def end_of_day(day: dt.date) -> dt.datetime:
    """23:59:59 Oslo time on ``day``, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=OSLO)


class CompletionForm(BilingualForm):
    labels = {
        "message": ("Hva må søkeren komplettere?", "What must the applicant complete?"),
        "deadline": ("Frist for komplettering", "Completion deadline"),
    }
    message = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    deadline = forms.DateField(widget=DateInput(), input_formats=["%Y-%m-%d", "%d.%m.%Y"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["message"].error_messages["required"] = pick(
            get_language(), "Skriv hva søkeren må komplettere.", "Write what the applicant must complete."
        )
        self.fields["deadline"].error_messages["required"] = pick(
            get_language(), "Velg en frist for kompletteringen.", "Choose a deadline for the completion."
        )

    def clean_deadline(self):
        day = self.cleaned_data["deadline"]
        if day < timezone.localdate():
            raise forms.ValidationError(
                pick(get_language(), "Fristen kan ikke være tilbake i tid.", "The deadline cannot be in the past.")
            )
        return day

    @property
    def deadline_moment(self) -> dt.datetime:
        return end_of_day(self.cleaned_data["deadline"])


class RejectionForm(BilingualForm):
    labels = {"reasons": ("Begrunnelse for avvisning", "Reasons for rejection")}
    reasons = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reasons"].error_messages["required"] = pick(
            get_language(), "Skriv hvorfor søknaden bør avvises.", "Write why the application should be rejected."
        )


class AssignForm(BilingualForm):
    labels = {"caseworker": ("Saksbehandler", "Caseworker")}
    caseworker = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers
        self.fields["caseworker"].empty_label = pick(get_language(), "Ingen", "Nobody")
        self.fields["caseworker"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.fields["caseworker"].error_messages["invalid_choice"] = pick(
            get_language(), "Velg en saksbehandler fra listen.", "Choose a caseworker from the list."
        )


class StaffRoleForm(BilingualForm):
    labels = {
        "email": ("E-postadressen personen logger inn med", "The e-mail address the person logs in with"),
        "role": ("Rolle", "Role"),
    }
    email = forms.EmailField(max_length=254)
    role = forms.ChoiceField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, pick(get_language(), r.label, ROLE_EN[r])) for r in Role]
        self.fields["email"].error_messages["invalid"] = pick(
            get_language(), "Skriv en gyldig e-postadresse.", "Enter a valid e-mail address."
        )


class JobTitleForm(BilingualForm):
    """One person's job title at the grantor (*stillingstittel*); one form per person on the staff page."""

    labels = {"job_title": ("Stillingstittel", "Job title")}
    job_title = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job_title"].error_messages["max_length"] = pick(
            get_language(), "Stillingstittelen kan ha høyst 100 tegn.", "The job title can have at most 100 characters."
        )
