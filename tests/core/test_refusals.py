"""One refusal type, one permission value; a refusal becomes a page or a JSON error the one way."""

import importlib
import inspect
import pkgutil

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import translation

from tilskudd.core.api import refusal_body
from tilskudd.core.permissions import ALLOWED, Permission, denied
from tilskudd.core.refusals import NotAllowed, Refusal, require
from tilskudd.core.views import refusals_as_pages


def test_a_permission_is_falsy_when_denied_and_says_why_in_both_languages():
    no = denied("Du er ikke med i denne organisasjonen.", "You are not in this organisation.")
    assert not no and ALLOWED
    assert no.reason("nb") == "Du er ikke med i denne organisasjonen."
    assert no.reason("en") == "You are not in this organisation."
    assert Permission(False, "Bare bokmål").reason("en") == "Bare bokmål"


def test_require_raises_not_allowed_with_the_reason_and_status_403():
    require(ALLOWED)
    with pytest.raises(NotAllowed) as caught:
        require(denied("Nei.", "No."))
    assert caught.value.status == 403
    assert caught.value.reasons == ("Nei.", "No.")
    assert isinstance(caught.value, Refusal)


def _project_exceptions():
    import tilskudd

    for info in pkgutil.walk_packages(tilskudd.__path__, "tilskudd."):
        if ".migrations" in info.name or info.name.endswith(".settings"):
            continue
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Exception) and value.__module__ == info.name:
                yield value


def test_every_exception_that_gives_the_person_a_reason_is_a_refusal_and_there_is_one_not_allowed():
    """A new «cannot be done» that carries reasons derives from core's Refusal; no second NotAllowed."""
    exceptions = list(_project_exceptions())
    assert len(exceptions) > 10
    with_reasons = [e for e in exceptions if "reason_nb" in inspect.getsource(e) and e is not Refusal]
    assert with_reasons, "the walk found no refusals at all"
    assert [e for e in with_reasons if not issubclass(e, Refusal)] == []
    assert [e for e in exceptions if e.__name__ == "NotAllowed"] == [NotAllowed]


class Closed(Refusal):
    pass


def _view(request):
    if request.GET.get("closed"):
        raise Closed("Utlysningen er stengt.", "The call is closed.")
    if request.GET.get("forbidden"):
        require(denied("Du har ikke rollen.", "You do not have the role."))
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_refusal_escaping_a_view_becomes_a_page_with_its_status_and_reason():
    view = refusals_as_pages(_view)
    factory = RequestFactory()
    assert view(factory.get("/")).content == b"ok"
    closed = view(factory.get("/?closed=1"))
    assert closed.status_code == 409
    assert "Utlysningen er stengt." in closed.content.decode()
    assert "Kan ikke gjøres nå" in closed.content.decode()
    with translation.override("en"):
        forbidden = view(factory.get("/?forbidden=1"))
    assert forbidden.status_code == 403
    assert "You do not have the role." in forbidden.content.decode()
    assert "No access" in forbidden.content.decode()


def test_the_api_writes_a_refusal_like_every_other_error():
    assert refusal_body(Closed("Stengt.", "Closed.")) == {"detail": "Stengt.", "detail_en": "Closed."}
    assert refusal_body(Closed("Stengt."), findings=[]) == {"detail": "Stengt.", "detail_en": "Stengt.", "findings": []}
