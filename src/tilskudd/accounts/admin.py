"""The admin site: people, with e-mail as the login, behind two-factor authentication.

The default admin site becomes django-otp's ``OTPAdminSite`` (as django-otp's documentation
shows: ``admin.site.__class__ = OTPAdminSite``), so only staff whose session is verified by a
device get in. Its login page sends people to our login, which asks for the code.

Only site administrators (``is_superuser``) get in: grantor staff (``is_staff``) work in the
casework pages, not here. What the admin may change writes an audit event (people, through
``accounts.services.save_user_from_admin``); organisations, memberships, delegations and two-factor
devices are read-only here (``ReadOnlyAdmin``): they change through the pages and their services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static import admin as otp_static_admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as otp_totp_admin
from django_otp.plugins.otp_totp.models import TOTPDevice

from tilskudd.accounts.models import User
from tilskudd.accounts.services import normalise_email, password_set_from_admin, save_user_from_admin


class TilskuddAdminSite(OTPAdminSite):
    site_header = "tilskudd – administrasjon"
    site_title = "tilskudd"

    def has_permission(self, request):
        # OTPAdminSite: active, staff and verified by a device; and a site administrator besides.
        return super().has_permission(request) and request.user.is_superuser

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Logged in, but not staff (unverified staff never get here: the middleware asks first).
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


admin.site.__class__ = TilskuddAdminSite


class ReadOnlyAdmin(admin.ModelAdmin):
    """Look, don't touch: changes go through the pages and services, which check and log them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's device admins, read-only: no secret is shown (OTP_ADMIN_HIDE_SENSITIVE_DATA) and no
# device is made, changed or removed past the person's own security page.
class TOTPDeviceAdmin(ReadOnlyAdmin, otp_totp_admin.TOTPDeviceAdmin):
    pass


class StaticDeviceAdmin(ReadOnlyAdmin, otp_static_admin.StaticDeviceAdmin):
    pass


for _model, _model_admin in ((TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _model_admin)

# Django's groups grant nothing in tilskudd (see UserAdmin below): no page to edit them.
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name")

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise self.instance.unique_error_message(User, ["email"])
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"

    def clean_email(self):
        email = normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk).exists():
            raise self.instance.unique_error_message(User, ["email"])
        return email


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "email_verified_at", "is_staff", "is_active", "last_login")
    # Verified only by the link sent to the address (accounts.verification), never by hand.
    readonly_fields = ("email_verified_at",)
    list_filter = ("is_staff", "is_superuser", "is_active")
    filter_horizontal = ()
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "email_verified_at", "password")}),
        ("Person", {"fields": ("full_name", "phone", "preferred_language")}),
        (
            "Tilganger",
            # Django's groups and permissions grant nothing here (roles are casework.StaffRole and
            # organisation memberships; only site administrators enter the admin), so they are not offered.
            {"fields": ("is_active", "is_staff", "is_superuser")},
        ),
        ("Datoer", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )

    def save_model(self, request, obj, form, change):
        save_user_from_admin(request.user, obj, created=not change, changed=form.changed_data)

    def user_change_password(self, request, id, form_url=""):
        with transaction.atomic():  # the new password and its audit event together
            return super().user_change_password(request, id, form_url)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        # Django's UserAdmin names its password view so, whatever the user model.
        if request.resolver_match and request.resolver_match.url_name == "auth_user_password_change":
            password_set_from_admin(request.user, obj)
        return entry

    def has_delete_permission(self, request, obj=None):
        return False  # a person leaves by is_active off: their applications and events keep their name
