"""docs/casework.md lists every move of the payment batch's state machine (its four-column table)."""

from tests.docs.state_tables import moves, table_after
from tilskudd.payments.states import BATCH_TRANSITIONS


def test_every_payment_batch_transition_is_in_the_doc():
    assert table_after("The payment batch (`payments/states.py`", columns=4) == moves(BATCH_TRANSITIONS)
