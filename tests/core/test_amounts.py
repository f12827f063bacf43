"""Amounts as people write them (issue #13, point 6): «100 000» and «100.000,-» are read the same
everywhere — in the application form and in the casework queue's amount filters."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import login_verified
from tests.casework.helpers import queue_rows
from tests.staff_world import C0
from tilskudd.applications.formbuilder.values import parse_nok
from tilskudd.core.formatting import read_nok
from tilskudd.core.forms import NokField


@pytest.mark.parametrize(
    "typed",
    [
        "100000",
        "100 000",
        "100\u00a0000",
        "100.000",
        "100.000,-",
        "100 000,-",
        "kr 100 000",
        "100 000 kr",
        "NOK 100000",
    ],
)
def test_every_way_of_writing_a_hundred_thousand_kroner_is_read_the_same(typed):
    assert read_nok(typed) == 100_000
    assert parse_nok(typed) == 100_000  # the application form's reader is the same one
    assert NokField(required=False).clean(typed) == 100_000


@pytest.mark.parametrize("typed", ["100,50", "1.50", "hundre", "-5", "10.00.000"])
def test_what_is_not_whole_kroner_is_not_guessed(typed):
    assert read_nok(typed) is None
    assert parse_nok(typed) == typed  # the form keeps it as typed; its checks say what is wrong


def test_an_amount_field_is_a_text_input_with_a_numeric_keyboard():
    html = NokField(required=False).widget.render("amount", "")
    assert 'type="text"' in html and 'inputmode="numeric"' in html and "step" not in html


def test_the_queue_filters_accept_amounts_with_spaces_and_full_stops(casework_world, client):
    world = casework_world
    login_verified(client, world.staff["caseworker"])
    url = f"/saksbehandling/utlysninger/{world.calls[C0].slug}/"

    plain = queue_rows(client.get(url, {"amount_from": "700000", "amount_to": "950000"}).content.decode())
    spaced = client.get(url, {"amount_from": "700 000", "amount_to": "950.000,-"})
    assert spaced.status_code == 200
    assert queue_rows(spaced.content.decode()) == plain
    assert sorted(row.split()[1] for row in plain) == ["Oslo", "Oslo"]
    assert 'value="700 000"' in spaced.content.decode()  # the filter shows what was typed


def test_an_amount_the_queue_cannot_read_is_said_beside_the_field_not_a_500(casework_world, client):
    login_verified(client, casework_world.staff["caseworker"])
    response = client.get(f"/saksbehandling/utlysninger/{casework_world.calls[C0].slug}/", {"amount_from": "mye"})
    assert response.status_code in (200, 400)
    assert "Skriv et helt beløp i kroner." in response.content.decode()
