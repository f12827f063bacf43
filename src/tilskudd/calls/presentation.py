"""A call's rules in plain words, for the public pages (*utlysningssiden*).

Pure functions: a :class:`CallDefinition` and a language code go in, plain
bokmål (or English, for ``language="en"``) comes out, as small data objects the
templates only lay out. No Django, no database: the views pass the language
and the current time, so everything here can be tested directly.

Every sentence that states a rule carries the rule's id (``C0-R20`` …), so a
caseworker can trace what the page says back to ``shared/spec/calls.md`` and
the call file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from tilskudd.core.formatting import format_fraction, format_nok, format_number, format_percent
from tilskudd.core.phrases import Link, Moment, Part, Phrase, phrase
from tilskudd.core.phrases import date_moment as format_date
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import NBSP, is_english, join_words, lower_first, pick, quote, upper_first
from tilskudd.rules.messages import PARTNER_FIELD_NAMES, PRESENCE_NAMES
from tilskudd.rules.reference import g_on
from tilskudd.rules.schema import (
    OSLO,
    AmountCheck,
    AttachmentCheck,
    BudgetTotalCheck,
    CallDefinition,
    Condition,
    ConfirmationCheck,
    FieldType,
    FormField,
    FundingSourcesCheck,
    GrantorKind,
    Note,
    OwnContributionCheck,
    PartnerCheck,
    PaymentTrigger,
    RangeCheck,
    StipendCapCheck,
    Text,
)

# --- what the templates receive ---------------------------------------------------


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
    """A section of the page: ``<h2>`` at the top level, ``<h3>`` for its children."""

    id: str
    heading: str
    lines: tuple[Line, ...] = ()
    tables: tuple[Table, ...] = ()
    children: tuple[Block, ...] = ()
    intro: str = ""

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


# --- words and numbers -----------------------------------------------------------


APPLICANT_TYPE_PLURALS = {
    "municipality": ("kommuner", "municipalities"),
    "city_district": ("bydeler", "city districts"),
    "county_authority": ("fylkeskommuner", "county authorities"),
    "voluntary_organisation": ("frivillige organisasjoner", "voluntary organisations"),
    "social_enterprise": ("sosiale entreprenører", "social enterprises"),
    "company": ("foretak", "companies"),
    "foundation": ("stiftelser", "foundations"),
    "state_agency": ("statlige virksomheter", "state agencies"),
}

DECISION_KIND_NAMES = {
    "allocation": ("Tildeling av tilskudd (også delvis)", "Grant (also a partial grant)"),
    "refusal": ("Avslag", "Refusal"),
    "rejection": ("Avvisning (søknaden blir ikke vurdert)", "Rejection (the application is not assessed)"),
}

GRANTOR_KIND_NAMES = {
    GrantorKind.DIRECTORATE: ("direktoratet", "the directorate"),
    GrantorKind.MUNICIPALITY: ("en kommune", "a municipality"),
}

BUDGET_CHECKS = (AmountCheck, BudgetTotalCheck, OwnContributionCheck, FundingSourcesCheck, StipendCapCheck)


def text_in(text: Text | None, language: str | None) -> str:
    return text.get(language or "nb") if text is not None else ""


def format_frame(amount: int | None, up_to: bool, language: str | None) -> str:
    """The frame as the front page shows it: '52 300 000 kr', 'inntil 5 000 000 kr'."""
    if amount is None:
        return pick(language, "ikke oppgitt som beløp", "not stated as an amount")
    prefix = pick(language, "inntil ", "up to ") if up_to else ""
    return prefix + format_nok(amount, language)


def applicant_types_text(types: Iterable[str], language: str | None) -> str:
    """['municipality', 'city_district'] → 'kommuner og bydeler'."""
    index = 1 if is_english(language) else 0
    names = [APPLICANT_TYPE_PLURALS.get(str(getattr(t, "value", t)), (str(t), str(t)))[index] for t in types]
    return join_words(names, language)


def is_open(deadline: dt.datetime, now: dt.datetime) -> bool:
    """Open while the deadline lies in the future, judged by the server's clock (X-R01)."""
    return now < deadline


def _rules(*ids: str | None) -> tuple[str, ...]:
    seen: list[str] = []
    for rule_id in ids:
        if rule_id and rule_id not in seen:
            seen.append(rule_id)
    return tuple(seen)


def _note_line(note: Note, language: str | None, term: str = "") -> Line:
    return Line(phrase(text_in(note.text, language)), tuple(note.rule_ids()), term=term)


def _sentence(value: str) -> str:
    value = value.strip()
    return value if not value or value[-1] in ".!?:" else value + "."


# --- the front page --------------------------------------------------------------


def call_card(
    *,
    slug: str,
    title: Text,
    grantor: Text,
    frame_amount: int | None,
    frame_up_to: bool,
    deadline: dt.datetime,
    applicant_types: Iterable[str],
    language: str | None,
    now: dt.datetime,
) -> CallCard:
    return CallCard(
        slug=slug,
        title=text_in(title, language),
        grantor=text_in(grantor, language),
        frame=format_frame(frame_amount, frame_up_to, language),
        deadline=format_datetime(deadline, language),
        applicant_types=upper_first(applicant_types_text(applicant_types, language)),
        is_open=is_open(deadline, now),
    )


# --- conditions and checks in words ----------------------------------------------


def _field_at(call: CallDefinition, path: str) -> FormField | None:
    return next((f for f in call.fields if f.value_path == path), None)


#: Parts of the application format (``application.py``) a condition may name without a form field.
APPLICATION_PATHS = {
    "budget.amount_applied": ("beløpet det søkes om", "the amount applied for"),
    "budget.own_contribution.amount": ("egenandelen i kroner", "the own contribution in NOK"),
    "budget.own_contribution.in_kind_amount": ("egeninnsatsen regnet i kroner", "the contribution in kind in NOK"),
    "budget.own_contribution.description": ("beskrivelsen av egenandelen", "the description of the own contribution"),
    "budget.stipend.amount_applied": ("stønaden det søkes om", "the stipend applied for"),
    "applicant.founded_on": ("datoen organisasjonen ble stiftet", "the date the organisation was founded"),
}


def path_words(call: CallDefinition, path: str, language: str | None) -> str:
    """What a path in the application is called: a field's label in quotes, or a plain name."""
    if _field_at(call, path) is not None:
        return quote(text_in(call.field_label(path), language), language)
    if path in APPLICATION_PATHS:
        return APPLICATION_PATHS[path][1 if is_english(language) else 0]
    return quote(path, language)


def _area_label(call: CallDefinition, language: str | None) -> str:
    label = call.areas.label if call.areas else Text(nb="Prioritert område", en="Priority area")
    return lower_first(text_in(label, language))


def areas_words(call: CallDefinition, area_ids: Iterable[str], language: str | None) -> str:
    """'prioritert område «Område 3»' — the areas by their titles, joined with 'eller'."""
    titles = []
    for area_id in area_ids:
        area = call.area(area_id)
        titles.append(quote(text_in(area.title, language) if area else area_id, language))
    return f"{_area_label(call, language)} {join_words(titles, language, last='or')}"


def _value_words(value, field: FormField | None, language: str | None) -> str:
    if value is True:
        return pick(language, "ja", "yes")
    if value is False:
        return pick(language, "nei", "no")
    if field is not None:
        choice = next((c for c in field.choices if c.value == value), None)
        if choice is not None:
            return quote(text_in(choice.label, language), language)
    return quote(str(value), language)


def _partner_label(call: CallDefinition, kind: str, language: str | None) -> str:
    check = next((c for c in call.checks if isinstance(c, PartnerCheck) and c.partner_kind == kind), None)
    return text_in(check.label, language) if check else kind


def describe_condition(
    condition: Condition | None, call: CallDefinition, language: str | None, *, skip_areas: bool = False
) -> str:
    """When a field or check applies, in words: 'når søknaden gjelder …'. Empty when always."""
    if condition is None:
        return ""
    parts: list[str] = []
    if condition.areas and not skip_areas:
        parts.append(
            pick(language, "søknaden gjelder ", "the application is for ")
            + areas_words(call, condition.areas, language)
        )
    if condition.field:
        target = _field_at(call, condition.field)
        label = path_words(call, condition.field, language)
        is_boolean = target is not None and target.type is FieldType.BOOLEAN
        if condition.equals is not None:
            parts.append(f"{label} {pick(language, 'er', 'is')} {_value_words(condition.equals, target, language)}")
        elif condition.in_ is not None:
            values = join_words((_value_words(v, target, language) for v in condition.in_), language, last="or")
            parts.append(f"{label} {pick(language, 'er', 'is')} {values}")
        elif condition.truthy is True:
            parts.append(
                pick(language, f"{label} er besvart med ja", f"{label} is answered yes")
                if is_boolean
                else pick(language, f"{label} er fylt ut", f"{label} is filled in")
            )
        elif condition.truthy is False:
            parts.append(
                pick(language, f"{label} er besvart med nei", f"{label} is answered no")
                if is_boolean
                else pick(language, f"{label} ikke er fylt ut", f"{label} is not filled in")
            )
    if condition.partner:
        partner = quote(_partner_label(call, condition.partner, language), language)
        parts.append(pick(language, f"søknaden har med {partner}", f"the application names {partner}"))
    if not parts:
        return ""
    return pick(language, "når ", "when ") + join_words(parts, language)


def _bounds(minimum: str | None, maximum: str | None, language: str | None) -> str:
    if minimum is not None and maximum is not None:
        return pick(language, f"mellom {minimum} og {maximum}", f"between {minimum} and {maximum}")
    if minimum is not None:
        return pick(language, f"minst {minimum}", f"at least {minimum}")
    return pick(language, f"høyst {maximum}", f"at most {maximum}")


def _with_condition(sentence: str, condition: str) -> str:
    return _sentence(f"{sentence} {condition}" if condition else sentence)


def describe_check(check, call: CallDefinition, language: str | None, *, skip_areas: bool = False) -> Line:
    """One check the rule engine runs, as a sentence with its rule id."""
    when = describe_condition(check.when, call, language, skip_areas=skip_areas)
    details: list[Phrase] = []
    if isinstance(check, RangeCheck):
        label = text_in(call.field_label(check.field), language)
        low = format_number(check.min, language) if check.min is not None else None
        high = format_number(check.max, language) if check.max is not None else None
        sentence = f"{upper_first(label)} {pick(language, 'må være', 'must be')} {_bounds(low, high, language)}"
    elif isinstance(check, PartnerCheck):
        label = text_in(check.label, language)
        if check.min_count > 1:
            sentence = pick(
                language,
                f"Søknaden må ha med minst {check.min_count} av denne typen samarbeidspartner: {label}",
                f"The application must name at least {check.min_count} partners of this kind: {label}",
            )
        else:
            sentence = pick(
                language,
                f"Søknaden må ha med en samarbeidspartner: {label}",
                f"The application must name a partner: {label}",
            )
        if check.require_fields:
            index = 1 if is_english(language) else 0
            names = [PARTNER_FIELD_NAMES.get(name, (name, name))[index] for name in check.require_fields]
            details.append(phrase(pick(language, "Oppgi for hver: ", "For each, give: ") + join_words(names, language)))
        for confirmation in check.require_confirmations.values():
            details.append(phrase(pick(language, "Bekreft: ", "Confirm: ") + text_in(confirmation, language)))
        if check.allowed_org_forms:
            details.append(
                phrase(
                    pick(language, "Tillatte organisasjonsformer: ", "Allowed organisation forms: ")
                    + ", ".join(check.allowed_org_forms)
                )
            )
    elif isinstance(check, AttachmentCheck):
        label = quote(text_in(check.label, language), language)
        sentence = pick(
            language, f"Vedlegget {label} må følge søknaden", f"The attachment {label} must come with the application"
        )
    elif isinstance(check, AmountCheck):
        low = format_nok(check.min, language) if check.min is not None else None
        high = format_nok(check.max, language) if check.max is not None else None
        sentence = pick(language, "Dere må søke om ", "You must apply for ") + _bounds(low, high, language)
    elif isinstance(check, BudgetTotalCheck):
        low = format_nok(check.min, language) if check.min is not None else None
        high = format_nok(check.max, language) if check.max is not None else None
        per_year = pick(language, " per år", " a year") if check.per_year else ""
        sentence = (
            pick(language, "Prosjektets samlede budsjett kan være ", "The project's total budget may be ")
            + _bounds(low, high, language)
            + per_year
        )
    elif isinstance(check, OwnContributionCheck):
        sentence = pick(
            language,
            "Søknaden må vise en egenandel (det dere selv bidrar med)",
            "The application must show an own contribution (what you put in yourselves)",
        )
        if check.min_amount > 1:
            sentence += pick(language, " på minst ", " of at least ") + format_nok(check.min_amount, language)
        if check.in_kind_must_be_quantified:
            details.append(
                phrase(
                    pick(
                        language,
                        "Egeninnsats i form av arbeid og annet som ikke er penger, må regnes om til kroner.",
                        "Contributions in kind, such as work, must be stated in NOK.",
                    )
                )
            )
    elif isinstance(check, FundingSourcesCheck):
        count = (
            pick(language, "minst én finansieringskilde", "at least one funding source")
            if check.min_count == 1
            else pick(
                language, f"minst {check.min_count} finansieringskilder", f"at least {check.min_count} funding sources"
            )
        )
        sentence = pick(
            language,
            f"Søknaden må vise hvordan prosjektet finansieres, med {count}",
            f"The application must show how the project is funded, with {count}",
        )
    elif isinstance(check, StipendCapCheck):
        cap = format_fraction(check.g_per_participant_year, language)
        sentence = pick(
            language,
            f"Tilskuddet kan dekke høyst {cap} G i stipend per deltaker per år",
            f"The grant may cover at most {cap} G in stipends per participant a year",
        )
        if check.under_age is not None and check.under_age_factor is not None:
            factor = format_fraction(check.under_age_factor, language)
            details.append(
                phrase(
                    pick(
                        language,
                        f"For deltakere under {check.under_age} år er grensen {factor} av dette.",
                        f"For participants under {check.under_age}, the limit is {factor} of this.",
                    )
                )
            )
        details.append(_g_explained(call, language))
    elif isinstance(check, ConfirmationCheck):
        label = path_words(call, check.field, language)
        sentence = pick(language, f"Dere må svare ja på {label}", f"You must answer yes to {label}")
    elif check.message:  # a check kind added to the schema later: its own message says what it demands
        sentence = text_in(check.message, language).rstrip(".")
    else:
        sentence = pick(language, f"Regelen kontrolleres ({check.kind})", f"This rule is checked ({check.kind})")
    if check.severity == "warning":
        details.append(
            phrase(
                pick(
                    language,
                    "Brudd på dette gir en advarsel, ikke en feil.",
                    "Breaking this gives a warning, not an error.",
                )
            )
        )
    return Line(phrase(_with_condition(sentence, when)), (check.rule,), tuple(details))


def _g_explained(call: CallDefinition, language: str | None) -> Phrase:
    day = call.deadline.instant.astimezone(OSLO).date()
    try:
        g = g_on(day)
    except LookupError:
        return phrase(pick(language, "G er grunnbeløpet i folketrygden.", "G is the National Insurance basic amount."))
    return phrase(
        pick(
            language,
            f"G er grunnbeløpet i folketrygden. Vi bruker G som gjaldt på søknadsfristen: "
            f"{format_nok(g.amount, language)} (fra ",
            f"G is the National Insurance basic amount. We use the G in force on the deadline: "
            f"{format_nok(g.amount, language)} (from ",
        ),
        format_date(g.valid_from, language),
        ").",
    )


# --- the call page, section by section -------------------------------------------


def call_page(call: CallDefinition, language: str | None, now: dt.datetime) -> CallPage:
    """Everything the call page says, built from the definition."""
    blocks = [
        _purpose_block(call, language),
        _frame_block(call, language),
        _deadline_block(call, language, now),
        _eligibility_block(call, language),
        _areas_block(call, language),
        _content_block(call, language),
        _budget_block(call, language),
        _assessment_block(call, language),
        _signing_block(call, language),
        _after_grant_block(call, language),
        _complaints_block(call, language),
        _contact_block(call, language),
        _notes_block(call, language),
        _readings_block(call, language),
    ]
    return CallPage(
        title=text_in(call.title, language),
        summary=text_in(call.summary, language),
        is_open=is_open(call.deadline.instant, now),
        facts=_facts(call, language),
        blocks=tuple(block for block in blocks if block is not None),
    )


def _facts(call: CallDefinition, language: str | None) -> tuple[Fact, ...]:
    grantor = text_in(call.grantor.name, language)
    if call.local_grantors:
        count = len(call.local_grantors.municipalities)
        grantor += pick(language, f" og {count} kommuner", f" and {count} municipalities")
    return (
        Fact(pick(language, "Tilskuddsforvalter", "Grantor"), phrase(grantor)),
        Fact(pick(language, "Ramme", "Frame"), phrase(format_frame(call.frame.amount, call.frame.up_to, language))),
        Fact(pick(language, "Søknadsfrist", "Deadline"), phrase(format_datetime(call.deadline.instant, language))),
        Fact(
            pick(language, "Hvem kan søke", "Who may apply"),
            phrase(upper_first(applicant_types_text(call.eligibility.applicant_types.allowed, language))),
        ),
    )


def _purpose_block(call: CallDefinition, language: str | None) -> Block | None:
    lines: list[Line] = []
    if call.purpose:
        lines.append(Line(phrase(text_in(call.purpose, language))))
    for note in call.target_groups:
        lines.append(_note_line(note, language, term=pick(language, "Målgruppe", "Target group")))
    for note in call.legal_basis:
        lines.append(_note_line(note, language, term=pick(language, "Hjemmel", "Legal basis")))
    if call.circular:
        lines.append(Line(phrase(call.circular), term=pick(language, "Rundskriv", "Circular")))
    if call.source:
        source: Part = (
            Link(call.source, call.source) if call.source.startswith(("http://", "https://")) else call.source
        )
        lines.append(Line(phrase(source), term=pick(language, "Utlysningsteksten", "The call text")))
    if not lines:
        return None
    return Block("formal", pick(language, "Formål", "Purpose"), tuple(lines))


def _frame_block(call: CallDefinition, language: str | None) -> Block:
    frame = call.frame
    lines: list[Line] = []
    if frame.amount is not None:
        lines.append(
            Line(
                phrase(
                    pick(language, "Rammen for utlysningen er ", "The frame for this call is ")
                    + format_frame(frame.amount, frame.up_to, language)
                    + "."
                ),
                (frame.rule,),
            )
        )
    else:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Utlysningen oppgir ikke rammen som et beløp.",
                        "The call does not state its frame as an amount.",
                    )
                ),
                (frame.rule,),
            )
        )
    if frame.previous_year_amount is not None:
        lines.append(
            Line(
                phrase(
                    pick(language, f"I {call.year - 1} var rammen ", f"In {call.year - 1} the frame was ")
                    + format_nok(frame.previous_year_amount, language)
                    + "."
                ),
                (frame.rule,),
            )
        )
    if frame.note:
        lines.append(Line(phrase(text_in(frame.note, language)), (frame.rule,)))
    local = call.local_grantors
    if local:
        names = sorted(text_in(m.name, language) for m in local.municipalities)
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"{format_percent(local.share_percent, language)} av midlene i ordningen fordeles av "
                        f"{len(names)} kommuner, som lyser ut midlene lokalt med egne frister og kontaktpersoner: "
                        f"{join_words(names, language)}.",
                        f"{format_percent(local.share_percent, language)} of the scheme's funds are allocated by "
                        f"{len(names)} municipalities, which run their own local calls with their own deadlines "
                        f"and contacts: {join_words(names, language)}.",
                    )
                ),
                (local.rule,),
            )
        )
        if local.note:
            lines.append(Line(phrase(text_in(local.note, language)), (local.rule,)))
    tables: list[Table] = []
    if frame.area_amounts:
        label = upper_first(_area_label(call, language))
        rows = []
        for area_id, amount in frame.area_amounts.items():
            area = call.area(area_id)
            share = format_percent(100 * amount / frame.amount, language) if frame.amount else "–"
            rows.append(
                Row(
                    (
                        phrase(text_in(area.title, language) if area else area_id),
                        phrase(format_nok(amount, language)),
                        phrase(share),
                    ),
                    (frame.rule,),
                )
            )
        tables.append(
            Table(
                pick(language, f"Rammen fordelt per {lower_first(label)}", f"The frame by {lower_first(label)}"),
                (label, pick(language, "Beløp", "Amount"), pick(language, "Andel av rammen", "Share of the frame")),
                tuple(rows),
            )
        )
    return Block("ramme", pick(language, "Ramme", "Frame"), tuple(lines), tuple(tables))


def _deadline_block(call: CallDefinition, language: str | None, now: dt.datetime) -> Block:
    deadline = call.deadline
    lines = [
        Line(
            phrase(
                pick(language, "Søknaden må være sendt inn senest ", "The application must be submitted by "),
                format_datetime(deadline.instant, language),
                pick(language, " (norsk tid).", " (Norwegian time)."),
            ),
            (deadline.rule,),
        )
    ]
    if not deadline.time_given:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Utlysningsteksten oppgir ingen klokkeslett for fristen. "
                        "Vi regner derfor fristen til og med kl. 23:59:59 denne dagen.",
                        "The call text gives no time of day for the deadline, "
                        "so we count the deadline as running until 23:59:59 that day.",
                    )
                ),
                (deadline.rule,),
            )
        )
    lines.append(
        Line(
            phrase(
                pick(
                    language,
                    "Det er klokken på vår server som avgjør om søknaden kom i tide, ikke klokken på din maskin. "
                    "En søknad som kommer for sent, blir ikke tatt imot.",
                    "Our server's clock decides whether an application is on time, not the clock on your device. "
                    "A late application is not accepted.",
                )
            ),
            ("X-R01",),
        )
    )
    if not is_open(deadline.instant, now):
        lines.append(Line(phrase(pick(language, "Søknadsfristen er ute.", "The deadline has passed."))))
    if call.answer_expected:
        lines.append(
            Line(phrase(text_in(call.answer_expected, language)), term=pick(language, "Svar", "Answer expected"))
        )
    if call.transition:
        transition = call.transition
        details = ()
        if transition.finish_by:
            details = (
                phrase(
                    pick(language, "Prosjektet må være avsluttet innen ", "The project must be finished by "),
                    format_date(transition.finish_by, language),
                    ".",
                ),
            )
        lines.append(
            Line(
                phrase(text_in(transition.text, language)),
                (transition.rule,),
                details,
                term=pick(language, "Overgangsordning", "Transition"),
            )
        )
    return Block("frist", pick(language, "Søknadsfrist", "Deadline"), tuple(lines))


def _eligibility_block(call: CallDefinition, language: str | None) -> Block:
    rules = call.eligibility
    lines = [
        Line(
            phrase(
                pick(language, "Disse kan søke: ", "These may apply: ")
                + applicant_types_text(rules.applicant_types.allowed, language)
                + "."
            ),
            (rules.applicant_types.rule,),
        )
    ]
    if rules.allow_list:
        allow = rules.allow_list
        details = tuple(
            phrase(
                f"{allow.names[number]} ({pick(language, 'org.nr.', 'org. no.')} {number})"
                if number in allow.names
                else f"{pick(language, 'Org.nr.', 'Org. no.')} {number}"
            )
            for number in allow.org_numbers
        )
        lines.append(
            Line(
                phrase(pick(language, "Bare disse organisasjonene kan søke:", "Only these organisations may apply:")),
                (allow.rule,),
                details,
            )
        )
        if allow.note:
            lines.append(Line(phrase(text_in(allow.note, language)), (allow.rule,)))
    if rules.voluntary_register and rules.voluntary_register.required:
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Søkeren må være registrert i Frivillighetsregisteret.",
                        "The applicant must be registered in the Register of Non-Profit Organisations "
                        "(Frivillighetsregisteret).",
                    )
                ),
                (rules.voluntary_register.rule,),
            )
        )
    if rules.minimum_age:
        years = rules.minimum_age.years
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Organisasjonen må ha eksistert i minst {years} år på datoen søknaden sendes.",
                        f"The organisation must have existed for at least {years} years on the date of application.",
                    )
                ),
                (rules.minimum_age.rule,),
            )
        )
    if rules.national_presence:
        presence = rules.national_presence
        index = 1 if is_english(language) else 0
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Organisasjonen må være landsdekkende. Den må ha minst ett av dette i minst "
                        f"{presence.min_counties} fylker:",
                        f"The organisation must be national. It must have at least one of the following in at least "
                        f"{presence.min_counties} counties:",
                    )
                ),
                (presence.rule,),
                tuple(
                    phrase(upper_first(PRESENCE_NAMES.get(kind.value, (kind.value, kind.value))[index]))
                    for kind in presence.any_of
                ),
            )
        )
    if rules.joint:
        joint = rules.joint
        if joint.allowed:
            sentence = pick(
                language,
                "Flere kan søke sammen i én felles søknad",
                "Several applicants may apply together in one joint application",
            )
            if joint.member_types:
                sentence += pick(language, " (", " (") + applicant_types_text(joint.member_types, language) + ")"
            sentence += "."
            if joint.lead_signs:
                sentence += pick(
                    language,
                    " Hovedsøkeren tar prosjektansvaret, signerer og sender inn søknaden.",
                    " The lead applicant takes responsibility for the project, signs and submits the application.",
                )
        else:
            sentence = pick(
                language, "Det er ikke mulig å søke sammen med andre.", "Joint applications are not allowed."
            )
        lines.append(Line(phrase(sentence), (joint.rule,)))
    lines += [_note_line(note, language) for note in rules.notes]
    return Block("hvem-kan-soke", pick(language, "Hvem kan søke", "Who may apply"), tuple(lines))


def _area_checks(call: CallDefinition, area_id: str) -> list:
    return [
        check
        for check in call.checks
        if check.when and check.when.areas and area_id in check.when.areas and not isinstance(check, BUDGET_CHECKS)
    ]


def _criteria_table(criteria, caption: str, language: str | None) -> Table:
    total = sum(criterion.weight for criterion in criteria)
    rows = []
    for criterion in criteria:
        weight = f"{criterion.weight:g}".replace(".", "," if not is_english(language) else ".")
        share = format_percent(100 * criterion.weight / total, language)
        rows.append(
            Row(
                (
                    phrase(text_in(criterion.label, language)),
                    phrase(text_in(criterion.description, language)),
                    phrase(f"{weight} ({share})"),
                ),
                (criterion.rule,),
            )
        )
    return Table(
        caption,
        (
            pick(language, "Kriterium", "Criterion"),
            pick(language, "Hva vi ser etter", "What we look for"),
            pick(language, "Vekt (andel)", "Weight (share)"),
        ),
        tuple(rows),
    )


def _areas_block(call: CallDefinition, language: str | None) -> Block | None:
    areas = call.areas
    if areas is None:
        return None
    label = text_in(areas.label, language)
    heading = (
        pick(language, "Prioriterte områder", "Priority areas") if areas.label.nb == "Prioritert område" else label
    )
    selection = (
        pick(
            language,
            f"En søknad må gjelde nøyaktig ett {lower_first(label)}.",
            f"An application must be for exactly one {lower_first(label)}.",
        )
        if areas.select.value == "exactly_one"
        else pick(
            language,
            f"En søknad kan gjelde ett eller flere {lower_first(label)}.",
            f"An application may be for one or more {lower_first(label)}.",
        )
    )
    children = []
    for area in areas.items:
        lines: list[Line] = []
        if area.description:
            lines.append(Line(phrase(text_in(area.description, language))))
        if area.target_group:
            lines.append(
                Line(phrase(text_in(area.target_group, language)), term=pick(language, "Målgruppe", "Target group"))
            )
        if area.themes:
            lines.append(
                Line(
                    phrase(pick(language, "Tema:", "Themes:")),
                    details=tuple(phrase(text_in(theme, language)) for theme in area.themes),
                )
            )
        lines += [_note_line(note, language) for note in area.notes]
        lines += [describe_check(check, call, language, skip_areas=True) for check in _area_checks(call, area.id)]
        if area.id in call.frame.area_amounts:
            lines.append(
                Line(
                    phrase(
                        pick(language, "Ramme for området: ", "Frame for this area: ")
                        + format_nok(call.frame.area_amounts[area.id], language)
                        + "."
                    ),
                    (call.frame.rule,),
                )
            )
        if area.quality_threshold is not None:
            threshold = f"{area.quality_threshold:g}"
            if not is_english(language):
                threshold = threshold.replace(".", ",")
            lines.append(
                Line(
                    phrase(
                        pick(
                            language,
                            f"Bare prosjekter med god nok kvalitet får tilskudd: minst {threshold} poeng i samlet "
                            f"vurdering. Får ingen søknad nok poeng, deles det ikke ut midler i dette området.",
                            f"Only projects of good enough quality get a grant: at least {threshold} points overall. "
                            f"If no application scores enough, no funds are given in this area.",
                        )
                    ),
                )  # the schema gives the threshold no rule id of its own; the area's notes carry it
            )
        if area.co_assessors:
            lines.append(
                Line(
                    phrase(
                        pick(language, "Vurderes sammen med ", "Assessed together with ")
                        + join_words([text_in(call.grantor.name, language), *area.co_assessors], language)
                        + "."
                    )
                )
            )
        tables = ()
        if area.criteria:
            tables = (
                _criteria_table(
                    area.criteria,
                    pick(language, "Vurderingskriterier for dette området", "Assessment criteria for this area"),
                    language,
                ),
            )
        children.append(Block(f"omrade-{area.id}", text_in(area.title, language), tuple(lines), tables))
    return Block("omrader", heading, (Line(phrase(selection), (areas.rule,)),), (), tuple(children))


def _field_line(field: FormField, call: CallDefinition, language: str | None) -> Line:
    if field.required:
        status = pick(language, "må fylles ut", "required")
        if field.type is FieldType.ATTACHMENT:
            status = pick(language, "må legges ved", "required")
    elif field.required_when:
        condition = describe_condition(field.required_when, call, language)
        status = (
            pick(language, "må legges ved ", "required ")
            if field.type is FieldType.ATTACHMENT
            else pick(language, "må fylles ut ", "required ")
        ) + condition
    else:
        status = pick(language, "valgfritt", "optional")
    if field.type is FieldType.ATTACHMENT:
        status = pick(language, "vedlegg, ", "attachment, ") + status
    details = ()
    if field.shown_when and field.shown_when != field.required_when:
        details = (
            phrase(
                pick(language, "Vises bare ", "Shown only ")
                + describe_condition(field.shown_when, call, language)
                + "."
            ),
        )
    return Line(phrase(status), (field.rule,) if field.rule else (), details, term=text_in(field.label, language))


def _content_block(call: CallDefinition, language: str | None) -> Block:
    children = []
    for section in call.sections:
        fields = [f for f in call.fields if f.section == section.id]
        if not fields:
            continue
        children.append(
            Block(
                f"innhold-{section.id}",
                text_in(section.title, language),
                tuple(_field_line(f, call, language) for f in fields),
                intro=text_in(section.help, language),
            )
        )
    other = [
        check for check in call.checks if not isinstance(check, BUDGET_CHECKS) and not (check.when and check.when.areas)
    ]
    if other:
        children.append(
            Block(
                "innhold-andre-krav",
                pick(language, "Andre krav til søknaden", "Other requirements"),
                tuple(describe_check(check, call, language) for check in other),
            )
        )
    return Block(
        "innhold",
        pick(language, "Hva søknaden må inneholde", "What the application must contain"),
        children=tuple(children),
        intro=pick(
            language,
            "Dette må dere fylle ut eller legge ved. Det som er merket «valgfritt», kan dere la stå tomt.",
            "This is what you must fill in or attach. You may leave what is marked “optional” empty.",
        ),
    )


def _budget_block(call: CallDefinition, language: str | None) -> Block:
    budget = call.budget
    categories = sorted(budget.categories, key=lambda c: not c.eligible)
    rows = []
    for category in categories:
        if category.eligible:
            answer = pick(language, "Ja", "Yes")
        elif category.severity == "warning":
            answer = pick(language, "Nei (gir en advarsel)", "No (gives a warning)")
        else:
            answer = pick(language, "Nei", "No")
        rows.append(Row((phrase(text_in(category.label, language)), phrase(answer)), (category.rule,)))
    table = Table(
        pick(language, "Kostnader tilskuddet kan og ikke kan dekke", "Costs the grant can and cannot cover"),
        (pick(language, "Kostnad", "Cost"), pick(language, "Kan dekkes av tilskuddet", "Covered by the grant")),
        tuple(rows),
    )
    lines = [describe_check(check, call, language) for check in call.checks if isinstance(check, BUDGET_CHECKS)]
    lines += [_note_line(note, language) for note in budget.notes]
    if budget.rule:
        lines.insert(
            0,
            Line(
                phrase(
                    pick(
                        language,
                        "Hver budsjettlinje hører til én av kostnadstypene under.",
                        "Each budget line belongs to one of the kinds of cost below.",
                    )
                ),
                (budget.rule,),
            ),
        )
    return Block("budsjett", pick(language, "Budsjett", "Budget"), tuple(lines), (table,))


def _assessment_block(call: CallDefinition, language: str | None) -> Block:
    assessment = call.assessment
    lines: list[Line] = []
    scales = {(c.scale.min, c.scale.max) for c in assessment.criteria}
    if len(scales) == 1:
        low, high = scales.pop()
        labels = assessment.criteria[0].scale.labels
        details = tuple(phrase(f"{score} = {text_in(labels[score], language)}") for score in sorted(labels))
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Hvert kriterium får en poengsum fra {low} til {high}. "
                        "Vekten sier hvor mye kriteriet teller i den samlede vurderingen.",
                        f"Each criterion gets a score from {low} to {high}. "
                        "The weight says how much the criterion counts in the overall assessment.",
                    )
                ),
                details=details,
            )
        )
    if call.areas and any(area.criteria for area in call.areas.items):
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        "Noen områder har egne kriterier; de står under området. Ellers gjelder kriteriene her.",
                        "Some areas have their own criteria, shown under the area. Otherwise these apply.",
                    )
                )
            )
        )
    if assessment.grant_size:
        lines.append(
            _note_line(assessment.grant_size, language, term=pick(language, "Tilskuddets størrelse", "Grant size"))
        )
    lines += [_note_line(note, language) for note in assessment.notes]
    table = _criteria_table(assessment.criteria, pick(language, "Vurderingskriterier", "Assessment criteria"), language)
    return Block(
        "vurdering", pick(language, "Slik vurderer vi søknadene", "How we assess applications"), tuple(lines), (table,)
    )


def _signing_block(call: CallDefinition, language: str | None) -> Block:
    signing = call.signing
    roles = join_words((lower_first(text_in(role, language)) for role in signing.roles), language, last="or")
    verb = {
        "sign": ("signeres", "signed"),
        "confirm": ("bekreftes", "confirmed"),
        "approve": ("godkjennes", "approved"),
    }[signing.verb]
    sentence = pick(
        language,
        f"Søknaden må {verb[0]} av {roles}",
        f"The application must be {verb[1]} by the {roles}",
    )
    if signing.delegation_allowed:
        sentence += pick(
            language, ", eller av noen som har fått fullmakt til det", ", or by someone with delegated authority"
        )
    sentence += "."
    lines = [Line(phrase(sentence), (signing.rule,))]
    if not signing.delegation_allowed:
        lines.append(
            Line(phrase(pick(language, "Dette kan ikke delegeres.", "This cannot be delegated.")), (signing.rule,))
        )
    return Block("signering", pick(language, "Signering", "Signing"), tuple(lines))


def _payment_block(call: CallDefinition, language: str | None) -> Block:
    payment = call.payment
    when = (
        pick(
            language,
            "Tilskuddet betales ut etter at mottakeren har takket ja til vilkårene i tilskuddsbrevet (aksept)",
            "The grant is paid after the grantee has accepted the conditions in the grant letter",
        )
        if payment.trigger is PaymentTrigger.ON_ACCEPTANCE
        else pick(
            language, "Tilskuddet betales ut når vedtaket er gjort", "The grant is paid once the decision is made"
        )
    )
    terms = (
        pick(language, ", i én utbetaling", ", in one payment")
        if payment.terms == 1
        else pick(language, f", fordelt på {payment.terms} utbetalinger", f", in {payment.terms} payments")
    )
    lines = [Line(phrase(when + terms + "."), (payment.rule,))]
    if payment.two_terms_threshold is not None:
        seasons = {"spring": ("våren", "spring"), "autumn": ("høsten", "autumn")}
        index = 1 if is_english(language) else 0
        schedule = join_words((seasons[s][index] for s in payment.schedule), language)
        sentence = pick(
            language,
            f"Tilskudd over {format_nok(payment.two_terms_threshold, language)} betales ut i "
            f"{payment.terms_above_threshold} deler",
            f"Grants above {format_nok(payment.two_terms_threshold, language)} are paid in "
            f"{payment.terms_above_threshold} parts",
        )
        if schedule:
            sentence += f" ({schedule})"
        lines.append(Line(phrase(sentence + "."), (payment.rule,)))
    if payment.note:
        lines.append(Line(phrase(text_in(payment.note, language)), (payment.rule,)))
    return Block("utbetaling", pick(language, "Utbetaling", "Payment"), tuple(lines))


def _reporting_block(call: CallDefinition, language: str | None) -> Block:
    lines: list[Line] = []
    for duty in call.reporting.duties:
        if duty.due:
            sentence = phrase(pick(language, "frist ", "due "), format_date(duty.due, language), ".")
        else:
            sentence = phrase(pick(language, "Fristen står i tilskuddsbrevet.", "The due date is in the grant letter."))
        details: list[Phrase] = [phrase(_sentence(text_in(item, language))) for item in duty.content]
        if duty.accounts:
            accounts = pick(language, "Regnskap for prosjektet", "Project accounts")
            if duty.accounts_period:
                accounts += f": {text_in(duty.accounts_period, language)}"
            details.append(phrase(_sentence(accounts)))
        if duty.auditor_threshold is not None:
            details.append(
                phrase(
                    pick(
                        language,
                        f"Er tilskuddet på {format_nok(duty.auditor_threshold, language)} eller mer, må regnskapet "
                        "attesteres av en statsautorisert eller registrert revisor.",
                        f"For grants of {format_nok(duty.auditor_threshold, language)} or more, the accounts must be "
                        "attested by a state-authorised or registered auditor.",
                    )
                )
            )
        elif duty.auditor_required is True:
            details.append(
                phrase(pick(language, "Regnskapet må attesteres av revisor.", "The accounts must be audited."))
            )
        elif duty.auditor_required is False:
            details.append(
                phrase(pick(language, "Revisorattestasjon kreves ikke.", "No auditor's attestation is needed."))
            )
        if duty.approved_by:
            approvers = join_words((lower_first(text_in(a, language)) for a in duty.approved_by), language)
            details.append(phrase(pick(language, f"Godkjennes av {approvers}.", f"Approved by the {approvers}.")))
        if duty.areas:
            details.append(
                phrase(pick(language, "Gjelder bare ", "Only for ") + areas_words(call, duty.areas, language) + ".")
            )
        if duty.personal_data:
            details.append(
                phrase(
                    pick(
                        language,
                        "Rapporten inneholder personopplysninger om deltakerne og behandles deretter.",
                        "The report contains personal data about participants and is handled accordingly.",
                    )
                )
            )
        lines.append(Line(sentence, (duty.rule,), tuple(details), term=text_in(duty.title, language)))
    lines += [_note_line(note, language) for note in call.reporting.notes]
    return Block("rapportering", pick(language, "Rapportering", "Reporting"), tuple(lines))


def _multi_year_block(call: CallDefinition, language: str | None) -> Block:
    multi = call.multi_year
    lines: list[Line] = []
    if multi.allowed:
        sentence = pick(language, "Prosjekter kan gå over flere år", "Projects may run over several years")
        if multi.max_years:
            sentence += pick(language, f", høyst {multi.max_years} år", f", for at most {multi.max_years} years")
        lines.append(Line(phrase(sentence + "."), (multi.rule,)))
        if multi.normal_years:
            lines.append(
                Line(
                    phrase(
                        pick(
                            language,
                            f"Tilskudd gis normalt for {multi.normal_years} år.",
                            f"Grants are normally given for {multi.normal_years} years.",
                        )
                    ),
                    (multi.rule,),
                )
            )
        if multi.granted_one_year_at_a_time:
            sentence = pick(language, "Tilskuddet gis for ett år om gangen", "The grant is given one year at a time")
            if multi.subject_to_appropriation:
                sentence += pick(
                    language, ", så langt Stortinget bevilger penger", ", as far as Parliament appropriates funds"
                )
            lines.append(Line(phrase(sentence + "."), (multi.rule,)))
        elif multi.subject_to_appropriation:
            lines.append(
                Line(
                    phrase(
                        pick(
                            language,
                            "Tilskudd for senere år forutsetter at Stortinget bevilger penger.",
                            "Grants for later years depend on Parliament's appropriation.",
                        )
                    ),
                    (multi.rule,),
                )
            )
        if multi.yearly_reevaluation:
            lines.append(
                Line(
                    phrase(
                        pick(
                            language,
                            "Hvert år kontrollerer vi at vilkårene for videre tilskudd fortsatt er oppfylt.",
                            "Each year we check that the conditions for a continued grant are still met.",
                        )
                    ),
                    (multi.rule,),
                )
            )
    else:
        lines.append(
            Line(
                phrase(pick(language, "Tilskuddet gjelder bare ett år.", "The grant is for one year only.")),
                (multi.rule,),
            )
        )
    if multi.note:
        lines.append(Line(phrase(text_in(multi.note, language)), (multi.rule,)))
    return Block("flerarige", pick(language, "Prosjekter over flere år", "Multi-year projects"), tuple(lines))


def _after_grant_block(call: CallDefinition, language: str | None) -> Block:
    children = [_payment_block(call, language), _reporting_block(call, language), _multi_year_block(call, language)]
    if call.carry_over:
        carry = call.carry_over
        if carry.allowed:
            line = Line(
                phrase(
                    pick(
                        language,
                        "Penger dere ikke har brukt, kan overføres til neste år"
                        + (" når:" if carry.conditions else "."),
                        "Unused funds may be carried over to next year" + (" when:" if carry.conditions else "."),
                    )
                ),
                (carry.rule,),
                tuple(phrase(_sentence(text_in(c, language))) for c in carry.conditions),
            )
        else:
            line = Line(
                phrase(
                    pick(
                        language,
                        "Penger dere ikke har brukt, kan ikke overføres til neste år.",
                        "Unused funds cannot be carried over to next year.",
                    )
                ),
                (carry.rule,),
            )
        children.append(Block("overforing", pick(language, "Ubrukte midler", "Unused funds"), (line,)))
    if call.repayment:
        repayment = call.repayment
        lines = [Line(phrase(text_in(repayment.text, language)), (repayment.rule,))]
        if repayment.use_by:
            lines.append(
                Line(
                    phrase(
                        pick(language, "Tilskuddet må brukes innen ", "The grant must be used by "),
                        format_date(repayment.use_by, language),
                        ".",
                    ),
                    (repayment.rule,),
                )
            )
        children.append(Block("tilbakebetaling", pick(language, "Tilbakebetaling", "Repayment"), tuple(lines)))
    if call.grant_conditions:
        lines = []
        for condition in call.grant_conditions:
            details = ()
            if condition.areas:
                details = (
                    phrase(
                        pick(language, "Gjelder ", "Applies to ") + areas_words(call, condition.areas, language) + "."
                    ),
                )
            lines.append(Line(phrase(text_in(condition.text, language)), (condition.rule,), details))
        children.append(
            Block(
                "vilkar",
                pick(language, "Vilkår i tilskuddsbrevet", "Conditions in the grant letter"),
                tuple(lines),
            )
        )
    return Block(
        "etter-tildeling",
        pick(language, "Etter tildelingen", "After the grant"),
        children=tuple(children),
    )


def complaint_words(right, language: str | None) -> Phrase:
    """'Ja, innen 3 uker. Sendes til IMDi. Avgjøres av …' or 'Nei.'"""
    if not right.allowed:
        return phrase(pick(language, "Nei.", "No."))
    weeks = right.deadline_weeks
    words = pick(
        language,
        f"Ja, innen {weeks} uker etter at dere fikk vedtaket.",
        f"Yes, within {weeks} weeks of receiving the decision.",
    )
    if right.sent_to:
        words += pick(language, " Klagen sendes til ", " Send the complaint to ") + _sentence(
            text_in(right.sent_to, language)
        )
    if right.decided_by:
        words += pick(language, " Klagen avgjøres av ", " Decided by ") + _sentence(text_in(right.decided_by, language))
    return phrase(words)


def _complaints_block(call: CallDefinition, language: str | None) -> Block:
    complaints = call.complaints
    index = 1 if is_english(language) else 0
    rows = []
    for kind in ("allocation", "refusal", "rejection"):
        right = getattr(complaints, kind)
        rows.append(
            Row(
                (
                    phrase(DECISION_KIND_NAMES[kind][index]),
                    complaint_words(right, language),
                    phrase(text_in(right.legal_reference, language)),
                ),
                (right.rule,),
            )
        )
    table = Table(
        pick(language, "Kan dere klage på vedtaket?", "Can you appeal the decision?"),
        (
            pick(language, "Vedtak", "Decision"),
            pick(language, "Klageadgang", "Right to complain"),
            pick(language, "Hjemmel", "Legal basis"),
        ),
        tuple(rows),
    )
    lines = []
    allowed_rules = _rules(
        *(getattr(complaints, k).rule for k in ("allocation", "refusal", "rejection") if getattr(complaints, k).allowed)
    )
    for kind, body in complaints.decided_by_grantor_kind.items():
        lines.append(
            Line(
                phrase(
                    pick(
                        language,
                        f"Når vedtaket er gjort av {GRANTOR_KIND_NAMES[kind][0]}, avgjøres klagen av ",
                        f"When the decision was made by {GRANTOR_KIND_NAMES[kind][1]}, the complaint is decided by ",
                    )
                    + _sentence(text_in(body, language))
                ),
                allowed_rules,
            )
        )
    return Block("klage", pick(language, "Klage", "Complaints"), tuple(lines), (table,))


def _contact_link(contact, language: str | None) -> tuple[Phrase, Phrase]:
    phone = (
        phrase(Link("tel:" + contact.phone.replace(" ", ""), contact.phone.replace(" ", NBSP)))
        if contact.phone
        else phrase("–")
    )
    email = phrase(Link("mailto:" + contact.email, contact.email)) if contact.email else phrase("–")
    return phone, email


def _contact_block(call: CallDefinition, language: str | None) -> Block | None:
    routing = call.routing
    if routing is None:
        return None
    grantor = text_in(call.grantor.name, language)
    if routing.by == "regional_office":
        sentence = pick(
            language,
            f"Søknaden behandles av det regionkontoret i {grantor} som har ansvar for søkerens kommune.",
            f"Applications are handled by the {grantor} regional office responsible for the applicant's municipality.",
        )
    else:
        sentence = pick(language, f"Søknaden behandles av {grantor}.", f"Applications are handled by {grantor}.")
    lines = [Line(phrase(sentence), (routing.rule,))]
    if routing.switchboard:
        lines.append(
            Line(
                phrase(Link("tel:" + routing.switchboard.replace(" ", ""), routing.switchboard.replace(" ", NBSP))),
                term=pick(language, "Sentralbord", "Switchboard"),
            )
        )
    for contact in routing.other_contacts:
        phone, email = _contact_link(contact, language)
        details = tuple(p for p in (phone, email) if str(p) != "–")
        lines.append(Line(phrase(contact.name), (routing.rule,), details))
    tables = []
    if routing.offices:
        rows = []
        label = _area_label(call, language)
        all_ids = [area.id for area in call.areas.items] if call.areas else []
        for office in routing.offices:
            named = [key for key in office.contacts if key != "*"]
            for key, contact in office.contacts.items():
                if key == "*":
                    covers = (
                        pick(language, "Alle", "All")
                        if not named
                        else pick(language, "Alle andre områder", "All other areas")
                    )
                else:
                    ids = [part.strip() for part in key.split(",")]
                    known = all(area_id in all_ids for area_id in ids)
                    covers = areas_words(call, ids, language) if known else f"{label} {key}"
                phone, email = _contact_link(contact, language)
                rows.append(
                    Row(
                        (phrase(office.office), phrase(upper_first(covers)), phrase(contact.name), phone, email),
                        (routing.rule,),
                    )
                )
        tables.append(
            Table(
                pick(language, "Kontaktpersoner", "Contacts"),
                (
                    pick(language, "Regionkontor", "Regional office"),
                    pick(language, "Gjelder", "Covers"),
                    pick(language, "Kontaktperson", "Contact person"),
                    pick(language, "Telefon", "Phone"),
                    pick(language, "E-post", "E-mail"),
                ),
                tuple(rows),
            )
        )
    return Block("kontakt", pick(language, "Kontakt", "Contact"), tuple(lines), tuple(tables))


def _notes_block(call: CallDefinition, language: str | None) -> Block | None:
    if not call.notes:
        return None
    return Block(
        "andre-regler",
        pick(language, "Andre regler", "Other rules"),
        tuple(_note_line(note, language) for note in call.notes),
    )


def _readings_block(call: CallDefinition, language: str | None) -> Block | None:
    if not call.readings:
        return None
    return Block(
        "tolkninger",
        pick(language, "Slik tolker vi utlysningen", "How we read the call"),
        tuple(Line(phrase(text_in(reading.text, language)), (reading.rule,)) for reading in call.readings),
        intro=pick(
            language,
            "Der utlysningsteksten kan forstås på flere måter, følger vi denne tolkningen:",
            "Where the call text can be understood in more than one way, we follow this reading:",
        ),
    )
