"""The decision form: kind, amount, later years' commitments, period, reasons, conditions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.core.formatting import format_date
from tilskudd.core.forms import NokField
from tilskudd.core.text import pick
from tilskudd.grants.awards.plan import MAX_DECIDED_TERMS
from tilskudd.grants.states import DECISION_KIND_EN, DecisionKind
from tilskudd.rules.application import MAX_NOK

#: Dates of a decision lie in the years a budget may name (rules.application.Year): a period ending
#: in 9999 would give a report deadline in the year 10000, which no date holds.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _within_years(day):
    if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise forms.ValidationError(
            pick(
                get_language(),
                f"Velg en dato fra år {FIRST_YEAR} til {LAST_YEAR}.",
                f"Choose a date from the year {FIRST_YEAR} to {LAST_YEAR}.",
            )
        )


def _amount_messages(field: forms.IntegerField) -> None:
    field.error_messages["min_value"] = pick(
        get_language(), "Beløpet kan ikke være negativt.", "The amount cannot be negative."
    )
    field.error_messages["max_value"] = pick(
        get_language(),
        "Beløpet kan være høyst 1 000 000 000 000 kr.",
        "The amount can be at most NOK 1,000,000,000,000.",
    )


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(widget=forms.RadioSelect)
    amount = NokField(
        required=False, min_value=0, max_value=MAX_NOK, widget=forms.TextInput(attrs={"class": "ds-input"})
    )
    period_start = forms.DateField(
        required=False, validators=[_within_years], widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    period_end = forms.DateField(
        required=False, validators=[_within_years], widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    report_due = forms.DateField(
        required=False, validators=[_within_years], widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    acceptance_due = forms.DateField(
        required=False, validators=[_within_years], widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"})
    )
    reasons = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4, "class": "ds-input"}))
    conditions = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple)
    extra_conditions = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}))

    def __init__(self, *args, definition, later_years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.later_years = later_years
        self.fields["kind"].choices = [
            (k.value, pick(get_language(), k.label, DECISION_KIND_EN[k])) for k in DecisionKind
        ]
        self.fields["kind"].label = pick(get_language(), "Vedtak", "Decision")
        self.fields["amount"].label = pick(get_language(), "Beløp for året (kroner)", "Amount for the year (NOK)")
        self.fields["period_start"].label = pick(get_language(), "Perioden begynner", "Period starts")
        self.fields["period_end"].label = pick(get_language(), "Perioden slutter", "Period ends")
        self.fields["report_due"].label = pick(
            get_language(),
            "Rapportfrist der utlysningen ikke setter en (tom: 1. februar året etter perioden)",
            "Report deadline where the call sets none (empty: 1 February the year after the period)",
        )
        self.fields["acceptance_due"].label = pick(
            get_language(),
            "Frist for aksept der utlysningen ikke setter en (står i brevet; tom: ingen frist)",
            "Deadline for acceptance where the call sets none (shown in the letter; empty: no deadline)",
        )
        self.fields["reasons"].label = pick(
            get_language(), "Begrunnelse (står i brevet)", "Reasons (shown in the letter)"
        )
        self.fields["conditions"].label = pick(get_language(), "Vilkår fra utlysningen", "Conditions from the call")
        self.fields["conditions"].choices = [
            (c.id, pick(get_language(), c.text.nb, c.text.en or c.text.nb)) for c in definition.grant_conditions
        ]
        self.fields["extra_conditions"].label = pick(get_language(), "Andre vilkår", "Other conditions")
        for year in later_years:
            self.fields[f"later_{year}"] = NokField(
                required=False,
                min_value=0,
                max_value=MAX_NOK,
                label=pick(get_language(), f"Tilsagn for {year} (kroner)", f"Commitment for {year} (NOK)"),
                widget=forms.TextInput(attrs={"class": "ds-input"}),
            )
        self.plan_in_decision = definition.payment.plan_in_decision
        if self.plan_in_decision:
            self._add_payment_plan_fields(definition.payment.terms)
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField):
                _amount_messages(field)

    def _add_payment_plan_fields(self, default_terms: int) -> None:
        """Where the call leaves the payment plan to the letter: the number of terms and each later term's first day."""
        self.fields["payment_terms"] = forms.TypedChoiceField(
            coerce=int,
            choices=[(n, str(n)) for n in range(1, MAX_DECIDED_TERMS + 1)],
            initial=default_terms,
            label=pick(get_language(), "Antall utbetalinger (terminer)", "Number of payments (terms)"),
            widget=forms.Select(attrs={"class": "ds-input"}),
        )
        for number in range(2, MAX_DECIDED_TERMS + 1):
            self.fields[f"term_{number}_from"] = forms.DateField(
                required=False,
                validators=[_within_years],
                label=pick(
                    get_language(),
                    f"Termin {number} utbetales tidligst (tom: når tilskuddet er akseptert)",
                    f"Term {number} is paid no earlier than (empty: once the grant is accepted)",
                ),
                widget=forms.DateInput(attrs={"type": "date", "class": "ds-input"}),
            )

    def plan_fields(self):
        if not self.plan_in_decision:
            return []
        return [self["payment_terms"], *(self[f"term_{n}_from"] for n in range(2, MAX_DECIDED_TERMS + 1))]

    def payment_plan(self) -> dict:
        """The keyword arguments for ``services.prepare_decision`` (empty where the call sets the plan)."""
        if not self.plan_in_decision:
            return {}
        terms = self.cleaned_data.get("payment_terms")
        dates = [self.cleaned_data.get(f"term_{n}_from") for n in range(2, MAX_DECIDED_TERMS + 1)]
        return {"payment_terms": terms, "payment_dates": dates[: (terms or 1) - 1]}

    def later_fields(self):
        return [self[f"later_{year}"] for year in self.later_years]

    def commitments(self) -> dict[str, int]:
        return {str(year): self.cleaned_data.get(f"later_{year}") or 0 for year in self.later_years}


class ReturnForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "class": "ds-input"}))


# --- safe defaults (issue #13, point 9) ---------------------------------------------------------------


def period_defaults(year: int, later_years: list[int]) -> dict[str, dt.date]:
    """The call's period: its year. Where the call allows later years the end is left empty, so the service ends
    the period with the last year committed to (``services.prepare_decision``)."""
    defaults = {"period_start": dt.date(year, 1, 1)}
    if not later_years:
        defaults["period_end"] = dt.date(year, 12, 31)
    return defaults


def past_period_warning(form: DecisionForm) -> str:
    """A warning when the period on the form has ended before today in Oslo (a period, not a refusal: the staff
    may decide on a project already done)."""
    field = form["period_end"]
    try:
        end = field.field.to_python(field.value())
    except forms.ValidationError:
        return ""
    if end is None and not form.is_bound:
        year = form.initial["period_start"].year if form.initial.get("period_start") else None
        end = dt.date(year, 12, 31) if year else None
    if not isinstance(end, dt.date) or end >= timezone.localdate():
        return ""
    return pick(
        get_language(),
        f"Perioden sluttet {format_date(end, 'nb')}, før i dag. Sjekk at datoene er riktige før vedtaket lages.",
        f"The period ended on {format_date(end, 'en')}, before today. Check the dates before preparing the decision.",
    )
