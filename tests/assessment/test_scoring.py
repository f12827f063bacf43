"""The assessment's arithmetic: weights, not applicable left out (never zero), assessors combined, disagreements."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from tilskudd.assessment.scoring import combine, disagreements, in_scale, weighted_total
from tilskudd.rules.schema import Criterion, Scale, Text


def criterion(cid: str, weight: float = 1.0, low: int = 1, high: int = 6) -> Criterion:
    return Criterion(id=cid, label=Text(nb=cid), weight=weight, scale=Scale(min=low, max=high), rule="C0-R24")


C0 = [criterion("purpose"), criterion("capacity"), criterion("transfer_value")]


def test_equal_weights_give_the_mean():
    assert weighted_total(C0, {"purpose": 5, "capacity": 4, "transfer_value": 3}) == Decimal("4.000")


def test_not_applicable_is_left_out_not_counted_as_zero():
    # counting N/A as zero would give 3.000
    assert weighted_total(C0, {"purpose": 5, "capacity": 4, "transfer_value": None}) == Decimal("4.500")


def test_weights_count_and_the_total_is_rounded_to_three_places():
    weighted = [criterion("a", 2), criterion("b", 1)]
    assert weighted_total(weighted, {"a": 5, "b": 4}) == Decimal("4.667")  # (10 + 4) / 3
    assert weighted_total(weighted, {"a": None, "b": 4}) == Decimal("4.000")


def test_nothing_applicable_or_nothing_scored_gives_no_total():
    assert weighted_total(C0, {"purpose": None, "capacity": None, "transfer_value": None}) is None
    assert weighted_total(C0, {}) is None


def test_a_criterion_without_an_explicit_scale_uses_the_schemas_default():
    bare = Criterion(id="purpose", label=Text(nb="Formål"), rule="C3-R04")
    assert (bare.scale.min, bare.scale.max, bare.weight) == (1, 6, 1.0)
    assert in_scale(bare, 6) and in_scale(bare, None)
    assert not in_scale(bare, 0) and not in_scale(bare, 7)


def test_combined_view_takes_the_mean_of_the_applicable_values_per_criterion():
    one = {"purpose": 5, "capacity": 2, "transfer_value": None}
    two = {"purpose": 4, "capacity": 5, "transfer_value": None}
    three = {"purpose": 4, "capacity": 4, "transfer_value": 6}
    combined = combine(C0, [one, two, three])
    assert combined.means == {"purpose": Decimal("4.333"), "capacity": Decimal("3.667"), "transfer_value": Decimal("6.000")}
    assert combined.total == Decimal("4.667")  # (4.333 + 3.667 + 6) / 3
    assert combine(C0, [one, two]).means["transfer_value"] is None
    assert combine(C0, [one, two]).total == Decimal("4.000")  # (4.5 + 3.5) / 2


def test_disagreement_on_points_two_apart_on_applicability_and_on_amount():
    one = {"purpose": 5, "capacity": 2, "transfer_value": None}
    two = {"purpose": 4, "capacity": 4, "transfer_value": 3}
    found = disagreements(C0, [one, two], [400_000, 500_001])
    assert [(d.kind, d.criterion) for d in found] == [
        ("points", "capacity"),
        ("applicability", "transfer_value"),
        ("amount", None),
    ]
    assert found[0].values == (2, 4)


def test_one_point_apart_both_not_applicable_and_25_percent_are_no_disagreement():
    one = {"purpose": 5, "capacity": None}
    two = {"purpose": 4, "capacity": None}
    assert disagreements(C0, [one, two], [400_000, 500_000]) == []
    # a criterion only one has scored yet is not compared
    assert disagreements(C0, [{"transfer_value": 1}, {}], [None, 100]) == []


def test_zero_beside_a_positive_amount_is_a_disagreement():
    assert [d.kind for d in disagreements(C0, [{}, {}], [0, 10_000])] == ["amount"]


values = st.one_of(st.none(), st.integers(min_value=1, max_value=6))
weights = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0])


@given(st.lists(st.tuples(values, weights), min_size=1, max_size=8))
def test_the_total_always_lies_within_the_scale(scored):
    criteria = [criterion(f"c{i}", weight) for i, (_, weight) in enumerate(scored)]
    total = weighted_total(criteria, {f"c{i}": value for i, (value, _) in enumerate(scored)})
    if all(value is None for value, _ in scored):
        assert total is None
    else:
        assert Decimal(1) <= total <= Decimal(6)


@given(st.lists(st.tuples(values, weights), min_size=1, max_size=8), weights)
def test_adding_a_not_applicable_criterion_never_changes_the_total(scored, extra_weight):
    criteria = [criterion(f"c{i}", weight) for i, (_, weight) in enumerate(scored)]
    given_values = {f"c{i}": value for i, (value, _) in enumerate(scored)}
    before = weighted_total(criteria, given_values)
    after = weighted_total([*criteria, criterion("extra", extra_weight)], {**given_values, "extra": None})
    assert before == after


@given(st.lists(st.dictionaries(st.sampled_from(["purpose", "capacity", "transfer_value"]), values), min_size=1, max_size=4))
def test_the_combined_total_lies_within_the_scale(assessments):
    combined = combine(C0, assessments)
    assert combined.total is None or Decimal(1) <= combined.total <= Decimal(6)
