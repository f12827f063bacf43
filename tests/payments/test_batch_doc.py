"""docs/casework.md lists every move of the payment batch's state machine (its four-column table)."""

from tests.conftest import ROOT
from tilskudd.payments.states import BATCH_TRANSITIONS

DOC = (ROOT / "docs" / "casework.md").read_text(encoding="utf-8")


def test_every_payment_batch_transition_is_in_the_doc():
    section = DOC.split("The payment batch (`payments/states.py`", 1)[1]
    documented = set()
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("from", "---"):
            documented.add((cells[0], cells[1], cells[2]))
    assert documented == {(str(a), str(b), action) for (a, b), action in BATCH_TRANSITIONS.items()}
