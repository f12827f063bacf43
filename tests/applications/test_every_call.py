"""Every real call gets a working form page: each field's label is on it, in bokmål and in English."""

from __future__ import annotations

import json

import pytest

from tests.applications.conftest import EXAMPLES, make_organisation, make_person, visible_text
from tests.web.conftest import REAL_CALLS, real_call
from tilskudd.rules.schema import FieldType

pytestmark = pytest.mark.django_db


def valid_example(call_slug: str) -> dict:
    path = next(iter(sorted((EXAMPLES / call_slug).glob("*godkjent*.json"))))
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("call_id", sorted(REAL_CALLS))
def test_the_form_page_shows_every_field_of_a_valid_example(client, call_id):
    from tilskudd.applications import formbuilder, services
    from tilskudd.calls.models import Call
    from tilskudd.calls.services import load_call_files

    path = real_call(call_id)
    load_call_files([path])
    slug = path.stem
    example = valid_example(slug)
    organisation = make_organisation(example["applicant"])
    person = make_person(organisation, "person@example.org", "Eksempel Person")
    call = Call.objects.get(slug=slug)
    application = services.start_draft(person, organisation, call)
    content = {key: example[key] for key in services.EDITABLE_KEYS if key in example}
    services.save_draft(person, application.pk, content, application.revision)

    client.force_login(person)
    html = client.get(f"/soknader/{application.pk}/").content.decode()
    text = visible_text(html)
    definition = call.definition
    document = services.exchange_document(application)
    for field in definition.fields:
        if formbuilder.is_shown(field, document):
            assert field.label.nb in text, f"{call_id}: {field.id}"
            if not field.value_path.startswith("applicant.") and field.type not in (
                FieldType.ATTACHMENT, FieldType.CONTACTS, FieldType.PARTNERS, FieldType.BUDGET,
                FieldType.FUNDING_SOURCES, FieldType.OWN_CONTRIBUTION,
            ):
                assert f'name="{field.value_path}"' in html, f"{call_id}: {field.id}"
    for section in definition.sections:
        assert section.title.nb in text or not any(f.section == section.id and formbuilder.is_shown(f, document) for f in definition.fields)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = visible_text(client.get(f"/soknader/{application.pk}/").content.decode())
    for section in definition.sections:
        if section.title.en and any(f.section == section.id and formbuilder.is_shown(f, document) for f in definition.fields):
            assert section.title.en in english, f"{call_id}: {section.id}"
    review = client.get(f"/soknader/{application.pk}/signer/")
    assert review.status_code == 200
