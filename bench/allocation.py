"""How long the allocation assistant takes to propose a call's allocation, on one core.

:func:`tilskudd.grants.allocation.assistant.propose` solves a mixed-integer programme
(``scipy.optimize.milp``, HiGHS) twice: the best quality-weighted sum, then,
holding it, lower application ids first. This benchmark builds synthetic but
realistic calls, deterministic from ``--seed``:

* **C0-like** (kommunale integreringstiltak): 5 areas, each with its own
  frame, and a frame for the whole call of NOK 52.3 million (the area frames
  add up to 115 % of it, so both kinds of frame bind); applications of
  NOK 200 000–2 000 000; about one in five capped below the amount applied
  (as C0-R18's stipend cap does); qualities 1.0–6.0 (the mean of two
  assessors' scores on three criteria); quality threshold 4.0 (C0-R15).
* **C2-like** (frivillige organisasjoner): 3 sub-goals, one frame (the
  municipalities' share), set to 45 % of what is applied for so that it binds;
  applications of NOK 10 000–1 000 000 (log-uniform: most are small), each
  either 0 or at least NOK 10 000 (C2-R04, a binary variable per
  application); qualities 1.0–6.0 (the mean of ten criteria); no threshold.

For every size (``--sizes``, default 50 200 1000 3000) it times ``propose``:
a first run (which also records the solver's status for each pass — it is
reported if a pass stops at ``TIME_LIMIT_SECONDS`` rather than at the
optimum), then ``--repeats`` timed runs, each looping ``propose`` often enough
to take at least ``--min-time`` seconds; fewer repeats when they would take
longer than ``--budget`` seconds. The table shows the median and the best.

Every proposal is checked — no frame exceeded, no amount above its cap or
below 0, each amount 0 or at least the minimum, nothing below a threshold —
so a fast wrong answer is not reported as fast; the quality-weighted sum is
compared with the bound of the linear relaxation (``scipy.optimize.linprog``)
to show how close to the optimum it is.

    .venv/bin/python bench/allocation.py                  # measure, print, record in bench/results/
    .venv/bin/python bench/allocation.py --no-record      # print only
    .venv/bin/python bench/allocation.py --sizes 20 --repeats 1 --no-record   # a quick run

The process pins itself to one CPU core where the OS allows it. No assertions:
the target (a call of 1 000 applications in at most 3 s) is shown, not enforced.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import linprog

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(BENCH))

from rule_engine import _rate, machine, pin_to_one_core, reference_loop_microseconds  # noqa: E402

from tilskudd.grants.allocation import assistant as allocation  # noqa: E402
from tilskudd.grants.allocation.assistant import FrameSpec, Item, Proposal, propose  # noqa: E402

RESULTS_DIR = BENCH / "results"
DEFAULT_SIZES = (50, 200, 1000, 3000)
#: «Foreslå fordeling» for a call of this many applications should answer within TARGET_SECONDS.
TARGET_SIZE = 1000
TARGET_SECONDS = 3.0
#: Above this a run is too slow for a caseworker waiting on a button; said plainly in the report.
TOO_SLOW_SECONDS = 10.0
#: Above this the memory one proposal needs is worth saying.
MEMORY_WARNING_MB = 500

C0_WHOLE_FRAME = 52_300_000
C0_AREA_SHARES = {"1": 0.30, "2": 0.25, "3": 0.20, "4": 0.15, "5": 0.10}
C0_THRESHOLD = Decimal("4.0")
C2_SUB_GOALS = ("A", "B", "C")
C2_MINIMUM = 10_000
C2_MAXIMUM = 1_000_000
C2_FRAME_SHARE = 0.45


# --- the calls ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    kind: str  # "C0-like" / "C2-like"
    size: int
    items: list[Item]
    frames: list[FrameSpec]

    @property
    def name(self) -> str:
        return f"{self.kind}, N={self.size}"


def _quality(rng: random.Random, scores: int) -> Decimal:
    """The mean of ``scores`` whole scores 1–6 around a level drawn for the application, to 3 decimals."""
    level = rng.uniform(1.0, 6.0)
    values = [min(6, max(1, round(level + rng.gauss(0, 0.7)))) for _ in range(scores)]
    return (Decimal(sum(values)) / scores).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def c0_like(size: int, seed: int) -> Scenario:
    rng = random.Random(f"allocation C0 {size} {seed}")
    frames = [FrameSpec("whole", C0_WHOLE_FRAME, "rammen for hele utlysningen", "the frame for the whole call")]
    for area, share in C0_AREA_SHARES.items():
        amount = round(C0_WHOLE_FRAME * share * 1.15, -3)
        frames.append(FrameSpec(f"area:{area}", int(amount), f"rammen for område {area}", f"the frame for area {area}"))
    areas, weights = list(C0_AREA_SHARES), list(C0_AREA_SHARES.values())
    items = []
    for number in range(size):
        area = rng.choices(areas, weights)[0]
        applied = round(rng.uniform(200_000, 2_000_000), -3)
        cap, reason_nb, reason_en = applied, "", ""
        if rng.random() < 0.2:
            cap = round(applied * rng.uniform(0.6, 0.95), -3)
            reason_nb, reason_en = "stønaden er høyst 1 G per deltakerår, C0-R18", "the stipend is at most 1 G per participant year, C0-R18"
        items.append(Item(
            application_id=1000 + number,
            area=area,
            applied=int(applied),
            cap=int(cap),
            quality=_quality(rng, 6),  # two assessors × three criteria
            threshold=C0_THRESHOLD,
            frames=(f"area:{area}", "whole"),
            cap_reason_nb=reason_nb,
            cap_reason_en=reason_en,
            area_label_nb=f"område {area}",
            area_label_en=f"area {area}",
        ))
    return Scenario("C0-like", size, items, frames)


def c2_like(size: int, seed: int) -> Scenario:
    rng = random.Random(f"allocation C2 {size} {seed}")
    items = []
    for number in range(size):
        applied = int(round(math.exp(rng.uniform(math.log(C2_MINIMUM), math.log(C2_MAXIMUM))), -2))
        applied = min(max(applied, C2_MINIMUM), C2_MAXIMUM)
        goal = rng.choice(C2_SUB_GOALS)
        items.append(Item(
            application_id=1000 + number,
            area=goal,
            applied=applied,
            cap=applied,
            quality=_quality(rng, 10),
            minimum=C2_MINIMUM,
            frames=("share:local",),
            area_label_nb=f"delmål {goal}",
            area_label_en=f"sub-goal {goal}",
        ))
    amount = int(round(sum(item.applied for item in items) * C2_FRAME_SHARE, -3))
    frames = [FrameSpec("share:local", amount, "kommunenes andel (60 %) av ordningens ramme", "the municipalities' share (60 %) of the scheme's frame")]
    return Scenario("C2-like", size, items, frames)


BUILDERS = {"C0": c0_like, "C2": c2_like}


# --- checking a result ------------------------------------------------------------------


def problems(scenario: Scenario, proposals: list[Proposal]) -> list[str]:
    """What is wrong with ``proposals`` (empty: feasible)."""
    found = []
    if [p.application_id for p in proposals] != [i.application_id for i in scenario.items]:
        return ["the proposals do not match the applications one to one, in order"]
    used = {frame.id: 0 for frame in scenario.frames}
    for item, proposal in zip(scenario.items, proposals):
        amount = proposal.amount
        if not isinstance(amount, int):
            found.append(f"{item.application_id}: amount {amount!r} is not whole NOK")
            continue
        if amount < 0 or amount > item.cap:
            found.append(f"{item.application_id}: {amount} outside 0–{item.cap}")
        if item.minimum and 0 < amount < item.minimum:
            found.append(f"{item.application_id}: {amount} below the minimum {item.minimum}")
        if item.threshold is not None and Decimal(str(item.quality)) < Decimal(str(item.threshold)) and amount:
            found.append(f"{item.application_id}: {amount} below the quality threshold")
        for frame_id in item.frames:
            used[frame_id] += amount
    for frame in scenario.frames:
        if used[frame.id] > frame.amount:
            found.append(f"{frame.id}: {used[frame.id]} exceeds {frame.amount}")
    return found


def objective(scenario: Scenario, amounts: list[int]) -> float:
    return sum(float(item.quality) * amount for item, amount in zip(scenario.items, amounts))


def relaxation_bound(scenario: Scenario) -> float:
    """Σ quality × amount of the linear relaxation (no whole NOK, no minimum): no allocation does better."""
    eligible = [
        item for item in scenario.items
        if item.threshold is None or Decimal(str(item.quality)) >= Decimal(str(item.threshold))
    ]
    if not eligible:
        return 0.0
    frame_ids = [frame.id for frame in scenario.frames]
    matrix = np.zeros((len(frame_ids), len(eligible)))
    for j, item in enumerate(eligible):
        for frame_id in item.frames:
            matrix[frame_ids.index(frame_id), j] = 1.0
    result = linprog(
        -np.array([float(item.quality) for item in eligible]),
        A_ub=matrix,
        b_ub=[float(frame.amount) for frame in scenario.frames],
        bounds=[(0, item.cap) for item in eligible],
        method="highs",
    )
    return -result.fun if result.status == 0 else float("nan")


# --- timing -------------------------------------------------------------------------------


@dataclass
class SolverLog:
    """The status of every ``milp`` call ``propose`` makes (``propose`` itself does not say)."""

    runs: list[tuple[int, str, float]] = field(default_factory=list)  # (status, message, seconds)

    def __enter__(self):
        self._real = allocation.milp

        def recording(*args, **kwargs):
            start = time.perf_counter()
            result = self._real(*args, **kwargs)
            self.runs.append((int(result.status), str(result.message), time.perf_counter() - start))
            return result

        allocation.milp = recording
        return self

    def __exit__(self, *exc):
        allocation.milp = self._real
        return False


@dataclass(frozen=True)
class Row:
    scenario: str
    kind: str
    size: int
    frames: int
    variables: int  # integer variables, binaries included
    binaries: int
    median: float  # seconds per propose
    best: float
    repeats: int
    loops: int
    solver: str  # "optimal (2 passes)" or what stopped it
    passes: str  # seconds of each milp pass in the first run
    check: str  # "feasible" or the first problems
    funded: int
    granted: int
    frame_total: int
    gap: float  # 1 − objective / relaxation bound
    peak_mb: float  # peak memory Python and NumPy allocate during one propose (tracemalloc)

    @property
    def rate(self) -> float:
        return self.size / self.median if self.median > 0 else float("inf")

    @property
    def too_slow(self) -> bool:
        return self.median > TOO_SLOW_SECONDS


def _time(scenario: Scenario, loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        propose(scenario.items, scenario.frames)
    return (time.perf_counter() - start) / loops


def _solver_text(runs: list[tuple[int, str, float]]) -> str:
    if runs and all(status == 0 for status, _, _ in runs):
        return f"optimal ({len(runs)} passes)"
    stopped = [f"pass {n}: status {status}, {message.rstrip('.')}" for n, (status, message, _) in enumerate(runs, 1) if status != 0]
    return "; ".join(stopped) or "no milp call"


def measure(scenario: Scenario, repeats: int, min_time: float, budget: float) -> Row:
    with SolverLog() as log:
        start = time.perf_counter()
        proposals = propose(scenario.items, scenario.frames)
        first = time.perf_counter() - start
    wrong = problems(scenario, proposals)
    loops = 1 if first >= min_time else max(1, math.ceil(min_time / max(first, 1e-6)))
    done = max(1, min(repeats, int(budget // max(first * loops, 1e-9))))
    times = [_time(scenario, loops) for _ in range(done)] if first * loops * done <= budget or done > 1 else []
    if not times:  # one run already takes longer than the budget: report that run rather than repeat it
        times, loops = [first], 1
    tracemalloc.start()  # a separate, untimed run: tracing slows allocation
    propose(scenario.items, scenario.frames)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    amounts = [p.amount for p in proposals]
    bound = relaxation_bound(scenario)
    value = objective(scenario, amounts)
    whole = max(scenario.frames, key=lambda frame: frame.amount)
    return Row(
        scenario=scenario.name,
        kind=scenario.kind,
        size=scenario.size,
        frames=len(scenario.frames),
        variables=len(scenario.items) + sum(1 for item in scenario.items if item.minimum),
        binaries=sum(1 for item in scenario.items if item.minimum),
        median=statistics.median(times),
        best=min(times),
        repeats=len(times),
        loops=loops,
        solver=_solver_text(log.runs),
        passes=" + ".join(f"{seconds:.2f}" for _, _, seconds in log.runs),
        check="feasible" if not wrong else "INFEASIBLE: " + "; ".join(wrong[:3]) + (f" (+{len(wrong) - 3})" if len(wrong) > 3 else ""),
        funded=sum(1 for amount in amounts if amount),
        granted=sum(amounts),
        frame_total=whole.amount,
        gap=(1 - value / bound) if bound else 0.0,
        peak_mb=peak / 1e6,
    )


# --- the report ----------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value * 1e3:.0f} ms" if value < 1 else f"{value:.2f} s"


def _megabytes(value: float) -> str:
    return f"{value:.1f}" if value < 10 else _rate(value)


def _mnok(value: int) -> str:
    return f"{value / 1e6:.1f}".replace(".", ",")


HEADER = (
    "| scenario | applications | frames | variables (binary) | propose median | propose best | applications/s median "
    "| repeats × loops | solver (first run) | milp passes (s) | result | funded | granted / frame (MNOK) | below LP bound | peak memory | ≤ 3 s |"
)


def table(rows: list[Row]) -> str:
    lines = [HEADER, "|" + "---|" * 16]
    for row in rows:
        lines.append(
            f"| {row.scenario} | {row.size} | {row.frames} | {row.variables} ({row.binaries}) "
            f"| {_seconds(row.median)} | {_seconds(row.best)} | {_rate(row.rate)} "
            f"| {row.repeats} × {row.loops} | {row.solver} | {row.passes} | {row.check} "
            f"| {row.funded} | {_mnok(row.granted)} / {_mnok(row.frame_total)} | {row.gap:.4%} | {_megabytes(row.peak_mb)} MB "
            f"| {'yes' if row.median <= TARGET_SECONDS else 'no'} |"
        )
    return "\n".join(lines)


def findings(rows: list[Row]) -> list[str]:
    """Plain sentences about what is slow or wrong."""
    said = []
    for row in rows:
        if row.check != "feasible":
            said.append(f"**{row.scenario}: the proposal is not feasible** — {row.check}.")
        if not row.solver.startswith("optimal"):
            said.append(f"**{row.scenario}: the solver did not prove the optimum** — {row.solver}.")
        if row.too_slow:
            said.append(
                f"**{row.scenario} is too slow:** {_seconds(row.median)} per proposal (over {TOO_SLOW_SECONDS:.0f} s); "
                "a caseworker pressing «Foreslå fordeling» would not wait that long."
            )
        if row.peak_mb > MEMORY_WARNING_MB:
            said.append(
                f"**{row.scenario} needs {_rate(row.peak_mb)} MB** while proposing (over {MEMORY_WARNING_MB} MB): "
                "the constraint matrix is built dense, one row per frame and two per minimum, so it grows with "
                "the square of the number of applications — a web worker pays this on every press of the button."
            )
    target = [row for row in rows if row.size == TARGET_SIZE]
    for row in target:
        verdict = "meets" if row.median <= TARGET_SECONDS else "**misses**"
        said.append(f"{row.scenario}: {_seconds(row.median)} — {verdict} the target of ≤ {TARGET_SECONDS:.0f} s.")
    return said


def report(rows: list[Row], info: dict[str, str], settings: str, pinned: str) -> str:
    today = dt.date.today().isoformat()
    lines = [
        f"# Allocation assistant benchmark, {today}",
        "",
        "Time for `tilskudd.grants.allocation.assistant.propose` to propose a whole call's allocation on one core "
        "(`bench/allocation.py`; see `bench/README.md`).",
        "",
        f"- Machine: {info['cpu']}, `nproc` = {info['nproc']}, {info['os']}; {pinned}",
        f"- Yardstick: `sum(range(1000))` takes {info['yardstick']} µs on this machine "
        "(to compare results between machines)",
        f"- Load average at the start (1, 5, 15 min): {info['load']} — other work on the machine slows the runs",
        f"- Python {info['python']}, SciPy {scipy.__version__} (HiGHS), NumPy {np.__version__}; commit {info['commit']}",
        f"- Solver time limit: {allocation.TIME_LIMIT_SECONDS:g} s per pass (`TIME_LIMIT_SECONDS`), two passes per proposal",
        f"- Settings: {settings}",
        f"- Target: a call of {_rate(TARGET_SIZE)} applications in ≤ {TARGET_SECONDS:.0f} s (median), "
        "so «Foreslå fordeling» answers while the caseworker waits",
        "",
        table(rows),
        "",
        "*propose median/best*: seconds per call of `propose`, median and best of the repeats (each repeat loops "
        "`propose` until it has taken at least the minimum time). *solver*: the status HiGHS gave for each "
        "`milp` pass of the first run; *milp passes*: their seconds (the rest of `propose` is building the "
        "programme and the explanations). *result*: every proposal checked — no frame exceeded, every amount "
        "within 0 and its cap, 0 or at least the minimum, nothing below a threshold. *granted / frame*: the sum "
        "proposed and the largest frame. *below LP bound*: how far the quality-weighted sum is below the "
        "linear relaxation's (which ignores whole NOK and minimums, so 0 % is not always reachable). "
        "*peak memory*: the most Python and NumPy held at once during one `propose` (tracemalloc, a separate "
        "untimed run; HiGHS's own memory is not counted).",
        "",
        "C0-like: 5 areas, each with its own frame (together 115 % of the whole call's), and the whole call's "
        "frame of NOK 52.3 million — the same for every size, so larger calls are more oversubscribed; "
        "applications NOK 200 000–2 000 000, one in five capped below the amount applied; quality threshold 4.0. "
        "C2-like: 3 sub-goals, one frame at 45 % of what is applied for; applications NOK 10 000–1 000 000 "
        "(log-uniform), each 0 or at least NOK 10 000 (a binary variable each); no threshold.",
    ]
    said = findings(rows)
    if said:
        lines += ["", "## Findings", ""] + [f"- {sentence}" for sentence in said]
    return "\n".join(lines) + "\n"


def new_result_path(day: dt.date, name: str = "allocation") -> Path:
    """``bench/results/<date>-<name>.md``, or ``…-2.md``, ``…-3.md`` when that day has results already."""
    path = RESULTS_DIR / f"{day.isoformat()}-{name}.md"
    number = 2
    while path.exists():
        path = RESULTS_DIR / f"{day.isoformat()}-{name}-{number}.md"
        number += 1
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES), help="applications per call (default 50 200 1000 3000)")
    parser.add_argument("--calls", nargs="+", choices=sorted(BUILDERS), default=sorted(BUILDERS), help="which kinds of call (default both)")
    parser.add_argument("--seed", type=int, default=1, help="for the synthetic calls (default 1)")
    parser.add_argument("--repeats", type=int, default=5, help="repeats per measurement (default 5)")
    parser.add_argument("--min-time", type=float, default=0.3, help="seconds per repeat at least (loops calibrated)")
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of repeats per scenario at most (fewer repeats)")
    parser.add_argument("--no-record", action="store_true", help="print only; do not write bench/results/")
    parser.add_argument("--output", type=Path, default=None, help="write the report here instead")
    args = parser.parse_args(argv)

    info = machine()  # before pinning: nproc counts the cores this process may use
    pinned = pin_to_one_core()
    info["yardstick"] = f"{reference_loop_microseconds():.1f}"
    rows = []
    for kind in args.calls:
        for size in args.sizes:
            scenario = BUILDERS[kind](size, args.seed)
            row = measure(scenario, args.repeats, args.min_time, args.budget)
            print(f"{row.scenario}: {_seconds(row.median)} median, {row.solver}, {row.check}", file=sys.stderr, flush=True)
            rows.append(row)
    settings = (
        f"seed {args.seed}, up to {args.repeats} repeats within {args.budget:g} s per scenario, "
        f"loops calibrated to ≥ {args.min_time:g} s per repeat"
    )
    text = report(rows, info, settings, pinned)
    print(text)
    if not args.no_record or args.output:
        path = args.output or new_result_path(dt.date.today())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Recorded in {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
