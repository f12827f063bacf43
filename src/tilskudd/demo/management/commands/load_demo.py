from django.core.management.base import BaseCommand

from tilskudd.demo.guard import refuse_outside_the_demo
from tilskudd.demo.services import load_demo


class Command(BaseCommand):
    help = "Load demo organisations, people and open demo copies of the calls, and print the logins (DEBUG only)."

    def handle(self, *args, **options):
        refuse_outside_the_demo()
        made = load_demo(decided=True)
        self.stdout.write("")
        self.stdout.write("Demodata / demo data")
        for result in made["calls"]:
            self.stdout.write(f"  utlysning {result.slug}: {result.outcome.value}")
        self.stdout.write(f"  innsendte søknader / submitted applications: {len(made['applications'])}")
        if made["grants"]:
            self.stdout.write(
                f"  vedtatte tilskudd / decided grants: {len(made['grants'])} "
                "(frister / due: /saksbehandling/frister/, saksbehandler@imdi.example)"
            )
        self.stdout.write("")
        self.stdout.write(f"Demobrukere / demo logins (passord / password: {made['password']}):")
        for person, organisation, role in made["logins"]:
            self.stdout.write(f"  {person.email:<38} {organisation:<36} {role}")
        self.stdout.write("")
        self.stdout.write(
            "Saksbehandlere setter opp tofaktor ved første innlogging. Uten app: "
            ".venv/bin/python manage.py demo_code <e-post> viser koden (bare i demo)."
        )
        self.stdout.write(
            "Grantor staff set up two-factor at first login. Without an app: "
            ".venv/bin/python manage.py demo_code <e-mail> prints the code (demo only)."
        )
        self.stdout.write("")
