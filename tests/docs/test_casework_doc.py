"""docs/casework.md lists every move of both state machines: the doc cannot drift from the code silently."""

from tests.conftest import ROOT
from tilskudd.applications.states import TRANSITIONS as APPLICATION
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


def test_every_application_and_decision_transition_is_in_the_doc():
    expected = {(str(a), str(b), action) for (a, b), action in {**APPLICATION, **DECISION}.items()}
    documented = _rows()
    assert expected - documented == set(), "add these moves to docs/casework.md"
    assert {row for row in documented if row[0] in {s for s, _, _ in expected}} - expected == set(), "these moves do not exist"
