"""E-mail addresses and phone numbers are checked as such (issue #10, point 8).

`example,org` is not an address; `12 34` is not a phone number. The rule engine has no Django, so the
checks are the documented patterns in ``tilskudd.rules.validators``.
"""

import datetime as dt
import json

import pytest

from tilskudd.rules import Application, evaluate, load_call_file
from tilskudd.rules.validators import is_valid_email, is_valid_phone
from tests.conftest import CALLS_DIR, ROOT

GOOD_EMAILS = [
    "post@example.no",
    "kari.nordmann@oslo.kommune.no",
    "ola.nordmann+tilskudd@bærum.kommune.no",
    "post@likeverd-sprak.example",
    "o'brien@example.com",
    "post@xn--brum-roa.no",
]
BAD_EMAILS = [
    "post@example,org",
    "example,org",
    "post@example",
    "post@@example.no",
    "post@example..no",
    "post.@example.no",
    ".post@example.no",
    "po st@example.no",
    "post@-example.no",
    "post@example-.no",
    "post@example.n",
    "post@example.123",
    "post@[192.168.0.1]",
    '"kari nordmann"@example.no',
    "kari@example.no, ola@example.no",
    "a" * 65 + "@example.no",
    "post@" + "a" * 64 + ".no",
    "",
]
GOOD_PHONES = [
    "22 24 90 90",
    "22249090",
    "912 34 567",
    "+47 22 24 90 90",
    "+4722249090",
    "0047 22 24 90 90",
    "22-24-90-90",
    "+44 20 7946 0958",
]
BAD_PHONES = [
    "12 34",
    "1234567",
    "+47",
    "example",
    "22 24 90 90 x12",
    "(+47) 22249090",
    "22.24.90.90",
    "22  24 90 90",
    "+47 22 24 90 90 12 34 56 7",
    "0047 1234",
    "2224 909O",
    "+ 47 22249090",
    "",
]


@pytest.mark.parametrize("value", GOOD_EMAILS)
def test_addresses_people_use_are_accepted(value):
    assert is_valid_email(value)


@pytest.mark.parametrize("value", BAD_EMAILS)
def test_what_no_letter_can_be_sent_to_is_refused(value):
    assert not is_valid_email(value)


@pytest.mark.parametrize("value", GOOD_PHONES)
def test_phone_numbers_as_people_write_them_are_accepted(value):
    assert is_valid_phone(value)


@pytest.mark.parametrize("value", BAD_PHONES)
def test_what_cannot_be_dialled_is_refused(value):
    assert not is_valid_phone(value)


def _c2(email: str, phone: str) -> list:
    call = load_call_file(CALLS_DIR / "frivillige-organisasjoner-2020.yaml")
    path = ROOT / "examples" / "frivillige-organisasjoner-2020" / "delmal-a-bergen-moteplass-godkjent.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["applicant"]["email"] = email
    data["applicant"]["phone"] = phone
    at = dt.datetime(2020, 1, 15, 10, 0, tzinfo=dt.UTC)
    return evaluate(call, Application.model_validate(data), at)


def test_the_engine_gives_a_finding_the_applicant_can_act_on():
    assert _c2("post@example.no", "55 20 14 80") == []
    findings = _c2("post@example,org", "12 34")
    assert sorted(f.field for f in findings) == ["applicant.email", "applicant.phone"]
    by_field = {f.field: f.message_nb for f in findings}
    assert by_field["applicant.email"] == "«E-post» må være en e-postadresse, som navn@kommune.no."
    assert by_field["applicant.phone"] == (
        "«Telefon» må være et telefonnummer med 8 til 15 siffer, som 22 24 90 90 eller +47 22 24 90 90."
    )
