"""Fixtures for organisations: a real HTTP server on loopback serving recorded registry answers,
people, and organisations registered through the services.

The registry server (``registry`` fixture) listens on 127.0.0.1 on a free port and answers
``GET /enhetsregisteret/api/enheter/{orgnr}`` from ``recorded/enheter/{orgnr}.json``; 404 for
other numbers; it sleeps past the client's timeout for :data:`SLOW` and answers 500 for
:data:`FAILING`. ``BRREG_BASE_URL`` points at it for the test. No test calls the real registry.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest


RECORDED = Path(__file__).resolve().parent / "recorded"

MUNICIPALITY = "210000003"  # PRØVESTAD KOMMUNE (KOMM), fictitious
COUNTY_AUTHORITY = "310000000"  # PRØVELAND FYLKESKOMMUNE (FYLK), fictitious
VOLUNTARY = "410000008"  # PRØVELAGET FOR INKLUDERING (FLI, in Frivillighetsregisteret), fictitious
CITY_DISTRICT = "510000005"  # BYDEL PRØVEBYEN (ORGL under Oslo kommune), fictitious
DELETED = "445566772"  # a deleted entity (slettedato)
NOT_FOUND = "610000002"  # valid MOD11, not in the recorded registry
SLOW = "223344550"  # the server sleeps past the client's timeout
FAILING = "334455661"  # the server answers 500

#: Valid bank account numbers (MOD11), made up.
ACCOUNT = "12345678903"
ACCOUNT_2 = "15031234562"

CLIENT_TIMEOUT = 0.5
SLEEP = 2.0
PASSWORD = "grønn-hest-batteri-stift"


class RegistryHandler(BaseHTTPRequestHandler):
    prefix = "/enhetsregisteret/api/enheter/"

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.requests.append(self.path)
        if self.path.startswith("/broken/"):  # a proxy's error page, say: 200 but not JSON
            return self._send(200, b"<html><body>Service temporarily unavailable</body></html>")
        if not self.path.startswith(self.prefix):
            return self._send(404, (RECORDED / "not-found.json").read_bytes())
        number = self.path[len(self.prefix) :].strip("/")
        kind = "enheter"
        if number.endswith("/roller"):  # the entity's roles, from recorded/roller/ (test_brreg_roles.py)
            number, kind = number.removesuffix("/roller"), "roller"
        if number == SLOW:
            time.sleep(SLEEP)
            return self._send(200, (RECORDED / "enheter" / f"{MUNICIPALITY}.json").read_bytes(), quiet=True)
        if number == FAILING:
            return self._send(500, b'{"status": 500, "error": "Internal Server Error"}')
        recorded = RECORDED / kind / f"{number}.json"
        if recorded.is_file() and number.isdigit():
            return self._send(200, recorded.read_bytes())
        return self._send(404, (RECORDED / "not-found.json").read_bytes())

    def _send(self, status: int, body: bytes, quiet: bool = False) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            if not quiet:
                raise

    def log_message(self, format, *args):  # keep test output clean
        pass


class RegistryServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RegistryHandler)
        self.requests: list[str] = []

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def registry(settings):
    """A registry on loopback; ``BRREG_BASE_URL`` points at it. ``.requests`` lists the paths asked for."""
    server = RegistryServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-brreg", daemon=True
    )
    thread.start()
    settings.BRREG_BASE_URL = server.base_url
    settings.BRREG_TIMEOUT = CLIENT_TIMEOUT
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def registry_down(settings):
    """A registry address where nothing listens (connection refused)."""
    server = RegistryServer()
    url = server.base_url
    server.server_close()
    settings.BRREG_BASE_URL = url
    settings.BRREG_TIMEOUT = CLIENT_TIMEOUT
    return url


def make_user(email: str, full_name: str = "", **extra):
    from tilskudd.accounts.models import User

    return User.objects.create_user(
        email=email, password=PASSWORD, full_name=full_name or email.split("@")[0].title(), **extra
    )


def invite_and_claim(actor, organisation, email: str, **options):
    """Invite an existing, verified account and claim it through the link, as the person would:
    the membership (invitations are never claimed without the link, tests/orgs/test_invitations_claim.py)."""
    from django.contrib.auth import get_user_model

    from tilskudd.orgs import services

    invitation = services.invite(actor, organisation, email, **options)
    person = get_user_model().objects.get(email__iexact=email)
    [member] = services.claim_invitations(person, tokens=[invitation.token])
    return member


def make_grantor_staff(email: str, full_name: str = "", role: str = "caseworker"):
    """Grantor staff: ``is_staff`` (two-factor required) with a role at IMDi (made if missing)."""
    from tilskudd.casework.models import StaffRole
    from tilskudd.orgs.models import Organisation

    user = make_user(email, full_name, is_staff=True)
    imdi, _ = Organisation.objects.get_or_create(
        org_number="987879696", defaults={"name": "Integrerings- og mangfoldsdirektoratet (IMDi)", "applicant_type": ""}
    )
    StaffRole.objects.create(user=user, grantor=imdi, role=role)
    return user


def login_staff(client, user) -> None:
    """Grantor staff must have passed two-factor authentication; log them in as if they had."""
    try:
        from tests.accounts.helpers import login_verified
    except ImportError:  # the accounts helpers are not there: no two-factor check either
        client.force_login(user)
    else:
        login_verified(client, user)


def details(**changes) -> dict:
    """What a person types about an organisation the registry does not know."""
    values = {
        "name": "Prøvelaget Uten Register",
        "applicant_type": "voluntary_organisation",
        "org_form": "FLI",
        "address": "Prøvegata 1",
        "postal_code": "0150",
        "city": "Oslo",
        "municipality_number": "0301",
        "county": "03",
        "founded_on": dt.date(2018, 5, 1),
        "voluntary_registered": True,
        "voluntary_registered_on": dt.date(2018, 6, 1),
        "bank_account": ACCOUNT,
        "phone": "22 00 00 00",
        "email": "post@provelaget.example",
        "counties_activity": [],
        "counties_members": [],
        "counties_branches": [],
    }
    values.update(changes)
    return values


@pytest.fixture
def people(db):
    """Kari registers a voluntary organisation (typed, unverified) as styreleder; Ola and Per are members."""
    from tilskudd.orgs import services
    from tilskudd.orgs.models import Role

    kari = make_user("kari@example.no", "Kari Nordmann")
    ola = make_user("ola@example.no", "Ola Nordmann")
    per = make_user("per@example.no", "Per Hansen")
    staff = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    kari_membership = services.register_organisation(kari, NOT_FOUND, details(), title="styreleder")
    organisation = kari_membership.organisation
    services.confirm_membership(staff, kari_membership.pk)
    ola_membership = invite_and_claim(kari, organisation, ola.email)
    per_membership = invite_and_claim(kari, organisation, per.email)
    assert kari_membership.role == Role.SIGNATORY
    return {
        "kari": kari,
        "ola": ola,
        "per": per,
        "staff": staff,
        "organisation": organisation,
        "kari_membership": kari_membership,
        "ola_membership": ola_membership,
        "per_membership": per_membership,
    }
