"""What a tagged PDF/UA file says about itself, read from its bytes with pypdf (issue #10, point 15).

No validator (veraPDF needs Java) runs here: these are the catalog entries, the XMP metadata
and the structure tree that PDF/UA-1 asks for and a screen reader uses.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class Element:
    """A structure element: its type (H1, P, Table, TH, TD …), its ID and the IDs of its headers."""

    kind: str
    id: str = ""
    headers: list[str] = field(default_factory=list)


@dataclass
class TaggedPdf:
    marked: bool
    has_structure: bool
    language: str
    display_title: bool
    title: str
    xmp: str
    text: str
    elements: list[Element]

    @property
    def ua_part(self) -> str | None:
        """pdfuaid:part from the XMP metadata (as an attribute or an element), or None."""
        for marker in ('pdfuaid:part="', "<pdfuaid:part>"):
            if marker in self.xmp:
                return self.xmp.split(marker, 1)[1].split('"' if marker.endswith('"') else "<", 1)[0]
        return None

    def kinds(self, *wanted: str) -> list[str]:
        return [e.kind for e in self.elements if e.kind in wanted]

    def headers_head_cells(self) -> bool:
        """Every header cell (TH) is named as the header of at least one data cell (TD): a label is read with its value."""
        used = {h for e in self.elements if e.kind == "TD" for h in e.headers}
        return all(e.id in used for e in self.elements if e.kind == "TH")

    def headings_in_order(self) -> bool:
        """The first heading is H1 and no level is skipped on the way down (H1 → H3 is not allowed)."""
        levels = self.headings()
        return bool(levels) and levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False))

    def headings(self) -> list[int]:
        return [int(e.kind[1:]) for e in self.elements if len(e.kind) == 2 and e.kind[0] == "H" and e.kind[1].isdigit()]


def _walk(node: object, out: list[Element]) -> None:
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, ArrayObject):
        for kid in node:
            _walk(kid, out)
        return
    if not isinstance(node, DictionaryObject) or "/S" not in node:
        return  # a marked-content id or a content reference: a leaf
    attributes = node.get("/A")
    attributes = attributes.get_object() if attributes is not None else {}
    headers = attributes.get("/Headers", []) if isinstance(attributes, DictionaryObject) else []
    out.append(Element(str(node["/S"])[1:], str(node.get("/ID", "")), [str(h) for h in headers]))
    if "/K" in node:
        _walk(node["/K"], out)


def read_tagged(pdf: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    mark_info = catalog.get("/MarkInfo", {})
    preferences = catalog.get("/ViewerPreferences", {})
    metadata = catalog.get("/Metadata")
    elements: list[Element] = []
    if "/StructTreeRoot" in catalog:
        _walk(catalog["/StructTreeRoot"].get_object().get("/K", []), elements)
    text = " ".join(" ".join((page.extract_text() or "").replace("\u00a0", " ").split()) for page in reader.pages)
    return TaggedPdf(
        marked=bool(mark_info.get("/Marked", False)),
        has_structure="/StructTreeRoot" in catalog,
        language=str(catalog.get("/Lang", "")),
        display_title=bool(preferences.get("/DisplayDocTitle", False)),
        title=str((reader.metadata or {}).get("/Title", "")),
        xmp=metadata.get_object().get_data().decode("utf-8") if metadata is not None else "",
        text=text,
        elements=elements,
    )
