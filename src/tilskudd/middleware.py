"""Site-wide middleware: the chosen language (bokmål unless English was chosen), privacy headers,
and the public pages served from memory to anonymous visitors."""

from collections.abc import Hashable

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.html import escape

from tilskudd.calls import snapshot
from tilskudd.core.cache import BoundedCache


class ChosenLanguageMiddleware:
    """Activate the language from the language cookie, else bokmål.

    Django's LocaleMiddleware would follow the browser's Accept-Language and
    show English to anyone whose browser prefers it. A Norwegian public service
    speaks bokmål first; English is one click away and then remembered.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class PrivacyHeadersMiddleware:
    """Permissions-Policy on every response; ``Cache-Control: no-store`` for a logged-in person.

    A page for a logged-in person (their applications, a case, a letter) must not stay in a shared
    or back-button cache after they log out; public pages may be cached as before.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class RefuseNulMiddleware:
    """A NUL byte (0x00, also sent as %00) in the address, a cookie or a form field: 400 naming where.

    PostgreSQL stores no NUL in text or jsonb and answers such a value with an error, so it would
    become a 500 wherever it reached the database. No person types one; refusing it with a clear
    400 that names the field beats stripping it silently (decisions.md, «NUL bytes»). JSON bodies
    of the API are checked by the API itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._where(request)
        if where is not None:
            return self._refuse(request, where)
        return self.get_response(request)

    @staticmethod
    def _where(request) -> tuple[str, str] | None:
        """(bokmål, English) name of the first place with a NUL, or None."""
        if "\x00" in request.path or "\x00" in request.path_info:
            return ("adressen", "the address")
        sources = [request.GET, request.COOKIES]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            sources.append(request.POST)
        for source in sources:
            for name in source:
                values = source.getlist(name) if hasattr(source, "getlist") else [source[name]]
                if "\x00" in name or any("\x00" in value for value in values if isinstance(value, str)):
                    shown = name.replace("\x00", "\\x00")
                    return (f"«{shown}»", f"“{shown}”")
        return None

    @staticmethod
    def _refuse(request, where: tuple[str, str]):
        nb = f"Forespørselen har et NUL-tegn (0x00) i {where[0]}. Det kan ikke lagres; fjern det og prøv igjen."
        en = f"The request has a NUL character (0x00) in {where[1]}. It cannot be stored; remove it and try again."
        if request.path.startswith("/api/"):  # the API's error shape (tilskudd.api.schemas.ErrorOut)
            return JsonResponse({"detail": nb, "detail_en": en}, status=400, json_dumps_params={"ensure_ascii": False})
        english = translation.get_language() == "en"
        title, text = ("Bad request", en) if english else ("Ugyldig forespørsel", nb)
        return HttpResponseBadRequest(
            f'<!doctype html><html lang="{"en" if english else "nb"}"><meta charset="utf-8"><title>{title}</title>'
            f"<main><h1>{title}</h1><p>{escape(text)}</p></main></html>",
            content_type="text/html; charset=utf-8",
        )


class PublicPageCacheMiddleware:
    """The front page and the call pages, kept per process and served to anonymous visitors at once.

    Those pages are the same for every visitor without a session (issue #14, point 3), so the
    whole answer below this middleware — view, CSRF, authentication, two-factor, messages,
    X-Frame-Options — is kept by path and language, and served again while
    :func:`tilskudd.calls.snapshot.generation` is unchanged (no call loaded or changed, no deadline
    passed): no query, no template. The middleware above it still runs on every answer, so the
    security headers (HSTS, CSP, Permissions-Policy, Referrer-Policy, nosniff) are added as to any
    page. Only a GET without a query string, from someone with neither a session nor a message
    cookie, is served from here, and only an answer the view marked (``snapshot.PUBLIC_PAGE``), with status
    200, from an anonymous user and setting no cookie, is kept: a logged-in person never sees a
    page kept for another.
    """

    SIZE = 64

    def __init__(self, get_response):
        self.get_response = get_response
        self.pages: BoundedCache[tuple[Hashable, bytes, list[tuple[str, str]]]] = BoundedCache(self.SIZE)
        self.skip_cookies = (settings.SESSION_COOKIE_NAME, getattr(settings, "MESSAGES_COOKIE_NAME", "messages"))

    def __call__(self, request):
        if (
            request.method != "GET"
            or request.META.get("QUERY_STRING")
            or any(name in request.COOKIES for name in self.skip_cookies)
        ):
            return self.get_response(request)
        request.get_host()  # a host not in ALLOWED_HOSTS: 400, as CommonMiddleware below would answer
        key = (request.path, getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE), request.is_secure())
        generation = snapshot.generation()
        found = self.pages.get(key)
        if found is not None and found[0] == generation:
            response = HttpResponse(found[1])
            for name, value in found[2]:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if self._keep(request, response):
            patch_vary_headers(response, ("Cookie",))
            self.pages.put(key, (generation, response.content, list(response.headers.items())))
        return response

    @staticmethod
    def _keep(request, response) -> bool:
        user = getattr(request, "user", None)
        return (
            getattr(response, snapshot.PUBLIC_PAGE, False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and user is not None
            and not user.is_authenticated
        )
