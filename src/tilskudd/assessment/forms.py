"""Forms of the assessment pages. They only parse; the services decide what is allowed.

Errors are (field, bokmål, English) triples like the services' :class:`Problem`, so the page
can show both in one error summary that links to the fields.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from tilskudd.assessment.services import Problem
from tilskudd.core.formatting import read_nok
from tilskudd.rules.application import MAX_NOK

NOT_APPLICABLE = "na"


def _text(data, name: str) -> str:
    return (data.get(name) or "").strip()


def parse_declaration(data) -> tuple[bool | None, str, list[Problem]]:
    """(disqualified, reason, problems) from the declaration form."""
    choice = data.get("disqualified")
    reason = _text(data, "disqualification_reason")
    if choice not in ("no", "yes"):
        return (
            None,
            reason,
            [
                Problem(
                    "disqualified", "Velg om du er habil eller inhabil.", "Choose whether you are disqualified or not."
                )
            ],
        )
    if choice == "yes" and not reason:
        return (
            True,
            reason,
            [Problem("disqualification_reason", "Skriv hvorfor du er inhabil.", "Write why you are disqualified.")],
        )
    return choice == "yes", reason, []


def parse_scores(data, criteria) -> tuple[dict[str, tuple[int | None, str]], int | None, str, list[Problem]]:
    """(scores, proposed_amount, comment, problems) from the scoring form.

    A criterion with neither a value nor a reason is left unscored (saved work in progress);
    a value without a reason, or a reason without a value, is a problem.
    """
    scores: dict[str, tuple[int | None, str]] = {}
    problems: list[Problem] = []
    for criterion in criteria:
        raw = data.get(criterion.id)
        reason = _text(data, f"{criterion.id}_reason")
        label_nb, label_en = criterion.label.nb, criterion.label.en or criterion.label.nb
        if raw in (None, ""):
            if reason:
                problems.append(
                    Problem(
                        criterion.id,
                        f"Velg en verdi eller «ikke relevant» for «{label_nb}».",
                        f"Choose a value or “not applicable” for “{label_en}”.",
                    )
                )
            continue
        if raw == NOT_APPLICABLE:
            value = None
        else:
            try:
                value = int(raw)
            except ValueError:
                problems.append(
                    Problem(criterion.id, f"Ugyldig verdi for «{label_nb}».", f"Invalid value for “{label_en}”.")
                )
                continue
        scores[criterion.id] = (value, reason)
    amount_raw = _text(data, "proposed_amount")
    amount = None
    if amount_raw:
        amount = read_nok(amount_raw)  # «150 000», «150.000,-» (the one reader of amounts, issue #13 point 6)
        if amount is None:
            problems.append(
                Problem(
                    "proposed_amount", "Foreslått beløp må være hele kroner.", "The proposed amount must be whole NOK."
                )
            )
        elif abs(amount) > MAX_NOK:  # the database holds 64-bit integers; no grant comes near
            amount = None
            problems.append(
                Problem(
                    "proposed_amount",
                    "Foreslått beløp kan være høyst 1 000 000 000 000 kr.",
                    "The proposed amount can be at most NOK 1,000,000,000,000.",
                )
            )
    return scores, amount, _text(data, "comment"), problems


def parse_id(raw: str | None) -> int:
    """A row's id as posted; 0 (no such row) for anything but 1–18 digits, which every id column holds."""
    raw = (raw or "").strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else 0


def parse_assign(data) -> tuple[list[int], list[Problem]]:
    ids = [parse_id(v) for v in data.getlist("assessors")]
    if 0 in ids:
        ids = []
    if not ids:
        return [], [Problem("assessors", "Velg minst én fagvurderer.", "Choose at least one assessor.")]
    return ids, []


def parse_lock(data, criteria) -> tuple[dict[str, Decimal | None], str, list[Problem]]:
    """(moderated, note, problems); an empty field means not applicable."""
    moderated: dict[str, Decimal | None] = {}
    problems: list[Problem] = []
    for criterion in criteria:
        raw = _text(data, f"moderated_{criterion.id}").replace(",", ".")
        if not raw:
            moderated[criterion.id] = None
            continue
        try:
            moderated[criterion.id] = Decimal(raw)
        except InvalidOperation:
            problems.append(
                Problem(
                    f"moderated_{criterion.id}",
                    f"«{criterion.label.nb}»: skriv et tall.",
                    f"“{criterion.label.en or criterion.label.nb}”: write a number.",
                )
            )
    return moderated, _text(data, "note"), problems
