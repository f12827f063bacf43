"""What the templates receive: the call page as lines, rows, tables, blocks and facts, and the front page's cards."""

from __future__ import annotations

from dataclasses import dataclass

from tilskudd.core.phrases import Moment, Phrase


@dataclass(frozen=True)
class Line:
    """One statement on the page, with the ids of the rules it states.

    ``term`` is an optional lead (a field's label, a report's title) shown in bold;
    ``details`` are sub-points shown as a list under the statement.
    """

    phrase: Phrase
    rules: tuple[str, ...] = ()
    details: tuple[Phrase, ...] = ()
    term: str = ""

    @property
    def term_end(self) -> str:
        """':' after the lead, unless it already ends a sentence ('Trengs unntak?')."""
        return "" if not self.term or self.term[-1] in "?!.:" else ":"

    @property
    def text(self) -> str:
        lead = f"{self.term}{self.term_end} " if self.term else ""
        return lead + str(self.phrase)


@dataclass(frozen=True)
class Row:
    cells: tuple[Phrase, ...]
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with a caption and column headers; the template adds a rule-id column."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Block:
    """A section of the page: ``<h2>`` at the top level, ``<h3>`` for its children.

    ``internal``: written for the grantor (how we read the call, notes to ourselves, the source file), shown
    to the grantor's staff only.
    """

    id: str
    heading: str
    lines: tuple[Line, ...] = ()
    tables: tuple[Table, ...] = ()
    children: tuple[Block, ...] = ()
    intro: str = ""
    internal: bool = False

    def all_lines(self) -> list[Line]:
        found = list(self.lines)
        for child in self.children:
            found.extend(child.all_lines())
        return found

    @property
    def text(self) -> str:
        """All the block's words, for tests and search."""
        words = [self.heading, self.intro]
        words += [line.text for line in self.lines]
        words += [str(detail) for line in self.lines for detail in line.details]
        for table in self.tables:
            words += [table.caption, *table.headers]
            words += [str(cell) for row in table.rows for cell in row.cells]
        words += [child.text for child in self.children]
        return "\n".join(word for word in words if word)


@dataclass(frozen=True)
class Fact:
    label: str
    value: Phrase


@dataclass(frozen=True)
class CallPage:
    title: str
    summary: str
    is_open: bool
    facts: tuple[Fact, ...]
    blocks: tuple[Block, ...]
    #: «Kort om tilskuddet»: who, what for, how much, by when, how (issue #13, point 3).
    short: tuple[Fact, ...] = ()

    def public_blocks(self) -> tuple[Block, ...]:
        return tuple(block for block in self.blocks if not block.internal)

    def block(self, block_id: str) -> Block | None:
        return next((block for block in self.blocks if block.id == block_id), None)

    @property
    def text(self) -> str:
        words = [self.title, self.summary]
        words += [f"{fact.label}: {fact.value}" for fact in self.facts]
        words += [block.text for block in self.blocks]
        return "\n".join(word for word in words if word)


@dataclass(frozen=True)
class CallCard:
    """One call in the list on the front page."""

    slug: str
    title: str
    grantor: str
    frame: str
    deadline: Moment
    applicant_types: str
    is_open: bool
