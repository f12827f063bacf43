"""The one way money, numbers, dates and Oslo time are written (tilskudd.core.formatting)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from tilskudd.core import formatting
from tilskudd.core.formatting import OSLO

NBSP = "\u00a0"


def test_money_is_whole_kroner_grouped_by_a_non_breaking_space_in_bokmal():
    assert formatting.format_nok(52_300_000, "nb") == f"52{NBSP}300{NBSP}000{NBSP}kr"
    assert formatting.format_nok(0, "nb") == f"0{NBSP}kr"
    assert formatting.format_nok(52_300_000, "en") == "NOK 52,300,000"
    assert formatting.format_nok(950, None) == f"950{NBSP}kr"  # bokmål unless English


def test_numbers_decimals_percent_and_fractions():
    assert formatting.format_number(12_000, "nb") == f"12{NBSP}000"
    assert formatting.format_number(12_000, "en-gb") == "12,000"
    assert formatting.format_decimal(Decimal("5.300"), "nb") == "5,3"
    assert formatting.format_decimal(4.25, "en") == "4.25"
    assert formatting.format_decimal(Decimal("3.0005"), "nb") == "3,001"  # half up, three places
    assert formatting.format_decimal(Decimal("6.000"), "nb") == "6"
    assert formatting.format_percent(12.5, "nb") == f"12,5{NBSP}%"
    assert formatting.format_percent(40.0, "en") == "40%"
    assert formatting.format_fraction(Fraction(2, 3), "nb") == "2/3"
    assert formatting.format_fraction(Fraction(1, 2), "nb") == "0,5"
    assert formatting.format_fraction(Fraction(3), "en") == "3"


def test_an_instant_is_shown_in_oslo_time_winter_and_summer():
    winter = dt.datetime(2027, 2, 28, 11, 0, tzinfo=dt.UTC)  # 12:00 in Oslo (CET)
    summer = dt.datetime(2027, 6, 30, 21, 59, tzinfo=dt.UTC)  # 23:59 in Oslo (CEST)
    assert formatting.format_datetime(winter, "nb") == "28.02.2027 kl. 12:00"
    assert formatting.format_datetime(winter, "en") == "28 February 2027 at 12:00"
    assert formatting.format_datetime(summer, "nb") == "30.06.2027 kl. 23:59"


def test_the_oslo_date_of_an_instant_late_in_the_evening_is_the_next_day_in_utc_terms():
    late = dt.datetime(2027, 3, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 March in Oslo
    assert formatting.format_date(late, "nb") == "02.03.2027"
    assert formatting.format_date(dt.date(2030, 9, 1), "en") == "1 September 2030"
    assert formatting.format_date(None, "nb") == ""


def test_seconds_only_when_they_are_not_zero_unless_asked():
    instant = dt.datetime(2027, 2, 28, 23, 59, 59, tzinfo=OSLO)
    assert formatting.format_datetime(instant, "nb") == "28.02.2027 kl. 23:59:59"
    assert formatting.format_datetime(instant.replace(second=0), "nb", seconds=True) == "28.02.2027 kl. 23:59:00"
    assert formatting.format_time(instant, seconds=False) == "23:59"


def test_a_naive_instant_is_taken_as_utc():
    assert formatting.format_datetime(dt.datetime(2027, 1, 1, 12, 0), "nb") == "01.01.2027 kl. 13:00"


def test_dates_as_people_write_them():
    for text in ("2027-02-28", "28.02.2027", "28.02.27", "28/02/2027", " 28.02.2027 "):
        assert formatting.parse_date(text) == dt.date(2027, 2, 28), text
    assert formatting.parse_date("31.02.2027") is None
    assert formatting.parse_date("i morgen") is None
