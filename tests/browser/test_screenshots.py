"""Screenshots of the main pages for a reviewer (issue #13, quality bar), at 1280 and 375 px.

Each page is opened as the person who uses it, on the demo (the snapshot of ``conftest.demo``) with a grant,
a due payment and an assessment in progress made by the services beforehand. Every page must answer 200,
and must not scroll sideways: staff pages at 1280 px (the caseworker's screen), public and applicant pages
at 375 px (a phone) as well. The PNGs go to the folder ``TILSKUDD_SCREENSHOTS`` names, else to pytest's
``tmp_path`` (kept for the last three runs under pytest's basetemp); named ``NN-page-WIDTH.png``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tests.browser.casework_steps import staff_page
from tests.browser.conftest import log_in
from tests.browser.walks import CHAIR, TRYGG, demo_world, trygg_grant
from tilskudd.applications import services as applications
from tilskudd.applications.models import Application
from tilskudd.applications.states import Status
from tilskudd.assessment import services as assessment
from tilskudd.calls.models import Call
from tilskudd.casework.models import Case
from tilskudd.demo.data import DEMO_PASSWORD
from tilskudd.grants.awards import acceptance
from tilskudd.orgs.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)

C0 = "kommunale-integreringstiltak-2019-demo"
C2 = "frivillige-organisasjoner-2020-demo"
CASEWORKER = "saksbehandler@imdi.example"
ASSESSOR = "vurderer1@imdi.example"
WIDTHS = (1280, 375)

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("TILSKUDD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _world():
    """Make what the pages show: an accepted grant with due terms (C2, IMDi), and a C0 case in assessment whose
    assessor has declared and may score. Returns the paths the pages need."""
    world = demo_world()
    grant = trygg_grant(world)
    chair = get_user_model().objects.get(email=CHAIR)
    acceptance.accept(chair, grant.pk, acceptance.terms_hash(grant))

    c0 = Call.objects.get(slug=C0)
    Application.objects.filter(call=c0).exclude(case_number=None).update(status=Status.IN_ASSESSMENT)
    case = Case.objects.filter(application__call=c0).order_by("pk").first()
    assessor = get_user_model().objects.get(email=ASSESSOR)
    assignment = assessment.assign(world.staff["caseworker"], case.pk, [assessor.pk])[0]
    assessment.declare(assessor, assignment.pk, False)

    draft = applications.start_draft(chair, Organisation.objects.get(org_number=TRYGG), Call.objects.get(slug=C2))
    return {
        "public": [("front-page", "/"), ("call-page", f"/utlysninger/{C2}/")],
        "applicant": [
            ("min-side", "/min-side/"),
            ("application-form", f"/soknader/{draft.pk}/"),
            ("review", f"/soknader/{draft.pk}/signer/"),
            ("grant-grantee", f"/soknader/{grant.application_id}/tilskudd/"),
        ],
        CASEWORKER: [
            ("queue", f"/saksbehandling/utlysninger/{C0}/"),
            ("case", f"/saksbehandling/saker/{case.pk}/"),
            ("allocation", f"/saksbehandling/utlysninger/{C0}/fordeling/"),
            ("grant-caseworker", f"/saksbehandling/tilskudd/{grant.pk}/"),
            ("payments", f"/saksbehandling/utbetalinger/{world.imdi.pk}/"),
        ],
        ASSESSOR: [("scoring", f"/saksbehandling/vurderinger/{assignment.pk}/")],
    }


def test_the_main_pages_answer_and_fit_and_are_photographed(demo, new_page, live_server, tmp_path):
    folder = _folder(tmp_path)
    pages = _world()
    browsers = {"public": new_page()}
    browsers["applicant"] = new_page()
    log_in(browsers["applicant"], CHAIR, DEMO_PASSWORD)
    for email in (CASEWORKER, ASSESSOR):
        browsers[email] = staff_page(new_page, live_server, email)

    problems, taken = [], []
    for who, listed in pages.items():
        page = browsers[who]
        staff = who not in ("public", "applicant")
        for name, path in listed:
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                response = page.goto(path)
                status = response.status if response else None
                if status != 200:
                    problems.append(f"{name} ({path}) at {width} px answered {status}")
                    continue
                file = folder / f"{len(taken) + 1:02d}-{name}-{width}.png"
                page.screenshot(path=str(file), full_page=True)
                taken.append(file)
                sideways = page.evaluate(SIDEWAYS)
                if sideways > 0 and (width == 1280 or not staff):
                    problems.append(f"{name} ({path}) scrolls sideways by {sideways} px at {width} px")

    assert problems == []
    assert len(taken) == 2 * sum(len(listed) for listed in pages.values())
    assert all(file.stat().st_size > 0 for file in taken)
