"""The audit trail's hash chain: one place for the stream name, the canonical form, the hash and the check.

Each subject (an application, a decision, an organisation …) has its own stream of events,
``"<subject_type>:<subject_id>"``, numbered 1, 2, … Every event stores the hash of the event
before it (``prev_hash``; empty for the first) and its own ``hash``: SHA-256 of a canonical JSON of
its fields and ``prev_hash``. ``AuditStreamHead`` keeps each stream's last sequence and hash, so a
deleted newest event also shows. ``verify()`` walks every stream and names the first event that was
edited, inserted or deleted. See docs/audit.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import connection

#: The fields a hash covers, in this order (the canonical JSON sorts keys anyway).
HASHED_FIELDS = (
    "stream",
    "sequence",
    "at",
    "actor_id",
    "subject_type",
    "subject_id",
    "action",
    "from_state",
    "to_state",
    "reason",
    "data",
    "audience",
    "prev_hash",
)


def stream_of(subject_type: str, subject_id: str) -> str:
    return f"{subject_type}:{subject_id}"


def normalised_data(data: Any) -> Any:
    """``data`` as it will read back from the database (tuples become lists, keys strings)."""
    return json.loads(json.dumps(data or {}))


def _at(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def compute_hash(event) -> str:
    """SHA-256 (hex) of the event's canonical JSON; ``event`` is an AuditEvent (also a historical one)."""
    fields = {name: getattr(event, name) for name in HASHED_FIELDS}
    fields["at"] = _at(fields["at"])
    fields["data"] = normalised_data(fields["data"])
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def lock_stream(stream: str) -> None:
    """Serialise writers of one stream until the transaction ends (PostgreSQL advisory lock).

    Two services writing to the same stream at once would otherwise both read the same head and
    fork the chain; the unique (stream, sequence) constraint would then refuse the second. Other
    streams are not held up. SQLite has one writer at a time anyway.
    """
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(stream.encode("utf-8")).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


# --- verify ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """One thing wrong in a stream, in plain words (bokmål and English)."""

    stream: str
    event_id: int | None
    kind: str  # edited | inserted | deleted
    nb: str
    en: str

    def __str__(self) -> str:
        return f"{self.nb}\n  {self.en}"


def _event_words(event) -> tuple[str, str]:
    return (
        f"Hendelse {event.pk} ({event.action}, nr. {event.sequence} i {event.stream})",
        f"Event {event.pk} ({event.action}, no. {event.sequence} in {event.stream})",
    )


def _check_stream(stream: str, events, head) -> Finding | None:
    """The first thing wrong in one stream (events ordered by sequence), or None."""
    expected, prev_hash, last = 1, "", None
    for event in events:
        nb, en = _event_words(event)
        if not stream or not event.hash:
            return Finding(
                stream,
                event.pk,
                "inserted",
                f"{nb} står utenfor kjeden (ingen hash).",
                f"{en} is outside the chain (no hash).",
            )
        if event.sequence > expected:
            missing = f"{expected}" if event.sequence == expected + 1 else f"{expected}–{event.sequence - 1}"
            return Finding(
                stream,
                event.pk,
                "deleted",
                f"Slettet: hendelse nr. {missing} i {stream} mangler (før hendelse {event.pk}).",
                f"Deleted: event no. {missing} in {stream} is missing (before event {event.pk}).",
            )
        if event.sequence < expected or event.prev_hash != prev_hash:
            return Finding(
                stream,
                event.pk,
                "inserted",
                f"Satt inn: {nb} peker ikke på hendelsen før seg i kjeden.",
                f"Inserted: {en} does not point to the event before it in the chain.",
            )
        if compute_hash(event) != event.hash:
            return Finding(
                stream,
                event.pk,
                "edited",
                f"Endret: {nb} er endret etter at den ble skrevet (hashen stemmer ikke).",
                f"Edited: {en} was changed after it was written (the hash does not match).",
            )
        expected, prev_hash, last = event.sequence + 1, event.hash, event
    if head is None:
        if last is None:
            return None
        nb, en = _event_words(last)
        return Finding(
            stream,
            last.pk,
            "inserted",
            f"Satt inn: strømmen {stream} har ingen registrert siste hendelse ({nb}).",
            f"Inserted: the stream {stream} has no recorded last event ({en}).",
        )
    last_sequence = last.sequence if last else 0
    if head.sequence > last_sequence:
        missing = (
            f"{last_sequence + 1}" if head.sequence == last_sequence + 1 else f"{last_sequence + 1}–{head.sequence}"
        )
        return Finding(
            stream,
            None,
            "deleted",
            f"Slettet: hendelse nr. {missing} i {stream} mangler (den siste var nr. {head.sequence}).",
            f"Deleted: event no. {missing} in {stream} is missing (the last one was no. {head.sequence}).",
        )
    if head.sequence < last_sequence or head.hash != last.hash:
        nb, en = _event_words(last)
        return Finding(
            stream,
            last.pk,
            "inserted",
            f"Satt inn: {nb} er ikke skrevet av systemet (etter strømmens siste).",
            f"Inserted: {en} was not written by the system (after the stream's last).",
        )
    return None


def verify() -> list[Finding]:
    """Walk every stream in order; the first finding of each broken stream."""
    from tilskudd.audit.models import AuditEvent, AuditStreamHead  # noqa: PLC0415 - models import this module

    heads = {head.stream: head for head in AuditStreamHead.objects.all()}
    findings: list[Finding] = []
    current, batch = None, []
    seen = set()

    def flush():
        if batch or current is not None:
            finding = _check_stream(current, batch, heads.get(current))
            if finding:
                findings.append(finding)

    for event in AuditEvent.objects.order_by("stream", "sequence", "id").iterator(chunk_size=2000):
        if event.stream != current:
            if current is not None:
                flush()
            current, batch = event.stream, []
            seen.add(current)
        batch.append(event)
    if current is not None:
        flush()
    for stream, head in heads.items():
        if stream not in seen:
            finding = _check_stream(stream, [], head)
            if finding:
                findings.append(finding)
    return findings
