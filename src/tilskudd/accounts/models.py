"""The person who logs in. E-mail is the login name."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, *, email_verified: bool = True, **extra) -> User:
        """An account. Accounts made by code (operators, the demo, tests) count as verified; sign-up
        (:func:`tilskudd.accounts.services.register`) passes ``email_verified=False``, since there a
        stranger types the address (docs/decisions.md, «E-mail verification»)."""
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        if email_verified:
            extra.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        extra["is_staff"] = True
        extra["is_superuser"] = True
        extra.setdefault("email_verified_at", timezone.now())
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person. ``is_staff`` marks grantor staff, who must use two-factor authentication."""

    username = None
    email = models.EmailField("e-post", unique=True)
    full_name = models.CharField("navn", max_length=200)
    phone = models.CharField("telefon", max_length=30, blank=True)
    preferred_language = models.CharField(max_length=5, default="nb", choices=[("nb", "Bokmål"), ("en", "English")])
    #: When the owner of the address followed the link sent to it; until then the account can do nothing
    #: but ask for the link again (accounts.middleware.EmailVerificationRequiredMiddleware).
    email_verified_at = models.DateTimeField("e-post bekreftet", null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        verbose_name = "bruker"
        verbose_name_plural = "brukere"

    def __str__(self) -> str:
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
