"""Site-wide middleware: the chosen language (bokmål unless English was chosen) and privacy headers."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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
