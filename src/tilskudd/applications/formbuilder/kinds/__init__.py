"""The one registry of widget kinds: each kind of field builds its widget and reads its post back.

:func:`for_field` gives the kind that shows a field of the call (by its type; profile data of the
organisation is read-only); :func:`for_path` gives the kind that reads a posted path (the parts the form
adds by their path, the rest by the type of the call's field).
"""

from __future__ import annotations

from tilskudd.applications.formbuilder.kinds.base import Kind
from tilskudd.applications.formbuilder.kinds.inputs import (
    BooleanKind,
    ChoiceKind,
    CountiesKind,
    DateKind,
    EmailKind,
    IdentifierKind,
    IntegerKind,
    MoneyKind,
    MultichoiceKind,
    PhoneKind,
    ReadonlyKind,
    TextareaKind,
    TextKind,
)
from tilskudd.applications.formbuilder.kinds.lists import (
    BudgetKind,
    ContactsKind,
    FundingSourcesKind,
    JointKind,
    PartnersKind,
)
from tilskudd.applications.formbuilder.kinds.parts import (
    AreasKind,
    AttachmentKind,
    OwnContributionKind,
    StipendPartKind,
)
from tilskudd.rules.schema import FieldType, FormField

AREAS = AreasKind()
JOINT = JointKind()
PARTNERS = PartnersKind()
FUNDING_SOURCES = FundingSourcesKind()
OWN_CONTRIBUTION = OwnContributionKind()
ATTACHMENT = AttachmentKind()

KINDS: tuple[Kind, ...] = (
    TextKind(),
    TextareaKind(),
    EmailKind(),
    PhoneKind(),
    IdentifierKind(),
    IntegerKind(),
    MoneyKind(),
    DateKind(),
    BooleanKind(),
    ChoiceKind(),
    MultichoiceKind(),
    CountiesKind(),
    ContactsKind(),
    PARTNERS,
    BudgetKind(),
    FUNDING_SOURCES,
    OWN_CONTRIBUTION,
    ATTACHMENT,
    AREAS,
    JOINT,
)

#: The kind of every field type of the call.
BY_TYPE: dict[FieldType, Kind] = {field_type: kind for kind in KINDS for field_type in kind.types}
#: The kind that owns a path whether or not a field of the call names it.
BY_PATH: dict[str, Kind] = {path: kind for kind in KINDS for path in kind.paths}

READONLY = ReadonlyKind(BY_TYPE)
STIPEND_PART = StipendPartKind(BY_TYPE)


def for_field(form_field: FormField) -> Kind:
    """The kind that shows ``form_field``: profile data (``applicant.*``) is read-only."""
    if form_field.value_path.startswith("applicant."):
        return READONLY
    return BY_TYPE[form_field.type]


def for_path(path: str, form_field: FormField | None) -> Kind | None:
    """The kind that reads what was posted for ``path`` (``form_field``: the call's field there, if any)."""
    if path in BY_PATH:
        return BY_PATH[path]
    if path.startswith("budget.stipend."):
        return STIPEND_PART
    if form_field is not None:
        return for_field(form_field)
    return None


__all__ = [
    "AREAS",
    "ATTACHMENT",
    "BY_PATH",
    "BY_TYPE",
    "FUNDING_SOURCES",
    "JOINT",
    "KINDS",
    "OWN_CONTRIBUTION",
    "PARTNERS",
    "READONLY",
    "STIPEND_PART",
    "Kind",
    "for_field",
    "for_path",
]
