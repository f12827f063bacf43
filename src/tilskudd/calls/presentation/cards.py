"""The front page: one card per call."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from tilskudd.calls.presentation.pages import CallCard
from tilskudd.calls.presentation.words import applicant_types_text, format_frame, is_open, text_in
from tilskudd.core.phrases import datetime_moment as format_datetime
from tilskudd.core.text import upper_first
from tilskudd.rules.schema import Text


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
