"""Building the form: the call's sections in order, each shown field as the widget of its kind, and the
parts the call's checks ask for that no field shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tilskudd.applications.formbuilder import kinds
from tilskudd.applications.formbuilder.builder import Builder, Context
from tilskudd.applications.formbuilder.kinds.parts import OTHER_ATTACHMENTS, STIPEND_PARTS
from tilskudd.applications.formbuilder.visibility import condition_paths, holds_on, is_shown
from tilskudd.applications.formbuilder.widgets import Form, Section, Uploaded
from tilskudd.core.text import upper_first
from tilskudd.rules.schema import (
    AttachmentCheck,
    BudgetBalanceCheck,
    CallDefinition,
    FieldType,
    FundingSourcesCheck,
    OwnContributionCheck,
    PartnerCheck,
    StipendCapCheck,
    Text,
)


def build_form(
    call: CallDefinition,
    document: Mapping[str, Any],
    *,
    extra_rows: Mapping[str, int] | None = None,
    uploads: Mapping[str, list[Uploaded]] | None = None,
) -> Form:
    """The form for ``document`` (exchange format, with ``applicant`` and ``attachments``)."""
    ctx = Context(
        call,
        document,
        frozenset(condition_paths(call)),
        dict(extra_rows or {}),
        dict(uploads or {}),
    )
    builder = Builder(ctx)
    sections = _sections(builder)
    _add_missing_parts(builder, sections)
    sections = [s for s in sections if s.widgets]
    return Form(sections, builder.anchors, [], builder.field_paths)


def _sections(builder: Builder) -> list[Section]:
    call, document = builder.call, builder.document
    sections: list[Section] = []
    if call.areas:
        sections.append(
            Section(
                "areas",
                call.areas.label,
                Text(
                    nb="Velg det du søker under. Spørsmålene lenger ned kommer an på valget.",
                    en="Choose what you apply under. The questions further down depend on your choice.",
                ),
                [kinds.AREAS.widget(builder, None)],
            )
        )
    stipend_fields = [f for f in call.fields if f.value_path.startswith("budget.stipend.")]
    stipend_checks = [c for c in call.checks if isinstance(c, StipendCapCheck)]
    stipend_applies = bool(stipend_checks) and any(holds_on(c.when, document) for c in stipend_checks)
    applicant_section = next(
        (
            s.id
            for s in call.sections
            if any(f.section == s.id and f.value_path.startswith("applicant.") for f in call.fields)
        ),
        call.sections[0].id,
    )
    for section_def in call.sections:
        section = Section(section_def.id, section_def.title, section_def.help)
        fields = [f for f in call.fields if f.section == section_def.id]
        for form_field in fields:
            if not is_shown(form_field, document):
                continue
            section.widgets.append(kinds.for_field(form_field).widget(builder, form_field))
            if stipend_fields and form_field is stipend_fields[-1] and stipend_applies:
                bound = {f.value_path.split(".")[-1] for f in stipend_fields}
                section.widgets += [
                    kinds.STIPEND_PART.part(builder, part) for part in STIPEND_PARTS if part not in bound
                ]
            if form_field.type is FieldType.BUDGET and stipend_checks and not stipend_fields and stipend_applies:
                section.widgets.append(kinds.STIPEND_PART.group(builder))
        if section_def.id == applicant_section and call.eligibility.joint and call.eligibility.joint.allowed:
            section.widgets.append(kinds.JOINT.widget(builder, None))
        sections.append(section)
    return sections


def _add_missing_parts(builder: Builder, sections: list[Section]) -> None:
    """Parts the call's checks ask for that no field of the call shows (a safety net)."""
    call, document = builder.call, builder.document
    paths = {f.value_path for f in call.fields}
    last = sections[-1] if sections else None
    if last is None:
        return
    applicable = [c for c in call.checks if holds_on(c.when, document)]
    if any(isinstance(c, PartnerCheck) for c in applicable) and "partners" not in paths:
        last.widgets.append(kinds.PARTNERS.widget(builder, None))
    if any(isinstance(c, OwnContributionCheck) for c in applicable) and "budget.own_contribution" not in paths:
        last.widgets.append(kinds.OWN_CONTRIBUTION.widget(builder, None))
    # A financing plan that must add up (issue #10, point 7) has a place for other funding.
    asks_sources = any(
        isinstance(c, FundingSourcesCheck) or (isinstance(c, BudgetBalanceCheck) and c.financing) for c in applicable
    )
    if asks_sources and "budget.funding_sources" not in paths:
        last.widgets.append(kinds.FUNDING_SOURCES.widget(builder, None))
    attached = {f.attachment_kind or f.id for f in call.fields if f.type is FieldType.ATTACHMENT}
    for check in applicable:
        if isinstance(check, AttachmentCheck) and check.attachment_kind not in attached:
            attached.add(check.attachment_kind)
            label = Text(nb=upper_first(check.label.nb), en=check.label.en)
            last.widgets.append(
                kinds.ATTACHMENT.attachment(builder, None, check.attachment_kind, label, None, True, check.rule)
            )
    if OTHER_ATTACHMENTS not in attached:
        last.widgets.append(
            kinds.ATTACHMENT.attachment(
                builder,
                None,
                OTHER_ATTACHMENTS,
                Text(nb="Andre vedlegg", en="Other attachments"),
                Text(
                    nb="Valgfritt: annet dere vil at saksbehandleren skal se, for eksempel en prosjektplan.",
                    en="Optional: anything else you want the caseworker to see, for example a project plan.",
                ),
                False,
                None,
            )
        )
