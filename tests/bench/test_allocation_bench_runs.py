"""The allocation benchmark runs and reports every scenario as feasible (no timing is asserted).

It runs in a subprocess with the smallest size and one repeat: the benchmark
pins its process to one CPU core, which must not happen to the test process.
"""

from __future__ import annotations

import importlib.util
import platform
import re
import sys

import pytest

from tests.bench import running
from tests.bench.running import run_report
from tests.conftest import ROOT

SCRIPT = ROOT / "bench" / "allocation.py"
SIZES = (10, 20)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    """The report of one quick run, shared by the tests here."""
    arguments = ["--sizes", *map(str, SIZES), "--repeats", "1", "--min-time", "0"]
    return run_report(SCRIPT, arguments, tmp_path_factory.mktemp("bench") / "allocation.md")


def table_rows(report: str) -> dict[str, list[str]]:
    return running.table_rows(report, 16, 0, r"C\d-like, N=\d+")


def test_every_scenario_is_reported_feasible_with_a_positive_rate(report):
    rows = table_rows(report)
    assert sorted(rows) == sorted(f"{kind}-like, N={size}" for kind in ("C0", "C2") for size in SIZES)
    for name, cells in rows.items():
        assert int(cells[1]) == int(name.split("=")[1])
        assert float(cells[6].replace(" ", "")) > 0, (name, cells[6])
        assert cells[10] == "feasible", (name, cells[10])
        assert cells[8].startswith("optimal"), (name, cells[8])
        assert cells[14].endswith(" MB")
        assert cells[15] in {"yes", "no"}


def test_the_c2_scenarios_use_a_binary_per_application(report):
    for name, cells in table_rows(report).items():
        size = int(cells[1])
        expected = f"{2 * size} ({size})" if name.startswith("C2") else f"{size} (0)"
        assert cells[3] == expected, (name, cells[3])


def test_the_report_names_the_machine_the_solver_limit_and_the_target(report):
    assert re.search(r"`nproc` = \d+", report)
    assert f"Python {platform.python_implementation()} {platform.python_version()}" in report
    assert "`TIME_LIMIT_SECONDS`" in report
    assert "1 000 applications in ≤ 3 s" in report


def test_a_wrong_proposal_is_reported_as_infeasible():
    """The check the benchmark relies on catches an exceeded frame, a cap and a minimum."""
    saved = list(sys.path)
    try:  # the script puts bench/ and src/ on sys.path; leave the test process's as it was
        spec = importlib.util.spec_from_file_location("bench_allocation", SCRIPT)
        bench = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = bench  # dataclasses look their module up there
        spec.loader.exec_module(bench)
    finally:
        sys.path[:] = saved
    from tilskudd.grants.allocation.assistant import Proposal, propose  # noqa: PLC0415

    scenario = bench.c2_like(10, seed=1)
    good = propose(scenario.items, scenario.frames)
    assert bench.problems(scenario, good) == []
    first = scenario.items[0]
    bad = [Proposal(p.application_id, first.cap + 1 if i == 0 else p.amount, p.reason, "", "") for i, p in enumerate(good)]
    assert any("outside" in problem for problem in bench.problems(scenario, bad))
    tiny = [Proposal(p.application_id, 1 if p.amount == 0 else p.amount, p.reason, "", "") for p in good]
    assert any("below the minimum" in problem for problem in bench.problems(scenario, tiny))
    greedy = [Proposal(i.application_id, i.cap, "full", "", "") for i in scenario.items]
    assert any("exceeds" in problem for problem in bench.problems(scenario, greedy))
