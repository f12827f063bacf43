"""docs/casework.md lists every move of every state machine: the doc cannot drift from the code silently."""

from tests.docs.state_tables import assert_documented
from tilskudd.applications.states import TRANSITIONS as APPLICATION
from tilskudd.complaints.states import TRANSITIONS as COMPLAINT
from tilskudd.grants.awards.continuation_states import CONTINUATION_TRANSITIONS as CONTINUATION
from tilskudd.grants.states import GRANT_TRANSITIONS, TERM_TRANSITIONS
from tilskudd.grants.states import TRANSITIONS as DECISION


def test_every_application_and_decision_transition_is_in_the_doc():
    assert_documented({**APPLICATION, **DECISION})


def test_every_grant_and_payment_term_transition_is_in_the_doc():
    # Checked together with the others: the machines share state names (cancelled, …), so a row of one must not
    # be taken for a move that does not exist in another.
    assert_documented({**APPLICATION, **DECISION, **GRANT_TRANSITIONS, **TERM_TRANSITIONS})


def test_every_complaint_transition_is_in_the_doc():
    # With every other machine: a complaint's «withdrawn» and «reversed» must not pass for another machine's moves
    # (and a continuation's «filed» rows are the continuation's).
    assert_documented({**APPLICATION, **DECISION, **GRANT_TRANSITIONS, **TERM_TRANSITIONS, **COMPLAINT, **CONTINUATION})


def test_every_continuation_transition_is_in_the_doc():
    # With the complaint's machine: both have a «filed» state, so neither's rows may pass for the other's moves.
    assert_documented({**COMPLAINT, **CONTINUATION})
