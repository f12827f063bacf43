"""Forms of the allocation page: a caseworker's line and a frame.

Error messages are written «bokmål / English»; :func:`form_errors` splits them
into pairs for the page's error summary.
"""

from __future__ import annotations

from django import forms

from tilskudd.core.forms import NokField
from tilskudd.rules.application import MAX_NOK

YEAR_ERRORS = {
    "required": "Velg år. / Choose the year.",
    "invalid": "Året må være et årstall. / The year must be a year.",
    "min_value": "Året må være fra 2000 til 2100. / The year must be from 2000 to 2100.",
    "max_value": "Året må være fra 2000 til 2100. / The year must be from 2000 to 2100.",
}
#: Amounts have the ceiling of the application's budget (rules.application.MAX_NOK): far below what the database holds.
AMOUNT_ERRORS = {
    "required": "Skriv et beløp i hele kroner. / Enter an amount in whole NOK.",
    "invalid": "Beløpet må være et helt kronebeløp. / The amount must be a whole number of NOK.",
    "min_value": "Beløpet kan ikke være negativt. / The amount cannot be negative.",
    "max_value": "Beløpet kan være høyst 1 000 000 000 000 kr. / The amount can be at most NOK 1,000,000,000,000.",
}
FRAME_ERRORS = {
    "required": "Skriv rammen i hele kroner. / Enter the frame in whole NOK.",
    "invalid": "Rammen må være et helt kronebeløp. / The frame must be a whole number of NOK.",
    "min_value": "Rammen kan ikke være negativ. / The frame cannot be negative.",
    "max_value": "Rammen kan være høyst 1 000 000 000 000 kr. / The frame can be at most NOK 1,000,000,000,000.",
}


class LineForm(forms.Form):
    """The amount one application is to get in one year, and why."""

    amount = NokField(min_value=0, max_value=MAX_NOK, error_messages=AMOUNT_ERRORS)
    year = forms.IntegerField(min_value=2000, max_value=2100, error_messages=YEAR_ERRORS)
    reason = forms.CharField(required=False, max_length=2000, strip=True)


class FrameForm(forms.Form):
    """A frame: the grantor's (or the scheme's, grantor ""), for the whole call or one area, for one year."""

    grantor = forms.CharField(required=False, max_length=9)
    area = forms.CharField(required=False, max_length=60)
    year = forms.IntegerField(min_value=2000, max_value=2100, error_messages=YEAR_ERRORS)
    amount = NokField(min_value=0, max_value=MAX_NOK, error_messages=FRAME_ERRORS)


def form_errors(form: forms.Form) -> list[tuple[str, str]]:
    """(bokmål, English) of each error in ``form``."""
    found = []
    for errors in form.errors.values():
        for error in errors:
            nb, _, en = str(error).partition(" / ")
            found.append((nb, en or nb))
    return found
