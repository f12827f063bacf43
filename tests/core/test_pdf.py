"""Every PDF is tagged PDF/UA-1 with its language and title (issue #10, point 15): the kernel's renderer and a letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.pdf_checks import read_tagged
from tests.staff_world import C0
from tilskudd.core.pdf import render_pdf
from tilskudd.grants.decisions import letters
from tilskudd.grants.decisions.services import default_conditions
from tilskudd.grants.models import Decision

PAGE = """<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><title>{title}</title></head><body>
<h1>Annual report</h1><p>The grant was used as planned.</p>
<h2>Figures</h2><table><tr><th scope="row">Granted</th><td>100 000 kr</td></tr>
<tr><th scope="row">Used</th><td>98 000 kr</td></tr></table>
</body></html>"""


def test_the_renderer_makes_a_tagged_pdf_ua_1_in_the_language_it_is_given():
    tagged = read_tagged(render_pdf(PAGE.format(title="Annual report 2026"), base_url="file:///", language="en"))
    assert tagged.marked and tagged.has_structure
    assert tagged.language == "en"  # the caller's language wins over <html lang="nb">
    assert tagged.ua_part == "1"
    assert tagged.display_title and tagged.title == "Annual report 2026" and "Annual report 2026" in tagged.xmp
    assert "Annual report" in tagged.text and "98 000 kr" in tagged.text
    assert tagged.headings() == [1, 2]
    assert tagged.kinds("Table", "TH", "TD") == ["Table", "TH", "TD", "TH", "TD"]
    assert tagged.headers_head_cells()  # scope="row": each value is read with its label


def test_a_document_without_a_title_is_not_made():
    with pytest.raises(ValueError, match="title"):
        render_pdf(PAGE.format(title=" "), base_url="file:///", language="nb")


def test_the_grant_letter_is_tagged_pdf_ua_in_bokmal(casework_world):
    application = casework_world.applications[C0][0]
    year = application.call_version.parsed().year
    decision = Decision(
        application=application,
        kind="grant",
        amount=application.submitted_content["budget"]["amount_applied"],
        conditions=default_conditions(application),
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        prepared_at=timezone.now(),
    )
    heading = letters.letter_facts(decision)["title"]

    tagged = read_tagged(letters.letter_pdf(decision))

    assert tagged.marked and tagged.has_structure
    assert tagged.language == "nb" and tagged.ua_part == "1"
    assert tagged.display_title and tagged.title.startswith(heading)
    assert heading.startswith("Tilskuddsbrev") and heading in tagged.text
    assert tagged.headings_in_order(), tagged.headings()
    assert tagged.kinds("TH") and tagged.headers_head_cells()
