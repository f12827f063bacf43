"""Pages for signing up, logging in and out, new passwords and two-factor authentication.

Thin views over :mod:`tilskudd.accounts.services`. Password reset and change are Django's own
views with our forms and templates.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode

import qrcode
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from qrcode.image.svg import SvgPathFillImage

from tilskudd.accounts import ratelimit, services, verification
from tilskudd.accounts.forms import (
    CodeForm,
    EmailChangeForm,
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    SignUpForm,
)
from tilskudd.accounts.texts import bi, now_text
from tilskudd.audit.services import Audience, AuditAction, record

BACKUP_CODES_SESSION_KEY = "accounts_new_backup_codes"
#: Where to go once the address is verified (the ``next`` of the sign-up).
AFTER_VERIFICATION_SESSION_KEY = "accounts_after_verification"
SIGNED_UP_ADDRESS_SESSION_KEY = "accounts_signed_up_address"


def _landing(user) -> str:
    """Where a person lands when nothing else was asked for (issue #13, point 10): grantor staff (those who
    must use two-factor authentication for their role at a grantor) on their desk, applicants on My page."""
    if user is not None and getattr(user, "is_authenticated", False) and services.two_factor_required(user):
        return reverse("casework:dashboard")
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _next_url(request, candidate: str | None = None, user=None) -> str:
    """Where to go after logging in: ``next`` if it is on this site, else where ``user`` lands.

    The front page («/», the ``next`` of the header's login link there) counts as no wish: from it a
    caseworker goes to the desk and an applicant to My page.
    """
    candidate = candidate if candidate is not None else request.POST.get("next") or request.GET.get("next")
    if (
        candidate
        and candidate != "/"
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return _landing(user if user is not None else getattr(request, "user", None))


def _retry_text(retry_at) -> str:
    seconds = max(1, math.ceil((retry_at - timezone.now()).total_seconds())) if retry_at else 1
    return now_text(
        f"For mange feil koder. Vent {seconds} sekunder og prøv igjen.",
        f"Too many wrong codes. Wait {seconds} seconds and try again.",
    )


def _code_form(request, help_nb: str, help_en: str) -> CodeForm:
    """The one-field form for a code from the app or a backup code, bound on POST."""
    return CodeForm(request.POST if request.method == "POST" else None, help_text=bi(help_nb, help_en))


def _refuse_code(form: CodeForm, retry_at, wrong_nb: str, wrong_en: str) -> None:
    """Put the refusal of a code on the form: wait (too many tries) or wrong code."""
    form.add_error("code", _retry_text(retry_at) if retry_at else now_text(wrong_nb, wrong_en))


def _checked_code(
    request, user, help_text: tuple[str, str], wrong: tuple[str, str]
) -> tuple[CodeForm, services.CodeCheck | None]:
    """The code form (``help_text`` under the field), and on a valid POST the check of its code against ``user``'s
    devices: a check that passed, or None with the refusal (``wrong``, bokmål and English, or wait) on the form."""
    form = _code_form(request, *help_text)
    if request.method == "POST" and form.is_valid():
        check = services.verify_code(user, form.cleaned_data["code"])
        if check.ok:
            return form, check
        _refuse_code(form, check.retry_at, *wrong)
    return form, None


# --- sign-up, login, logout -------------------------------------------------------------------


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def signup(request):
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.client_request_allowed(services.client_ip(request)):
            return _too_many(request)
        verification.sign_up(
            full_name=form.cleaned_data["full_name"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            site_url=_site_url(request),
        )
        # The same page whether the address was free or taken; the e-mail to it tells which.
        request.session[AFTER_VERIFICATION_SESSION_KEY] = _next_url(request)
        request.session[SIGNED_UP_ADDRESS_SESSION_KEY] = form.cleaned_data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")})


@never_cache
def signup_done(request):
    """«Sjekk e-posten din»: the same after every sign-up, whether the address was free or not."""
    return render(
        request, "accounts/signup_done.html", {"email": request.session.get(SIGNED_UP_ADDRESS_SESSION_KEY, "")}
    )


def _site_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _too_many(request):
    """429 with a page that says to wait (too many sign-ups, new passwords or links from this client)."""
    return render(request, "accounts/too_many.html", status=429)


# --- the address: verifying and changing it ----------------------------------------------------


@login_required
@csrf_protect
@never_cache
def email_unverified(request):
    """«Bekreft e-postadressen»: all an unverified account can do is ask for the link again (or log out)."""
    user = request.user
    if user.email_verified:
        return redirect(_next_url(request))
    sent = False
    if request.method == "POST":
        if not ratelimit.client_request_allowed(services.client_ip(request)):
            return _too_many(request)
        verification.send_verification(user, _site_url(request))
        sent = True
    return render(request, "accounts/email_unverified.html", {"sent": sent, "next": request.GET.get("next", "")})


@csrf_protect
@never_cache
def confirm_email(request, token: str):
    """The link in the verification e-mail. GET shows a button; the POST verifies (link scanners only GET)."""
    try:
        person, _ = verification.read_token(token, verification.VERIFY)
    except verification.InvalidLink:
        return render(request, "accounts/email_link_invalid.html", status=400)
    if request.method == "POST":
        verification.confirm_email(token, request)
        logged_in_as_them = request.user.is_authenticated and request.user.pk == person.pk
        next_url = request.session.pop(AFTER_VERIFICATION_SESSION_KEY, "") or resolve_url(settings.LOGIN_REDIRECT_URL)
        if logged_in_as_them:
            return redirect(_next_url(request, next_url))
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url, 'bekreftet': '1'})}")
    return render(request, "accounts/confirm_email.html", {"person": person, "already": person.email_verified})


@login_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def email_change(request):
    """A new address: a link goes to it, and the change happens when the link is followed."""
    form = EmailChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not ratelimit.client_request_allowed(services.client_ip(request)):
            return _too_many(request)
        try:
            verification.request_email_change(request.user, form.cleaned_data["email"], _site_url(request))
        except verification.EmailInUse:
            form.add_error(
                "email",
                now_text(
                    "En annen konto har denne adressen. Velg en annen adresse.",
                    "Another account has this address. Choose another address.",
                ),
            )
        else:
            return render(request, "accounts/email_change_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/email_change.html", {"form": form})


@csrf_protect
@never_cache
def confirm_email_change(request, token: str):
    """The link sent to the new address. GET shows a button; the POST changes the address."""
    try:
        person, payload = verification.read_token(token, verification.CHANGE)
    except verification.InvalidLink:
        return render(request, "accounts/email_link_invalid.html", status=400)
    error = None
    if request.method == "POST":
        try:
            verification.confirm_email_change(token, request)
        except verification.EmailInUse:
            error = now_text(
                "En annen konto har fått denne adressen i mellomtiden. Adressen er ikke byttet.",
                "Another account has taken this address meanwhile. The address has not been changed.",
            )
        except verification.InvalidLink:
            return render(request, "accounts/email_link_invalid.html", status=400)
        else:
            return render(request, "accounts/email_change_done.html", {"email": payload.get("n", "")})
    return render(
        request,
        "accounts/confirm_email_change.html",
        {"person": person, "new_email": payload.get("n", ""), "error": error},
        status=409 if error else 200,
    )


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request):
    """Step one: e-mail and password. With a two-factor device, step two asks for the code."""
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.user.is_authenticated:
        return render(request, "accounts/login.html", {"already": True, "next": next_url})
    form = LoginForm(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.user
        if services.has_two_factor(user):
            services.begin_second_step(request, user, _next_url(request, user=user))
            return redirect("accounts:verify")
        services.complete_login(request, user)
        return redirect(_next_url(request, user=user))
    status = 429 if form.client_locked else 200
    context = {"form": form, "next": next_url, "just_verified": request.GET.get("bekreftet") == "1"}
    return render(request, "accounts/login.html", context, status=status)


def locked_out(request, original_response=None, credentials=None):
    """The login page after too many failures (django-axes' AXES_LOCKOUT_CALLABLE).

    Says when to try again; the same for an address with and without an account.
    """
    until = services.lockout_ends(request, credentials)
    form = LoginForm(request, initial={"email": services.attempted_email(request, credentials) or ""})
    context = {
        "form": form,
        "locked_until": timezone.localtime(until) if until else None,
        "locked_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "next": request.POST.get("next", ""),
    }
    return render(request, "accounts/login.html", context, status=429)


@csrf_protect
@never_cache
def verify(request):
    """Step two: the code from the app or a backup code.

    Serves the person half-way through logging in, and a logged-in person whose session is not
    yet verified (sent here by the middleware).
    """
    if request.user.is_authenticated:
        user = request.user
        if user.is_verified() or not services.has_two_factor(user):
            return redirect(_next_url(request))
        next_url = _next_url(request)
    else:
        pending = services.pending_login(request)
        if pending is None:
            return redirect(reverse("accounts:login"))
        user, next_url = pending

    form, check = _checked_code(
        request,
        user,
        (
            "Seks sifre fra autentiseringsappen på telefonen din, eller en av reservekodene dine.",
            "Six digits from the authenticator app on your phone, or one of your backup codes.",
        ),
        (
            "Koden er feil eller brukt før. Skriv koden appen viser nå.",
            "The code is wrong or already used. Enter the code the app shows now.",
        ),
    )
    if check is not None:
        if request.user.is_authenticated:
            otp_login(request, check.device)
        else:
            services.complete_login(request, user, check.device)
        return redirect(next_url)
    return render(request, "accounts/verify.html", {"form": form, "person": user})


class LogoutView(auth_views.LogoutView):
    """Log out (POST only; a link cannot log anyone out)."""

    http_method_names = ["post", "options"]


# --- passwords ----------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        if not ratelimit.client_request_allowed(services.client_ip(self.request)):
            return _too_many(self.request)
        if not ratelimit.may_email(services.normalise_email(form.cleaned_data["email"])):
            # The same page as when the e-mail is sent: the limit tells nobody whether the address exists.
            return redirect(self.success_url)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Whoever could read the e-mail may try again at once.
        forgotten = services.unlock(form.user.email)
        # The link came to the address, so following it proves the address too.
        verification.verified_by_password_reset(form.user)
        # The deleted lockout records are counted in the event: a lockout is never lifted without a trace.
        record(
            form.user,
            form.user,
            AuditAction.ACCOUNT_PASSWORD_RESET,
            data={"failed_login_records_deleted": forgotten},
            audience=Audience.APPLICANT,
        )
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- two-factor authentication ------------------------------------------------------------------


def qr_svg(data: str) -> str:
    """A QR code as inline SVG, named for screen readers (the secret is also shown as text)."""
    code = qrcode.QRCode(box_size=10, border=4, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    label = now_text(
        "QR-kode for autentiseringsappen. Nøkkelen står også som tekst under.",
        "QR code for the authenticator app. The key is also written out below.",
    )
    attributes = {
        "role": "img",
        "aria-label": label,
    }  # its size is in tilskudd.css (.tilskudd-qr svg): no style="" under CSP
    image = code.make_image(image_factory=SvgPathFillImage, **attributes)
    return mark_safe(image.to_string(encoding="unicode"))


@login_required
@never_cache
def security(request):
    user = request.user
    context = {
        "enabled": services.has_two_factor(user),
        "codes_left": services.backup_codes_left(user),
        "required": services.two_factor_required(user),
    }
    return render(request, "accounts/security.html", context)


@login_required
@csrf_protect
@never_cache
def two_factor_setup(request):
    """Scan the QR code (or type the key), then prove it works with a code."""
    user = request.user
    if services.has_two_factor(user):
        # Already on. An unverified session must not add a second device to get past the first.
        return redirect("accounts:verify" if not user.is_verified() else "accounts:security")
    device = services.totp_device_for_setup(user)
    form = _code_form(
        request,
        "De seks sifrene appen viser for tilskudd.",
        "The six digits the app shows for tilskudd.",
    )
    if request.method == "POST" and form.is_valid():
        result = services.confirm_two_factor(request, device, form.cleaned_data["code"])
        if isinstance(result, list):
            request.session[BACKUP_CODES_SESSION_KEY] = result
            next_url = _next_url(request)
            return redirect(f"{reverse('accounts:backup_codes')}?{_query_next(next_url)}")
        _refuse_code(
            form,
            result.retry_at,
            "Koden stemmer ikke. Sjekk at klokka på telefonen er riktig, og skriv koden appen viser nå.",
            "The code does not match. Check that the phone's clock is right, and enter the code the app shows now.",
        )
    context = {
        "form": form,
        "qr": qr_svg(device.config_url),
        "secret": services.secret_for_typing(device),
        "required": services.two_factor_required(user),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


def _query_next(next_url: str) -> str:
    return urlencode({"next": next_url})


@login_required
@csrf_protect
@never_cache
def backup_codes(request):
    """New backup codes, shown once: right after setup, or when the person asks for new ones."""
    user = request.user
    if not services.has_two_factor(user):
        return redirect("accounts:security")
    if request.method == "POST":
        request.session[BACKUP_CODES_SESSION_KEY] = services.renew_backup_codes(user)
        return redirect("accounts:backup_codes")
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    context = {
        "codes": codes,
        "codes_left": services.backup_codes_left(user),
        "next": _next_url(request, request.GET.get("next") or reverse("accounts:security")),
    }
    return render(request, "accounts/backup_codes.html", context)


@login_required
@csrf_protect
@never_cache
def two_factor_remove(request):
    """Turn two-factor off, after a current code. Staff must set it up again at once."""
    user = request.user
    if not services.has_two_factor(user):
        return redirect("accounts:security")
    form, check = _checked_code(
        request,
        user,
        (
            "En kode fra appen eller en reservekode, så vi vet at det er du.",
            "A code from the app or a backup code, so we know it is you.",
        ),
        ("Koden er feil eller brukt før.", "The code is wrong or already used."),
    )
    if check is not None:
        services.remove_two_factor(user)
        return redirect("accounts:security")
    return render(
        request, "accounts/two_factor_remove.html", {"form": form, "required": services.two_factor_required(user)}
    )
