"""How many applications the rule engine checks per second, on one core.

For every call in ``calls/*.yaml`` (and the small test call
``tests/fixtures/minimal_call.yaml`` as a baseline) the example applications
in ``examples/<call-id>/`` — the passing and the failing ones — are read once
and then checked with :func:`tilskudd.rules.evaluate` in a loop, at the
reference time the examples' manifest gives. Each measurement is repeated;
the table shows the median and the best (min time) of the repeats. A second
measurement reads every application from its JSON text as well, as the API
and ``tilskudd check`` do.

The engine works each call definition out once (:mod:`tilskudd.rules.plan`) and
keeps that plan while the definition object lives, so the rates are for a plan
already made. What making it costs, once per definition object, is reported
separately.

    .venv/bin/python bench/rule_engine.py                 # measure, print, record in bench/results/
    .venv/bin/python bench/rule_engine.py --no-record     # print only
    .venv/bin/python bench/rule_engine.py --iterations 2 --repeats 1 --no-record   # a quick run

The process pins itself to one CPU core where the OS allows it. No assertions:
the target (>= 5 000 applications/s per call) is shown, not enforced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_machine import cpu_model  # noqa: E402

from tilskudd.rules import Application, evaluate, load_call_file  # noqa: E402
from tilskudd.rules.plan import CallPlan  # noqa: E402
from tilskudd.rules.schema import OSLO, CallDefinition  # noqa: E402

CALLS_DIR = ROOT / "calls"
EXAMPLES_DIR = ROOT / "examples"
FIXTURE = ROOT / "tests" / "fixtures" / "minimal_call.yaml"
RESULTS_DIR = Path(__file__).resolve().parent / "results"
TARGET_PER_SECOND = 5_000

#: The baseline call's passing application is the tests' (Bergen kommune's organisation number; the bank
#: account is made up and only passes MOD11).
_BASELINE_PASSING = json.loads((ROOT / "tests" / "fixtures" / "minimal_application.json").read_text(encoding="utf-8"))
_BASELINE_FAILING = {
    **_BASELINE_PASSING,
    "answers": {"participants": 12, "needs_exemption": True},
    "budget": {"lines": [{"category": "investment", "amount": 400000}], "amount_applied": 350000},
}
_BASELINE_AT = "2030-02-01T10:00:00+01:00"


@dataclass(frozen=True)
class Workload:
    """One call and the applications it is measured with."""

    name: str
    call: CallDefinition
    texts: list[str]  # JSON of each application
    applications: list[Application]
    at: list[dt.datetime]  # the reference time of each application
    passing: int
    failing: int


@dataclass(frozen=True)
class Row:
    call: str
    applications: int
    passing: int
    failing: int
    findings: int
    evaluate_median: float  # applications per second
    evaluate_best: float
    parse_evaluate_median: float
    parse_evaluate_best: float

    @property
    def meets_target(self) -> bool:
        return self.evaluate_median >= TARGET_PER_SECOND


def _at(value) -> dt.datetime:
    at = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if at.tzinfo is None:
        at = at.replace(tzinfo=OSLO)
    return at


def _workload_from_examples(call_path: Path) -> Workload | None:
    """The call and its examples, or None when the call has no examples yet."""
    call = load_call_file(call_path)
    manifest_path = EXAMPLES_DIR / call_path.stem / "examples.yaml"
    if not manifest_path.exists():
        return None
    manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
    texts: list[str] = []
    times: list[dt.datetime] = []
    passing = failing = 0
    for example in manifest["examples"]:
        texts.append((manifest_path.parent / example["file"]).read_text(encoding="utf-8"))
        times.append(_at(example.get("at", manifest["at"])))
        errors = [f for f in example.get("findings", []) if f.get("severity", "error") == "error"]
        if errors:
            failing += 1
        else:
            passing += 1
    applications = [Application.model_validate_json(text) for text in texts]
    return Workload(call.id, call, texts, applications, times, passing, failing)


def _baseline() -> Workload:
    call = load_call_file(FIXTURE)
    texts = [json.dumps(_BASELINE_PASSING), json.dumps(_BASELINE_FAILING)]
    applications = [Application.model_validate_json(text) for text in texts]
    at = _at(_BASELINE_AT)
    return Workload(f"{call.id} (baseline)", call, texts, applications, [at, at], 1, 1)


def workloads(call_paths: list[Path] | None = None) -> tuple[list[Workload], list[str]]:
    """Every call to measure, and the names of calls left out because they have no examples."""
    paths = call_paths if call_paths is not None else sorted(CALLS_DIR.glob("*.yaml"))
    found = [_baseline()]
    skipped = []
    for path in paths:
        workload = _workload_from_examples(path)
        if workload is None:
            skipped.append(path.stem)
        else:
            found.append(workload)
    return found, skipped


def _time_evaluate(work: Workload, iterations: int) -> float:
    call, pairs = work.call, list(zip(work.applications, work.at))
    start = time.perf_counter()
    for _ in range(iterations):
        for application, at in pairs:
            evaluate(call, application, at)
    return time.perf_counter() - start


def _time_parse_evaluate(work: Workload, iterations: int) -> float:
    call, pairs = work.call, list(zip(work.texts, work.at))
    start = time.perf_counter()
    for _ in range(iterations):
        for text, at in pairs:
            evaluate(call, Application.model_validate_json(text), at)
    return time.perf_counter() - start


def _calibrate(work: Workload, min_time: float) -> int:
    """Iterations so that one repeat of ``evaluate`` takes at least ``min_time`` seconds."""
    iterations = 1
    while True:
        if _time_evaluate(work, iterations) >= min_time or iterations >= 1_000_000:
            return iterations
        iterations *= 2


def measure(work: Workload, iterations: int | None = None, repeats: int = 5, min_time: float = 0.2) -> Row:
    n = iterations or _calibrate(work, min_time)
    count = n * len(work.applications)
    _time_evaluate(work, 1)  # warm caches (reference data, regular expressions)
    evaluate_rates = [count / _time_evaluate(work, n) for _ in range(repeats)]
    parse_rates = [count / _time_parse_evaluate(work, n) for _ in range(repeats)]
    findings = sum(len(evaluate(work.call, a, at)) for a, at in zip(work.applications, work.at))
    return Row(
        call=work.name,
        applications=len(work.applications),
        passing=work.passing,
        failing=work.failing,
        findings=findings,
        evaluate_median=statistics.median(evaluate_rates),
        evaluate_best=max(evaluate_rates),
        parse_evaluate_median=statistics.median(parse_rates),
        parse_evaluate_best=max(parse_rates),
    )


@dataclass(frozen=True)
class PlanCost:
    call: str
    plan_ms: float  # working the call definition out (CallPlan), best of the repeats
    first_check_ms: float  # a new definition object: plan + evaluate of the first application, median


def plan_cost(work: Workload, repeats: int = 7) -> PlanCost:
    """What the engine's per-call plan costs: made once per call definition object."""
    builds, firsts = [], []
    for _ in range(max(repeats, 1)):
        start = time.perf_counter()
        CallPlan(work.call)
        builds.append(time.perf_counter() - start)
        fresh = CallDefinition.model_validate(work.call.model_dump(mode="json", by_alias=True))
        start = time.perf_counter()
        evaluate(fresh, work.applications[0], work.at[0])
        firsts.append(time.perf_counter() - start)
    return PlanCost(work.name, min(builds) * 1e3, statistics.median(firsts) * 1e3)


def reference_loop_microseconds(repeats: int = 5) -> float:
    """Time of ``sum(range(1000))`` in µs: a yardstick to compare machines by."""
    import timeit

    timer = timeit.Timer("sum(range(1000))")
    return min(timer.repeat(repeat=repeats, number=2000)) / 2000 * 1e6


def profile_top(work: Workload, iterations: int, limit: int = 10) -> list[tuple[str, float, int]]:
    """Where ``evaluate`` spends its time for one call: (function, share of total time, calls)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    _time_evaluate(work, iterations)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # {(file, line, name): (cc, nc, tottime, cumtime, callers)}
    total = sum(entry[2] for entry in stats.values()) or 1.0
    rows = []
    for (filename, line, name), (_, calls, tottime, _, _) in stats.items():
        where = f"{Path(filename).name}:{line} {name}" if line else name
        rows.append((where, tottime / total, calls))
    return sorted(rows, key=lambda row: row[1], reverse=True)[:limit]


def pin_to_one_core() -> str:
    """Run on one CPU core where the OS allows it; say which."""
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this OS)"
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[-1]})
    return f"pinned to core {cores[-1]}"


def machine() -> dict[str, str]:
    cpu = cpu_model()
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        nproc = str(os.cpu_count())
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    import pydantic

    return {
        "nproc": nproc,
        "cpu": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "pydantic": pydantic.VERSION,
        "os": f"{platform.system()} {platform.release()}",
        "commit": commit,
        "load": " ".join(Path("/proc/loadavg").read_text().split()[:3])
        if Path("/proc/loadavg").exists()
        else "unknown",
    }


def _rate(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


HEADER = (
    "| call | applications (pass/fail) | findings | evaluate/s median | evaluate/s best "
    "| parse+evaluate/s median | parse+evaluate/s best | ≥ 5 000/s |"
)


def table(rows: list[Row]) -> str:
    lines = [HEADER, "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append(
            f"| {row.call} | {row.applications} ({row.passing}/{row.failing}) | {row.findings} "
            f"| {_rate(row.evaluate_median)} | {_rate(row.evaluate_best)} "
            f"| {_rate(row.parse_evaluate_median)} | {_rate(row.parse_evaluate_best)} "
            f"| {'yes' if row.meets_target else 'no'} |"
        )
    return "\n".join(lines)


def report(
    rows: list[Row],
    skipped: list[str],
    info: dict[str, str],
    settings: str,
    pinned: str,
    profile: tuple[str, list[tuple[str, float, int]]] | None = None,
    plans: list[PlanCost] | None = None,
) -> str:
    today = dt.date.today().isoformat()
    lines = [
        f"# Rule engine benchmark, {today}",
        "",
        "Applications checked per second by `tilskudd.rules.evaluate` on one core "
        "(`bench/rule_engine.py`; see `bench/README.md`).",
        "",
        f"- Machine: {info['cpu']}, `nproc` = {info['nproc']}, {info['os']}; {pinned}",
        f"- Yardstick: `sum(range(1000))` takes {info['yardstick']} µs on this machine "
        "(to compare results between machines)",
        f"- Load average at the start (1, 5, 15 min): {info['load']} — other work on the machine lowers the rates",
        f"- Python {info['python']}, pydantic {info['pydantic']}; commit {info['commit']}",
        f"- Settings: {settings}",
        f"- Target: ≥ {_rate(TARGET_PER_SECOND)} applications/s per call (evaluate, median)",
        "",
        table(rows),
        "",
        "*evaluate*: the application already parsed; *parse+evaluate*: read from its JSON text first, "
        "as the API and `tilskudd check` do. Median and best of the repeats.",
    ]
    if skipped:
        lines += ["", f"Not measured (no examples yet): {', '.join(skipped)}."]
    if plans:
        lines += [
            "",
            "## Working a call out (once per call definition object)",
            "",
            "The engine works each call definition out once (`tilskudd.rules.plan`) and keeps the plan "
            "while the definition object lives; the rates above are with the plan made. *plan*: making it "
            "(best of the repeats); *first check*: a new definition object, as a web request that reads the "
            "call from the database gets, checking its first application (plan and evaluate, median).",
            "",
            "| call | plan (ms) | first check (ms) |",
            "|---|---|---|",
        ]
        lines += [f"| {cost.call} | {cost.plan_ms:.2f} | {cost.first_check_ms:.2f} |" for cost in plans]
    if profile:
        name, top = profile
        lines += [
            "",
            f"## Where the time goes: {name}",
            "",
            "Own time per function under cProfile (which slows everything down, evenly enough to compare).",
            "",
            "| function | share of time | calls |",
            "|---|---|---|",
        ]
        lines += [f"| `{where}` | {share:.0%} | {calls} |" for where, share, calls in top]
    return "\n".join(lines) + "\n"


def _new_result_path(day: dt.date) -> Path:
    """``bench/results/<date>-rule-engine.md``, or ``…-2.md``, ``…-3.md`` when that day has results already."""
    path = RESULTS_DIR / f"{day.isoformat()}-rule-engine.md"
    number = 2
    while path.exists():
        path = RESULTS_DIR / f"{day.isoformat()}-rule-engine-{number}.md"
        number += 1
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--iterations", type=int, default=None, help="loops over the examples (default: calibrated)")
    parser.add_argument("--repeats", type=int, default=7, help="repeats per measurement (default 7)")
    parser.add_argument("--min-time", type=float, default=0.3, help="seconds per repeat when calibrating")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write bench/results/")
    parser.add_argument("--output", type=Path, default=None, help="write the report here instead")
    parser.add_argument("--profile", action="store_true", help="add where the time goes for the slowest call")
    args = parser.parse_args(argv)

    info = machine()  # before pinning: nproc counts the cores this process may use
    pinned = pin_to_one_core()
    info["yardstick"] = f"{reference_loop_microseconds():.1f}"
    found, skipped = workloads()
    rows = [measure(work, args.iterations, args.repeats, args.min_time) for work in found]
    plans = [plan_cost(work, args.repeats) for work in found]
    profile = None
    if args.profile:
        slowest = min(zip(rows, found), key=lambda pair: pair[0].evaluate_median)[1]
        profile = (slowest.name, profile_top(slowest, args.iterations or _calibrate(slowest, args.min_time)))
    settings = f"{args.repeats} repeats, " + (
        f"{args.iterations} iterations" if args.iterations else f"iterations calibrated to ≥ {args.min_time} s"
    )
    text = report(rows, skipped, info, settings, pinned, profile, plans)
    print(text)
    if not args.no_record or args.output:
        path = args.output or _new_result_path(dt.date.today())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Recorded in {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
