"""Profile of one API submission, and of the public pages (issue #14, point 2).

Prepares N signed drafts of a real call (the demo copy of ``--call``, with the passing example's
content and attachments) in its own PostgreSQL database, then submits each through
``POST /api/v1/applications/{id}/submit`` with an Idempotency-Key, in this process through Django's
test client, and reports per submission:

* the number of SQL queries and of database transactions (an outermost ``atomic`` block that ran a
  query counts one, each query outside one counts one: autocommit);
* the CPU time of this process (the app, plus the test client's small share);
* the top of a cProfile of all the submissions (cumulative time).

Then the same for the front page and the call page (anonymous), and a retry of each submission.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tilskudd_bench_submit \\
        .venv/bin/python bench/profile_submit.py --drafts 300

The database is emptied and migrated at the start (``--keep`` reuses drafts already there).
This is a profile, not the rush benchmark (bench/rush.py measures throughput under load).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
import uuid
from pathlib import Path

from bench_django import ROOT, start  # bench/, the script's own folder, is on the path

start()

from django.conf import settings  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.transaction import Atomic  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from tilskudd.api.auth import PREFIX_LENGTH, hash_secret, new_secret  # noqa: E402
from tilskudd.api.models import ApiToken  # noqa: E402
from tilskudd.applications import attachments, services  # noqa: E402
from tilskudd.applications.models import Application  # noqa: E402
from tilskudd.calls.models import Call  # noqa: E402
from tilskudd.calls.services import load_call_files  # noqa: E402
from tilskudd.demo.casework import (  # noqa: E402
    DEMO_PDF,
    EDITABLE,
    _applicant_organisation,
    _signatory,
    passing_examples,
)
from tilskudd.demo.services import load_demo_calls  # noqa: E402


class Counter:
    """Counts queries and transactions on the default connection while installed."""

    def __init__(self):
        self.connection = connection
        self.queries = 0
        self.transactions = 0
        self._generation = 0
        self._counted = -1
        counter = self
        original = Atomic.__enter__

        def enter(atomic):
            connection_ = counter.connection
            if not connection_.in_atomic_block:
                counter._generation += 1
            return original(atomic)

        self._original, self._enter = original, enter

    def __enter__(self):
        Atomic.__enter__ = self._enter  # type: ignore[method-assign]
        self._wrapper = self.connection.execute_wrapper(self._execute)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)
        Atomic.__enter__ = self._original  # type: ignore[method-assign]

    def _execute(self, execute, sql, params, many, context):
        self.queries += 1
        if not self.connection.in_atomic_block:
            self.transactions += 1
        elif self._counted != self._generation:
            self._counted = self._generation
            self.transactions += 1
        return execute(sql, params, many, context)


def reset_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def collect_static() -> None:
    """The pages use the production static storage (a manifest): collect once into STATIC_ROOT."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)


def prepare(call_slug: str, drafts: int, calls_dir: Path) -> tuple[str, list[int]]:
    """Load the calls and their demo copies; make ``drafts`` signed drafts; return a token and the ids."""
    if not Call.objects.exists():
        load_call_files(sorted(calls_dir.glob("*.yaml")))
        load_demo_calls()
    call = Call.objects.get(slug=f"{call_slug}-demo")
    example = passing_examples(call_slug)[0]
    organisation = _applicant_organisation(example.data["applicant"])
    signer = _signatory(organisation)
    secret = new_secret()
    ApiToken.objects.create(
        organisation=organisation,
        created_by=signer,
        name="bench",
        prefix=secret[:PREFIX_LENGTH],
        secret_hash=hash_secret(secret),
    )
    ready = list(
        Application.objects.filter(call=call, organisation=organisation, status="draft", signatures__isnull=False)
        .distinct()
        .values_list("pk", flat=True)
    )
    content = {key: example.data[key] for key in EDITABLE if key in example.data}
    started = time.perf_counter()
    while len(ready) < drafts:
        with transaction.atomic():
            draft = services.start_draft(signer, organisation, call)
            draft = services.save_draft(signer, draft.pk, content, draft.revision)
            for attachment in example.data.get("attachments", []):
                upload = SimpleUploadedFile(
                    attachment["filename"].rsplit(".", 1)[0] + ".pdf", DEMO_PDF, "application/pdf"
                )
                attachments.add_attachment(signer, draft.pk, attachment["kind"], upload)
            draft.refresh_from_db()
            services.sign(signer, draft.pk, draft.revision)
        ready.append(draft.pk)
        if len(ready) % 100 == 0:
            print(f"  {len(ready)} drafts signed ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return secret, ready[:drafts]


#: ``--cpu``: the profile counts CPU time (time.process_time), not the wall clock that waits on the database.
PROFILE_TIMER: list = []


def measure(label: str, requests, profile: bool, top: int) -> dict:
    """Run ``requests`` (callables returning a response); per-request queries, transactions and CPU ms."""
    profiler = cProfile.Profile(*PROFILE_TIMER) if profile else None
    statuses: dict[int, int] = {}
    with Counter() as counter:
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        for request in requests:
            response = request()
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = max(1, sum(statuses.values()))
    figures = {
        "label": label,
        "n": n,
        "statuses": statuses,
        "queries": counter.queries / n,
        "transactions": counter.transactions / n,
        "cpu_ms": 1000 * cpu / n,
        "wall_ms": 1000 * wall / n,
    }
    print(
        f"{label}: {n} requests {statuses}; per request {figures['queries']:.1f} queries, "
        f"{figures['transactions']:.1f} transactions, {figures['cpu_ms']:.1f} ms CPU, {figures['wall_ms']:.1f} ms wall"
    )
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats("tilskudd|ninja|pydantic", top)
        print(out.getvalue())
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=300)
    parser.add_argument("--call", default="kommunale-integreringstiltak-2019")
    parser.add_argument("--calls-dir", type=Path, default=ROOT / "calls")
    parser.add_argument("--keep", action="store_true", help="reuse the database (do not empty it)")
    parser.add_argument("--top", type=int, default=35, help="lines of the profile to print")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one submission")
    parser.add_argument("--cpu", action="store_true", help="profile CPU time, not wall-clock time")
    args = parser.parse_args(argv)
    if args.cpu:
        PROFILE_TIMER.append(time.process_time)

    setup_test_environment()  # the test client's answers; settings stay the production ones
    if not args.keep:
        reset_database()
    collect_static()
    print(f"preparing {args.drafts} signed drafts of {args.call}-demo …", file=sys.stderr)
    secret, ids = prepare(args.call, args.drafts, args.calls_dir)

    call = Call.objects.get(slug=f"{args.call}-demo")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    keys = {pk: str(uuid.uuid4()) for pk in ids}

    def submit(pk):
        return lambda: client.post(
            f"/api/v1/applications/{pk}/submit", secure=True, headers={"Idempotency-Key": keys[pk]}
        )

    profile = not args.no_profile
    measure("warm-up (first submission)", [submit(ids[0])], False, 0)
    if args.show_queries:
        with CaptureQueriesContext(connection) as captured:
            submit(ids[1])()
        for number, query in enumerate(captured.captured_queries, 1):
            print(f"{number:3d} {query['sql'][:160]}")
        ids = ids[:1] + ids[2:]
    measure("API submit", [submit(pk) for pk in ids[1:]], profile, args.top)
    measure("API submit, retried (same key)", [submit(pk) for pk in ids[1:51]], False, 0)
    anonymous = Client()
    measure("front page", [lambda: anonymous.get("/", secure=True)] * 200, profile, args.top // 2)
    call_page = f"/utlysninger/{call.slug}/"
    measure("call page", [lambda: anonymous.get(call_page, secure=True)] * 200, profile, args.top // 2)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
