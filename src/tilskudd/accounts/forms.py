"""Forms for signing up, logging in, codes and passwords. Labels and errors bokmål first.

Every input gets the Designsystemet class; help texts and errors are tied to the input with
``aria-describedby`` (the one field template, ``{% form_field %}``, ids ``<id>-help`` and ``<id>-error``).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError

from tilskudd.accounts import ratelimit, services
from tilskudd.accounts.models import User
from tilskudd.accounts.texts import bi

PASSWORD_HELP = bi(
    "Minst 12 tegn. Bruk gjerne flere ord etter hverandre. Passordet kan ikke være et vanlig passord, "
    "bare tall eller for likt navnet eller e-posten din.",
    "At least 12 characters. Several words in a row work well. The password cannot be a common "
    "password, only digits, or too like your name or e-mail.",
)
PASSWORD_MISMATCH = bi("De to passordene er ikke like.", "The two passwords are not the same.")


class DesignsystemetMixin:
    """Adds the Designsystemet input class to every visible input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "ds-input")


def _email_field(autocomplete: str = "email") -> forms.EmailField:
    return forms.EmailField(
        label=bi("E-post", "E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": autocomplete, "spellcheck": "false"}),
        error_messages={
            "required": bi("Skriv e-postadressen din.", "Enter your e-mail address."),
            "invalid": bi(
                "Skriv en gyldig e-postadresse, for eksempel navn@eksempel.no.",
                "Enter a valid e-mail address, for example name@example.com.",
            ),
        },
    )


def _password_field(label, autocomplete: str, help_text="", required_message=None) -> forms.CharField:
    return forms.CharField(
        label=label,
        strip=False,
        help_text=help_text,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
        error_messages={"required": required_message or bi("Skriv passordet.", "Enter the password.")},
    )


class SignUpForm(DesignsystemetMixin, forms.Form):
    """A new account: name, e-mail and a strong password, written twice."""

    full_name = forms.CharField(
        label=bi("Fullt navn", "Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": bi("Skriv navnet ditt.", "Enter your name.")},
    )
    email = _email_field()
    password1 = _password_field(
        bi("Passord", "Password"),
        "new-password",
        help_text=PASSWORD_HELP,
        required_message=bi("Lag et passord.", "Choose a password."),
    )
    password2 = _password_field(
        bi("Gjenta passordet", "Repeat the password"),
        "new-password",
        required_message=bi("Skriv passordet en gang til.", "Enter the password once more."),
    )

    def clean_email(self) -> str:
        # Whether the address is taken is never said here: the e-mail to the address says it
        # (accounts.verification.sign_up), so the form tells a stranger nothing.
        return services.normalise_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", ValidationError(PASSWORD_MISMATCH, code="password_mismatch"))
        elif password1:
            candidate = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(DesignsystemetMixin, forms.Form):
    """E-mail and password. One message for every failure, so nobody learns whether an address exists."""

    email = _email_field(autocomplete="username")
    password = _password_field(bi("Passord", "Password"), "current-password")

    error_messages = {
        "invalid_login": bi(
            "E-postadressen eller passordet er feil. Sjekk begge og prøv igjen.",
            "The e-mail address or the password is wrong. Check both and try again.",
        ),
        "client_locked": bi(
            "For mange mislykte innlogginger fra nettverket ditt. Vent en time og prøv igjen, "
            "eller lag nytt passord med lenken under.",
            "Too many failed logins from your network. Wait an hour and try again, or make a new "
            "password with the link below.",
        ),
    }

    def __init__(self, request, *args, **kwargs):
        self.request = request
        self.user = None
        self.client_locked = False
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            # Password spraying: many accounts tried from one client. Counted here across accounts;
            # django-axes counts per account and client address besides.
            ip = services.client_ip(self.request)
            if ratelimit.client_locked_out(ip):
                self.client_locked = True
                raise ValidationError(self.error_messages["client_locked"], code="client_locked")
            # Through every backend, django-axes first: it counts failures and refuses when locked.
            self.user = authenticate(self.request, username=services.normalise_email(email), password=password)
            if self.user is None:
                ratelimit.login_failed(ip)
                raise ValidationError(self.error_messages["invalid_login"], code="invalid_login")
        return cleaned


class CodeForm(DesignsystemetMixin, forms.Form):
    """A six-digit code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=bi("Kode", "Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}),
        error_messages={"required": bi("Skriv koden.", "Enter the code.")},
    )

    def __init__(self, *args, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text


class EmailChangeForm(DesignsystemetMixin, forms.Form):
    """A new e-mail address, and the password so a borrowed session cannot take the account."""

    email = _email_field()
    password = _password_field(bi("Passord", "Password"), "current-password")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email"].label = bi("Ny e-postadresse", "New e-mail address")

    def clean_email(self) -> str:
        return services.normalise_email(self.cleaned_data["email"])

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(bi("Passordet er feil.", "The password is wrong."), code="password_incorrect")
        return password


class PasswordResetForm(DesignsystemetMixin, auth_forms.PasswordResetForm):
    """Ask for a link to make a new password. Django sends it only if the address has an account."""

    email = _email_field()


class SetPasswordForm(DesignsystemetMixin, auth_forms.SetPasswordForm):
    """A new password, written twice (from the link in the e-mail)."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    new_password1 = _password_field(
        bi("Nytt passord", "New password"),
        "new-password",
        help_text=PASSWORD_HELP,
        required_message=bi("Lag et nytt passord.", "Choose a new password."),
    )
    new_password2 = _password_field(
        bi("Gjenta det nye passordet", "Repeat the new password"),
        "new-password",
        required_message=bi("Skriv det nye passordet en gang til.", "Enter the new password once more."),
    )


class PasswordChangeForm(DesignsystemetMixin, auth_forms.PasswordChangeForm):
    """Change the password while logged in: the old one first."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": bi("Det nåværende passordet er feil.", "The current password is wrong."),
    }
    old_password = _password_field(bi("Nåværende passord", "Current password"), "current-password")
    new_password1 = SetPasswordForm.base_fields["new_password1"]
    new_password2 = SetPasswordForm.base_fields["new_password2"]

    field_order = ["old_password", "new_password1", "new_password2"]
