"""The assessor's proposed amount is read as people write amounts (issue #13, point 6: «everywhere»)."""

from __future__ import annotations

import pytest

from tilskudd.assessment.forms import parse_scores


@pytest.mark.parametrize("written", ["150 000", "150.000,-", "kr 150 000", "150000"])
def test_a_proposed_amount_with_spaces_or_full_stops_is_read_as_whole_kroner(written):
    _, amount, _, problems = parse_scores({"proposed_amount": written}, [])
    assert amount == 150_000 and problems == []


@pytest.mark.parametrize("written", ["abc", "150,50", "-5"])
def test_an_unreadable_proposed_amount_is_a_problem_beside_the_field(written):
    _, amount, _, problems = parse_scores({"proposed_amount": written}, [])
    assert amount is None
    assert [p.field for p in problems] == ["proposed_amount"]
    assert problems[0].nb == "Foreslått beløp må være hele kroner."
