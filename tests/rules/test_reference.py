import datetime as dt

import pytest

from tilskudd.rules.reference import counties, county_codes, county_name, g_on


@pytest.mark.parametrize(
    ("day", "amount"),
    [
        (dt.date(2015, 5, 1), 90068),
        (dt.date(2019, 2, 28), 96883),  # C0's deadline: the G of 1 May 2018 is still in force
        (dt.date(2019, 5, 1), 99858),
        (dt.date(2024, 4, 30), 118620),
        (dt.date(2024, 5, 1), 124028),
    ],
)
def test_g_in_force_on_a_date(day, amount):
    assert g_on(day).amount == amount


def test_g_has_a_source_and_covers_2015_onwards():
    entry = g_on(dt.date(2015, 5, 1))
    assert "NAV" in entry.source
    assert entry.valid_from == dt.date(2015, 5, 1)


def test_no_g_before_the_table():
    with pytest.raises(LookupError):
        g_on(dt.date(2000, 1, 1))


def test_fifteen_counties_from_2024():
    assert len(counties()) == 15
    assert {"03", "32", "46", "55", "56"} <= county_codes()
    assert county_name("46") == "Vestland"
    assert "30" not in county_codes()  # Viken was dissolved on 1 January 2024
