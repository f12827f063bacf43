"""Words and numbers shared by the sections of the call page: applicant types, the frame, a note as a line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tilskudd.calls.presentation.pages import Line
from tilskudd.core.formatting import format_nok
from tilskudd.core.phrases import phrase
from tilskudd.core.text import is_english, join_words, pick
from tilskudd.rules.schema import GrantorKind, Note, Text

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


def rule_ids(*ids: str | None) -> tuple[str, ...]:
    seen: list[str] = []
    for rule_id in ids:
        if rule_id and rule_id not in seen:
            seen.append(rule_id)
    return tuple(seen)


def note_line(note: Note, language: str | None, term: str = "") -> Line:
    return Line(phrase(text_in(note.text, language)), tuple(note.rule_ids()), term=term)


def as_sentence(value: str) -> str:
    value = value.strip()
    return value if not value or value[-1] in ".!?:" else value + "."
