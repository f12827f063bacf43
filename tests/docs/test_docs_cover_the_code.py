"""The prose docs name what the code and the style guide name.

* docs/deployment.md documents every environment variable settings.py reads.
* docs/glossary.md has every term pair the style guide asks for, and every
  applicant type, decision kind and report kind of the call format.
* docs/decisions.md is a dated list.
"""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT, spec_absent, spec_file

DOCS = ROOT / "docs"


def read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def settings_variables() -> set[str]:
    source = (ROOT / "src" / "tilskudd" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"""(?:environ\.get|env_bool|env_list)\(\s*["']([A-Z_]+)["']""", source))


def test_settings_read_variables():
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS"} <= settings_variables()


def test_deployment_documents_every_environment_variable():
    text = read("deployment.md")
    assert sorted(name for name in settings_variables() if f"`{name}`" not in text) == []


def test_deployment_names_the_production_steps():
    text = read("deployment.md")
    for step in ("migrate", "load_calls", "collectstatic", "check --deploy", "gunicorn", "--new-version"):
        assert step in text, step


def glossary_rows() -> list[tuple[str, str]]:
    rows = []
    for line in read("glossary.md").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1]:
            rows.append((cells[0].lower(), cells[1].lower()))
    return rows


def _has_pair(english: str, norwegian: str) -> bool:
    return any(english in en and norwegian in nb for en, nb in glossary_rows())


def style_guide_pairs() -> list[tuple[str, str]]:
    """`rejection` (*avvisning*) … from the Names section of the style guide; none when it is absent."""
    if spec_absent("style.md"):
        return []
    text = spec_file("style.md").read_text(encoding="utf-8")
    return [(code.replace("_", " "), word) for code, word in re.findall(r"`([a-z_]+)`\s*\(\*([^*]+)\*\)", text)]


def test_the_style_guide_names_term_pairs():
    spec_file("style.md")
    assert len(style_guide_pairs()) >= 5


@pytest.mark.parametrize(
    ("english", "norwegian"),
    style_guide_pairs() or [pytest.param("", "", marks=pytest.mark.skip(reason=spec_absent("style.md")))],
)
def test_glossary_has_every_pair_the_style_guide_names(english, norwegian):
    assert _has_pair(english, norwegian), f"{english} / {norwegian}"


def test_glossary_has_every_applicant_decision_and_report_kind():
    from tilskudd.rules.application import ApplicantType
    from tilskudd.rules.schema import DecisionKind, ReportKind

    english = " ".join(en for en, _ in glossary_rows())
    names = [t.value.replace("_", " ") for t in (*ApplicantType, *DecisionKind, *ReportKind)]
    assert [name for name in names if name not in english] == []


def test_decisions_are_a_dated_list():
    rows = [line for line in read("decisions.md").splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) >= 20
    for row in rows:
        assert re.match(r"^\| \d+ \| \d{4}-\d{2}-\d{2} \|", row), row


MY_DOCS = ["call-format.md", "application-format.md", "glossary.md", "decisions.md", "deployment.md"]


def github_anchor(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(name: str) -> set[str]:
    """The anchors of the headings of a doc (not of comments inside code blocks)."""
    found, in_code = set(), False
    for line in read(name).splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif line.startswith("#") and not in_code:
            found.add(github_anchor(line.lstrip("#")))
    return found


@pytest.mark.parametrize("name", MY_DOCS)
def test_links_between_docs_resolve(name):
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", read(name)):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        file = (DOCS / path).resolve() if path else DOCS / name
        if not file.exists():
            broken.append(target)
        elif anchor and (file.suffix != ".md" or anchor not in anchors(file.relative_to(DOCS).as_posix())):
            broken.append(target)
    assert broken == []
