"""The application form (*søknadsskjema*), generated from the call definition — and back.

Pure Python, no Django: a :class:`~tilskudd.rules.schema.CallDefinition` and the
application as an exchange-format document (``services.exchange_document``)
go in; :func:`build_form` gives the sections, widgets and inputs the
templates lay out, and :func:`apply_post` turns what the browser posted back
into changes of the top-level parts of the application (``answers``,
``budget``, ``partners`` …) for ``services.save_draft``.

Names of the inputs are the paths of the exchange format
(``answers.participants``, ``budget.lines[2].amount``), so a finding of the
rule engine (``Finding.field``) finds its input: :meth:`Form.place` puts every
finding beside the input, row or widget it concerns and keeps the rest for
the summary.

The modules:

- ``paths``: html ids, reading and setting a value at a path;
- ``values``: what people type (``parse_nok``, ``parse_date`` …) and how an input shows a value;
- ``visibility``: which questions are shown and required (``shown_when``, ``required_when``);
- ``widgets``: what the templates receive (``Form``, ``Section``, ``Widget``, ``Row``, ``Input`` …);
- ``builder``: the tools every kind builds with (anchors, field paths, options, rows);
- ``kinds``: the one registry of widget kinds — each kind of field builds its widget *and* reads its
  post back (``kinds.inputs``: one input; ``kinds.lists``: rows; ``kinds.parts``: areas, own
  contribution, stipend, attachments);
- ``build``: :func:`build_form`; ``posted`` and ``post``: :func:`apply_post`;
- ``errors``: findings and format errors as messages; ``display``: a widget in words for the review.
"""

from tilskudd.applications.formbuilder.build import build_form
from tilskudd.applications.formbuilder.display import display_value
from tilskudd.applications.formbuilder.errors import FORMAT_RULE, finding_messages, format_errors, loc_path
from tilskudd.applications.formbuilder.paths import html_id, resolve, set_path
from tilskudd.applications.formbuilder.post import EDITABLE_KEYS, Parsed, apply_post
from tilskudd.applications.formbuilder.values import (
    parse_bool,
    parse_date,
    parse_decimal,
    parse_identifier,
    parse_int,
    parse_nok,
)
from tilskudd.applications.formbuilder.visibility import holds_on, is_required, is_shown
from tilskudd.applications.formbuilder.widgets import Form, Input, Message, Option, Row, Section, Uploaded, Widget

__all__ = [
    "EDITABLE_KEYS",
    "FORMAT_RULE",
    "Form",
    "Input",
    "Message",
    "Option",
    "Parsed",
    "Row",
    "Section",
    "Uploaded",
    "Widget",
    "apply_post",
    "build_form",
    "display_value",
    "finding_messages",
    "format_errors",
    "holds_on",
    "html_id",
    "is_required",
    "is_shown",
    "loc_path",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_identifier",
    "parse_int",
    "parse_nok",
    "resolve",
    "set_path",
]
