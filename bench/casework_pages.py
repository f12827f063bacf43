"""How fast the caseworker pages answer with N applications in the calls (issue #14, point 4).

Prepares (or reuses) a scratch PostgreSQL database, ``tilskudd_bench_pages`` by default, with the five
calls, the demo staff and N generated applications (``manage.py generate_dataset``: organisations,
applications across the five demo calls, cases with their facts, assessments, allocation lines and
decisions; the generated rows have no audit history). Then, in this process with production settings
(``DEBUG=0``), it logs in as IMDi's demo caseworker with a verified second factor and asks for each page
through Django's test client (the whole request: middleware, session, view, template) ``--repeats``
times, and reports the median (p50), p95 and the largest time and the number of database queries of one
request. Every page is first asked twice (the warm-up), and the process is then settled as a warm worker of the
WSGI entry point settles itself after its first requests (``tilskudd.core.warm``: garbage collected, the rest out
of the collector's full passes), so the times are a warm worker's:

* the queue of C0 (kommunale integreringstiltak) and C2 (frivillige organisasjoner): the first page,
  filtered (status and county), searched (an organisation number, and a word in many names), a page deep
  in the list, and C2's double-funding filter;
* a case page in C0, and one in C2 (with its duplicate-funding check, C2-R07);
* the allocation page of C0 (whole call, and one area) and of C2;
* the overview of C0 and C2;
* the CSV and XLSX exports of C0: the time to the first byte, and to the last (the whole file read).

The target is p95 < 100 ms for the pages; the exports must stream and finish. Nothing is asserted;
times depend on the machine and what else runs on it (the tests pin the number of queries instead,
tests/casework/test_scale_queries.py and tests/grants/test_scale_queries.py).

    .venv/bin/python bench/casework_pages.py --applications 10000           # prepare, measure, record
    .venv/bin/python bench/casework_pages.py --applications 100000 --reuse  # reuse the data already there
    .venv/bin/python bench/casework_pages.py --applications 200 --repeats 3 --no-record  # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from bench_machine import REFERENCE_LOOP, cpu_model, pace  # noqa: E402

RESULTS = BENCH / "results"
TARGET_MS = 100


def _database_url(name: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def _ensure_database(name: str) -> None:
    import psycopg  # noqa: PLC0415 - Django is set up first, for the scratch database

    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _manage(*args: str, database: str) -> str:
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": _database_url(database)}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def _generated(database: str) -> int:
    import psycopg  # noqa: PLC0415 - Django is set up first, for the scratch database

    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}") as connection:
        try:
            row = connection.execute(
                "SELECT count(*) FROM applications_application WHERE case_number LIKE 'D%%'"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
        return int(row[0])


def prepare(database: str, applications: int, seed: int, reuse: bool) -> tuple[int, float]:
    """The database with at least ``applications`` generated ones: (how many, seconds spent generating)."""
    _ensure_database(database)
    _manage("migrate", "--noinput", "-v", "0", database=database)
    _manage("createcachetable", database=database)
    have = _generated(database)
    if have >= applications and reuse:
        _analyze(database)
        return have, 0.0
    if have and not reuse:
        print(f"{database} already holds {have} generated applications; adding {max(applications - have, 0)}")
    missing = max(applications - have, 0)
    if have == 0:
        _manage("load_calls", database=database)
    started = time.perf_counter()
    if missing:
        print(_manage("generate_dataset", "--applications", str(missing), "--seed", str(seed), database=database))
    seconds = time.perf_counter() - started
    _analyze(database)
    return _generated(database), seconds


def _analyze(database: str) -> None:
    """VACUUM ANALYZE: the planner's statistics and the visibility map after a bulk load (autovacuum lags)."""
    import psycopg  # noqa: PLC0415 - the benchmark needs it only here

    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={database}", autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def _setup_django(database: str) -> None:
    os.environ.update(
        DATABASE_URL=_database_url(database),
        DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40),
        ALLOWED_HOSTS="testserver",
        DJANGO_SETTINGS_MODULE="tilskudd.settings",
        STATIC_ROOT=str(ROOT / "var" / "bench-pages-static"),
    )
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - Django is set up first, for the scratch database

    django.setup()
    from django.conf import settings  # noqa: PLC0415 - Django is set up first, for the scratch database
    from django.core.management import call_command  # noqa: PLC0415 - Django is set up first, for the scratch database

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():  # the production static storage's manifest
        call_command("collectstatic", interactive=False, verbosity=0)


def _client():
    from django.contrib.auth import get_user_model  # noqa: PLC0415 - Django is set up first, for the scratch database
    from django.test import Client  # noqa: PLC0415 - Django is set up first, for the scratch database
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: PLC0415 - Django is set up first, for the scratch database
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415 - Django is set up first, for the scratch database

    user = get_user_model().objects.get(email="saksbehandler@imdi.example")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _pages() -> list[tuple[str, str]]:
    from tilskudd.applications.models import Application  # noqa: PLC0415 - Django is set up first, for the scratch database
    from tilskudd.calls.models import Call  # noqa: PLC0415 - Django is set up first, for the scratch database
    from tilskudd.casework.models import Case  # noqa: PLC0415 - Django is set up first, for the scratch database

    imdi = "987879696"
    c0 = Call.objects.get(slug="kommunale-integreringstiltak-2019-demo")
    c2 = Call.objects.get(slug="frivillige-organisasjoner-2020-demo")
    queue0, queue2 = f"/saksbehandling/utlysninger/{c0.slug}/", f"/saksbehandling/utlysninger/{c2.slug}/"
    some = Application.objects.filter(call=c0, case__grantor_org_number=imdi).order_by("case_number")
    middle = some.count() // 2
    number = some.values_list("organisation__org_number", flat=True)[middle : middle + 1].first() or "0"
    case0 = Case.objects.filter(application__call=c0, grantor_org_number=imdi).order_by("pk").first()
    # a C2 case at IMDi whose organisation also applied to a municipality: the duplicate-funding check has work
    case2 = (
        Case.objects.filter(application__call=c2, grantor_org_number=imdi)
        .filter(
            application__organisation__applications__call=c2,
            application__organisation__applications__case__grantor_org_number__gt="",
        )
        .exclude(application__organisation__applications__case__grantor_org_number=imdi)
        .order_by("pk")
        .first()
    ) or Case.objects.filter(application__call=c2, grantor_org_number=imdi).order_by("pk").first()
    case_pages = [
        (name, f"/saksbehandling/saker/{case.pk}/")
        for name, case in (("case C0", case0), ("case C2 (duplicate-funding check)", case2))
        if case is not None  # a data set generated into one call has no case in the other
    ]
    return [
        ("queue C0, first page", queue0),
        ("queue C0, filtered (status, county)", queue0 + "?status=submitted&county=46"),
        ("queue C0, searched (organisation number)", queue0 + f"?q={number}"),
        ("queue C0, searched (a common word)", queue0 + "?q=forening"),
        ("queue C0, page 100", queue0 + "?side=100"),
        ("queue C2, first page", queue2),
        ("queue C2, flagged for double funding", queue2 + "?flagged=on"),
        *case_pages,
        ("allocation C0", queue0 + "fordeling/"),
        ("allocation C0, area 2", queue0 + "fordeling/?omrade=2"),
        ("allocation C2", queue2 + "fordeling/"),
        ("overview C0", queue0 + "oversikt/"),
        ("overview C2", queue2 + "oversikt/"),
        ("CSV C0", queue0 + "oversikt.csv"),
        ("XLSX C0", queue0 + "oversikt.xlsx"),
    ]


def _one(client, url: str) -> tuple[float, float, int, int, int, float]:
    """(seconds to the first byte, seconds to the last, queries, bytes, status, this process's CPU seconds) of one
    request. The CPU time counts the Python side only (not PostgreSQL's): less sensitive to a shared machine."""
    from django.db import connection  # noqa: PLC0415 - Django is set up first, for the scratch database
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415 - Django is set up first, for the scratch database

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        cpu_started = time.process_time()
        response = client.get(url, secure=True)
        if response.streaming:
            chunks = iter(response.streaming_content)
            first = next(chunks, b"")
            first_at = time.perf_counter() - started
            size = len(first) + sum(len(chunk) for chunk in chunks)
        else:
            first_at = time.perf_counter() - started
            size = len(response.content)
        total = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
    return first_at, total, len(queries), size, response.status_code, cpu


def _quantile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1]


def measure(repeats: int, only: tuple[str, ...] = ()) -> list[dict]:
    from tilskudd.core import warm  # noqa: PLC0415 - Django is set up first, for the scratch database

    client = _client()
    pages = [(name, url) for name, url in _pages() if not only or name.startswith(only)]
    for _name, url in pages:  # the warm-up: every page twice, then settled as a warm worker is (core.warm)
        for _ in range(2):
            _one(client, url)
    warm.settle()
    results = []
    for name, url in pages:
        export = name.startswith(("CSV", "XLSX"))
        times = repeats if not export else max(3, repeats // 5)
        runs = [_one(client, url) for _ in range(times)]
        firsts = [run[0] * 1000 for run in runs]
        totals = [run[1] * 1000 for run in runs]
        results.append(
            {
                "name": name,
                "url": url,
                "runs": times,
                "status": runs[-1][4],
                "queries": runs[-1][2],
                "bytes": runs[-1][3],
                "p50": statistics.median(totals),
                "p95": _quantile(totals, 0.95),
                "max": max(totals),
                "first_p50": statistics.median(firsts),
                "cpu_p50": statistics.median(run[5] * 1000 for run in runs),
                "export": export,
            }
        )
        row = results[-1]
        print(
            f"{name:<45} p50 {row['p50']:8.1f} ms  p95 {row['p95']:8.1f} ms  max {row['max']:8.1f} ms  "
            f"cpu p50 {row['cpu_p50']:7.1f} ms  {row['queries']:3d} queries  {row['bytes']:>10,} bytes  ({row['status']})",
            flush=True,
        )
    return results


def _machine(paces: tuple[float, float] | None = None) -> list[str]:
    from django.db import connection  # noqa: PLC0415 - Django is set up first, for the scratch database

    cpu = cpu_model()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    import django  # noqa: PLC0415 - Django is set up first, for the scratch database

    return [
        f"- CPU: {cpu or platform.processor()}, {os.cpu_count()} cores (shared with other work while measuring)",
        f"- OS: {platform.platform()}; Python {platform.python_version()}; Django {django.get_version()}; "
        f"PostgreSQL {postgres} on loopback",
        f"- Commit: {commit.stdout.strip()}; load average when recorded: "
        + " / ".join(f"{load:.1f}" for load in os.getloadavg())
        + " (1 / 5 / 15 min; other work shared the machine)",
        *(
            [
                f"- Pace: the reference loop (`{REFERENCE_LOOP}`) took {paces[0]:.2f} s before the runs and "
                f"{paces[1]:.2f} s after (0.83 s on the quietest morning seen; every time below moves with it)"
            ]
            if paces
            else []
        ),
    ]


def _counts() -> list[str]:
    from django.db.models import Count  # noqa: PLC0415 - Django is set up first, for the scratch database

    from tilskudd.applications.models import Application  # noqa: PLC0415 - Django is set up first, for the scratch database

    rows = (
        Application.objects.exclude(case_number=None)
        .values_list("call__slug")
        .annotate(n=Count("pk"))
        .order_by("call__slug")
    )
    return [f"  - {slug}: {n:,}".replace(",", " ") for slug, n in rows]


def record(
    results: list[dict],
    applications: int,
    generated_seconds: float,
    repeats: int,
    name: str = "",
    paces: tuple[float, float] | None = None,
) -> Path:
    today = dt.date.today().isoformat()
    path = RESULTS / (name or f"{today}-casework-pages.md")
    lines = [
        f"# Caseworker pages with {applications:,} applications".replace(",", " "),
        "",
        f"Recorded {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC by `bench/casework_pages.py` (issue #14, point 4).",
        "",
        "## Machine",
        "",
        *_machine(paces),
        "",
        "## Data",
        "",
        f"`manage.py generate_dataset` in the scratch database: {applications:,} submitted applications".replace(
            ",", " "
        )
        + (f", generated in {generated_seconds:.0f} s" if generated_seconds else " (reused)")
        + "; per call:",
        *_counts(),
        "",
        "## Times",
        "",
        f"One client, Django's test client in-process with production settings (`DEBUG=0`), logged in as IMDi's "
        f"caseworker; {repeats} timed requests per page (exports: fewer) after two warm-up requests of every page "
        f"and the settling of a warm worker (`tilskudd.core.warm.settle`, as the WSGI entry point does). "
        f"Target: p95 < {TARGET_MS} ms for the pages; the exports stream (first byte) and finish (last byte).",
        "",
        "| page | p50 ms | p95 ms | max ms | CPU p50 ms | queries | bytes | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in results:
        if row["export"]:
            verdict = f"streams: first byte p50 {row['first_p50']:.0f} ms; finishes"
        else:
            verdict = "met" if row["p95"] < TARGET_MS else "**not met**"
        size = f"{row['bytes']:,}".replace(",", " ")
        lines.append(
            f"| {row['name']} | {row['p50']:.1f} | {row['p95']:.1f} | {row['max']:.1f} | {row['cpu_p50']:.1f} | "
            f"{row['queries']} | "
            f"{size} | {verdict} |"
        )
    lines += [
        "",
        "Every request answered 200." if all(r["status"] == 200 for r in results) else "Some did not answer 200!",
    ]
    RESULTS.mkdir(exist_ok=True)
    existing = path.read_text(encoding="utf-8") + "\n\n" if path.exists() else ""
    path.write_text(existing + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="tilskudd_bench_pages")
    parser.add_argument("--reuse", action="store_true", help="use the generated applications already there")
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--only", default="", help="only the pages whose names start so (comma-separated: CSV,XLSX)")
    parser.add_argument("--output", default="", help="the results file's name in bench/results (default: today's)")
    args = parser.parse_args(argv)
    have, seconds = prepare(args.database, args.applications, args.seed, args.reuse)
    _setup_django(args.database)
    print(f"{have} generated applications in {args.database}")
    before = pace()
    results = measure(args.repeats, tuple(name for name in args.only.split(",") if name))
    paces = (before, pace())
    print(f"pace (reference loop): {paces[0]:.2f} s before, {paces[1]:.2f} s after")
    if not args.no_record:
        print(f"recorded in {record(results, have, seconds, args.repeats, args.output, paces)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
