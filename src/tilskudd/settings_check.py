"""Settings for ``tilskudd check --call ID``: the project's settings with only the app the check reads.

The check reads one call's current version (``tilskudd.calls``: its models need no other app) and runs
the rule engine; it writes nothing and serves no page. Starting every installed app for it (the admin,
the API, the other apps' models and signal handlers) was most of its time (issue #14, point 5), so
``tilskudd.cli`` starts Django with this module for that command alone. Everything else (the database,
time zone, logging …) is read from :mod:`tilskudd.settings` as it is, so both read the same database.
"""

from tilskudd.settings import *  # noqa: F403 - the same settings, one list narrowed

INSTALLED_APPS = ["tilskudd.calls"]
