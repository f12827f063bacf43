"""API tokens (*API-nøkler*): issuing, revoking and checking them, and the bearer authentication.

A token is ``tsk_`` followed by 43 random characters (``secrets.token_urlsafe(32)``).
Only its SHA-256 hash is stored; the person sees the secret once. The token
is found by its prefix (``tsk_`` + 8 characters) and the hashes are compared
in constant time.

A token acts as the person who created it, in the organisation it belongs to:
it can do exactly what that person can do there (a signatory's token can sign,
a member's cannot). It stops working when it is revoked, when it expires, or
when that person leaves the organisation.

Who may do what (plain functions returning ``Permission(allowed, reason)``):

* only the organisation's administrators create tokens (an ``administrator``,
  or a signatory who also administers — whose token can therefore sign);
* they see every token of the organisation and may revoke any of them; anyone
  else in the organisation sees, and may revoke, only tokens they created.

Every creation and revocation writes an audit event on the organisation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from tilskudd.api.models import ApiToken
from tilskudd.audit.services import Audience, AuditAction, record
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import require
from tilskudd.orgs.models import Membership
from tilskudd.orgs.permissions import is_member, membership

TOKEN_PREFIX = "tsk_"
#: Characters of the secret shown in lists and used to look the token up (``tsk_`` + 8).
PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
#: No real token is longer; anything longer is refused before hashing.
MAX_TOKEN_LENGTH = 200
NAME_MAX_LENGTH = 100
#: The furthest ahead a token may expire (ten years); no expiry at all is a choice of its own (empty field).
MAX_VALIDITY_YEARS = 10
#: What a token looks like: the prefix and URL-safe base64 (checked before any database look-up).
TOKEN_PATTERN = re.compile(r"tsk_[A-Za-z0-9_-]{9,}")
#: ``last_used_at`` is written at most this often: the token page shows it to the minute, and a write
#: (a transaction of its own) on every request cost each API call more than the rest of its bookkeeping.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    """The SHA-256 (hex) of a token's secret: all that is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# --- who may manage tokens -----------------------------------------------------------


def is_administrator(user, organisation) -> bool:
    """An administrator of the organisation (``Membership.is_administrator``: the role, or a signatory
    who also administers)."""
    member = membership(user, organisation)
    if member is None:
        return False
    return member.is_administrator


def can_see_tokens(user, organisation) -> Permission:
    return is_member(user, organisation)


def can_create_token(user, organisation) -> Permission:
    """The organisation's administrators; the token can do what they can there, nothing more."""
    seen = can_see_tokens(user, organisation)
    if not seen:
        return seen
    if not is_administrator(user, organisation):
        return denied(
            "Bare organisasjonens administratorer kan lage API-nøkler.",
            "Only the organisation's administrators can create API tokens.",
        )
    if not getattr(user, "is_active", False):
        return denied("Brukerkontoen din er stengt.", "Your account is closed.")
    return ALLOWED


def can_revoke_token(user, token: ApiToken) -> Permission:
    """The organisation's administrators revoke any of its tokens; others only their own."""
    seen = can_see_tokens(user, token.organisation)
    if not seen:
        return seen
    if token.created_by_id != user.pk and not is_administrator(user, token.organisation):
        return denied(
            "Bare organisasjonens administratorer kan trekke tilbake andres API-nøkler.",
            "Only the organisation's administrators can revoke other people's API tokens.",
        )
    return ALLOWED


def visible_tokens(user, organisation):
    """The tokens ``user`` sees on the organisation's token page (newest first)."""
    tokens = ApiToken.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")
    if is_administrator(user, organisation):
        return tokens
    return tokens.filter(created_by=user)


# --- issuing and revoking ----------------------------------------------------------------


class TokenInputError(ValueError):
    """A name or an expiry that cannot be used; ``field`` names the form field."""

    def __init__(self, field: str, message_nb: str, message_en: str):
        self.field, self.message_nb, self.message_en = field, message_nb, message_en
        super().__init__(message_en)


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    #: The whole secret (``tsk_…``). Shown once; only its hash is kept.
    secret: str


def latest_expiry(now: dt.datetime) -> dt.datetime:
    """The latest expiry a new token may have: MAX_VALIDITY_YEARS from now (a day more for a leap day)."""
    return now + dt.timedelta(days=366 * MAX_VALIDITY_YEARS)


def too_far_ahead() -> TokenInputError:
    return TokenInputError(
        "expires_on",
        f"Utløpsdatoen kan være høyst {MAX_VALIDITY_YEARS} år fram i tid. "
        "La feltet stå tomt for en nøkkel uten utløpsdato.",
        f"The expiry date can be at most {MAX_VALIDITY_YEARS} years ahead. "
        "Leave the field empty for a token without an expiry date.",
    )


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def issue_token(user, organisation, name: str, expires_at: dt.datetime | None = None) -> IssuedToken:
    """Create a token for ``organisation`` that acts as ``user``; the secret is returned once."""
    require(can_create_token(user, organisation))
    name = (name or "").strip()
    if not name:
        raise TokenInputError(
            "name",
            "Skriv et navn på nøkkelen, for eksempel navnet på fagsystemet som skal bruke den.",
            "Write a name for the token, for example the name of the system that will use it.",
        )
    if len(name) > NAME_MAX_LENGTH or not name.isprintable():
        raise TokenInputError(
            "name",
            f"Navnet kan ha høyst {NAME_MAX_LENGTH} vanlige tegn.",
            f"The name may have at most {NAME_MAX_LENGTH} ordinary characters.",
        )
    now = timezone.now()
    if expires_at is not None and expires_at <= now:
        raise TokenInputError(
            "expires_on", "Utløpsdatoen må være fram i tid.", "The expiry date must be in the future."
        )
    if expires_at is not None and expires_at > latest_expiry(now):
        raise too_far_ahead()
    secret = new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            created_by=user,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            secret_hash=hash_secret(secret),
            expires_at=expires_at,
        )
        record(
            user,
            organisation,
            AuditAction.API_TOKEN_CREATED,
            data={
                "token": token.pk,
                "name": token.name,
                "prefix": token.prefix,
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
            audience=Audience.APPLICANT,
        )
    return IssuedToken(token, secret)


def revoke_token(user, token_id: int, organisation) -> ApiToken:
    """Revoke a token of ``organisation``; revoking a revoked token changes nothing.

    Raises ``ApiToken.DoesNotExist`` for a token of another organisation (the page answers 404).
    """
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update()
            .select_related("organisation")
            .get(pk=token_id, organisation=organisation)
        )
        require(can_revoke_token(user, token))
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.revoked_by = user
        token.save(update_fields=["revoked_at", "revoked_by"])
        record(
            user,
            organisation,
            AuditAction.API_TOKEN_REVOKED,
            data={"token": token.pk, "name": token.name, "prefix": token.prefix},
            audience=Audience.APPLICANT,
        )
    return token


# --- checking a token ---------------------------------------------------------------------


@dataclass(frozen=True)
class TokenState:
    """Whether a token works now, and if not, why (for the token page and the 401 answer)."""

    code: str  # active, revoked, expired, creator_left
    text_nb: str
    text_en: str

    @property
    def works(self) -> bool:
        return self.code == "active"


def token_state(token: ApiToken, now: dt.datetime | None = None) -> TokenState:
    """Whether the token works. A token read by :func:`check_token` carries whether its creator is still
    in the organisation (``creator_is_member``, read with it); otherwise that is looked up here."""
    now = now or timezone.now()
    if token.revoked_at is not None:
        return TokenState("revoked", "Trukket tilbake", "Revoked")
    if token.is_expired(now):
        return TokenState("expired", "Utløpt", "Expired")
    creator = token.created_by
    member = getattr(token, "creator_is_member", None)
    if member is None:
        member = Membership.objects.filter(
            user=creator, organisation_id=token.organisation_id, removed_at__isnull=True
        ).exists()
    still_member = getattr(creator, "is_active", False) and member
    if not still_member:
        return TokenState(
            "creator_left", "Virker ikke: personen er ikke lenger med", "Not working: the person has left"
        )
    return TokenState("active", "Aktiv", "Active")


class TokenRejected(AuthenticationError):
    """401: no token, or one that does not work. The messages say why, in bokmål and English."""

    def __init__(self, message_nb: str, message_en: str):
        self.message_nb, self.message_en = message_nb, message_en
        super().__init__(401, message_en)


MISSING = (
    "Forespørselen mangler en API-nøkkel. Send den i overskriften «Authorization: Bearer tsk_…». "
    "Organisasjonens administratorer lager nøkler på siden API-nøkler.",
    "The request has no API token. Send it in the header 'Authorization: Bearer tsk_…'. "
    "The organisation's administrators create tokens on the API tokens page.",
)
UNKNOWN = (
    "API-nøkkelen er ukjent. Sjekk at hele nøkkelen er med, slik den ble vist da den ble laget.",
    "The API token is unknown. Check that the whole token is sent, as it was shown when it was created.",
)
REJECTED = {
    "revoked": (
        "API-nøkkelen er trukket tilbake og virker ikke lenger. Be en administrator i organisasjonen om en ny.",
        "The API token has been revoked and no longer works. Ask an administrator of the organisation for a new one.",
    ),
    "expired": (
        "API-nøkkelen er utløpt. Be en administrator i organisasjonen om en ny.",
        "The API token has expired. Ask an administrator of the organisation for a new one.",
    ),
    "creator_left": (
        "API-nøkkelen virker ikke lenger fordi personen som laget den, ikke er med i organisasjonen nå.",
        "The API token no longer works because the person who created it is no longer in the organisation.",
    ),
}


def check_token(secret: str, now: dt.datetime | None = None) -> ApiToken:
    """The working token for ``secret``, with ``last_used_at`` updated (to the minute); else :class:`TokenRejected`.

    One query reads the token, its organisation, its creator and whether the creator is still a member;
    ``last_used_at`` is written only when it is a minute old or more.
    """
    secret = secret.strip()
    if len(secret) > MAX_TOKEN_LENGTH or not TOKEN_PATTERN.fullmatch(secret):
        raise TokenRejected(*UNKNOWN)
    digest = hash_secret(secret)
    found = None
    still_member = Membership.objects.filter(
        user=OuterRef("created_by"), organisation=OuterRef("organisation"), removed_at__isnull=True
    )
    candidates = (
        ApiToken.objects.filter(prefix=secret[:PREFIX_LENGTH])
        .select_related("organisation", "created_by")
        .annotate(creator_is_member=Exists(still_member))
    )
    for candidate in candidates:
        if hmac.compare_digest(candidate.secret_hash, digest):
            found = candidate
    if found is None:
        raise TokenRejected(*UNKNOWN)
    now = now or timezone.now()
    state = token_state(found, now)
    if not state.works:
        raise TokenRejected(*REJECTED[state.code])
    if found.last_used_at is None or not (now - LAST_USED_RESOLUTION < found.last_used_at <= now):
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        found.last_used_at = now
    return found


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer tsk_…``: the organisation's API token."""

    openapi_bearerFormat = "tsk_…"
    openapi_description = (
        "API-nøkkel for organisasjonen, laget på siden /organisasjoner/<id>/api-nokler/. Nøkkelen handler med "
        "rettighetene til personen som laget den. / The organisation's API token, created on the page "
        "/organisasjoner/<id>/api-nokler/. The token acts with the permissions of the person who created it."
    )

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = check_token(token)
        request.api_token = api_token
        return api_token


def unauthorised(request: HttpRequest, exc: AuthenticationError) -> JsonResponse:
    """The 401 answer: why, in bokmål and English, with the scheme to use."""
    nb, en = (exc.message_nb, exc.message_en) if isinstance(exc, TokenRejected) else MISSING
    response = JsonResponse({"detail": nb, "detail_en": en}, status=401, json_dumps_params={"ensure_ascii": False})
    response["WWW-Authenticate"] = 'Bearer realm="tilskudd"'
    return response
