"""The vendored Designsystemet files and our layout CSS are served without npm."""

import io
import re
from pathlib import Path

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


#: The weights the PDFs' fonts come in (templates/pdf/_fonts.html); «bold» is 700, «normal» 400.
PDF_WEIGHTS = (400, 600, 700)
TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "tilskudd"


@pytest.mark.parametrize("subset", ["latin", "latin-ext"])
def test_the_pdf_fonts_are_the_web_fonts_at_the_weights_the_pdfs_use(subset):
    """The PDFs use static TrueType instances of the web pages' variable WOFF2 font (templates/pdf/_fonts.html,
    issues #9 and #14): the same characters, and each weight's glyphs are the variable font's at that weight —
    WeasyPrint would otherwise unpack the font and make each weight's instance again for every document."""
    from fontTools.pens.recordingPen import RecordingPen
    from fontTools.subset import Options, Subsetter
    from fontTools.ttLib import TTFont
    from fontTools.varLib.instancer import instantiateVariableFont

    web = TTFont(finders.find(f"vendor/inter/inter-{subset}-wght-normal.woff2"))
    assert "fvar" in web  # the web pages' font: every weight from 100 to 900
    letters = [web.getBestCmap()[ord(character)] for character in "Aæøå€1" if ord(character) in web.getBestCmap()]
    for weight in PDF_WEIGHTS:
        pdf = TTFont(finders.find(f"vendor/inter/inter-{subset}-{weight}-normal.ttf"))
        assert pdf.flavor is None and "fvar" not in pdf
        assert pdf["OS/2"].usWeightClass == weight
        assert pdf.getBestCmap() == web.getBestCmap()
        # The variable font cut down to these letters (instancing the whole font takes a second), made static at
        # the weight and saved, as WeasyPrint saves the instance it makes: the points rounded.
        variable = TTFont(finders.find(f"vendor/inter/inter-{subset}-wght-normal.woff2"))
        cut = Subsetter(Options(glyph_names=True, layout_features=[], name_IDs=["*"]))
        cut.populate(glyphs=letters)
        cut.subset(variable)
        instance = io.BytesIO()
        instantiateVariableFont(variable, {"wght": weight}, static=True).save(instance)
        expected = TTFont(io.BytesIO(instance.getvalue()))
        for name in letters:
            drawn, wanted = RecordingPen(), RecordingPen()
            pdf.getGlyphSet()[name].draw(drawn)
            expected.getGlyphSet()[name].draw(wanted)
            assert drawn.value == wanted.value, (subset, weight, name)


def _pdf_templates() -> set[Path]:
    """The templates made into PDFs: those that include the PDF fonts, and every template extending one of them."""
    every = {path: path.read_text(encoding="utf-8") for path in TEMPLATES.rglob("templates/**/*.html")}
    found = {path for path, text in every.items() if '"pdf/_fonts.html"' in text}
    while True:
        names = {str(path).split("/templates/", 1)[1] for path in found}
        more = {
            path
            for path, text in every.items()
            if path not in found and any(f'{{% extends "{name}" %}}' in text for name in names)
        }
        if not more:
            return found
        found |= more


def test_every_weight_a_pdf_asks_for_is_one_of_its_fonts():
    """A weight between the three would be drawn with the nearest of them, not as asked: add its instance first."""
    templates = _pdf_templates()
    assert len(templates) >= 10  # the receipts, the decision letters, the complaint's cover …
    asked = set()
    for path in templates:
        text = path.read_text(encoding="utf-8")
        asked |= {value.strip() for value in re.findall(r'font-weight:\s*([^;}"]+)', text)}
        asked |= set(re.findall(r'font-weight="([^"]+)"', text))
    named = {"normal": "400", "bold": "700"}
    assert asked and {named.get(value, value) for value in asked} <= {str(weight) for weight in PDF_WEIGHTS}, asked


def test_the_pdf_fonts_partial_renders_nothing_but_its_font_faces():
    """What the partial puts into a PDF's style sheet: the @font-face rules and nothing of its comments (a
    comment written into the CSS made WeasyPrint warn «Invalid or unsupported selector» on every PDF)."""
    from django.template.loader import render_to_string

    css = render_to_string("pdf/_fonts.html")
    rules = re.findall(r"@font-face\s*\{[^}]*\}", css)
    assert len(rules) == 6  # three weights, latin and latin-ext
    assert re.sub(r"@font-face\s*\{[^}]*\}", "", css).strip() == ""


def test_no_template_has_a_one_line_comment_over_several_lines():
    """Django's {# … #} ends at the end of its line: one left open is written into the page (or the PDF's CSS)
    as text. A longer comment is a {% comment %} block."""
    open_comments = [
        f"{path.relative_to(TEMPLATES)}:{number}"
        for path in TEMPLATES.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert open_comments == []
