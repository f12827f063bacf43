"""Deadline day: N organisations submit at once, measured from outside against the machine's ceiling.

Usage (from the repository root; PostgreSQL on 127.0.0.1:5432 with trust auth for ``postgres``)::

    .venv/bin/python bench/rush.py                         # N=2000 signed drafts, C=50 clients; record
    .venv/bin/python bench/rush.py --orgs 20 --flows 8 --clients 4 --no-record   # a quick check

What it does, in one run:

1. makes a scratch database (``--database``, dropped first), migrates it, loads the calls and
   copies one (C0, ``kommunale-integreringstiltak-2019``) twice — ``…-rush`` and ``…-flow`` —
   with a deadline a day ahead; prepares N organisations with a signatory, an API token and a
   signed draft of a passing example (``omrade-2-godkjent.json``), and F organisations for the
   whole flow, through the project's services (organisations, people and memberships in bulk);
2. serves the application with gunicorn on loopback with production settings (``DEBUG=0``, a
   generated ``SECRET_KEY``, ``ALLOWED_HOSTS=127.0.0.1``, HTTPS redirect and secure cookies on:
   the clients send ``X-Forwarded-Proto: https`` as the reverse proxy of docs/deployment.md does),
   and the trivial WSGI application ``bench/ceiling_app.py`` on the same gunicorn, one at a time;
3. fires C concurrent clients at: the ceiling; the front page and a call page (anonymous); the
   API submit of the N signed drafts with an ``Idempotency-Key`` (every tenth sent again with the
   same key); the whole flow (create, patch, check, sign, submit) for F new applications. In both
   API phases the call's deadline is moved, through ``load_call`` (a new version, as an operator
   would), to one second after the moment when all but ``--late-share`` of the work is answered,
   so the server's clock crosses the deadline under load;
4. verifies in the database: every acknowledged submission exists exactly once, with the case
   number it was answered with, one submission event and one receipt task; every refusal after
   the deadline said so (422, «Søknadsfristen gikk ut …») and left no trace; no application is
   half-written; every resend got the same case number; nothing else went wrong (no 5xx);
5. serves the second ceiling, bench/ceiling_django.py (a minimal Django view with the application's
   own settings and middleware: a small page, and a submit that parses the application's stored JSON
   and runs the writes captured from a real submit in one transaction), to the same clients;
6. runs pgbench with a script of the same statements one API submit makes in the database
   (captured from a real submit, in the same transactions), with and without the case-number
   counter row, and reports every figure as a share of its ceiling.

The report goes to ``bench/results/<date>-rush.md`` (``--output``; ``--no-record`` prints only).
The exit code is 1 when a verification fails. No timing is ever asserted by the tests
(tests/bench/test_rush.py runs it tiny and checks the verification).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import http.client
import io
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_machine import cpu_model  # noqa: E402

CALL = "kommunale-integreringstiltak-2019"
EXAMPLE = ROOT / "examples" / CALL / "omrade-2-godkjent.json"
DEADLINE_REASON = "Søknadsfristen gikk ut"
API = "/api/v1/applications"


# --- the machine and the database ------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = cpu_model()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], capture_output=True, text=True, cwd=ROOT)
    return {
        "cpu": cpu or "unknown",
        "nproc": str(os.cpu_count()),
        "load": load,
        "os": platform.platform(),
        "python": platform.python_version(),
        "commit": commit.stdout.strip() + (" (src/ changed since)" if dirty.stdout.strip() else ""),
    }


def admin_connect(server: str):
    import psycopg  # noqa: PLC0415 - the benchmark needs it only here

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def recreate_database(server: str, name: str) -> None:
    with admin_connect(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server: str, name: str) -> None:
    with admin_connect(server) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(database_url: str, scratch: Path) -> dict[str, str]:
    """The environment of docs/deployment.md, on loopback: DEBUG off, a fresh key, this host only."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"TILSKUDD_TESTING", "TILSKUDD_ALLOW_INSECURE_KEY", "DEBUG", "TASKS_BACKEND", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tilskudd.settings",
        DATABASE_URL=database_url,
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        SITE_URL="https://127.0.0.1",
        TILSKUDD_HOME=str(ROOT),
        # kept between runs: collecting (and compressing) the static files takes minutes on a busy machine
        STATIC_ROOT=str(ROOT / "var" / "bench-rush-static"),
        MEDIA_ROOT=str(scratch / "media"),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT / "src"),
    )
    return env


# --- HTTP clients ------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int  # 0: no answer (connection error or timeout)
    body: bytes
    started: float  # wall clock (time.time), comparable with the server's
    ended: float
    seconds: float  # perf_counter difference
    error: str = ""

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def send(port: int, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Answer:
    """One request on a new connection (gunicorn's sync workers close every connection anyway)."""
    all_headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    started, clock = time.time(), time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        content = response.read()
        connection.close()
        return Answer(response.status, content, started, time.time(), time.perf_counter() - clock)
    except (OSError, http.client.HTTPException) as exc:
        return Answer(0, b"", started, time.time(), time.perf_counter() - clock, error=repr(exc))


def run_load(items: list[Any], clients: int, work: Callable[[Any], Any]) -> tuple[list[Any], float]:
    """``work(item)`` for every item, by ``clients`` threads taking the next item; results in item order."""
    results: list[Any] = [None] * len(items)
    position = iter(range(len(items)))
    lock = threading.Lock()

    def client() -> None:
        while True:
            with lock:
                index = next(position, None)
            if index is None:
                return
            results[index] = work(items[index])

    threads = [threading.Thread(target=client) for _ in range(min(clients, len(items)) or 1)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


@dataclass
class Figure:
    """Throughput and latency of one kind of request under load."""

    name: str
    count: int
    seconds: float
    latencies: list[float]
    unit: str = "req/s"

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def figure(name: str, answers: Iterable[Answer], seconds: float, unit: str = "req/s") -> Figure:
    answers = list(answers)
    return Figure(name, len(answers), seconds, [a.seconds for a in answers], unit)


# --- gunicorn ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving ``app`` on loopback, as docs/deployment.md runs it (sync workers)."""

    def __init__(self, app: str, env: dict[str, str], workers: int, log: Path, pythonpath: str | None = None):
        self.port = free_port()
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--backlog",
            "2048",
            "--error-logfile",
            str(log),
        ]
        if pythonpath:
            command += ["--pythonpath", pythonpath]
        self.log = log
        self.process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn ({app}) stopped at start; see {log}:\n{log.read_text()[-3000:]}")
            if send(self.port, "GET", "/").status == 200:
                return
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn ({app}) did not answer within 60 s; see {log}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            print(f"gunicorn had stopped (exit {self.process.returncode}):", file=sys.stderr)
            print(self.log.read_text(errors="replace")[-3000:], file=sys.stderr)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- preparing the world (Django in this process, with the production settings) ---------------


@dataclass
class Prepared:
    call_rush: str
    call_flow: str
    drafts: list[tuple[int, str]]  # (application id, token secret) of the signed drafts
    flow_tokens: list[str]
    probes: list[tuple[int, str]]  # two extra signed drafts, submitted in-process: the second's SQL is captured
    content: dict[str, Any]
    seconds: float


def bench_call(slug: str, deadline: dt.datetime):
    """A copy of the call (same rules) under another id, with the given deadline (to the second)."""
    from tilskudd.calls.models import Call  # noqa: PLC0415
    from tilskudd.rules.schema import CallDefinition, Deadline  # noqa: PLC0415

    original = Call.objects.select_related("current_version").get(slug=CALL).definition
    data = original.model_dump(mode="json", by_alias=True)
    data.update(
        id=slug,
        deadline=Deadline(rule=original.deadline.rule, at=deadline, time_given=True).model_dump(mode="json"),
    )
    return CallDefinition.model_validate(data)


def set_deadline(slug: str, deadline: dt.datetime) -> None:
    """Move a call's deadline as an operator would: load the changed definition as a new version."""
    from tilskudd.calls.services import load_call  # noqa: PLC0415

    load_call(bench_call(slug, deadline), source_file="bench/rush.py", new_version=True)


def org_numbers(count: int, taken: set[str]) -> list[str]:
    """``count`` nine-digit numbers with a valid MOD11 check digit (as Enhetsregisteret's), made up."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    numbers: list[str] = []
    base = 81000000
    while len(numbers) < count:
        digits = f"{base:08d}"
        base += 1
        remainder = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check == 10:
            continue
        number = digits + str(check)
        if number not in taken:
            numbers.append(number)
    return numbers


def prepare(drafts: int, flows: int, log: Callable[[str], None]) -> Prepared:
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415
    from django.db import transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from tilskudd.api.auth import issue_token  # noqa: PLC0415
    from tilskudd.applications import services  # noqa: PLC0415
    from tilskudd.calls.models import Call  # noqa: PLC0415
    from tilskudd.calls.services import load_call  # noqa: PLC0415
    from tilskudd.demo.casework import _applicant_organisation  # noqa: PLC0415
    from tilskudd.orgs.models import Membership, Organisation  # noqa: PLC0415

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_calls", verbosity=0, stdout=io.StringIO())  # its list of calls is not the report
    log(f"  migrated and loaded the calls ({time.perf_counter() - started:.1f} s)")
    ahead = timezone.now() + dt.timedelta(days=1)
    for slug in (f"{CALL}-rush", f"{CALL}-flow"):
        load_call(bench_call(slug, ahead), source_file="bench/rush.py")
    rush, flow = (Call.objects.get(slug=f"{CALL}-{kind}") for kind in ("rush", "flow"))

    example = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    content = {key: example[key] for key in services.EDITABLE_KEYS if key in example}
    # The template organisation from the example's applicant (the demo's reading of the exchange format);
    # every benchmark organisation is a copy of it under another made-up number and name.
    with transaction.atomic():
        template = _applicant_organisation(example["applicant"])
    total = drafts + flows + 2
    numbers = org_numbers(total, set(Organisation.objects.values_list("org_number", flat=True)))
    copies = []
    for index, number in enumerate(numbers):
        organisation = Organisation.objects.get(pk=template.pk)
        organisation.pk = None
        organisation.org_number = number
        organisation.name = f"Rushkommune {index + 1} (benchmark)"
        copies.append(organisation)
    User = get_user_model()
    now = timezone.now()
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(copies, batch_size=500)
        people = []
        for organisation in organisations:
            person = User(
                email=f"signatar.{organisation.org_number}@rush.example",
                full_name=f"Signatar {organisation.org_number}",
                email_verified_at=now,
            )
            person.set_unusable_password()
            people.append(person)
        people = User.objects.bulk_create(people, batch_size=500)
        Membership.objects.bulk_create(
            [
                Membership(
                    user=person,
                    organisation=organisation,
                    role="signatory",
                    administers=True,
                    title="kommunedirektør",
                    confirmed_at=now,
                )
                for person, organisation in zip(people, organisations, strict=True)
            ],
            batch_size=500,
        )
    log(f"  {total} organisations, people and memberships ({time.perf_counter() - started:.1f} s)")
    tokens = [
        issue_token(p, o, "Sak- og arkivsystem (benchmark)").secret for p, o in zip(people, organisations, strict=True)
    ]
    log(f"  {total} API tokens ({time.perf_counter() - started:.1f} s)")

    signed: list[tuple[int, str]] = []
    for index in range(drafts + 2):
        person, organisation = people[index], organisations[index]
        draft = services.start_draft(person, organisation, rush)
        draft = services.save_draft(person, draft.pk, content, draft.revision)
        services.sign(person, draft.pk, draft.revision)
        signed.append((draft.pk, tokens[index]))
        if (index + 1) % 500 == 0:
            log(f"  {index + 1} signed drafts ({time.perf_counter() - started:.1f} s)")
    probes = [signed.pop(), signed.pop()]
    return Prepared(rush.slug, flow.slug, signed, tokens[drafts + 2 :], probes, content, time.perf_counter() - started)


def collect_static(log: Callable[[str], None]) -> None:
    """``collectstatic`` into the kept STATIC_ROOT, unless no static file changed since the last run."""
    import hashlib  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415
    from django.contrib.staticfiles.finders import get_finders  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    digest = hashlib.sha256()
    for finder in get_finders():
        for path, storage in sorted(finder.list(["CVS", ".*", "*~"]), key=lambda found: found[0]):
            status = os.stat(storage.path(path))
            digest.update(f"{path}\0{status.st_size}\0{status.st_mtime_ns}\n".encode())
    stamp = Path(settings.STATIC_ROOT) / ".bench-rush-stamp"
    if stamp.exists() and stamp.read_text() == digest.hexdigest():
        log("static files unchanged since the last run")
        return
    log("collecting static files")
    call_command("collectstatic", verbosity=0, interactive=False)
    stamp.write_text(digest.hexdigest())


def deploy_check() -> str:
    """What ``manage.py check --deploy`` says of these settings (its last line, or the issues)."""
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.management.base import SystemCheckError  # noqa: PLC0415

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check", deploy=True, stdout=out, stderr=err)
    except SystemCheckError as exc:
        return " ".join(str(exc).split())
    said = (out.getvalue() + err.getvalue()).strip()
    return " ".join(said.split()) or "(no output)"


# --- capturing what a submit does in the database ----------------------------------------------


@dataclass
class Statement:
    sql: str
    transaction: int  # 0: autocommit; otherwise the number of the transaction it ran in
    seconds: float = 0.0  # the round trip to the database (for a COMMIT: the commit's)


def capture_submit(application_id: int, secret: str) -> tuple[list[Statement], Answer]:
    """Submit one application through the API in this process and record its SQL and transactions."""
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    statements: list[Statement] = []
    state: dict[str, Any] = {"outer": None, "number": 0}

    def wrapper(execute, sql, params, many, context):
        outer = connection.atomic_blocks[0] if connection.atomic_blocks else None
        if outer is None:
            number = 0
        else:
            if outer is not state["outer"]:
                state["outer"], state["number"] = outer, state["number"] + 1
            number = state["number"]
        if outer is None:
            state["outer"] = None
        try:
            text = connection.ops.compose_sql(sql, params) if params else sql
        except Exception:  # noqa: BLE001 - only for the record
            text = sql
        clock = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append(Statement(text, number, time.perf_counter() - clock))

    real_commit = connection._commit

    def timed_commit():
        clock = time.perf_counter()
        try:
            return real_commit()
        finally:
            statements.append(Statement("COMMIT", -1, time.perf_counter() - clock))

    client = Client(HTTP_HOST="127.0.0.1")
    connection._commit = timed_commit  # type: ignore[method-assign] - only for this one request
    try:
        with connection.execute_wrapper(wrapper):
            started, clock = time.time(), time.perf_counter()
            response = client.post(
                f"{API}/{application_id}/submit",
                HTTP_AUTHORIZATION=f"Bearer {secret}",
                HTTP_IDEMPOTENCY_KEY=f"rush-{application_id}",
                secure=True,
            )
    finally:
        del connection._commit
    answer = Answer(response.status_code, response.content, started, time.time(), time.perf_counter() - clock)
    return statements, answer


COUNTER_TABLE = "applications_casenumbercounter"
#: What a submission writes: inserts, updates, deletes, locking reads and sequences drawn from.
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b|\bFOR UPDATE\b|\bnextval\(", re.IGNORECASE)
#: The old scheme's counter (one row per year, locked by every submission), for the variant that adds it.
COUNTER_SQL = (
    'SELECT "year", "last" FROM rush_pgbench_counter WHERE "year" = 2026 FOR UPDATE;',
    'UPDATE rush_pgbench_counter SET "last" = "last" + 1 WHERE "year" = 2026;',
)


def table_of(sql: str) -> str:
    sequence = re.search(r"nextval\('([a-z_0-9]+)'", sql)
    if sequence:
        return f"nextval({sequence.group(1)})"
    found = re.search(r'\b(?:INTO|UPDATE|FROM)\s+"?([a-z_0-9]+)"?', sql, re.IGNORECASE)
    return found.group(1) if found else "?"


def pgbench_script(statements: list[Statement], application_id: int, case_number: str, counter: bool) -> str:
    """The writes (and locking reads) of one submit, in its transactions, for the next submitted application.

    Each pgbench transaction takes the next application (``rush_pgbench_ids``, made by
    :func:`reset_pgbench`) and writes what its submission wrote: its row, the counter row, its
    audit stream, a new case, a receipt task, an idempotency key. Values that must be unique per
    submission (case number, idempotency key, task id) are made random. ``counter=False`` leaves out
    the case-number counter row. A statement this does not know is run as it was captured.
    """
    aid = application_id
    case_id = None
    lines = ["SELECT aid FROM rush_pgbench_ids WHERE n = (SELECT nextval('rush_pgbench_next')) \\gset"]
    add_counter = counter and not any(table_of(s.sql) == COUNTER_TABLE for s in statements)
    current = 0
    for statement in statements:
        sql = " ".join(statement.sql.split()).rstrip(";")
        if statement.transaction < 0 or not WRITE.search(sql):
            continue
        table = table_of(sql)
        if not counter and table == COUNTER_TABLE:
            continue
        sql = re.sub(r'"applications_application"\."id" = \d+', '"applications_application"."id" = :aid', sql)
        sql = re.sub(r'"api_apitoken"\."id" = \d+', '"api_apitoken"."id" = :aid', sql)
        sql = sql.replace(f"'{case_number}'", "substr(md5(random()::text), 1, 20)")
        sql = re.sub(
            r"'[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}'(::uuid)?", "gen_random_uuid()", sql
        )
        sql = sql.replace(
            f"""'{{"args": [{aid}], "kwargs": {{}}}}'::jsonb""",
            "jsonb_build_object('args', jsonb_build_array(:aid), 'kwargs', '{}'::jsonb)",
        )
        sql = re.sub(
            rf"VALUES \((\d+), 'rush-{aid}', {aid},", r"VALUES (\1, 'rush-' || md5(random()::text), :aid,", sql
        )
        # the application's audit stream: the next number after its head, which is locked and moved on
        sql = re.sub(
            rf"'application', '{aid}', (.*)'application:{aid}', \d+,",
            r"""'application', (:aid)::text, \1'application:' || :aid, """
            r"""(SELECT "sequence" + 1 FROM "audit_auditstreamhead" WHERE "stream" = 'application:' || :aid),""",
            sql,
        )
        sql = sql.replace(f"'application:{aid}'", "'application:' || :aid")
        if table == "audit_auditstreamhead" and sql.startswith("UPDATE") and case_id is None:
            sql = re.sub(r'SET "sequence" = \d+', 'SET "sequence" = "sequence" + 1', sql)
            sql = re.sub(
                r'WHERE "audit_auditstreamhead"\."id" = \d+', """WHERE "stream" = 'application:' || :aid""", sql
            )
        # the new case: its id comes back from the insert
        if table == "casework_case" and sql.startswith("INSERT"):
            sql = re.sub(rf"VALUES \({aid},", "VALUES (:aid,", sql)
            found = re.search(r'RETURNING "casework_case"\."id"$', sql)
            if found:
                sql = sql[: found.start()] + 'RETURNING "casework_case"."id" AS case_id \\gset'
                case_id = "pending"
        elif case_id == "pending":
            match = re.search(r'"case_id" = (\d+)|"casework_casearea" \("case_id".*VALUES \((\d+),|\'case:(\d+)\'', sql)
            if match:
                case_id = next(group for group in match.groups() if group)
        if case_id and case_id != "pending":
            sql = re.sub(rf'"case_id" = {case_id}\b', '"case_id" = :case_id', sql)
            sql = re.sub(rf'("casework_casearea" \("case_id".*VALUES \(){case_id},', r"\1:case_id,", sql)
            sql = re.sub(rf"'case', '{case_id}'", "'case', (:case_id)::text", sql)
            sql = sql.replace(f"'case:{case_id}'", "'case:' || :case_id")
        if statement.transaction != current:
            if current:
                lines.append("COMMIT;")
            if statement.transaction:
                lines.append("BEGIN;")
            current = statement.transaction
        if add_counter and table == "applications_application" and sql.startswith("UPDATE"):
            lines.extend(COUNTER_SQL)  # where the old scheme drew the number: just before the row is saved
            add_counter = False
        lines.append(sql if sql.endswith("\\gset") else sql + ";")
    if current:
        lines.append("COMMIT;")
    return "\n".join(lines) + "\n"


def reset_pgbench(server: str, database: str) -> int:
    """Every submitted application, in order, for pgbench to take one by one; their cases removed so
    that each pgbench transaction opens one anew. Returns how many."""
    import psycopg  # noqa: PLC0415

    with psycopg.connect(f"{server}/{database}", autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS rush_pgbench_ids")
        connection.execute("CREATE TABLE rush_pgbench_ids (n bigserial PRIMARY KEY, aid bigint NOT NULL)")
        connection.execute(
            "INSERT INTO rush_pgbench_ids (aid) SELECT id FROM applications_application "
            "WHERE status = 'submitted' ORDER BY id"
        )
        connection.execute("DROP TABLE IF EXISTS rush_pgbench_counter")
        connection.execute('CREATE TABLE rush_pgbench_counter ("year" integer PRIMARY KEY, "last" integer NOT NULL)')
        connection.execute("INSERT INTO rush_pgbench_counter VALUES (2026, 0)")
        connection.execute("DROP SEQUENCE IF EXISTS rush_pgbench_next")
        connection.execute("CREATE SEQUENCE rush_pgbench_next")
        connection.execute("DELETE FROM casework_casearea")
        connection.execute("DELETE FROM casework_case")
        row = connection.execute("SELECT count(*) FROM rush_pgbench_ids").fetchone()
        return int(row[0]) if row else 0


@dataclass
class PgbenchResult:
    name: str
    tps: float
    p50: float
    p95: float
    transactions: int
    failed: int
    note: str = ""


def run_pgbench(
    script: str, server: str, database: str, clients: int, name: str, at_most: int | None = None
) -> PgbenchResult:
    available = reset_pgbench(server, database)
    if at_most is not None:
        available = min(available, at_most)
    clients = max(1, min(clients, available))
    folder = Path(tempfile.mkdtemp(prefix="rush-pgbench-"))
    try:
        (folder / "submit.sql").write_text(script, encoding="utf-8")
        command = [
            shutil.which("pgbench") or "pgbench",
            "-n",
            "-f",
            str(folder / "submit.sql"),
            "-c",
            str(clients),
            "-j",
            str(min(clients, os.cpu_count() or 1)),
            "-t",
            str(max(1, available // clients)),
            "-l",
            "--log-prefix",
            str(folder / "log"),
            f"{server}/{database}",
        ]
        completed = subprocess.run(command, capture_output=True, text=True, cwd=folder)
        if completed.returncode != 0:
            return PgbenchResult(name, 0.0, 0.0, 0.0, 0, -1, completed.stderr.strip()[-500:])
        tps_match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", completed.stdout)
        failed_match = re.search(r"number of failed transactions: (\d+)", completed.stdout)
        latencies = []
        for log_file in folder.glob("log*"):
            for line in log_file.read_text().splitlines():
                parts = line.split()
                if len(parts) >= 3 and parts[2].isdigit():
                    latencies.append(int(parts[2]) / 1e6)
        result = Figure(name, len(latencies), 1.0, latencies)
        return PgbenchResult(
            name,
            float(tps_match.group(1)) if tps_match else 0.0,
            result.quantile(0.5),
            result.quantile(0.95),
            len(latencies),
            int(failed_match.group(1)) if failed_match else 0,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the load ----------------------------------------------------------------------------------


class DeadlineSwitch:
    """Moves the call's deadline to ``margin`` seconds ahead when the ``after``-th piece of work is taken.

    The client that takes it waits for the deadline to pass before sending, so at least one piece
    of work comes after it; the other clients go on sending meanwhile, so the clock crosses the
    deadline under load.
    """

    def __init__(self, slug: str, after: int, margin: float = 1.0):
        self.slug, self.after, self.margin = slug, after, margin
        self.taken = 0
        self.deadline: dt.datetime | None = None
        self.lock = threading.Lock()

    def tick(self) -> None:
        with self.lock:
            self.taken += 1
            if self.deadline is not None or self.taken < self.after:
                return
            self.deadline = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=self.margin)
            set_deadline(self.slug, self.deadline)
            from django.db import connection  # noqa: PLC0415

            connection.close()  # this client thread's own connection
        time.sleep(max(0.0, self.deadline.timestamp() - time.time()) + 0.05)


@dataclass
class Submission:
    application_id: int
    key: str
    answers: list[Answer] = field(default_factory=list)


def submit_phase(port: int, drafts: list[tuple[int, str]], clients: int, resend_every: int, switch: DeadlineSwitch):
    """Every draft submitted once; every ``resend_every``-th again with the same key (soon after, so some overlap)."""
    work: list[tuple[int, str, bool]] = []
    for index, (application_id, secret) in enumerate(drafts):
        work.append((application_id, secret, False))
        if resend_every and index % resend_every == 0:
            work.append((application_id, secret, True))
    firsts = len(drafts)

    def one(item: tuple[int, str, bool]) -> tuple[int, bool, Answer]:
        application_id, secret, resend = item
        if not resend:
            switch.tick()
        answer = send(
            port,
            "POST",
            f"{API}/{application_id}/submit",
            headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": f"rush-{application_id}"},
        )
        return application_id, resend, answer

    switch.after = max(1, min(switch.after, firsts))
    return run_load(work, clients, one)


@dataclass
class Flow:
    steps: list[tuple[str, Answer]] = field(default_factory=list)
    application_id: int | None = None

    @property
    def submit(self) -> Answer | None:
        return next((answer for step, answer in self.steps if step == "submit"), None)


def flow_phase(port: int, slug: str, tokens: list[str], content: dict[str, Any], clients: int, switch: DeadlineSwitch):
    """Each client's system makes a draft with the areas, adds the rest in one change, checks, signs, submits."""
    first = {"call": slug, "areas": content.get("areas", [])}
    rest = {key: value for key, value in content.items() if key != "areas"}

    def one(secret: str) -> Flow:
        flow = Flow()
        auth = {"Authorization": f"Bearer {secret}"}
        switch.tick()
        created = send(port, "POST", API, first, auth)
        flow.steps.append(("create", created))
        if created.status != 201:
            return flow
        body = created.json()
        flow.application_id = body["id"]
        url = f"{API}/{body['id']}"
        patched = send(port, "PATCH", url, {"revision": body["revision"], **rest}, auth)
        flow.steps.append(("patch", patched))
        if patched.status != 200:
            return flow
        revision = patched.json()["revision"]
        flow.steps.append(("check", send(port, "POST", f"{url}/check", None, auth)))
        signed = send(port, "POST", f"{url}/sign", {"revision": revision}, auth)
        flow.steps.append(("sign", signed))
        if signed.status != 200:
            return flow
        submitted = send(port, "POST", f"{url}/submit", None, {**auth, "Idempotency-Key": f"flow-{body['id']}"})
        flow.steps.append(("submit", submitted))
        return flow

    return run_load(tokens, clients, one)


# --- verification ------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    passed: bool
    detail: str


def is_deadline_refusal(answer: Answer) -> bool:
    body = answer.json()
    return answer.status == 422 and isinstance(body, dict) and str(body.get("detail", "")).startswith(DEADLINE_REASON)


def verify(
    slugs: list[str],
    acknowledged: dict[int, str],
    refused_late: dict[int, Answer],
    deadlines: dict[str, dt.datetime | None],
    resends: list[tuple[int, Answer]],
    first_answers: dict[int, Answer],
    unexpected: list[str],
) -> list[Check]:
    """What the database holds after the run, against what the clients were told."""
    from tilskudd.applications.models import Application  # noqa: PLC0415
    from tilskudd.applications.tasks import make_receipt  # noqa: PLC0415
    from tilskudd.audit.models import AuditEvent  # noqa: PLC0415
    from tilskudd.audit.services import AuditAction  # noqa: PLC0415

    try:
        from django_tasks_db.models import DBTaskResult  # noqa: PLC0415
    except ImportError:  # pragma: no cover - an older django-tasks
        from django_tasks.backends.database.models import DBTaskResult  # noqa: PLC0415

    rows = {
        row["pk"]: row
        for row in Application.objects.filter(call__slug__in=slugs).values(
            "pk", "status", "case_number", "submitted_at", "submitted_hash", "call__slug"
        )
    }
    events = collections.Counter(
        int(subject)
        for subject in AuditEvent.objects.filter(action=AuditAction.APPLICATION_SUBMITTED).values_list(
            "subject_id", flat=True
        )
        if str(subject).isdigit()
    )
    tasks = collections.Counter(
        (arguments or {}).get("args", [None])[0]
        for arguments in DBTaskResult.objects.filter(task_path=make_receipt.module_path).values_list(
            "args_kwargs", flat=True
        )
    )
    checks: list[Check] = []

    wrong = []
    for application_id, case_number in acknowledged.items():
        row = rows.get(application_id)
        if row is None or row["status"] != "submitted" or row["case_number"] != case_number:
            wrong.append(f"{application_id}: {row and (row['status'], row['case_number'])} ≠ submitted {case_number}")
        elif events[application_id] != 1 or tasks[application_id] != 1:
            wrong.append(f"{application_id}: {events[application_id]} events, {tasks[application_id]} receipt tasks")
        elif deadlines.get(row["call__slug"]) and row["submitted_at"] > deadlines[row["call__slug"]]:
            wrong.append(f"{application_id}: submitted at {row['submitted_at']}, after the deadline")
    checks.append(
        Check(
            "every acknowledged submission exists exactly once, with its case number, one event and one receipt task, before the deadline",
            not wrong and bool(acknowledged),
            f"{len(acknowledged)} acknowledged" + (f"; wrong: {wrong[:5]}" if wrong else ""),
        )
    )
    numbers = [row["case_number"] for row in rows.values() if row["case_number"]]
    checks.append(
        Check(
            "case numbers are unique",
            len(numbers) == len(set(numbers)),
            f"{len(numbers)} case numbers, {len(set(numbers))} distinct",
        )
    )
    submitted = {pk for pk, row in rows.items() if row["status"] == "submitted"}
    unacknowledged = sorted(submitted - set(acknowledged))
    checks.append(
        Check(
            "nothing is submitted that the client was not told of",
            not unacknowledged,
            f"{len(submitted)} submitted in the database"
            + (f"; not acknowledged: {unacknowledged[:10]}" if unacknowledged else ""),
        )
    )
    wrong = []
    for application_id, answer in refused_late.items():
        row = rows.get(application_id)
        deadline = deadlines.get(row["call__slug"]) if row else None
        if (
            row is None
            or row["status"] == "submitted"
            or row["case_number"]
            or events[application_id]
            or tasks[application_id]
        ):
            wrong.append(f"{application_id}: left {row and (row['status'], row['case_number'])}")
        elif deadline is None or answer.ended < deadline.timestamp():
            wrong.append(f"{application_id}: refused as late at {answer.ended:.3f}, before the deadline {deadline}")
    checks.append(
        Check(
            "every one refused after the deadline was told so (422, the deadline) and left nothing",
            not wrong,
            f"{len(refused_late)} refused as late" + (f"; wrong: {wrong[:5]}" if wrong else ""),
        )
    )
    half = []
    for pk, row in rows.items():
        parts = (
            row["status"] == "submitted",
            bool(row["case_number"]),
            row["submitted_at"] is not None,
            bool(row["submitted_hash"]),
            events[pk] == 1,
            tasks[pk] == 1,
        )
        if any(parts) and not all(parts):
            half.append(f"{pk}: {parts}")
    checks.append(
        Check(
            "none half-written (submitted ⇔ case number, time, hash, one event, one receipt task)",
            not half,
            f"{len(rows)} applications in the benchmark's calls" + (f"; half-written: {half[:5]}" if half else ""),
        )
    )
    wrong = []
    for application_id, answer in resends:
        first = first_answers.get(application_id)
        expected = acknowledged.get(application_id)
        if expected is None or first is None:
            if not (is_deadline_refusal(answer) and first is not None and is_deadline_refusal(first)):
                wrong.append(f"{application_id}: resend answered {answer.status}, the first {first and first.status}")
            continue
        numbers = {(first.json() or {}).get("case_number"), (answer.json() or {}).get("case_number")}
        if numbers != {expected} or sorted((first.status, answer.status)) != [200, 201]:
            wrong.append(f"{application_id}: answered {first.status} and {answer.status}, numbers {numbers}")
    checks.append(
        Check(
            "every resend of the same key got the same case number; of the two answers one made it (201), "
            "the other found it (200); or both were refused as late",
            not wrong,
            f"{len(resends)} resends" + (f"; wrong: {wrong[:5]}" if wrong else ""),
        )
    )
    checks.append(
        Check(
            "no other answer (no 5xx, no connection error, no unexpected refusal)",
            not unexpected,
            f"{len(unexpected)} unexpected" + (f": {unexpected[:5]}" if unexpected else ""),
        )
    )
    return checks


# --- the run -----------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms".replace(",", " ")


def share(value: float, ceiling: float) -> str:
    return f"{100 * value / ceiling:.1f} %" if ceiling else "–"


@dataclass
class DjangoCeiling:
    """The second ceiling (bench/ceiling_django.py): a minimal page and the submit's unavoidable part."""

    page: Figure
    submit: Figure
    errors: list[str]


def django_ceiling_phase(
    script: str, options: argparse.Namespace, env: dict[str, str], scratch: Path, pages: int, servers: list[Server]
) -> DjangoCeiling:
    """Serve bench/ceiling_django.py with the application's settings and middleware; fire the same clients.

    Its submit runs the captured writes of one submission (the pgbench script, as captured) for each
    submitted application in turn (``rush_pgbench_ids``; the cases are removed first, as for pgbench),
    so it runs after the verification.
    """
    available = reset_pgbench(options.server, options.database)
    (scratch / "ceiling-submit.sql").write_text(script, encoding="utf-8")
    ceiling_env = dict(
        env, DJANGO_SETTINGS_MODULE="ceiling_django_settings", RUSH_SUBMIT_SCRIPT=str(scratch / "ceiling-submit.sql")
    )
    server = Server(
        "ceiling_django:application", ceiling_env, options.workers, scratch / "ceiling-django.log", str(ROOT / "bench")
    )
    servers.append(server)
    try:
        run_load(list(range(options.clients)), options.clients, lambda _: send(server.port, "GET", "/"))  # warm
        answers, seconds = run_load(list(range(pages)), options.clients, lambda _: send(server.port, "GET", "/"))
        page = figure("minimal Django page (ceiling 2)", answers, seconds)
        errors = [f"page: {a.status} {a.error}" for a in answers if a.status != 200]
        bearer = {"Authorization": "Bearer rush-ceiling"}
        answers, seconds = run_load(
            list(range(available)), options.clients, lambda _: send(server.port, "POST", "/submit/", {}, bearer)
        )
        submit = figure("minimal Django submit: the same writes in one transaction (ceiling 2)", answers, seconds)
        errors += [f"submit: {a.status} {a.error} {a.body[:200]!r}" for a in answers if a.status != 201]
    finally:
        server.stop()
        servers.remove(server)
    return DjangoCeiling(page, submit, errors)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--orgs", type=int, default=2000, help="signed drafts submitted by the API (N)")
    parser.add_argument("--flows", type=int, default=None, help="applications through the whole flow (default N/4)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (C)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn sync workers")
    parser.add_argument("--page-requests", type=int, default=None, help="requests per page (default 10 C)")
    parser.add_argument(
        "--ceiling-requests", type=int, default=None, help="requests to the trivial app (default 100 C)"
    )
    parser.add_argument(
        "--late-share", type=float, default=0.2, help="share of the work answered after the deadline moves"
    )
    parser.add_argument("--resend-every", type=int, default=10, help="every k-th submission is sent again (0: none)")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL, without database")
    parser.add_argument("--database", default="tilskudd_bench_rush", help="scratch database (dropped and made anew)")
    parser.add_argument("--keep-database", action="store_true")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--no-record", action="store_true")
    options = parser.parse_args(argv)
    flows = options.orgs // 4 if options.flows is None else options.flows
    pages = options.page_requests or 10 * options.clients
    ceiling_requests = options.ceiling_requests or 100 * options.clients

    clock = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - clock:6.1f} s] {text}", file=sys.stderr, flush=True)

    about = machine()
    begun = dt.datetime.now(dt.UTC)
    scratch = Path(tempfile.mkdtemp(prefix="rush-"))
    database_url = f"{options.server}/{options.database}"
    env = production_env(database_url, scratch)
    os.environ.update(env)
    for key in set(os.environ) - set(env):
        del os.environ[key]
    log(f"scratch database {options.database}; load average {about['load']}")
    recreate_database(options.server, options.database)
    servers: list[Server] = []
    try:
        import django  # noqa: PLC0415

        django.setup()
        from django.db import connection  # noqa: PLC0415

        prepared = prepare(options.orgs, flows, log)
        log(f"prepared in {prepared.seconds:.1f} s")
        collect_static(log)
        deploy = deploy_check()
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres_version = cursor.fetchone()[0]
            cursor.execute("SHOW max_connections")
            max_connections = cursor.fetchone()[0]

        # the SQL of one submit, captured in this process: the second of two extra drafts (the first
        # submission of a year makes the counter row, which no other does)
        acknowledged: dict[int, str] = {}
        for probe in prepared.probes:
            statements, probe_answer = capture_submit(*probe)
            probe_body = probe_answer.json() or {}
            if probe_answer.status != 201:
                raise SystemExit(f"the probe submit was answered {probe_answer.status}: {probe_answer.body[:500]!r}")
            acknowledged[probe[0]] = probe_body.get("case_number")
        probe = prepared.probes[-1]
        connection.close()

        log("ceiling: the trivial WSGI app")
        ceiling_server = Server(
            "ceiling_app:application", env, options.workers, scratch / "ceiling.log", str(ROOT / "bench")
        )
        servers.append(ceiling_server)
        answers, seconds = run_load(
            list(range(ceiling_requests)), options.clients, lambda _: send(ceiling_server.port, "GET", "/")
        )
        ceiling = figure("trivial WSGI app (ceiling)", answers, seconds)
        ceiling_errors = [a.status for a in answers if a.status != 200]
        ceiling_server.stop()
        servers.remove(ceiling_server)

        log("the application: pages")
        app = Server("tilskudd.wsgi:application", env, options.workers, scratch / "app.log")
        servers.append(app)
        unexpected: list[str] = []
        page_paths = (("front page /", "/"), ("call page", f"/utlysninger/{prepared.call_rush}/"))
        for _, path in page_paths:  # warm the workers: each renders and keeps each page once
            run_load(list(range(options.clients)), options.clients, lambda _, p=path: send(app.port, "GET", p))
        page_figures = []
        for name, path in page_paths:
            answers, seconds = run_load(list(range(pages)), options.clients, lambda _, p=path: send(app.port, "GET", p))
            page_figures.append(figure(name, answers, seconds))
            unexpected += [f"{name}: {a.status} {a.error}" for a in answers if a.status != 200]

        log(f"the application: {len(prepared.drafts)} submits by {options.clients} clients")
        submit_switch = DeadlineSwitch(prepared.call_rush, round(len(prepared.drafts) * (1 - options.late_share)))
        results, submit_seconds = submit_phase(
            app.port, prepared.drafts, options.clients, options.resend_every, submit_switch
        )
        refused_late: dict[int, Answer] = {}
        resends: list[tuple[int, Answer]] = []
        firsts: list[Answer] = []
        first_answers: dict[int, Answer] = {}
        for application_id, resend, answer in results:
            body = answer.json() or {}
            if resend:
                resends.append((application_id, answer))
                continue
            firsts.append(answer)
            first_answers[application_id] = answer
            if answer.status in (200, 201) and body.get("status") == "submitted":
                acknowledged[application_id] = body.get("case_number")
            elif is_deadline_refusal(answer):
                refused_late[application_id] = answer
            else:
                unexpected.append(f"submit {application_id}: {answer.status} {answer.error} {answer.body[:200]!r}")
        # a resend that was answered first (before the original) acknowledges the submission too
        for application_id, answer in resends:
            body = answer.json() or {}
            if answer.status in (200, 201) and body.get("status") == "submitted":
                if application_id in refused_late or acknowledged.get(
                    application_id, body.get("case_number")
                ) != body.get("case_number"):
                    unexpected.append(f"resend {application_id}: submitted but the first was not, or another number")
                acknowledged.setdefault(application_id, body.get("case_number"))
            elif not is_deadline_refusal(answer):
                unexpected.append(f"resend {application_id}: {answer.status} {answer.error} {answer.body[:200]!r}")
        submit_deadline = submit_switch.deadline
        submit_all = figure("API submit, every request (first and resent)", [a for _, _, a in results], submit_seconds)
        ok_before = [
            a
            for a in firsts
            if a.status in (200, 201) and (submit_deadline is None or a.ended <= submit_deadline.timestamp())
        ]
        start_wall = min((a.started for _, _, a in results), default=0.0)
        before_seconds = (submit_deadline.timestamp() - start_wall) if submit_deadline else submit_seconds
        submit_ok = Figure(
            "API submit, acknowledged before the deadline",
            len(ok_before),
            max(before_seconds, 1e-9),
            [a.seconds for a in ok_before],
            "submissions/s",
        )

        log(f"the application: {flows} whole flows by {options.clients} clients")
        flow_switch = DeadlineSwitch(prepared.call_flow, round(flows * (1 - options.late_share)))
        flow_results, flow_seconds = flow_phase(
            app.port, prepared.call_flow, prepared.flow_tokens, prepared.content, options.clients, flow_switch
        )
        flow_deadline = flow_switch.deadline
        flow_done = []
        stopped_early: collections.Counter[str] = collections.Counter()
        step_answers: dict[str, list[Answer]] = collections.defaultdict(list)
        for flow in flow_results:
            for step, answer in flow.steps:
                step_answers[step].append(answer)
                if answer.status >= 500 or answer.status == 0:
                    unexpected.append(f"flow {step}: {answer.status} {answer.error} {answer.body[:200]!r}")
            last_step, last = flow.steps[-1]
            body = last.json() or {}
            if last_step == "submit" and last.status == 201 and body.get("status") == "submitted":
                acknowledged[flow.application_id] = body.get("case_number")
                flow_done.append(flow)
            elif last_step == "submit" and is_deadline_refusal(last):
                refused_late[flow.application_id] = last
            elif flow_deadline is not None and last.ended >= flow_deadline.timestamp() and 400 <= last.status < 500:
                stopped_early[last_step] += 1  # refused at an earlier step after the deadline: nothing submitted
            else:
                unexpected.append(f"flow ended at {last_step}: {last.status} {last.body[:200]!r}")
        flow_start = min((s[1].started for f in flow_results for s in f.steps[:1]), default=0.0)
        flow_before = (flow_deadline.timestamp() - flow_start) if flow_deadline else flow_seconds
        flow_ok = [f for f in flow_done if flow_deadline is None or f.steps[-1][1].ended <= flow_deadline.timestamp()]
        flow_figure = Figure(
            "whole flow, applications submitted before the deadline",
            len(flow_ok),
            max(flow_before, 1e-9),
            [sum(a.seconds for _, a in f.steps) for f in flow_ok],
            "applications/s",
        )
        flow_requests = figure("whole flow, every request", [a for f in flow_results for _, a in f.steps], flow_seconds)
        app.stop()
        servers.remove(app)

        log("verifying in the database")
        deadlines = {prepared.call_rush: submit_deadline, prepared.call_flow: flow_deadline}
        checks = verify(
            [prepared.call_rush, prepared.call_flow],
            acknowledged,
            refused_late,
            deadlines,
            resends,
            first_answers,
            unexpected,
        )

        connection.close()
        has_counter = any(table_of(s.sql) == COUNTER_TABLE for s in statements if WRITE.search(s.sql))
        log("ceiling 2: a minimal Django view with the same settings and middleware, and the same writes")
        django_ceiling = django_ceiling_phase(
            pgbench_script(statements, probe[0], acknowledged[probe[0]], has_counter),
            options,
            env,
            scratch,
            pages,
            servers,
        )

        log("pgbench: the same writes as a submit")
        pg_results = []
        alone = None
        if shutil.which("pgbench"):
            for counter in (True, False):
                script = pgbench_script(statements, probe[0], acknowledged[probe[0]], counter)
                if has_counter:
                    name = "as captured (with the case-number counter row)" if counter else "without the counter row"
                else:
                    name = (
                        "plus one counter row locked by every submission (the old case-number scheme)"
                        if counter
                        else "as captured (no counter row)"
                    )
                pg_results.append(
                    (run_pgbench(script, options.server, options.database, options.clients, name), script)
                )
                if not counter or not has_counter:
                    alone = run_pgbench(
                        pgbench_script(statements, probe[0], acknowledged[probe[0]], has_counter),
                        options.server,
                        options.database,
                        1,
                        "as captured, one client",
                        at_most=200,
                    )
        load_at_end = ", ".join(f"{value:.2f}" for value in os.getloadavg())
        report = render_report(
            options=options,
            load_at_end=load_at_end,
            about=about,
            begun=begun,
            prepared=prepared,
            flows=flows,
            postgres=(postgres_version, max_connections),
            deploy=deploy,
            ceiling=ceiling,
            ceiling_errors=ceiling_errors,
            django_ceiling=django_ceiling,
            pages=page_figures,
            submit_all=submit_all,
            submit_ok=submit_ok,
            submit_counts=(len(firsts), len(acknowledged), len(refused_late), len(resends)),
            deadlines=deadlines,
            flow_figure=flow_figure,
            flow_requests=flow_requests,
            stopped_early=stopped_early,
            flow_steps={step: figure(step, answers, flow_seconds) for step, answers in step_answers.items()},
            statements=statements,
            pg_results=pg_results,
            pg_alone=alone,
            probe_seconds=probe_answer.seconds,
            checks=checks,
        )
    finally:
        for server in servers:
            server.stop()
        if not options.keep_database:
            try:
                from django.db import connections  # noqa: PLC0415

                connections.close_all()
            except Exception:  # noqa: BLE001 - Django may not be set up
                pass
            drop_database(options.server, options.database)
        shutil.rmtree(scratch, ignore_errors=True)
    print(report)
    if not options.no_record:
        output = options.output or next_result_path(begun.date())
        output.write_text(report, encoding="utf-8")
        log(f"recorded in {output}")
    return 0 if all(check.passed for check in checks) else 1


def next_result_path(day: dt.date) -> Path:
    folder = ROOT / "bench" / "results"
    path = folder / f"{day.isoformat()}-rush.md"
    number = 2
    while path.exists():
        path = folder / f"{day.isoformat()}-rush-{number}.md"
        number += 1
    return path


def render_report(**r: Any) -> str:
    options = r["options"]
    about = r["about"]
    ceiling: Figure = r["ceiling"]
    lines = [
        f"# Deadline day: the rush against the ceiling ({r['begun']:%Y-%m-%d %H:%M} UTC)",
        "",
        "```sh",
        "python bench/rush.py " + " ".join(sys.argv[1:]),
        "```",
        "",
        "## Machine",
        "",
        f"- CPU: {about['cpu']}; nproc {about['nproc']}; load average at start {about['load']}, at the end "
        f"{r['load_at_end']} (1, 5, 15 min; other work may run on this machine at the same time)",
        f"- {about['os']}; Python {about['python']}; PostgreSQL {r['postgres'][0]} (max_connections {r['postgres'][1]}); "
        f"gunicorn {gunicorn_version()}, {options.workers} sync workers; commit {about['commit']}",
        f"- clients: {options.clients} threads in one Python process on the same machine (http.client, a new "
        "connection per request, as gunicorn's sync workers close each one); they share the CPU with the server, "
        "for the ceiling too",
        "",
        "## Settings",
        "",
        "`DEBUG=0`, a generated `SECRET_KEY`, `ALLOWED_HOSTS=127.0.0.1`, PostgreSQL, the database task backend, "
        "static files collected (whitenoise, manifest), HTTPS redirect, HSTS and secure cookies as in production: "
        "the clients send `X-Forwarded-Proto: https` as the reverse proxy does. `manage.py check --deploy`: "
        + r["deploy"].rstrip(".")
        + ".",
        "",
        f"Prepared: {len(r['prepared'].drafts)} organisations with a signatory, an API token and a signed draft "
        f"(`{EXAMPLE.relative_to(ROOT)}`) for `{r['prepared'].call_rush}`, and {r['flows']} organisations for the "
        f"whole flow on `{r['prepared'].call_flow}` (copies of C0 with its 57 kB definition), in "
        f"{r['prepared'].seconds:.0f} s.",
        "",
        "## Figures, each as a share of its ceiling",
        "",
        "Two ceilings, on the same gunicorn with the same clients: the trivial WSGI app (what the machine "
        "carries at all), and a minimal Django view with the application's own settings and middleware "
        "(bench/ceiling_django.py): for the pages a small page, for the API the unavoidable part of a submit "
        "(read the request, parse the application's stored JSON, hash it, write the same rows in one transaction).",
        "",
        "| figure | count | rate | p50 | p95 | share of the trivial app | share of the Django ceiling |",
        "|---|---|---|---|---|---|---|",
    ]
    django_ceiling: DjangoCeiling = r["django_ceiling"]

    def row(f: Figure, ceiling_rate: float | None = None, second: float | None = None) -> str:
        rate = f"{f.rate:,.1f} {f.unit}".replace(",", " ")
        part = share(f.rate, ceiling_rate) if ceiling_rate else "(the ceiling)"
        other = share(f.rate, second) if second else "–"
        return f"| {f.name} | {f.count} | {rate} | {ms(f.quantile(0.5))} | {ms(f.quantile(0.95))} | {part} | {other} |"

    page_ceiling, submit_ceiling = django_ceiling.page.rate, django_ceiling.submit.rate
    lines.append(row(ceiling))
    lines.append(row(django_ceiling.page, ceiling.rate).replace("| – |", "| (ceiling 2) |"))
    lines.append(row(django_ceiling.submit, ceiling.rate).replace("| – |", "| (ceiling 2) |"))
    for page in r["pages"]:
        lines.append(row(page, ceiling.rate, page_ceiling))
    lines.append(row(r["submit_ok"], ceiling.rate, submit_ceiling))
    lines.append(row(r["submit_all"], ceiling.rate, submit_ceiling))
    lines.append(row(r["flow_figure"], ceiling.rate / 5, submit_ceiling / 5))
    lines.append(row(r["flow_requests"], ceiling.rate, submit_ceiling))
    for step in ("create", "patch", "check", "sign", "submit"):
        if step in r["flow_steps"]:
            f = r["flow_steps"][step]
            lines.append(
                f"| whole flow, step {step} | {f.count} | – | {ms(f.quantile(0.5))} | {ms(f.quantile(0.95))} | – | – |"
            )
    if r["ceiling_errors"]:
        lines.append(f"\nThe ceiling had {len(r['ceiling_errors'])} answers other than 200.")
    if django_ceiling.errors:
        lines.append(
            f"\nThe Django ceiling had {len(django_ceiling.errors)} unexpected answers, e.g. {django_ceiling.errors[0]}."
        )
    firsts, acknowledged, late, resent = r["submit_counts"]
    deadlines = r["deadlines"]
    lines += [
        "",
        "The whole flow's share is against a fifth of each ceiling's rate (five requests per application; for "
        "the Django ceiling, five minimal submits). "
        "Rates of the API phases count the work answered before the deadline over the time from the first "
        "request to the deadline; after it, refusals are cheap and would flatter the rate.",
        "",
        f"Submit phase: {firsts} drafts, {resent} resends; deadline moved to {deadlines_text(deadlines, 0)}; "
        f"acknowledged in all (with the probe and the flow): {acknowledged}; refused as late: {late}.",
        "",
        "Flow phase: stopped after the deadline at an earlier step (the draft of a closed call fails the "
        "deadline rule): "
        + (", ".join(f"{step} {count}" for step, count in sorted(r["stopped_early"].items())) or "none")
        + ".",
        "",
        "## Verification",
        "",
        "| check | passed | detail |",
        "|---|---|---|",
    ]
    for check in r["checks"]:
        lines.append(f"| {check.name} | {'yes' if check.passed else '**no**'} | {check.detail} |")
    statements: list[Statement] = r["statements"]
    commits = [s for s in statements if s.transaction < 0]
    statements = [s for s in statements if s.transaction >= 0]
    transactions = {s.transaction for s in statements if s.transaction}
    autocommit = sum(1 for s in statements if not s.transaction)
    writes = [s for s in statements if WRITE.search(s.sql)]
    database_seconds = sum(s.seconds for s in statements) + sum(s.seconds for s in commits)
    lines += [
        "",
        "## The database: one API submit against pgbench",
        "",
        f"One API submit (captured in-process, same settings) made **{len(statements)} queries**, "
        f"{len(writes)} of them writes or locking reads, in **{len(transactions)} transaction(s)** and "
        f"{autocommit} statements outside any (autocommit). Alone on the machine's load of the moment, it took "
        f"{ms(r['probe_seconds'])}, of which {ms(database_seconds)} in the database ({len(commits)} commit(s) "
        f"included; round trips as Django sees them){alone_text(r['pg_alone'], database_seconds)}. "
        "The writes, in order:",
        "",
    ]
    for s in writes:
        kind = s.sql.strip().split()[0].upper()
        lines.append(
            f"- {kind} `{table_of(s.sql)}`" + (f" (transaction {s.transaction})" if s.transaction else " (autocommit)")
        )
    pg_results = r["pg_results"]
    if pg_results:
        lines += [
            "",
            "pgbench runs those writes (and locking reads), in the same transactions, once for every submitted "
            "application (each transaction takes the next one, opens its case anew, with new case numbers, keys "
            f"and task ids), {options.clients} clients. A pgbench transaction here is one submission's writes:",
            "",
            "| pgbench script | submissions' writes/s | p50 | p95 | transactions | failed | API submit's rate as a share |",
            "|---|---|---|---|---|---|---|",
        ]
        for result, _script in pg_results:
            lines.append(
                f"| {result.name} | {result.tps:,.0f} | {ms(result.p50)} | {ms(result.p95)} | {result.transactions} | "
                f"{result.failed} | {share(r['submit_ok'].rate, result.tps)} |".replace(",", " ")
                + (f" {result.note}" if result.note else "")
            )
        lines += ["", "<details><summary>the pgbench script as captured</summary>", "", "```sql"]
        captured = next((script for result, script in pg_results if "as captured" in result.name), pg_results[0][1])
        lines.append(captured.rstrip())
        lines += ["```", "", "</details>"]
    else:
        lines += ["", "pgbench is not installed: no database ceiling measured."]
    lines.append("")
    return "\n".join(lines)


def alone_text(alone: PgbenchResult | None, database_seconds: float) -> str:
    """The database time of one submit against pgbench's for the same writes, one client (target: within 2×)."""
    if alone is None or not alone.p50:
        return ""
    return (
        f"; pgbench runs the same writes with one client in {ms(alone.p50)} (p50 of {alone.transactions}), "
        f"so the submit's database time is {database_seconds / alone.p50:.1f}× pgbench's (target: within 2×; "
        "it includes the reads pgbench leaves out)"
    )


def deadlines_text(deadlines: dict[str, dt.datetime | None], _: int) -> str:
    return "; ".join(
        f"`{slug}` {moment:%H:%M:%S} UTC" if moment else f"`{slug}` not reached" for slug, moment in deadlines.items()
    )


def gunicorn_version() -> str:
    try:
        import gunicorn  # noqa: PLC0415

        return gunicorn.__version__
    except ImportError:
        return "(not installed)"


if __name__ == "__main__":
    sys.exit(main())
