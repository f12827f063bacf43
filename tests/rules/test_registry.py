"""One registry per concern, keyed by check kind: every kind of the schema is in every registry.

A new kind of check added to ``rules/schema.py`` (and so to ``CHECK_KINDS``) fails here until each
concern (compiled by the engine, worded and placed on the call page, …) has an entry for it. A module
that makes a registry of check kinds is imported below, so that its registry is found.
"""

import pytest

import tilskudd.calls.presentation.checks
import tilskudd.grants.allocation.caps
import tilskudd.rules.plan
from tilskudd.rules.registry import Registry, Unregistered, registries
from tilskudd.rules.schema import CHECK_KINDS, AmountCheck, RangeCheck

CHECK_REGISTRIES = [registry for registry in registries() if registry.expected == CHECK_KINDS]


def test_the_schema_lists_every_kind_of_check():
    kinds = {kind.model_fields["kind"].annotation.__args__[0] for kind in CHECK_KINDS}
    assert len(kinds) == len(CHECK_KINDS) >= 9


def test_the_known_registries_are_found():
    concerns = {registry.concern for registry in CHECK_REGISTRIES}
    assert any("rule engine" in concern for concern in concerns)
    assert tilskudd.calls.presentation.checks.WORDINGS in CHECK_REGISTRIES
    assert tilskudd.calls.presentation.checks.PLACES in CHECK_REGISTRIES
    assert tilskudd.grants.allocation.caps.CAPS in CHECK_REGISTRIES


@pytest.mark.parametrize("registry", CHECK_REGISTRIES, ids=lambda registry: registry.concern)
def test_every_kind_of_check_is_in_every_registry(registry):
    assert not registry.missing(), f"no entry for {[k.__name__ for k in registry.missing()]} ({registry.concern})"


def test_an_unregistered_kind_fails_loudly():
    registry: Registry[str] = Registry("tried in a test", [AmountCheck, RangeCheck])
    registry.add(AmountCheck, "amount")
    # Registries go by the class alone (model_construct: no rule id, so docs/rules.md does not list this test).
    check = RangeCheck.model_construct(kind="range", field="answers.participants", min=15)
    assert registry.for_(AmountCheck.model_construct(kind="amount_applied", min=10_000)) == "amount"
    assert registry.get(check) is None
    assert registry.missing() == [RangeCheck]
    with pytest.raises(Unregistered, match=r"RangeCheck.*tried in a test"):
        registry.for_(check)
    with pytest.raises(ValueError, match="already registered"):
        registry.add(AmountCheck, "again")


def test_register_is_a_decorator_that_keeps_the_function():
    registry: Registry[object] = Registry("decorated in a test")

    @registry.register(RangeCheck)
    def word(check):
        return "range"

    assert word(None) == "range"
    assert registry.kinds() == frozenset({RangeCheck})
