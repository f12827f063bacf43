"""Settings of the second ceiling (bench/ceiling_django.py): the application's own, with only the URLs replaced."""

from tilskudd.settings import *  # noqa: F403 - the same settings and middleware, on purpose

ROOT_URLCONF = "ceiling_django"
