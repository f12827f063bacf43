"""docs/casework.md lists every move of the reporting duty's state machine (as tests/docs/test_casework_doc.py
does for the others), and no move of its states that does not exist."""

from tests.docs.state_tables import assert_documented
from tilskudd.reports.states import DUTY_TRANSITIONS


def test_every_reporting_duty_transition_is_in_the_doc():
    assert_documented(DUTY_TRANSITIONS)
