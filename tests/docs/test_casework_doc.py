"""docs/casework.md lists every move of every state machine: the doc cannot drift from the code silently."""

from tests.conftest import ROOT
from tilskudd.applications.states import TRANSITIONS as APPLICATION
from tilskudd.complaints.states import TRANSITIONS as COMPLAINT
from tilskudd.grants.states import GRANT_TRANSITIONS, TERM_TRANSITIONS
from tilskudd.grants.states import TRANSITIONS as DECISION

DOC = (ROOT / "docs" / "casework.md").read_text(encoding="utf-8")


def _rows() -> set[tuple[str, str, str]]:
    rows = set()
    for line in DOC.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] and cells[0] not in ("from", "---"):
            for source in cells[0].split(","):
                rows.add((source.strip(), cells[1], cells[2]))
    return rows


def _check(machines: dict) -> None:
    expected = {(str(a), str(b), action) for (a, b), action in machines.items()}
    documented = _rows()
    assert expected - documented == set(), "add these moves to docs/casework.md"
    sources = {s for s, _, _ in expected}
    assert {row for row in documented if row[0] in sources} - expected == set(), "these moves do not exist"


def test_every_application_and_decision_transition_is_in_the_doc():
    _check({**APPLICATION, **DECISION})


def test_every_grant_and_payment_term_transition_is_in_the_doc():
    # Checked together with the others: the machines share state names (cancelled, …), so a row of one must not
    # be taken for a move that does not exist in another.
    _check({**APPLICATION, **DECISION, **GRANT_TRANSITIONS, **TERM_TRANSITIONS})


def test_every_complaint_transition_is_in_the_doc():
    # With every other machine: a complaint's «withdrawn» and «reversed» must not pass for another machine's moves.
    _check({**APPLICATION, **DECISION, **GRANT_TRANSITIONS, **TERM_TRANSITIONS, **COMPLAINT})
