from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tilskudd.calls.services import CallFilesError, CallInUseError, call_files_in, load_call_files


class Command(BaseCommand):
    help = "Validate call definition files and load them into the database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="YAML files; default: every *.yaml in CALLS_DIR")
        parser.add_argument("--new-version", action="store_true", help="version a call that applications use")

    def handle(self, *args, files, new_version, **options):
        paths = [Path(f) for f in files] or call_files_in(Path(settings.CALLS_DIR))
        if not paths:
            raise CommandError(f"No call files found in {settings.CALLS_DIR}.")
        try:
            results = load_call_files(paths, new_version=new_version)
        except CallFilesError as error:
            # A malformed file is unreadable input: exit code 2, as ``tilskudd calls validate`` (issue #10).
            raise CommandError(f"Nothing was loaded.\n{error}", returncode=2) from None
        except CallInUseError as error:
            raise CommandError(f"Nothing was loaded.\n{error}") from None
        for result in results:
            self.stdout.write(f"{result.slug}: {result.outcome.value} (version {result.version})")
