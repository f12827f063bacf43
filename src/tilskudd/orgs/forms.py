"""Forms for organisations, people and delegations: bokmål labels and plain errors, English on request.

Forms only read and check what the person typed; the services change state.
Labels, help texts and messages are (bokmål, English) pairs picked by the
active language when the form is made.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.calls.models import Call
from tilskudd.core.text import pick
from tilskudd.orgs.brreg import ORG_FORM_NAMES
from tilskudd.orgs.services import OTHER_TITLE, TITLE_LABELS, delegate_candidates, signatory_titles
from tilskudd.rules.messages import APPLICANT_TYPE_NAMES
from tilskudd.rules.reference import counties
from tilskudd.rules.validators import digits_only, is_valid_bank_account, is_valid_org_number

Pair = tuple[str, str]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class BilingualForm(forms.Form):
    """Sets each field's label, help text and «required» message in the active language."""

    labels: dict[str, Pair] = {}
    helps: dict[str, Pair] = {}
    required: dict[str, Pair] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = get_language()
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.t(*self.labels[name])
            if name in self.helps:
                field.help_text = self.t(*self.helps[name])
            if name in self.required:
                field.error_messages["required"] = self.t(*self.required[name])
            else:
                field.error_messages["required"] = self.t(f"Fyll ut «{field.label}».", f"Fill in “{field.label}”.")
            field.error_messages.setdefault("invalid", self.t("Sjekk det du skrev.", "Check what you typed."))
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = self.t(
                    "Skriv en dato, for eksempel 31.12.2025.", "Enter a date, for example 31/12/2025."
                )
            if isinstance(field, forms.EmailField):
                field.error_messages["invalid"] = self.t(
                    "Skriv en e-postadresse, for eksempel navn@eksempel.no.",
                    "Enter an e-mail address, for example name@example.com.",
                )
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = self.t("Velg et av svarene.", "Choose one of the answers.")
            field.widget.attrs.setdefault("class", "ds-input")

    def t(self, nb: str, en: str) -> str:
        return pick(self.language, nb, en)


def county_choices() -> list[tuple[str, str]]:
    return [(county.code, county.name) for county in counties()]


def applicant_type_choices(language: str) -> list[tuple[str, str]]:
    return [(key, pick(language, nb, en).capitalize()) for key, (nb, en) in APPLICANT_TYPE_NAMES.items()]


def org_form_choices(language: str) -> list[tuple[str, str]]:
    return [(code, f"{pick(language, nb, en)} ({code})") for code, (nb, en) in ORG_FORM_NAMES.items()]


# --- organisation number ----------------------------------------------------------------


class OrgNumberForm(BilingualForm):
    org_number = forms.CharField(max_length=20)
    labels = {"org_number": ("Organisasjonsnummer", "Organisation number")}
    helps = {
        "org_number": (
            "9 siffer. Du kan skrive mellomrom, for eksempel 974 760 673.",
            "9 digits. Spaces are fine, for example 974 760 673.",
        )
    }
    required = {"org_number": ("Skriv organisasjonsnummeret.", "Enter the organisation number.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})

    def clean_org_number(self) -> str:
        digits = digits_only(self.cleaned_data["org_number"])
        if len(digits) != 9 or not digits.isdigit():
            raise forms.ValidationError(
                self.t("Organisasjonsnummeret har 9 siffer.", "The organisation number has 9 digits.")
            )
        if not is_valid_org_number(digits):
            raise forms.ValidationError(
                self.t(
                    "Organisasjonsnummeret er ikke gyldig. Sjekk sifrene.",
                    "The organisation number is not valid. Check the digits.",
                )
            )
        return digits


# --- organisation details --------------------------------------------------------------


class OrganisationDetailsForm(BilingualForm):
    """What the person types about the organisation. Fields the registry gave are left out (``locked``)."""

    name = forms.CharField(max_length=300)
    applicant_type = forms.ChoiceField()
    org_form = forms.ChoiceField(required=False)
    address = forms.CharField(max_length=300, required=False)
    postal_code = forms.CharField(max_length=4, required=False)
    city = forms.CharField(max_length=100, required=False)
    municipality_number = forms.CharField(max_length=4, required=False)
    county = forms.ChoiceField()
    founded_on = forms.DateField(required=False, widget=DateInput())
    voluntary_registered = forms.BooleanField(required=False)
    voluntary_registered_on = forms.DateField(required=False, widget=DateInput())
    bank_account = forms.CharField(max_length=20)
    phone = forms.CharField(max_length=30, required=False)
    email = forms.EmailField()
    counties_activity = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    counties_members = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    counties_branches = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)

    labels = {
        "name": ("Navn", "Name"),
        "applicant_type": ("Type søker", "Type of applicant"),
        "org_form": ("Organisasjonsform", "Organisation form"),
        "address": ("Adresse", "Address"),
        "postal_code": ("Postnummer", "Postcode"),
        "city": ("Poststed", "Town"),
        "municipality_number": ("Kommunenummer", "Municipality number"),
        "county": ("Fylke", "County"),
        "founded_on": ("Stiftelsesdato", "Date founded"),
        "voluntary_registered": ("Registrert i Frivillighetsregisteret", "Registered in Frivillighetsregisteret"),
        "voluntary_registered_on": (
            "Registrert i Frivillighetsregisteret fra",
            "Registered in Frivillighetsregisteret since",
        ),
        "bank_account": ("Kontonummer", "Bank account number"),
        "phone": ("Telefon", "Phone"),
        "email": ("E-post til organisasjonen", "The organisation's e-mail"),
        "counties_activity": (
            "Fylker med hovedaktivitet rettet mot målgruppen",
            "Counties with main activity aimed at the target group",
        ),
        "counties_members": ("Fylker der organisasjonen har medlemmer", "Counties where the organisation has members"),
        "counties_branches": (
            "Fylker med regionale eller lokale ledd",
            "Counties with regional or local branches",
        ),
    }
    helps = {
        "municipality_number": ("4 siffer, for eksempel 0301 for Oslo.", "4 digits, for example 0301 for Oslo."),
        "voluntary_registered_on": (
            "Må fylles ut når organisasjonen er registrert i Frivillighetsregisteret: datoen den ble registrert. "
            "Du finner den på brreg.no.",
            "Required when the organisation is registered in Frivillighetsregisteret: the date it was registered. "
            "You find it on brreg.no.",
        ),
        "bank_account": ("11 siffer, for eksempel 1234.56.78903.", "11 digits, for example 1234.56.78903."),
        "county": ("Fylket der organisasjonen holder til.", "The county where the organisation is based."),
    }
    required = {
        "name": ("Skriv navnet på organisasjonen.", "Enter the organisation's name."),
        "applicant_type": (
            "Velg hva slags søker organisasjonen er.",
            "Choose what kind of applicant the organisation is.",
        ),
        "county": ("Velg fylket.", "Choose the county."),
        "bank_account": ("Skriv kontonummeret.", "Enter the bank account number."),
        "email": ("Skriv e-postadressen til organisasjonen.", "Enter the organisation's e-mail address."),
    }

    COUNTY_FIELDS = ("counties_activity", "counties_members", "counties_branches")
    #: Public bodies are not in Frivillighetsregisteret and are not national organisations: not asked.
    PUBLIC_BODIES = frozenset({"municipality", "county_authority", "city_district", "state_agency"})
    VOLUNTARY_FIELDS = ("voluntary_registered", "voluntary_registered_on", *COUNTY_FIELDS)

    def __init__(
        self,
        *args,
        locked: set[str] | frozenset[str] = frozenset(),
        applicant_type: str | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.locked = set(locked)
        self.applicant_type = applicant_type
        self.fields["applicant_type"].choices = [("", self.t("Velg", "Choose"))] + applicant_type_choices(self.language)
        self.fields["org_form"].choices = [("", self.t("Vet ikke / annen", "Don't know / other"))] + org_form_choices(
            self.language
        )
        self.fields["county"].choices = [("", self.t("Velg fylke", "Choose a county"))] + county_choices()
        for name in self.COUNTY_FIELDS:
            self.fields[name].choices = county_choices()
        for name in ("postal_code", "municipality_number", "bank_account"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if "voluntary_registered_on" in self.fields:
            # Required when registered (clean()): not «valgfritt» beside a rule that demands it (issue #13, point 3).
            self.fields["voluntary_registered_on"].required_when = True  # type: ignore[attr-defined]
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "type": "tel"})
        for name in self.locked:
            self.fields.pop(name, None)
        if applicant_type in self.PUBLIC_BODIES:
            for name in self.VOLUNTARY_FIELDS:
                self.fields.pop(name, None)
        # A «yes» from the registry is kept; the date is still the person's to give.
        if "voluntary_registered" in self.locked and "voluntary_registered_on" in self.fields:
            self.fields["voluntary_registered_on"].help_text = self.t(
                "Enhetsregisteret sier at organisasjonen er registrert. Skriv datoen den ble registrert.",
                "Enhetsregisteret says the organisation is registered. Enter the date it was registered.",
            )

    def county_fields(self):
        return [self[name] for name in self.COUNTY_FIELDS if name in self.fields]

    def main_fields(self):
        skip = set(self.COUNTY_FIELDS) | {"position", "other_title"}
        return [field for field in self if field.name not in skip]

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"].strip()
        if value and (len(value) != 4 or not value.isdigit()):
            raise forms.ValidationError(self.t("Postnummeret har 4 siffer.", "The postcode has 4 digits."))
        return value

    def clean_municipality_number(self) -> str:
        value = self.cleaned_data["municipality_number"].strip()
        if value and (len(value) != 4 or not value.isdigit()):
            raise forms.ValidationError(
                self.t("Kommunenummeret har 4 siffer.", "The municipality number has 4 digits.")
            )
        return value

    def clean_bank_account(self) -> str:
        digits = digits_only(self.cleaned_data["bank_account"])
        if len(digits) != 11 or not digits.isdigit():
            raise forms.ValidationError(
                self.t("Kontonummeret har 11 siffer.", "The bank account number has 11 digits.")
            )
        if not is_valid_bank_account(digits):
            raise forms.ValidationError(
                self.t(
                    "Kontonummeret er ikke gyldig. Sjekk sifrene.",
                    "The bank account number is not valid. Check the digits.",
                )
            )
        return digits

    def _not_in_future(self, name: str) -> None:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            self.add_error(name, self.t("Datoen kan ikke være fram i tid.", "The date cannot be in the future."))

    def clean(self):
        data = super().clean()
        self._not_in_future("founded_on")
        self._not_in_future("voluntary_registered_on")
        registered = data.get("voluntary_registered") or "voluntary_registered" in self.locked
        if "voluntary_registered_on" in self.fields and registered and not data.get("voluntary_registered_on"):
            if "voluntary_registered_on" not in self.errors:
                self.add_error(
                    "voluntary_registered_on",
                    self.t(
                        "Skriv datoen organisasjonen ble registrert i Frivillighetsregisteret.",
                        "Enter the date the organisation was registered in Frivillighetsregisteret.",
                    ),
                )
        return data

    def details(self) -> dict:
        """The cleaned values for the service (only the fields this form has)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("position", "other_title")}


class RegistrationForm(OrganisationDetailsForm):
    """The organisation's details and the first person's position (signatory titles by organisation form)."""

    position = forms.ChoiceField()
    other_title = forms.CharField(max_length=100, required=False)

    def __init__(self, *args, applicant_type: str | None = None, **kwargs):
        super().__init__(*args, applicant_type=applicant_type, **kwargs)
        self.fields["position"].label = self.t("Stillingen din i organisasjonen", "Your position in the organisation")
        self.fields["position"].help_text = self.t(
            "Den som har en av disse stillingene, kan signere søknader for organisasjonen.",
            "Holders of these positions can sign applications for the organisation.",
        )
        self.fields["position"].error_messages["required"] = self.t("Velg stillingen din.", "Choose your position.")
        self.fields["other_title"].label = self.t(
            "Hvis annen stilling: skriv stillingen din", "If another position: enter your position"
        )
        titles = signatory_titles(applicant_type)
        self.fields["position"].choices = [("", self.t("Velg", "Choose"))] + [
            (title, self.t(*TITLE_LABELS[title])) for title in (*titles, OTHER_TITLE)
        ]

    def clean(self):
        data = super().clean()
        if data.get("position") == OTHER_TITLE and not (data.get("other_title") or "").strip():
            self.add_error("other_title", self.t("Skriv stillingen din.", "Enter your position."))
        applicant_type = data.get("applicant_type") or self.applicant_type
        position = data.get("position")
        if position and position != OTHER_TITLE and position not in signatory_titles(applicant_type):
            self.add_error(
                "position",
                self.t(
                    "Denne stillingen gir ikke signaturrett for denne typen søker. Velg «Annen stilling».",
                    "This position does not give signing authority for this type of applicant. Choose “Another position”.",
                ),
            )
        return data

    @property
    def title(self) -> str:
        position = self.cleaned_data.get("position")
        if position == OTHER_TITLE:
            return (self.cleaned_data.get("other_title") or "").strip()
        return position or ""


# --- people ---------------------------------------------------------------------------


class JoinRequestForm(BilingualForm):
    title = forms.CharField(max_length=100, required=False)
    message = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    labels = {
        "title": ("Stillingen din i organisasjonen", "Your position in the organisation"),
        "message": ("Melding til administratorene (valgfritt)", "Message to the administrators (optional)"),
    }


class RolesForm(BilingualForm):
    can_sign = forms.BooleanField(required=False)
    is_admin = forms.BooleanField(required=False)
    title = forms.CharField(max_length=100, required=False)
    labels = {
        "can_sign": ("Signaturberettiget: kan signere søknader", "Signatory: can sign applications"),
        "is_admin": (
            "Administrator: inviterer og fjerner personer og endrer organisasjonens opplysninger",
            "Administrator: invites and removes people and changes the organisation's details",
        ),
        "title": ("Stilling", "Position"),
    }
    helps = {
        "can_sign": (
            "Bare den som har signaturrett (for eksempel kommunedirektør, styreleder eller daglig leder).",
            "Only someone with signing authority (for example the chief executive, chair or general manager).",
        ),
    }


class InviteForm(RolesForm):
    email = forms.EmailField()
    field_order = ["email", "can_sign", "is_admin", "title"]
    labels = {**RolesForm.labels, "email": ("E-postadressen til personen", "The person's e-mail address")}
    required = {"email": ("Skriv e-postadressen.", "Enter the e-mail address.")}


class ReasonForm(BilingualForm):
    reason = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    labels = {"reason": ("Begrunnelse (valgfritt)", "Reason (optional)")}


class StaffDecisionForm(ReasonForm):
    decision = forms.ChoiceField(
        choices=[("confirm", "confirm"), ("confirm_match", "confirm_match"), ("reject", "reject")],
        widget=forms.HiddenInput,
    )


# --- delegation -----------------------------------------------------------------------


class DelegationForm(BilingualForm):
    delegate = forms.TypedChoiceField(coerce=int)
    call = forms.ChoiceField(required=False)
    valid_until = forms.DateField(widget=DateInput())
    labels = {
        "delegate": ("Hvem får fullmakt?", "Who gets the authority?"),
        "call": ("For hvilken utlysning?", "For which call?"),
        "valid_until": ("Gyldig til og med", "Valid until (inclusive)"),
    }
    required = {
        "delegate": ("Velg personen som skal få fullmakt.", "Choose the person to delegate to."),
        "valid_until": ("Skriv datoen fullmakten gjelder til.", "Enter the date the authority ends."),
    }

    def __init__(self, *args, organisation, granted_by, **kwargs):
        super().__init__(*args, **kwargs)
        people = delegate_candidates(organisation, granted_by)
        self.fields["delegate"].choices = [("", self.t("Velg person", "Choose a person"))] + [
            (member.pk, f"{member.user.get_full_name()} ({member.user.email})") for member in people
        ]
        now = timezone.now()
        calls = Call.objects.filter(deadline__gte=now).order_by("deadline", "slug")
        self.fields["call"].choices = [("", self.t("Alle utlysninger", "All calls"))] + [
            (str(call.pk), self.t(call.title_nb, call.title_en or call.title_nb)) for call in calls
        ]

    def clean_valid_until(self) -> dt.date:
        value = self.cleaned_data["valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(self.t("Datoen har allerede vært.", "The date has already passed."))
        return value

    @property
    def call_id(self) -> int | None:
        value = self.cleaned_data.get("call")
        return int(value) if value else None
