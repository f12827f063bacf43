"""Virus scan of uploaded files (*virussjekk*) through clamd, when one is configured.

clamd's INSTREAM command: send ``zINSTREAM\\0``, then the file as chunks, each
prefixed by its length as a 4-byte big-endian integer, and a zero-length chunk
to end. clamd answers ``stream: OK``, ``stream: <signature> FOUND`` or
``... ERROR`` (terminated by a NUL byte with the ``z`` prefix).

Settings: ``CLAMD_SOCKET`` (a Unix socket path) or ``CLAMD_HOST`` with
``CLAMD_PORT`` (default 3310), and ``CLAMD_TIMEOUT`` in seconds. With none of
them set, files are stored unscanned (``scan_result = "not_scanned"``).
When a scanner is configured but cannot be reached, the caller must refuse the
file (fail closed).
"""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings

CHUNK_SIZE = 64 * 1024

CLEAN = "clean"
INFECTED = "infected"
NOT_SCANNED = "not_scanned"


class ScannerUnavailable(Exception):
    """clamd is configured but did not answer, or answered with an error."""


@dataclass(frozen=True)
class ScanResult:
    status: str  # CLEAN, INFECTED or NOT_SCANNED
    signature: str = ""

    @property
    def infected(self) -> bool:
        return self.status == INFECTED


def is_configured() -> bool:
    return bool(getattr(settings, "CLAMD_SOCKET", "") or getattr(settings, "CLAMD_HOST", ""))


def _connect() -> socket.socket:
    timeout = float(getattr(settings, "CLAMD_TIMEOUT", 30))
    path = getattr(settings, "CLAMD_SOCKET", "")
    try:
        if path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(path)
            return sock
        return socket.create_connection((settings.CLAMD_HOST, int(getattr(settings, "CLAMD_PORT", 3310))), timeout)
    except OSError as error:
        raise ScannerUnavailable(f"cannot connect to clamd: {error}") from error


def _chunks(stream: BinaryIO) -> Iterable[bytes]:
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def scan_stream(stream: BinaryIO) -> ScanResult:
    """Scan what ``stream`` holds from its current position, chunk by chunk (never all in memory)."""
    if not is_configured():
        return ScanResult(NOT_SCANNED)
    sock = _connect()
    try:
        try:
            sock.sendall(b"zINSTREAM\0")
            for chunk in _chunks(stream):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = _read_reply(sock)
        except OSError as error:
            # clamd closes the connection when the stream passes its StreamMaxLength.
            raise ScannerUnavailable(f"clamd connection failed: {error}") from error
    finally:
        sock.close()
    return parse_reply(reply)


def _read_reply(sock: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0") and len(received) < 4096:
        data = sock.recv(4096)
        if not data:
            break
        received += data
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def parse_reply(reply: str) -> ScanResult:
    """``stream: OK`` → clean; ``stream: Name FOUND`` → infected; anything else → unavailable."""
    if reply.endswith("FOUND"):
        body = reply.split(":", 1)[1] if ":" in reply else reply
        return ScanResult(INFECTED, body.strip().removesuffix("FOUND").strip())
    if reply.endswith("OK"):
        return ScanResult(CLEAN)
    raise ScannerUnavailable(f"clamd answered: {reply or '(nothing)'}")
