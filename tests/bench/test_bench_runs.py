"""The rule-engine benchmark runs and reports every call (no timing is asserted).

It runs in a subprocess with a tiny iteration count: the benchmark pins its
process to one CPU core, which must not happen to the test process.
"""

from __future__ import annotations

import platform
import re

import pytest

from tests.bench import running
from tests.bench.running import run_report
from tests.conftest import CALLS_DIR, ROOT

SCRIPT = ROOT / "bench" / "rule_engine.py"


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    """The report of one quick run, shared by the tests here."""
    return run_report(SCRIPT, ["--iterations", "1", "--repeats", "1"], tmp_path_factory.mktemp("bench") / "report.md")


def table_rows(report: str) -> dict[str, list[str]]:
    return running.table_rows(report, 8, 1, r"\d+ \(\d+/\d+\)")


def rate(cell: str) -> float:
    return float(cell.replace(" ", ""))


def test_the_benchmark_reports_a_positive_rate_for_every_call(report):
    rows = table_rows(report)
    with_examples = sorted(p.stem for p in CALLS_DIR.glob("*.yaml") if (ROOT / "examples" / p.stem).is_dir())
    assert sorted(name for name in rows if not name.endswith("(baseline)")) == with_examples
    assert "test-minimal (baseline)" in rows
    for name, cells in rows.items():
        applications = int(cells[1].split()[0])
        assert applications > 0, name
        for cell in cells[3:7]:
            assert rate(cell) > 0, (name, cell)
        assert cells[7] in {"yes", "no"}


def test_the_report_names_the_machine_and_the_target(report):
    assert re.search(r"`nproc` = \d+", report)
    assert f"Python {platform.python_implementation()} {platform.python_version()}" in report
    assert "≥ 5 000 applications/s" in report
