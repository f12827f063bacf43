"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from the environment a production server would have: none of the test run's switches.
    test_only = {"DEBUG", "SECRET_KEY", "TILSKUDD_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in test_only}
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args], capture_output=True, text=True, env=environment, cwd=ROOT
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="a-long-random-production-secret-" + "x" * 40,
        ALLOWED_HOSTS="tilskudd.example.no",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_without_secret_key_refuses_to_start(tmp_path):
    result = run_manage("check", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql():
    from django.conf import settings

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite3"
    assert settings.DATABASES["default"]["ENGINE"].endswith(expected)


def test_language_and_time_zone():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "nb"
    assert [code for code, _ in settings.LANGUAGES] == ["nb", "en"]
    assert settings.TIME_ZONE == "Europe/Oslo"
    assert settings.USE_TZ is True


def test_redis_url_keeps_the_rate_limit_counters_in_redis():
    """With REDIS_URL set, the shared cache is Redis through the pinned `redis` package (pyproject's [redis] extra):
    a counter written by one settings load is read by another process's, as two app servers would share it."""
    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    script = (
        "import django, uuid; django.setup(); from django.core.cache import cache; from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND']); key = 'tilskudd-test-' + uuid.uuid4().hex; "
        "cache.set(key, 0, 30); cache.incr(key); cache.incr(key); print(cache.get(key)); cache.delete(key)"
    )
    environment = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_SETTINGS_MODULE": "tilskudd.settings",
    }
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=environment, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    backend, count = result.stdout.split()
    assert backend == "django.core.cache.backends.redis.RedisCache" and count == "2"
