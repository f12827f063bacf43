"""A field required in some cases is not labelled «valgfritt» (issue #13, point 3: no «valgfritt» beside «må»).

Found by the issue #13 browser walk: the registration form called «Registrert i Frivillighetsregisteret fra»
optional and then refused to go on without it for an organisation in Frivillighetsregisteret."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from tilskudd.orgs.forms import OrganisationDetailsForm


def _field_html(form, name: str) -> str:
    return Template("{% load tilskudd_ui %}{% form_field field %}").render(Context({"field": form[name]}))


def test_the_registration_date_says_when_it_is_required_and_is_not_called_optional():
    with translation.override("nb"):
        form = OrganisationDetailsForm()
        html = _field_html(form, "voluntary_registered_on")
        assert "valgfritt" not in html
        assert "Må fylles ut når organisasjonen er registrert i Frivillighetsregisteret" in html
        # a field that is truly optional still says so
        assert "(valgfritt)" in _field_html(form, "phone")


def test_a_registered_organisation_without_the_date_is_refused_with_the_reason():
    with translation.override("nb"):
        form = OrganisationDetailsForm(
            {"name": "Laget", "applicant_type": "voluntary_organisation", "county": "03", "bank_account": "86011117947",
             "email": "post@laget.example", "voluntary_registered": "on"}
        )  # fmt: skip
        assert not form.is_valid()
        assert form.errors["voluntary_registered_on"] == ["Skriv datoen organisasjonen ble registrert i Frivillighetsregisteret."]
