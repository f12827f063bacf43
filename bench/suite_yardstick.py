"""The suite's time against the yardstick's (issue #9, point 7): the same tests, then and now, on this machine.

Issue #9 asked for the suite to run in at most half the time it took at its filing, on the same machine. The
yardstick is ``a22ee76``, the last commit before #9's first change. Since then the suite has grown by the tests
of later issues (payments, reports, complaints, the rush …), so two figures are set beside the yardstick's own
``./scripts/test``:

* the whole suite of this tree (``./scripts/test``);
* **the yardstick's tests** in this tree: every test id the yardstick collects that this tree still has, and for
  the few renamed or split since, their successors (:data:`SUCCESSORS`) — the same checks, as they are kept now.

This script exports the yardstick (``git archive``) beside a temporary ``shared`` link (its tests read
``../shared/spec`` when it is there), collects both trees' test ids with this checkout's virtualenv, and writes the
list of the yardstick's tests in this tree. With ``--run`` it then times ``./scripts/test`` on that list and on the
whole suite here, the reference loop's pace before and after each. The yardstick's own run needs its own
virtualenv and its full Chromium, so it is printed as commands to type in the export (as it was measured:
bench/results/2026-12-03-suite-time-6.md). Nothing is recorded by itself: the figures go into a results file by hand.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_machine import pace  # noqa: E402 - the bench folder is put on the path first

YARDSTICK = "a22ee76"

#: A yardstick test id (without its parameters) → the prefixes of the ids that carry its checks now: renamed,
#: split in two, or parametrised differently since.
SUCCESSORS = {
    "tests/browser/test_issue_3_walks.py::test_c2_sub_goal_a_by_a_voluntary_organisation": [
        "tests/browser/test_issue_3_walks.py::test_c2_sub_goal_a_by_a_voluntary_organisation",
        "tests/browser/test_issue_3_walks.py::test_c2_sub_goal_a_to_imdi",
    ],
    "tests/calls/test_c0_call.py::test_area_1_cap_for_participants_under_25_is_two_thirds_of_g": [
        "tests/calls/test_c0_call.py::test_area_1_cap_counts_",
    ],
    "tests/calls/test_c0_call.py::test_no_complaint_right": [
        "tests/calls/test_c0_call.py::test_no_complaint_on_allocation_or_refusal_but_on_rejection",
    ],
    "tests/calls/test_c4_call.py::test_on_time_at_23_59_and_late_one_second_after": [
        "tests/calls/test_c4_call.py::test_kl_23_59_counts_the_whole_minute_and_midnight_is_late",
    ],
    "tests/grants/test_letters.py::test_the_rejection_letter_pdf_states_the_reasons_and_no_complaint": [
        "tests/grants/test_letter_texts.py::test_every_rejection_letter_carries_a_usable_complaint_right",
    ],
    "tests/grants/test_letters.py::test_c0_refusal_and_rejection_letters_have_reasons_and_no_complaint": [
        "tests/grants/test_letters.py::test_c0_refusal_has_no_complaint_but_the_rejection_has",
    ],
    "tests/rules/test_engine.py::test_stipend_cap_in_g_with_age_factor": [
        "tests/rules/test_engine.py::test_stipend_cap_in_g_whatever_the_age",
    ],
    "tests/rules/test_purity.py::test_rules_package_imports_only_itself_from_tilskudd": [
        "tests/rules/test_purity.py::test_rules_package_imports_only_itself_and_the_pure_kernel_from_tilskudd",
    ],
    "tests/test_production_defaults.py::test_e_mail_goes_by_smtp_without_debug_and_to_the_console_only_with_debug": [
        "tests/test_production_defaults.py::test_e_mail_goes_by_smtp_without_debug_and_to_the_development_folder",
    ],
    "tests/web/test_form_fuzz.py::test_no_web_form_answers_500": [
        "tests/web/test_form_fuzz.py::",
    ],
    "tests/web/test_presentation.py::test_stipend_cap_explains_g_and_the_age_factor": [
        "tests/web/test_presentation.py::test_stipend_cap_explains_g_and_the_years_counted",
    ],
}


def collect(tree: Path) -> set[str]:
    """The test ids pytest collects in ``tree`` (its own sources first on the path)."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    env.pop("DATABASE_URL", None)
    found = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-m", "pytest", "--collect-only", "-q", "-p", "no:randomly"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    ids = {line.strip() for line in found.stdout.splitlines() if "::" in line}
    if not ids:
        raise SystemExit(f"nothing collected in {tree}:\n{found.stdout[-2000:]}{found.stderr[-2000:]}")
    return ids


def export(commit: str, into: Path) -> Path:
    tree = into / "yardstick"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    shared = ROOT.parent / "shared"
    if shared.exists():
        (into / "shared").symlink_to(shared)
    return tree


def yardstick_tests(then: set[str], now: set[str]) -> tuple[list[str], list[str]]:
    """(the yardstick's tests in this tree, the yardstick's ids that have no successor here)."""
    kept = then & now
    lost = []
    for test in sorted(then - now):
        prefixes = SUCCESSORS.get(test.split("[", 1)[0], [])
        successors = {found for found in now for prefix in prefixes if found.startswith(prefix)}
        kept |= successors
        if not successors:
            lost.append(test)
    return sorted(kept), lost


def timed(label: str, arguments: list[str]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for cache in ROOT.glob("**/__pycache__"):  # as on a fresh clone: every worker compiles what it imports
        if ".venv" not in cache.parts:
            subprocess.run(["rm", "-rf", str(cache)], check=False)
    before = pace()
    started = time.monotonic()
    done = subprocess.run(["./scripts/test", *arguments], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - started
    after = pace()
    lines = [line for line in done.stdout.splitlines() if " passed" in line or " failed" in line]
    print(f"{label}: {seconds:.0f} s, exit {done.returncode}, pace {before:.2f} -> {after:.2f} s; " + " | ".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--yardstick", default=YARDSTICK)
    parser.add_argument("--run", action="store_true", help="time ./scripts/test on the yardstick's tests, then all")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tree = export(arguments.yardstick, Path(folder))
        then = collect(tree)
    now = collect(ROOT)
    kept, lost = yardstick_tests(then, now)
    listed = Path(tempfile.gettempdir()) / "tilskudd-yardstick-tests.txt"
    listed.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"the yardstick {arguments.yardstick} collects {len(then)} tests; this tree {len(now)}")
    print(f"the yardstick's tests in this tree: {len(kept)} (in {listed}); without a successor: {len(lost)}")
    for test in lost:
        print(f"  {test}")
    print(
        "the yardstick's own run: git archive "
        f"{arguments.yardstick} | tar -x -C <dir>; ln -s {ROOT.parent / 'shared'} <dir>/../shared; "
        "cd <dir> && make install-dev && ./scripts/browser-deps && time ./scripts/test"
    )
    if arguments.run:
        timed("the yardstick's tests", kept)
        timed("the whole suite", [])


if __name__ == "__main__":
    main()
