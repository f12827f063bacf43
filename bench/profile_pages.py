"""CPU per request of the public pages, in process, through the WSGI handler (issue #14, point 3).

Calls Django's WSGI application directly in a loop — no server, no sockets, no test client — for
an anonymous GET of the front page and of a call page, as the reverse proxy sends them
(``X-Forwarded-Proto: https``), and reports per request: the CPU time of this process
(``time.process_time``), the SQL queries, the status and the response's size; optionally the top of
a cProfile. Also one logged-in person's front page, which must not come from a cache.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tilskudd_bench_submit \\
        .venv/bin/python bench/profile_pages.py --requests 2000

Uses a database that bench/profile_submit.py prepared (the calls and their demo copies loaded);
it migrates the database and loads them itself if there are none. Production settings, as profile_submit.py.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

from bench_django import ROOT, start  # bench/, the script's own folder, is on the path

start()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from tilskudd.calls.models import Call  # noqa: E402


def environ(path: str, cookie: str = "") -> dict:
    """A GET as gunicorn hands it over behind the reverse proxy of docs/deployment.md."""
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_ACCEPT": "text/html",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = cookie
    return env


def call_app(app: WSGIHandler, path: str, cookie: str = "") -> tuple[str, dict[str, str], bytes]:
    answer: dict = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    chunks = app(environ(path, cookie), start_response)
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close:
            close()
    return answer["status"], answer["headers"], body


def measure(app: WSGIHandler, label: str, path: str, requests: int, profile: bool, top: int, cookie: str = "") -> dict:
    call_app(app, path, cookie)  # warm: the first request renders and caches
    queries: list[str] = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    # Django clears connection.queries when a request starts, so count through a wrapper instead.
    with connection.execute_wrapper(count):
        status, headers, body = call_app(app, path, cookie)
    profiler = cProfile.Profile() if profile else None
    cpu = time.process_time()
    if profiler:
        profiler.enable()
    for _ in range(requests):
        call_app(app, path, cookie)
    if profiler:
        profiler.disable()
    cpu_ms = 1000 * (time.process_time() - cpu) / requests
    print(
        f"{label} {path}: {status}, {len(body)} bytes, {len(queries)} queries, "
        f"{cpu_ms:.2f} ms CPU per request ({requests} requests)"
    )
    for name in ("Content-Security-Policy", "Strict-Transport-Security", "X-Frame-Options", "Set-Cookie", "Vary"):
        print(f"    {name}: {headers.get(name, '(none)')[:90]}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
        print(out.getvalue())
    return {"label": label, "cpu_ms": cpu_ms, "queries": len(queries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--call", default="kommunale-integreringstiltak-2019-demo")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    if not Call.objects.filter(slug=args.call).exists():
        from tilskudd.calls.services import load_call_files  # noqa: PLC0415
        from tilskudd.demo.services import load_demo_calls  # noqa: PLC0415

        load_call_files(sorted((ROOT / "calls").glob("*.yaml")))
        load_demo_calls()
    app = WSGIHandler()
    measure(app, "front page", "/", args.requests, args.profile, args.top)
    measure(app, "call page", f"/utlysninger/{args.call}/", args.requests, args.profile, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
