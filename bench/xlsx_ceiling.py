"""Where the XLSX export's time goes, and its ceiling: openpyxl writing the same rows alone (issue #14, point 4).

In the scratch database of bench/casework_pages.py (it must hold the generated applications already), for one
call's overview as IMDi's export sees it:

1. reading: ``figures.export_rows`` consumed to a list (the database's query, streamed, and the rows built);
2. writing: ``exports.write_xlsx`` fed that list (openpyxl's write-only mode, the same cells and formats) into
   a temporary file — the ceiling, since no export can write this workbook faster with openpyxl;
3. the whole export as the page does it (both).

Wall and CPU seconds (this process's; PostgreSQL's own CPU is not counted) of each, printed as a Markdown table.

    .venv/bin/python bench/xlsx_ceiling.py --database tilskudd_bench_pages --call kommunale-integreringstiltak-2019-demo
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import casework_pages  # noqa: E402


def _timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="tilskudd_bench_pages")
    parser.add_argument("--call", default="kommunale-integreringstiltak-2019-demo")
    args = parser.parse_args(argv)
    casework_pages._setup_django(args.database)
    # Django is set up first, for the scratch database.
    from tilskudd.calls.models import Call  # noqa: PLC0415
    from tilskudd.grants.overview import exports, figures  # noqa: PLC0415

    call = Call.objects.get(slug=args.call)
    grantors = {call.grantor_org_number}
    read_wall, read_cpu, rows = _timed(lambda: list(figures.export_rows(call, grantors)))
    real = figures.export_rows
    try:
        figures.export_rows = lambda *_args, **_kwargs: iter(rows)
        with tempfile.TemporaryFile() as output:
            write_wall, write_cpu, _ = _timed(lambda: exports.write_xlsx(call, grantors, output))
            size = output.tell()
    finally:
        figures.export_rows = real
    with tempfile.TemporaryFile() as output:
        whole_wall, whole_cpu, _ = _timed(lambda: exports.write_xlsx(call, grantors, output))
    print(f"{len(rows)} rows of {call.slug}; the workbook {size:,} bytes".replace(",", " "))
    print("| step | wall s | CPU s (this process) |")
    print("|---|---:|---:|")
    print(f"| reading the rows (export_rows) | {read_wall:.1f} | {read_cpu:.1f} |")
    print(f"| writing them with openpyxl alone (the ceiling) | {write_wall:.1f} | {write_cpu:.1f} |")
    print(f"| the whole export (write_xlsx) | {whole_wall:.1f} | {whole_cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
