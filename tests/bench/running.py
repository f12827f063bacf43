"""Running a benchmark script once, quickly, and reading its Markdown table (shared by tests/bench)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def run_report(script: Path, arguments: list[str], output: Path) -> str:
    """Run ``script`` in a subprocess (it pins itself to one core, which the tests must not) and return its report."""
    completed = subprocess.run(
        [sys.executable, str(script), *arguments, "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    return output.read_text(encoding="utf-8")


def table_rows(report: str, width: int, key_column: int, key_pattern: str) -> dict[str, list[str]]:
    """The table's rows of ``width`` cells whose cell ``key_column`` matches ``key_pattern``, by their first cell."""
    rows = {}
    for line in report.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == width and re.fullmatch(key_pattern, cells[key_column]):
            rows[cells[0]] = cells
    return rows
