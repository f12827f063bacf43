"""The receipt is tagged PDF/UA-1 in bokmål, with its title, headings in order and tables read with their headers (issue #10, point 15)."""

from tests.pdf_checks import read_tagged
from tests.receipts.test_receipts import receipts_of, stored_bytes, submit


def test_the_receipt_is_tagged_pdf_ua_in_bokmal(signed_draft, lead, django_capture_on_commit_callbacks):
    application = submit(lead, signed_draft, django_capture_on_commit_callbacks)

    tagged = read_tagged(stored_bytes(receipts_of(application).get()))

    assert tagged.marked and tagged.has_structure
    assert tagged.language == "nb" and tagged.ua_part == "1"
    assert tagged.display_title and tagged.title == f"Kvittering for søknad {application.case_number}"
    assert "Kvittering for innsendt søknad" in tagged.text
    assert tagged.headings()[:2] == [1, 2] and tagged.headings_in_order(), tagged.headings()
    assert tagged.headers_head_cells()  # every label (th scope="row") and column header heads its cells
