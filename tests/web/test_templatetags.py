"""The bokmål-first template helpers: {% t %}, |lang, |nok, |phrase and {% rule_ids %}."""

from django.template import Context, Template
from django.utils import translation

from tilskudd.core.phrases import Link, Moment, phrase
from tilskudd.rules.schema import Text


def render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load tilskudd_ui %}" + source).render(Context(context))


def test_t_picks_bokmal_unless_english_is_active():
    source = '{% t "Søknadsfrist" "Deadline" %}'
    assert render(source, "nb") == "Søknadsfrist"
    assert render(source, "en") == "Deadline"


def test_lang_filter_reads_a_text_from_the_definition():
    text = Text(nb="Formål", en="Purpose")
    assert render("{{ text|lang }}", "nb", text=text) == "Formål"
    assert render("{{ text|lang }}", "en", text=text) == "Purpose"
    assert render("{{ text|lang }}", "en", text=Text(nb="Bare bokmål")) == "Bare bokmål"


def test_nok_filter():
    assert render("{{ amount|nok }}", "nb", amount=52300000) == "52\u00a0300\u00a0000\u00a0kr"
    assert render("{{ amount|nok }}", "en", amount=52300000) == "NOK 52,300,000"


def test_phrase_filter_marks_up_times_and_links_and_escapes_text():
    value = phrase("Frist <b> ", Moment("2030-02-28T12:00:00+01:00", "28.02.2030 kl. 12:00"), " ", Link("mailto:a@b.no", "a@b.no"))
    html = render("{{ value|phrase }}", "nb", value=value)
    assert html == (
        'Frist &lt;b&gt; <time datetime="2030-02-28T12:00:00+01:00">28.02.2030 kl. 12:00</time> '
        '<a class="ds-link" href="mailto:a@b.no">a@b.no</a>'
    )


def test_rule_ids_are_tags_read_out_as_rules():
    html = render("{% rule_ids ids %}", "nb", ids=("C0-R20", "X-R01"))
    assert html.count('class="ds-tag tilskudd-rule"') == 2
    assert '<span class="ds-sr-only">Regel </span>C0-R20' in html
    assert '<span class="ds-sr-only">Rule </span>X-R01' in render("{% rule_ids ids %}", "en", ids=("X-R01",))
    assert render("{% rule_ids ids %}", "nb", ids=()) == ""
