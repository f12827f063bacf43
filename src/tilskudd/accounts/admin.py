"""The admin site: people, with e-mail as the login, behind two-factor authentication.

The default admin site becomes django-otp's ``OTPAdminSite`` (as django-otp's documentation
shows: ``admin.site.__class__ = OTPAdminSite``), so only staff whose session is verified by a
device get in. Its login page sends people to our login, which asks for the code.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.admin import OTPAdminSite

from tilskudd.accounts.models import User
from tilskudd.accounts.services import normalise_email


class TilskuddAdminSite(OTPAdminSite):
    site_header = "tilskudd – administrasjon"
    site_title = "tilskudd"

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Logged in, but not staff (unverified staff never get here: the middleware asks first).
            raise PermissionDenied
        next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
        return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


admin.site.__class__ = TilskuddAdminSite


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
    list_display = ("email", "full_name", "is_staff", "is_active", "last_login")
    list_filter = ("is_staff", "is_superuser", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "phone", "preferred_language")}),
        (
            "Tilganger",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Datoer", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")}),
    )
