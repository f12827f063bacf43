"""Fixtures for the public pages: loaded calls, and reading the HTML a user gets.

The HTTPS client, the English switch and the frozen clock are in tests/conftest.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.builders import load_calls
from tests.conftest import CALLS_DIR, FIXTURES

MINIMAL = FIXTURES / "minimal_call.yaml"

#: The five real call files (common brief); tests skip those that are not written yet.
REAL_CALLS = {
    "C0": "kommunale-integreringstiltak-2019.yaml",
    "C1": "fag-og-yrkesopplaering-2025.yaml",
    "C2": "frivillige-organisasjoner-2020.yaml",
    "C3": "mangfold-mot-rasisme-2024.yaml",
    "C4": "nasjonale-ressurssentre-2026.yaml",
}


def load(*paths: Path) -> None:
    load_calls(list(paths))


@pytest.fixture
def minimal_loaded(db):
    load(MINIMAL)


def write_variant(tmp_path: Path, change) -> Path:
    """A copy of the minimal call file with ``change(data)`` applied."""
    data = yaml.safe_load(MINIMAL.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def real_call(call_id: str) -> Path:
    path = CALLS_DIR / REAL_CALLS[call_id]
    if not path.exists():
        pytest.skip(f"{path.name} is not written yet")
    return path


# --- reading the HTML a user gets ------------------------------------------------


INLINE = {"a", "abbr", "b", "code", "em", "i", "small", "span", "strong", "time"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in INLINE:  # block elements (dt, dd, td, p …) are read apart
            self.parts.append(" ")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, [])

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text with tags removed and white space collapsed (non-breaking spaces kept)."""
    parser = _Text()
    parser.feed(html)
    return re.sub(r"[ \t\r\n]+", " ", "".join(parser.parts)).strip()


def element(html: str, tag: str, **attributes: str) -> str:
    """The inner HTML of the first ``<tag attr="value">`` (not nested in itself)."""
    attrs = "".join(rf'[^>]*\b{name.replace("_", "-")}="{re.escape(value)}"' for name, value in attributes.items())
    match = re.search(rf"<{tag}{attrs}[^>]*>(.*?)</{tag}>", html, re.S)
    assert match, f"no <{tag} {attributes}> on the page"
    return match.group(1)


class _Items(HTMLParser):
    def __init__(self, tag: str):
        super().__init__()
        self.tag = tag
        self.open: list[list[str]] = []
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.open.append([])
        elif self.open and tag not in INLINE:
            self.open[-1].append(" ")

    def handle_endtag(self, tag):
        if tag != self.tag and self.open and tag not in INLINE:
            self.open[-1].append(" ")
        if tag == self.tag and self.open:
            text = "".join(self.open.pop())
            self.items.append(re.sub(r"[ \t\r\n]+", " ", text).strip())
            if self.open:
                self.open[-1].append(text)

    def handle_data(self, data):
        if self.open:
            self.open[-1].append(data)


def items(html: str, tag: str = "li") -> list[str]:
    """The visible text of every ``<li>`` (or ``<tr>`` …), nested content included."""
    parser = _Items(tag)
    parser.feed(html)
    return parser.items


def item_with(html: str, needle: str, tag: str = "li") -> str:
    """The shortest ``<li>`` (or ``<tr>``) whose text contains ``needle``."""
    found = [text for text in items(html, tag) if needle in text]
    assert found, f"no <{tag}> with {needle!r} on the page"
    return min(found, key=len)


def rule_ids_in(value) -> set[str]:
    """Every rule id a call definition names (``rule`` and ``rules`` keys, at any depth)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "rule" and isinstance(item, str):
                found.add(item)
            elif key == "rules" and isinstance(item, list):
                found.update(item)
            else:
                found |= rule_ids_in(item)
    elif isinstance(value, list):
        for item in value:
            found |= rule_ids_in(item)
    return found
