import time

from django.core.management.base import BaseCommand, CommandError

from tilskudd.demo.dataset import default_calls, generate
from tilskudd.demo.guard import refuse_outside_the_demo
from tilskudd.demo.services import load_demo


class Command(BaseCommand):
    help = (
        "Generate N submitted applications from a seed across the demo calls, with cases, assessments and "
        "decisions, for measuring the caseworker pages (DEBUG only; generated rows have no audit history)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--applications", type=int, default=1000, help="how many applications (default 1000)")
        parser.add_argument("--seed", type=int, default=1, help="the random seed (default 1)")
        parser.add_argument(
            "--call", help="only this demo call (its slug, e.g. kommunale-integreringstiltak-2019-demo)"
        )

    def handle(self, *args, **options):
        refuse_outside_the_demo()
        started = time.monotonic()
        load_demo(applications=False)  # the calls, organisations and staff; the applications are generated
        calls = default_calls()
        if options["call"]:
            calls = [call for call in calls if call.slug == options["call"]]
            if not calls:
                raise CommandError(f"Ingen demoutlysning {options['call']} / no demo call {options['call']}")
        before = 0  # applications made at the previous batch's end

        def progress(done: int, seconds: float) -> None:  # -v 2: each batch's rate, to see that it stays flat
            nonlocal before
            if options["verbosity"] >= 2:
                per_thousand = seconds / (done - before) * 1000
                self.stderr.write(f"  {done} søknader / applications: {per_thousand:.2f} s per 1000")
            before = done

        made = generate(options["applications"], options["seed"], calls=calls, progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Genererte {made.applications} søknader fra {made.organisations} organisasjoner på {seconds:.1f} s "
            f"/ generated {made.applications} applications from {made.organisations} organisations in {seconds:.1f} s"
        )
        for slug, count in sorted(made.by_call.items()):
            self.stdout.write(f"  {slug}: {count}")
