"""Django in production settings (DEBUG off, the database task backend) inside a bench script's own process, on
the profiles' PostgreSQL database unless DATABASE_URL says another (shared by profile_submit.py and
profile_pages.py). Call ``start()`` before importing anything of Django's or the app's that needs settings."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/tilskudd_bench_submit"


def start() -> None:
    """Set the environment's defaults (what is already set wins), put src/ on the path and set Django up."""
    os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tilskudd.settings")
    os.environ.setdefault("SECRET_KEY", "bench-profile-not-a-secret-0123456789abcdefghijklmnop")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "database")
    os.environ.setdefault("TILSKUDD_HOME", str(ROOT))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("STATIC_ROOT", "/tmp/tilskudd-bench-static")
    sys.path.insert(0, str(ROOT / "src"))
    django.setup()
