"""Issue #8 «Trust», point 7 (production defaults that are safe) and the admin part of point 6.

With DEBUG off no e-mail goes to the console (and `check --deploy` fails if it would); the demo
loader refuses; every page carries a Content-Security-Policy without inline script, a
Permissions-Policy, and ``Cache-Control: no-store`` for a logged-in person; the API docs load from
our own static files; the admin is for site administrators only, and is read-only (or audited)
where a change would bypass a service; no two-factor secret is readable in it.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import CommandError, call_command

from tests.accounts.helpers import PASSWORD, add_totp, login_verified, make_user
from tests.test_settings import run_manage

SRC = Path(__file__).resolve().parent.parent / "src" / "tilskudd"
PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp" * 10,
    "ALLOWED_HOSTS": "tilskudd.example.no",
}


# --- e-mail and check --deploy ----------------------------------------------------------------


def test_production_settings_with_smtp_pass_check_deploy(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING",
        EMAIL_BACKEND="smtp", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **PRODUCTION,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_on_the_console_e_mail_backend_with_debug_off(tmp_path):
    result = run_manage(
        "check", "--deploy",
        EMAIL_BACKEND="console", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **PRODUCTION,
    )  # fmt: skip
    assert result.returncode != 0
    assert "tilskudd.E001" in result.stderr
    assert "EMAIL_BACKEND is django.core.mail.backends.console.EmailBackend with DEBUG off" in result.stderr


def email_backend(tmp_path, **env) -> str:
    result = run_manage(
        "shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_e_mail_goes_by_smtp_without_debug_and_to_the_development_folder_only_with_debug(tmp_path):
    assert email_backend(tmp_path, **PRODUCTION) == "django.core.mail.backends.smtp.EmailBackend"
    # With DEBUG each e-mail is written to var/mail/ and the console gets one line (issue #13, point 11).
    assert email_backend(tmp_path, DEBUG="1") == "tilskudd.core.dev_mail.FolderEmailBackend"


# --- the demo ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings):
    from tilskudd.accounts.models import User

    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"Only in the demo \(DEBUG=1\)"):
        call_command("load_demo")
    assert not User.objects.filter(email__endswith=".example").exists()


# --- headers ----------------------------------------------------------------------------------


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.django_db
def test_every_page_has_a_strict_content_security_policy_and_a_permissions_policy(client):
    for path in ("/", "/konto/logg-inn/", "/api/v1/docs"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = directives(response)
        assert csp["script-src"] == ["'self'"], path  # no 'unsafe-inline', no 'unsafe-eval', no CDN
        assert csp["style-src"] == ["'self'"], path
        assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"], path
        assert csp["frame-ancestors"] == ["'none'"] and csp["form-action"] == ["'self'"], path
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
            assert feature in policy, path


@pytest.mark.django_db
def test_pages_for_a_logged_in_person_are_never_stored(client):
    public = client.get("/")
    assert "no-store" not in public.get("Cache-Control", "")  # a public page may be cached

    client.force_login(make_user())
    for path in ("/", "/min-side/", "/konto/sikkerhet/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
        assert "private" in response["Cache-Control"], path


# --- no inline script or style in what a browser renders --------------------------------------

# Templates WeasyPrint renders to PDF: never served as a page, so the CSP does not apply.
PDF_TEMPLATES = {
    "applications/receipt.html",
    "reports/receipt.html",
    "amendments/letter.html",
    "complaints/bundle_cover.html",
}
PDF_FOLDERS = ("templates/pdf/", "grants/letters/")


def page_templates() -> list[Path]:
    found = []
    for path in SRC.rglob("templates/**/*.html"):
        relative = path.relative_to(SRC).as_posix()
        if any(folder in relative for folder in PDF_FOLDERS) or relative.split("templates/", 1)[1] in PDF_TEMPLATES:
            continue
        found.append(path)
    assert len(found) > 50
    return found


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+=", re.I), "event-handler attribute"),
    (re.compile(r"\shx-on", re.I), "hx-on (evaluated code)"),
    (re.compile(r"hx-trigger=\"[^\"]*\[", re.I), "hx-trigger filter (evaluated code)"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_page_templates_have_no_inline_script_or_style():
    problems = [
        f"{path.relative_to(SRC)}: {what}"
        for path in page_templates()
        for pattern, what in INLINE
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.django_db
def test_rendered_pages_have_no_inline_script_or_style(client):
    from tilskudd.accounts.views import qr_svg

    assert "style=" not in qr_svg("otpauth://totp/tilskudd:kari?secret=ABC")  # the two-factor setup's QR code
    client.force_login(make_user())
    for path in ("/", "/min-side/", "/konto/sikkerhet/", "/konto/passord/"):
        html = client.get(path).content.decode()
        for pattern, what in INLINE:
            assert not pattern.search(html), f"{path}: {what}"


def test_htmx_runs_without_eval_and_without_its_inline_style():
    base = (SRC / "templates" / "base.html").read_text(encoding="utf-8")
    assert """<meta name="htmx-config" content='{"allowEval":false,"includeIndicatorStyles":false}'>""" in base


# --- the API docs -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_docs_page_loads_everything_from_our_own_static_files(client):
    page = client.get("/api/v1/docs").content.decode()
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    references = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/ninja/swagger-ui-bundle.js" in references
    for reference in references:
        assert reference.startswith("/static/"), reference
        assert finders.find(reference.removeprefix("/static/")), reference
    assert '"validatorUrl": null' in page  # no badge fetched from validator.swagger.io


# --- the admin --------------------------------------------------------------------------------


@pytest.fixture
def site_admin(db, client):
    admin = make_user(email="admin@example.no", full_name="Ada Admin", is_staff=True, is_superuser=True)
    login_verified(client, admin)
    return admin


@pytest.fixture
def organisation_with_people(db):
    from tilskudd.orgs.models import Delegation, Membership, Organisation

    organisation = Organisation.objects.create(org_number="999999999", name="Prøvelaget", applicant_type="voluntary_organisation")
    kari = make_user(email="kari@example.no", full_name="Kari Nordmann")
    ola = make_user(email="ola@example.no", full_name="Ola Nordmann")
    membership = Membership.objects.create(user=kari, organisation=organisation, role="signatory")
    delegation = Delegation.objects.create(
        organisation=organisation, granted_by=kari, delegate=ola, valid_until=dt.date(2030, 12, 31)
    )
    return organisation, membership, delegation


def test_a_grantor_caseworker_does_not_get_into_the_admin(client, db):
    from tests.orgs.conftest import make_grantor_staff

    caseworker = make_grantor_staff("saksbehandler@imdi.example", "Siri Saksbehandler")
    login_verified(client, caseworker)
    assert client.get("/saksbehandling/").status_code == 200  # their own pages
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert client.get(response["Location"]).status_code == 403
    assert client.get("/admin/orgs/membership/").status_code == 302


def test_a_site_administrator_gets_into_the_admin(client, site_admin):
    page = client.get("/admin/")
    assert page.status_code == 200
    assert "tilskudd – administrasjon" in page.content.decode()


def test_organisations_memberships_and_delegations_are_read_only_in_the_admin(
    client, site_admin, organisation_with_people
):
    from tilskudd.audit.models import AuditEvent
    from tilskudd.orgs.models import Membership

    organisation, membership, delegation = organisation_with_people
    for model, obj in (("organisation", organisation), ("membership", membership), ("delegation", delegation)):
        base = f"/admin/orgs/{model}/"
        listing = client.get(base)
        assert listing.status_code == 200, model
        assert f'href="{base}add/"' not in listing.content.decode(), model
        assert client.get(f"{base}add/").status_code == 403, model
        view = client.get(f"{base}{obj.pk}/change/")
        assert view.status_code == 200, model  # a site administrator may look
        assert 'name="_save"' not in view.content.decode(), model
        assert client.post(f"{base}{obj.pk}/change/", {}).status_code == 403, model
        assert client.post(f"{base}{obj.pk}/delete/", {"post": "yes"}).status_code == 403, model
    response = client.post(
        "/admin/orgs/membership/",
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=membership.pk).exists(), response.status_code
    assert not AuditEvent.objects.exists()


def test_a_change_to_a_person_in_the_admin_writes_an_audit_event(client, site_admin):
    from tilskudd.accounts.models import User
    from tilskudd.audit.models import Audience, AuditEvent

    kari = make_user(email="kari@example.no", full_name="Kari Nordmann")
    form = client.get(f"/admin/accounts/user/{kari.pk}/change/").content.decode()
    joined = dict(re.findall(r'name="((?:initial-)?date_joined_[01])" value="([^"]*)"', form))
    response = client.post(
        f"/admin/accounts/user/{kari.pk}/change/",
        {
            "email": kari.email,
            "full_name": "Kari Nordmann",
            "phone": "",
            "preferred_language": kari.preferred_language,
            "is_active": "on",
            "is_staff": "on",
            "last_login_0": "",
            "last_login_1": "",
            **joined,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=kari.pk).is_staff
    event = AuditEvent.objects.get(action="account.changed_in_admin", subject_id=str(kari.pk))
    assert event.actor == site_admin and event.audience == Audience.INTERNAL
    assert event.data == {"fields": ["is_staff"]}

    response = client.post(
        f"/admin/accounts/user/{kari.pk}/password/",
        {"password1": PASSWORD + "2", "password2": PASSWORD + "2", "set_usable_password": "true"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="account.password_set_in_admin", subject_id=str(kari.pk)).count() == 1
    assert client.get(f"/admin/accounts/user/{kari.pk}/delete/").status_code == 403  # deactivate instead


def test_django_groups_and_permissions_are_not_offered_in_the_admin(client, site_admin):
    # They would grant nothing: roles are StaffRole and memberships, and only site administrators get in.
    assert client.get("/admin/auth/group/").status_code == 404
    page = client.get(f"/admin/accounts/user/{site_admin.pk}/change/").content.decode()
    assert 'name="groups"' not in page and 'name="user_permissions"' not in page


def test_two_factor_secrets_are_not_readable_in_the_admin(client, site_admin):
    from django_otp.plugins.otp_static.models import StaticDevice

    kari = make_user(email="kari@example.no", full_name="Kari Nordmann", is_staff=True)
    device = add_totp(kari)
    backup = StaticDevice.objects.create(user=kari, name="backup")
    backup.token_set.create(token="abcd2345")

    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert "kari@example.no" in listing or "Kari Nordmann" in listing
    assert "qrcode" not in listing.lower()
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert page.status_code == 200
    assert device.key not in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403  # no device with a chosen key
    assert client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"}).status_code == 403

    backup_page = client.get(f"/admin/otp_static/staticdevice/{backup.pk}/change/").content.decode()
    assert "abcd2345" not in backup_page
