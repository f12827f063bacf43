"""MOD11 check digits for organisation numbers, bank accounts and national identity numbers (X-R02)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tilskudd.rules.validators import (
    BANK_ACCOUNT_WEIGHTS,
    ORG_NUMBER_WEIGHTS,
    format_bank_account,
    format_org_number,
    is_valid_bank_account,
    is_valid_national_id,
    is_valid_org_number,
    mod11_check_digit,
)

# Published organisation numbers of public bodies (Enhetsregisteret).
REAL_ORG_NUMBERS = ["964338531", "942110464", "987879696", "974760673"]


@pytest.mark.parametrize("number", REAL_ORG_NUMBERS)
def test_real_organisation_numbers_are_valid(number):
    assert is_valid_org_number(number)


@pytest.mark.parametrize("typed", ["964 338 531", "964.338.531", " 964338531 "])
def test_organisation_number_as_people_type_it(typed):
    assert is_valid_org_number(typed.strip())


@pytest.mark.parametrize(
    "bad",
    ["964338532", "96433853", "9643385311", "", "abcdefghi", "96433853a", "٩٦٤٣٣٨٥٣١", "964-338-531"],
)
def test_corrupted_organisation_numbers_are_refused(bad):
    assert not is_valid_org_number(bad)


def test_organisation_number_whose_check_digit_would_be_ten_is_refused():
    # 11 - (sum % 11) == 10 means no valid number starts with these 8 digits.
    prefix = next(f"{n:08d}" for n in range(10_000_000, 10_100_000) if mod11_check_digit(f"{n:08d}", ORG_NUMBER_WEIGHTS) is None)
    assert not any(is_valid_org_number(prefix + str(digit)) for digit in range(10))


@settings(deadline=None)  # 90 numbers a case; a busy machine must not make it flaky
@given(st.from_regex(r"\A[0-9]{8}\Z"))
def test_changing_one_digit_breaks_an_organisation_number(prefix):
    check = mod11_check_digit(prefix, ORG_NUMBER_WEIGHTS)
    if check is None:
        return
    number = prefix + str(check)
    assert is_valid_org_number(number)
    for position in range(9):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not is_valid_org_number(changed)


@pytest.mark.parametrize("account", ["12345678903", "1234.56.78903", "1234 56 78903", "86011117947"])
def test_valid_bank_accounts(account):
    assert is_valid_bank_account(account)


@pytest.mark.parametrize("bad", ["12345678901", "1234567890", "123456789031", "1234-56-78903", "", "1234567890x"])
def test_corrupted_bank_accounts_are_refused(bad):
    assert not is_valid_bank_account(bad)


@given(st.from_regex(r"\A[0-9]{10}\Z"))
def test_swapping_two_different_adjacent_digits_breaks_a_bank_account(prefix):
    check = mod11_check_digit(prefix, BANK_ACCOUNT_WEIGHTS)
    if check is None:
        return
    number = prefix + str(check)
    for position in range(10):
        a, b = number[position], number[position + 1]
        if a != b:
            swapped = number[:position] + b + a + number[position + 2 :]
            assert not is_valid_bank_account(swapped)


# Synthetic national identity numbers, made with the published algorithm (no real persons).
@pytest.mark.parametrize("national_id", ["01010150155", "15076500565", "41010150149", "01415050158"])
def test_valid_national_identity_numbers_and_d_and_h_numbers(national_id):
    assert is_valid_national_id(national_id)


@pytest.mark.parametrize(
    "bad",
    [
        "01010150156",  # wrong second check digit
        "01010150165",  # wrong first check digit
        "32010150107",  # both check digits right, but 32 January does not exist
        "30020150129",  # both check digits right, but 30 February does not exist
        "0101015016",  # too short
        "",
    ],
)
def test_corrupted_national_identity_numbers_are_refused(bad):
    assert not is_valid_national_id(bad)


def test_formatting_for_people():
    assert format_org_number("964338531") == "964 338 531"
    assert format_bank_account("12345678903") == "1234.56.78903"
