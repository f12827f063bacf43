"""A call's rules in plain words, for the public pages (*utlysningssiden*).

Pure functions: a :class:`CallDefinition` and a language code go in, plain
bokmål (or English, for ``language="en"``) comes out, as small data objects the
templates only lay out. No Django, no database: the views pass the language
and the current time, so everything here can be tested directly.

Every sentence that states a rule carries the rule's id (``C0-R20`` …), so a
caseworker can trace what the page says back to ``shared/spec/calls.md`` and
the call file; the page shows the ids, and the blocks marked ``internal``
(readings, notes, the source file), to the grantor's staff only (issue #13,
point 3). :mod:`.summary` gives «Kort om tilskuddet», the five lines at the top.

The modules: :mod:`.pages` (what the templates receive), :mod:`.cards` (the
front page), :mod:`.page` (the call page, section by section, each section in
a module of its own: :mod:`.frame`, :mod:`.deadlines`, :mod:`.eligibility`,
:mod:`.areas`, :mod:`.content`, :mod:`.budget`, :mod:`.assessment`,
:mod:`.after_grant`, :mod:`.complaints`, :mod:`.contacts`), :mod:`.conditions`
and :mod:`.checks` (conditions and checks in words) and :mod:`.words` (what the
sections share).
"""

from tilskudd.calls.presentation.cards import call_card
from tilskudd.calls.presentation.checks import describe_check
from tilskudd.calls.presentation.conditions import describe_condition, path_words
from tilskudd.calls.presentation.page import call_page
from tilskudd.calls.presentation.pages import Block, CallCard, CallPage, Fact, Line, Row, Table
from tilskudd.calls.presentation.words import applicant_types_text, format_frame, is_open, text_in

# The kernel's words and numbers, re-exported only while tests/web/test_presentation.py reaches them
# through this module (p.format_nok …); everything else imports them from tilskudd.core.
from tilskudd.core.formatting import format_fraction, format_nok, format_percent
from tilskudd.core.phrases import Moment, phrase
from tilskudd.core.phrases import date_moment as format_date
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import join_words, lower_first

__all__ = [
    "Block",
    "CallCard",
    "CallPage",
    "Fact",
    "Line",
    "Moment",
    "Row",
    "Table",
    "applicant_types_text",
    "call_card",
    "call_page",
    "describe_check",
    "describe_condition",
    "format_date",
    "format_datetime",
    "format_fraction",
    "format_frame",
    "format_nok",
    "format_percent",
    "is_open",
    "join_words",
    "lower_first",
    "path_words",
    "phrase",
    "text_in",
]
