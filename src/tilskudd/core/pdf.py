"""Every PDF the service makes goes through :func:`render_pdf`: tagged PDF/UA-1, with language and title.

The receipt (``applications.receipts``) and the decision letters (``grants.decisions.letters``)
are HTML templates rendered by WeasyPrint. With the ``pdf/ua-1`` variant WeasyPrint writes a
structure tree from the HTML (h1–h6 → H1–H6, table/th/td with their headers, p, lists,
img → Figure with its alt text), ``/MarkInfo /Marked true``, ``/ViewerPreferences
/DisplayDocTitle true`` and ``pdfuaid:part 1`` in the XMP metadata; the document's title
(``<title>``) goes to ``dc:title`` and the document language to the catalog's ``/Lang``.

What the variant does not guarantee is left to the templates: headings in order, ``th`` with
``scope`` (``row`` for a label beside its value), an ``alt`` on every image, a ``<title>``.
The page margins' running text (footer, page numbers) is not in the structure tree, and no
validator (veraPDF) runs in the tests: see docs/decisions.md, 2026-12-02.
"""

from __future__ import annotations

PDF_VARIANT = "pdf/ua-1"


def render_pdf(html: str, *, base_url: str, language: str) -> bytes:
    """The HTML as tagged PDF/UA-1 bytes, in ``language`` ('nb' or 'en', the catalog's /Lang).

    ``base_url`` resolves the template's relative URLs (the fonts). The language given here
    wins over the template's ``<html lang>``: the caller knows which language the document is in.
    """
    from weasyprint import HTML  # noqa: PLC0415 - needs Pango; imported only when a PDF is made

    document = HTML(string=html, base_url=base_url).render(pdf_variant=PDF_VARIANT)
    if not (document.metadata.title or "").strip():
        raise ValueError("A PDF/UA document needs a <title> (dc:title, shown by the reader): a template bug.")
    document.metadata.lang = language
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
