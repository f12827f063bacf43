"""The sections after a grant: signing, payment, reporting, multi-year grants."""

from __future__ import annotations

from tilskudd.calls.presentation.conditions import areas_words
from tilskudd.calls.presentation.pages import Block, Line
from tilskudd.calls.presentation.words import as_sentence, note_line, text_in
from tilskudd.core.formatting import format_nok
from tilskudd.core.phrases import Phrase, phrase
from tilskudd.core.phrases import date_moment as format_date
from tilskudd.core.text import is_english, join_words, lower_first, pick
from tilskudd.rules.schema import CallDefinition, PaymentTrigger


def signing_block(call: CallDefinition, language: str | None) -> Block:
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
    # With a threshold for more terms, «i én utbetaling» alone would contradict the next line (issue #13,
    # point 3): say up to which amount the grant comes in one payment, as the grant letter does.
    if payment.terms == 1 and payment.two_terms_threshold is not None:
        terms = pick(
            language,
            f", i én utbetaling når tilskuddet er på {format_nok(payment.two_terms_threshold, language)} eller mindre",
            f", in one payment for grants of {format_nok(payment.two_terms_threshold, language)} or less",
        )
    elif payment.terms == 1:
        terms = pick(language, ", i én utbetaling", ", in one payment")
    else:
        terms = pick(language, f", fordelt på {payment.terms} utbetalinger", f", in {payment.terms} payments")
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
        details: list[Phrase] = [phrase(as_sentence(text_in(item, language))) for item in duty.content]
        if duty.accounts:
            accounts = pick(language, "Regnskap for prosjektet", "Project accounts")
            if duty.accounts_period:
                accounts += f": {text_in(duty.accounts_period, language)}"
            details.append(phrase(as_sentence(accounts)))
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
    lines += [note_line(note, language) for note in call.reporting.notes]
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


def after_grant_block(call: CallDefinition, language: str | None) -> Block:
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
                tuple(phrase(as_sentence(text_in(c, language))) for c in carry.conditions),
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
            details: tuple[Phrase, ...] = ()
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
