"""One reader of the state tables in docs/casework.md, for the tests that keep them in step with the code.

A state table is a Markdown table whose first three columns are ``from | to | action`` (the payment batch's has a
fourth, «what happens»). A «from» cell may name several states, comma-separated: one move from each. Each state
machine's ``*_TRANSITIONS`` maps ``(from, to)`` to the action, as the tables do.
"""

from __future__ import annotations

from tests.conftest import ROOT

DOC = ROOT / "docs" / "casework.md"

Move = tuple[str, str, str]


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def moves(machines: dict) -> set[Move]:
    """The (from, to, action) moves of one or more merged ``*_TRANSITIONS`` dicts, as strings."""
    return {(str(a), str(b), action) for (a, b), action in machines.items()}


def table_rows(text: str, columns: int = 3) -> set[Move]:
    """The (from, to, action) rows of the tables in ``text`` that have exactly ``columns`` columns."""
    rows = set()
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == columns and cells[2] and cells[0] not in ("from", "---"):
            for source in cells[0].split(","):
                rows.add((source.strip(), cells[1], cells[2]))
    return rows


def table_after(heading: str, columns: int = 3) -> set[Move]:
    """The rows of the first table after the line that starts with ``heading`` (its state machine's sentence)."""
    before, found, after = doc_text().partition(heading)
    assert found, f"docs/casework.md has no line «{heading}…»"
    table: list[str] = []
    for line in after.splitlines()[1:]:
        if line.startswith("|"):
            table.append(line)
        elif table:
            break
    return table_rows("\n".join(table), columns)


def assert_documented(machines: dict) -> None:
    """Every move of ``machines`` is a row somewhere in docs/casework.md, and no row from one of their states names
    a move they do not have (check machines that share state names together, so one's row is not taken for
    another's move)."""
    expected = moves(machines)
    documented = table_rows(doc_text())
    assert expected - documented == set(), "add these moves to docs/casework.md"
    sources = {s for s, _, _ in expected}
    assert {row for row in documented if row[0] in sources} - expected == set(), "these moves do not exist"
