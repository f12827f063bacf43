"""Amounts on the caseworker's allocation and decision forms are read as people write them (issue #13, point 6)."""

from __future__ import annotations

import pytest

from tilskudd.grants.allocation.forms import FrameForm, LineForm


@pytest.mark.parametrize("written", ["150 000", "150.000,-", "kr 150 000", "150000"])
def test_the_allocation_line_and_the_frame_take_an_amount_with_spaces_or_full_stops(written):
    line = LineForm({"amount": written, "year": "2020"})
    assert line.is_valid(), line.errors
    assert line.cleaned_data["amount"] == 150_000
    frame = FrameForm({"amount": written, "year": "2020"})
    assert frame.is_valid(), frame.errors
    assert frame.cleaned_data["amount"] == 150_000


def test_a_negative_or_unreadable_amount_is_refused_with_the_reason():
    negative = LineForm({"amount": "-5", "year": "2020"})
    assert not negative.is_valid()
    unreadable = LineForm({"amount": "mange penger", "year": "2020"})
    assert not unreadable.is_valid() and unreadable.errors["amount"]


def test_the_amount_inputs_are_text_with_a_numeric_keyboard_not_type_number():
    html = str(LineForm()["amount"])
    assert 'type="text"' in html and 'inputmode="numeric"' in html and 'min="' not in html
