"""The XLSX export's time: openpyxl's workbook (as before) against the streamed one (issue #14, point 4).

Two ways to run it:

- ``--generated N`` (no database): N rows like ``figures.export_rows``' built in memory first, then the same
  rows written by openpyxl's write-only mode into a temporary file (the export before, kept here as
  ``openpyxl_xlsx``: nothing is sent before ``save()``) and by ``exports.xlsx_chunks`` (the export now, streamed),
  interleaved. For each: wall and CPU seconds, the time to the first chunk, the bytes; with ``--memory`` also
  the peak of Python's allocations while writing (tracemalloc, a separate slower pass).
- in the scratch database of bench/casework_pages.py (it must hold the generated applications already), for one
  call's overview as IMDi's export sees it: reading the rows (``figures.export_rows`` to a list), writing them
  with openpyxl and streamed, and the whole export as the page does it.

    .venv/bin/python bench/xlsx_ceiling.py --generated 100000 --memory
    .venv/bin/python bench/xlsx_ceiling.py --database tilskudd_bench_pages --call kommunale-integreringstiltak-2019-demo
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import casework_pages  # noqa: E402


def _timed(work) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def openpyxl_xlsx(call, grantors, output) -> None:
    """The export before the stream (exports.write_xlsx until issue #14, point 4): openpyxl's write-only mode."""
    from openpyxl import Workbook  # noqa: PLC0415 - Django is set up first
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font  # noqa: PLC0415

    from tilskudd.grants.overview import figures  # noqa: PLC0415
    from tilskudd.grants.overview.exports import COLUMN_WIDTHS, NOK_FORMAT, safe_cell  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Søknader")
    for index, width in enumerate(COLUMN_WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def heading(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    formats = {7: NOK_FORMAT, 8: NOK_FORMAT, 9: NOK_FORMAT, 10: "0.000", 11: "yyyy-mm-dd hh:mm"}

    def cell(index, value):
        if index not in formats:
            return safe_cell(value)
        written = WriteOnlyCell(sheet, value=value)
        written.number_format = formats[index]
        return written

    sheet.append([heading(value) for value in figures.EXPORT_HEADINGS])
    for row in figures.export_rows(call, grantors):
        values = list(row.values())
        values[10] = float(row.quality) if row.quality is not None else None
        values[11] = row.submitted_at.replace(tzinfo=None) if row.submitted_at else None
        sheet.append([cell(index, value) for index, value in enumerate(values)])
    workbook.save(output)


def generated_rows(count: int) -> list:
    """``count`` rows as export_rows yields them for a big call: varied names, numbers, amounts and times."""
    from django.utils import timezone  # noqa: PLC0415

    from tilskudd.grants.overview.figures import ExportRow  # noqa: PLC0415

    statuses = ("Innvilget", "Avslått", "Til vurdering", "Avvist", "Trukket", "Sendt inn")
    counties = ("Vestland (46)", "Oslo (03)", "Trøndelag (50)", "Agder (42)", "Nordland (18)")
    areas = ("1 Lengre kvalifiseringsløp", "2 Arbeid og kvalifisering", "3 Integrering i lokalsamfunnet")
    start = dt.datetime(2019, 2, 1, 8, 0, tzinfo=dt.UTC)
    rows = []
    for number in range(count):
        rows.append(
            ExportRow(
                case_number=f"2019-{number:06d}",
                organisation=f"Organisasjon {number * 7919 % 100_003} {('kommune', 'forening', 'AS')[number % 3]}",
                org_number=str(900_000_000 + number * 7_919 % 99_999_999),
                county=counties[number % len(counties)],
                areas=", ".join(areas[: 1 + number % 3]),
                grantor="Integrerings- og mangfoldsdirektoratet (IMDi)",
                status=statuses[number % len(statuses)],
                applied=(number * 7_919) % 2_000_000,
                proposed=(number * 6_007) % 1_500_000,
                granted=(number * 5_003) % 1_500_000,
                quality=Decimal(number % 5001) / 1000 if number % 4 else None,
                submitted_at=timezone.localtime(start + dt.timedelta(seconds=97 * number)),
            )
        )
    return rows


def _openpyxl_run(call) -> dict:
    wall, cpu = time.perf_counter(), time.process_time()
    with tempfile.TemporaryFile() as output:
        openpyxl_xlsx(call, set(), output)
        size = output.tell()
    took, used = time.perf_counter() - wall, time.process_time() - cpu
    return {"wall": took, "cpu": used, "first": took, "bytes": size, "chunks": 1}  # sent only once saved


def _stream_run(call) -> dict:
    from tilskudd.grants.overview import exports  # noqa: PLC0415

    wall, cpu = time.perf_counter(), time.process_time()
    first, size, chunks = None, 0, 0
    with tempfile.TemporaryFile() as output:
        for chunk in exports.xlsx_chunks(call, set()):
            if first is None:
                first = time.perf_counter() - wall
            output.write(chunk)
            size, chunks = size + len(chunk), chunks + 1
    return {
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
        "first": first,
        "bytes": size,
        "chunks": chunks,
    }


def _peak_mib(run, call) -> float:
    tracemalloc.start()
    try:
        run(call)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def generated(count: int, repeats: int, memory: bool) -> int:
    from tilskudd.grants.overview import figures  # noqa: PLC0415

    rows = generated_rows(count)
    call = SimpleNamespace(slug="generated", grantor_org_number="974795639")
    figures.export_rows = lambda *_args, **_kwargs: iter(rows)
    runs: dict[str, list[dict]] = {"openpyxl (before)": [], "streamed (now)": []}
    for _ in range(repeats):  # interleaved, so the machine's load falls on both alike
        runs["openpyxl (before)"].append(_openpyxl_run(call))
        runs["streamed (now)"].append(_stream_run(call))
    peaks = (
        {"openpyxl (before)": _peak_mib(_openpyxl_run, call), "streamed (now)": _peak_mib(_stream_run, call)}
        if memory
        else {}
    )
    load = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{count} generated rows (the same list for both), {repeats} interleaved runs each; load {load}")
    print("| export | wall s | CPU s | first chunk s | bytes | chunks | peak MiB (tracemalloc) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, results in runs.items():
        median = {key: statistics.median(result[key] for result in results) for key in results[0]}
        peak = f"{peaks[name]:.1f}" if name in peaks else "–"
        print(
            f"| {name} | {median['wall']:.2f} | {median['cpu']:.2f} | {median['first']:.3f} | "
            f"{median['bytes']:,.0f} | {median['chunks']:.0f} | {peak} |".replace(",", " ")
        )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="tilskudd_bench_pages")
    parser.add_argument("--call", default="kommunale-integreringstiltak-2019-demo")
    parser.add_argument("--generated", type=int, metavar="N", help="N generated rows, no database")
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--memory", action="store_true", help="also the peak of allocations (a slower pass)")
    args = parser.parse_args(argv)
    casework_pages._setup_django(args.database)
    if args.generated:
        return generated(args.generated, args.repeats, args.memory)
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
            old_wall, old_cpu, _ = _timed(lambda: openpyxl_xlsx(call, grantors, output))
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
    print(f"| writing them with openpyxl (before) | {old_wall:.1f} | {old_cpu:.1f} |")
    print(f"| writing them streamed (xlsx_chunks, now) | {write_wall:.1f} | {write_cpu:.1f} |")
    print(f"| the whole export (write_xlsx, streamed) | {whole_wall:.1f} | {whole_cpu:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
