"""Forms of the allocation page: a caseworker's line and a frame."""

from __future__ import annotations

from django import forms


class LineForm(forms.Form):
    """The amount one application is to get in one year, and why."""

    amount = forms.IntegerField(min_value=0, error_messages={"required": "Skriv et beløp i hele kroner. / Enter an amount in whole NOK.", "invalid": "Beløpet må være et helt kronebeløp. / The amount must be a whole number of NOK.", "min_value": "Beløpet kan ikke være negativt. / The amount cannot be negative."})
    year = forms.IntegerField(min_value=2000, max_value=2100, error_messages={"required": "Velg år. / Choose the year.", "invalid": "Året må være et årstall. / The year must be a year."})
    reason = forms.CharField(required=False, max_length=2000, strip=True)


class FrameForm(forms.Form):
    """A frame: the grantor's (or the scheme's, grantor ""), for the whole call or one area, for one year."""

    grantor = forms.CharField(required=False, max_length=9)
    area = forms.CharField(required=False, max_length=60)
    year = forms.IntegerField(min_value=2000, max_value=2100, error_messages={"required": "Velg år. / Choose the year.", "invalid": "Året må være et årstall. / The year must be a year."})
    amount = forms.IntegerField(min_value=0, error_messages={"required": "Skriv rammen i hele kroner. / Enter the frame in whole NOK.", "invalid": "Rammen må være et helt kronebeløp. / The frame must be a whole number of NOK.", "min_value": "Rammen kan ikke være negativ. / The frame cannot be negative."})


def form_errors(form: forms.Form) -> list[tuple[str, str]]:
    """(bokmål, English) of each error in ``form`` (messages written «nb / en»)."""
    found = []
    for errors in form.errors.values():
        for error in errors:
            nb, _, en = str(error).partition(" / ")
            found.append((nb, en or nb))
    return found
