"""What the benchmarks say about the machine they ran on (shared by the scripts in bench/)."""

from __future__ import annotations

import platform
import time
from pathlib import Path


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what the platform module knows."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


#: The reference loop the benchmarks and the issue notes time beside every figure: the machine's pace of the moment.
REFERENCE_LOOP = "sum(i * i for i in range(20_000_000))"


def pace() -> float:
    """Seconds of wall time for the reference loop in this process, now.

    The machine is shared: the same loop took 0.83 s on a quiet morning and 3.8 s under load, and every figure
    measured beside it moves with it. A benchmark records the pace before and after its runs, so that figures from
    different hours can be set side by side (a figure is never scaled by it: the pace says how far to trust it).
    """
    started = time.perf_counter()
    eval(REFERENCE_LOOP)  # a fixed expression of this module, not input
    return time.perf_counter() - started
