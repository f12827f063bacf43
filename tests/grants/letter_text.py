"""The text of a rendered letter as a reader sees it: one line per paragraph, heading, list item and table row.

Used by the letter tests (issue #10, point 16) to read the letter rather than its data, and to keep the
golden texts under ``tests/grants/golden/``.
"""

from __future__ import annotations

from html.parser import HTMLParser

#: Elements that start a new line of text.
BLOCKS = {"p", "h1", "h2", "h3", "li", "tr", "div", "table", "ul", "br"}
#: Elements whose content is not shown.
HIDDEN = {"head", "style", "script", "title"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.hidden = 0

    def _break(self) -> None:
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in HIDDEN:
            self.hidden += 1
        elif tag in BLOCKS:
            self._break()
        elif tag in {"td", "th"}:
            self.current.append(" | " if self.current and "".join(self.current).strip() else "")

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self.hidden -= 1
        elif tag in BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.current.append(data)


def letter_text(html: str) -> str:
    """The visible text of a letter's HTML, line by line (non-breaking spaces as spaces)."""
    parser = _Text()
    parser.feed(html.replace("\u00a0", " "))
    parser.close()
    parser._break()
    return "\n".join(parser.lines) + "\n"
