"""A state machine as a table: (from, to) → the move that goes there, and the refusal of any other move.

The application's (``tilskudd.applications.states``) and the decision's (``tilskudd.grants.states``)
tables both read through :func:`move_of`; each names its own :class:`TransitionNotAllowed`.
"""

from __future__ import annotations

from collections.abc import Mapping


class TransitionNotAllowed(Exception):
    """A move the table has no row for. Subclasses name what cannot move (``noun``)."""

    noun = "It"

    def __init__(self, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(f"{self.noun} cannot go from '{current}' to '{target}'.")


def move_of(
    transitions: Mapping[tuple[str, str], str],
    current: str,
    target: str,
    refused: type[TransitionNotAllowed] = TransitionNotAllowed,
) -> str:
    """The move from ``current`` to ``target``, or ``refused`` when the table has none."""
    try:
        return transitions[(current, target)]
    except KeyError:
        raise refused(current, target) from None
