import io
import socket
import struct
import threading
import zipfile

import pytest

from tests.receipts import world
from tests.receipts.world import call, chief, lead, organisation  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a temporary folder, never to var/media; no virus scanner unless a test sets one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.CLAMD_HOST = ""
    settings.CLAMD_SOCKET = ""
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(call, organisation, lead):
    from tilskudd.applications import services

    application = services.start_draft(lead, organisation, call)
    return services.save_draft(lead, application.pk, world.complete_content(), application.revision)


# --- small real files of each type --------------------------------------------------


def minimal_pdf() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes() -> bytes:
    """A 1×1 PNG built from its chunks."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def jpeg_bytes() -> bytes:
    """The start of a JFIF file (SOI + APP0 header) followed by filler and EOI."""
    app0 = b"\xff\xe0" + struct.pack("!H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\x00" * 64 + b"\xff\xd9"


def _zip(entries: list[tuple[str, bytes]], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for index, (name, data) in enumerate(entries):
            method = zipfile.ZIP_STORED if (stored_first and index == 0) else zipfile.ZIP_DEFLATED
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


CONTENT_TYPES = b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'


def docx_bytes() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", b"<Relationships/>"),
            ("word/document.xml", b"<w:document/>"),
        ]
    )


def xlsx_bytes() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", b"<Relationships/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]
    )


def opendocument_bytes(mime: str) -> bytes:
    return _zip([("mimetype", mime.encode("ascii")), ("content.xml", b"<office:document-content/>")], stored_first=True)


def odt_bytes() -> bytes:
    return opendocument_bytes("application/vnd.oasis.opendocument.text")


def ods_bytes() -> bytes:
    return opendocument_bytes("application/vnd.oasis.opendocument.spreadsheet")


def plain_zip_bytes() -> bytes:
    return _zip([("notes.txt", b"hello"), ("data.csv", b"a,b\n1,2\n")])


def exe_bytes() -> bytes:
    """The start of a Windows executable: MZ header pointing at a PE signature."""
    header = bytearray(b"MZ" + b"\x00" * 126)
    header[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 64


def html_bytes() -> bytes:
    return b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>"


# --- a fake clamd on loopback -------------------------------------------------------


class FakeClamd:
    """Speaks enough of clamd's INSTREAM protocol: reads the chunks, answers OK or FOUND."""

    EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"

    def __init__(self):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            with connection:
                connection.settimeout(5)
                self._handle(connection)

    def _read_exactly(self, connection, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = connection.recv(size - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def _handle(self, connection):
        command = b""
        while not command.endswith(b"\0"):
            command += self._read_exactly(connection, 1)
        self.commands.append(command)
        stream = b""
        while True:
            (length,) = struct.unpack("!L", self._read_exactly(connection, 4))
            if length == 0:
                break
            stream += self._read_exactly(connection, length)
        self.received.append(stream)
        if self.EICAR_MARK in stream:
            connection.sendall(b"stream: Eicar-Test-Signature FOUND\0")
        else:
            connection.sendall(b"stream: OK\0")

    def close(self):
        self._stop.set()
        self.server.close()
        self.thread.join(timeout=2)


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = server.port
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.close()


@pytest.fixture
def unreachable_clamd(settings):
    """clamd configured on a loopback port where nothing listens."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    settings.CLAMD_HOST = "127.0.0.1"
    settings.CLAMD_PORT = port
    settings.CLAMD_TIMEOUT = 2
    return port
