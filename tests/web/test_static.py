"""The vendored Designsystemet files and our layout CSS are served without npm."""

import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.parametrize(
    "path",
    [
        "vendor/designsystemet/designsystemet.css",
        "vendor/designsystemet/theme.css",
        "vendor/designsystemet/LICENSE",
        "vendor/inter/inter.css",
        "vendor/inter/inter-latin-wght-normal.woff2",
        "tilskudd.css",
    ],
)
def test_static_file_is_found(path):
    assert finders.find(path), f"{path} is not found by the static files finders"


def test_vendored_readme_names_the_version():
    readme = open(finders.find("vendor/designsystemet/README.md"), encoding="utf-8").read()
    assert re.search(r"@digdir/designsystemet-css@\d+\.\d+\.\d+", readme)


@pytest.mark.django_db
def test_every_stylesheet_the_layout_links_is_found(client):
    html = client.get("/").content.decode()
    links = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', html)
    assert len(links) == 4
    for path in links:
        assert finders.find(path), path


@pytest.mark.parametrize("subset", ["latin", "latin-ext"])
def test_the_pdf_fonts_are_the_web_fonts_unpacked(subset):
    """The PDFs use TrueType copies of the web pages' WOFF2 fonts (templates/pdf/_fonts.html, issue #9): the same
    characters and glyphs, only not compressed (WeasyPrint would unpack a WOFF2 font again for every document)."""
    from fontTools.ttLib import TTFont

    web = TTFont(finders.find(f"vendor/inter/inter-{subset}-wght-normal.woff2"))
    pdf = TTFont(finders.find(f"vendor/inter/inter-{subset}-wght-normal.ttf"))
    assert web.flavor == "woff2" and pdf.flavor is None
    assert pdf.getBestCmap() == web.getBestCmap()
    assert pdf.getGlyphOrder() == web.getGlyphOrder()
    assert "fvar" in pdf  # still the variable font: every weight from 100 to 900
