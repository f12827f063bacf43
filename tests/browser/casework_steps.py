"""Steps of the casework walks (issue #4) that repeat: a grantor's staff member in a browser of their own,
visiting and following links with axe-core on every page, the assessor's declaration and scoring, and a
letter PDF's text.

Grantor staff must have passed two-factor authentication, so they come into the browser with a verified
session cookie (the two-factor login itself is tested with the accounts); applicants log in through the
real login form (``demo_login``).
"""

from __future__ import annotations

import io
import re

from django.contrib.auth import get_user_model
from django.test import Client

from tests.accounts.helpers import login_verified
from tests.browser.conftest import assert_accessible


def staff_page(new_page, live_server, email: str):
    """A fresh browser context logged in as the grantor staff member ``email`` (two-factor verified)."""
    client = Client()
    login_verified(client, get_user_model().objects.get(email=email))
    page = new_page()
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return page


def visit(page, path: str, status: int = 200):
    """Open ``path``, check the status and run axe-core; returns the page."""
    response = page.goto(path)
    assert response is not None and response.status == status, f"{path}: {response and response.status}"
    assert_accessible(page)
    return page


def follow(page, locator) -> None:
    """Click a link or a submit button that loads a new page, then run axe-core on it."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


def press(page, name: str) -> None:
    """Click the button with this accessible name (exactly) and wait for the next page."""
    follow(page, page.get_by_role("button", name=name, exact=True))


def status_says(page, text: str) -> bool:
    """Whether a message in the page's status region says ``text``."""
    return page.get_by_role("status").filter(has_text=text).count() > 0


def nav(page, name: str) -> None:
    """Follow a link in the casework navigation."""
    follow(page, page.get_by_role("navigation", name="Saksbehandling").get_by_role("link", name=name, exact=True))


def open_case_from_queue(page, case_number: str) -> None:
    follow(page, page.get_by_role("table").get_by_role("link", name=case_number, exact=True))
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Sak {case_number}")


def declare_and_score(page, case_number: str, criteria, values: dict[str, int | None], amount: int, comment: str) -> None:
    """As an assessor on «Mine vurderinger»: open the case, declare not disqualified, score and complete.

    ``values`` maps a criterion id to a value on its scale, or None for «Ikke relevant».
    """
    nav(page, "Mine vurderinger")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=case_number, exact=True))
    assert row.get_by_text("Erklær habilitet").is_visible()
    follow(page, row.get_by_role("link", name=case_number, exact=True))
    assert page.get_by_role("heading", name=f"Vurdering av sak {case_number}", level=1).is_visible()

    # Before the declaration there is no scoring form (Public Administration Act § 6).
    assert page.get_by_role("heading", name="Vurdering etter kriteriene").count() == 0
    page.get_by_role("group", name="Er du habil i denne saken?").get_by_label("Jeg er habil (ikke inhabil)").check()
    press(page, "Lagre erklæringen")

    for criterion in criteria:
        label = criterion.label.nb
        group = page.get_by_role("group", name=label, exact=True)
        value = values[criterion.id]
        choice = "Ikke relevant" if value is None else re.compile(rf"^{value}( –|$)")
        group.get_by_label(choice, exact=True if value is None else None).check()
        group.get_by_label(f"Begrunnelse – {label}").fill(f"{label}: {'ikke relevant' if value is None else value} fordi søknaden sier det.")
    page.get_by_label("Foreslått beløp i hele kroner").fill(str(amount))
    page.get_by_label("Samlet vurdering").fill(comment)
    press(page, "Lagre og marker som fullført")
    assert page.get_by_role("heading", name="Din vurdering er fullført").is_visible()
    assert page.locator("#assignment-state").get_attribute("data-state") == "completed"


def pdf_text(page, href: str) -> str:
    """Fetch a PDF with the page's session, as the browser would follow the link; its text, spaces collapsed."""
    from pypdf import PdfReader

    response = page.request.get(href)
    assert response.status == 200, f"{href}: {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    return " ".join(text.split())


def run_assistant(page, application) -> tuple[int, str]:
    """On the allocation page: run the assistant; the amount it proposes for ``application`` and why."""
    press(page, "Foreslå fordeling")
    line = page.locator(f"#application-{application.pk}")
    headings = [" ".join(h.split()) for h in page.locator("#applications thead th").all_inner_texts()]
    cells = line.locator("td")
    proposed = cells.nth(headings.index(next(h for h in headings if h.startswith("Foreslått"))) - 1)
    assert proposed.get_by_text("Forslag fra assistenten").is_visible(), proposed.inner_text()
    amount = int(re.sub(r"\D", "", proposed.inner_text().split("\n")[0]))
    why = cells.nth(headings.index("Hvorfor") - 1).inner_text().strip()
    return amount, why
