"""The caseworker's «due and overdue» page and its CSV export (issue #12, point 8): thin views over
:mod:`tilskudd.reports.dashboard`, which decides scope (an assessor gets 403 with the reason)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django import forms
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language

from tilskudd.casework.access import staff_view
from tilskudd.casework.forms import BilingualForm
from tilskudd.casework.views import PAGE_PARAM
from tilskudd.casework.views import _pages as page_links
from tilskudd.core.text import pick
from tilskudd.grants.overview.exports import CSV_CONTENT_TYPE, safe_cell
from tilskudd.reports import dashboard
from tilskudd.reports.dashboard import Filters, Kind, Row

ROWS_PER_PAGE = 50


class DueFilterForm(BilingualForm):
    """The list's filters (GET); a value not among the choices is refused (400) and nothing is listed."""

    labels = {
        "call": ("Utlysning", "Call"),
        "kind": ("Hva", "What"),
        "overdue": ("Bare det som er over fristen", "Only what is overdue"),
        "mine": ("Bare saker der jeg er saksbehandler", "Only cases where I am the caseworker"),
    }

    call = forms.ChoiceField(required=False)
    kind = forms.ChoiceField(required=False)
    overdue = forms.BooleanField(required=False)
    mine = forms.BooleanField(required=False)

    def __init__(self, *args, calls=(), **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        everything = pick(language, "Alle", "All")
        self.fields["call"].choices = [("", everything), *calls]
        self.fields["kind"].choices = [("", everything)] + [
            (kind.value, pick(language, *dashboard.kind_name(kind))) for kind in Kind
        ]
        self.fields["call"].error_messages["invalid_choice"] = pick(
            language, "Velg en av utlysningene i listen.", "Choose one of the calls in the list."
        )
        self.fields["kind"].error_messages["invalid_choice"] = pick(
            language, "Velg en av typene i listen.", "Choose one of the kinds in the list."
        )
        for name in ("overdue", "mine"):
            self.fields[name].widget.attrs["class"] = "ds-input"


def _form(request) -> tuple[DueFilterForm, Filters | None]:
    """The form and the filters it gives, or None when a value was refused."""
    language = get_language()
    calls = [
        (call.slug, pick(language, call.title_nb, call.title_en or call.title_nb))
        for call in dashboard.calls(request.user)
    ]
    form = DueFilterForm(request.GET or None, calls=calls)
    if not form.is_bound:
        return form, Filters()
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Filters(call=data["call"], kind=data["kind"], overdue=data["overdue"], mine=data["mine"])


@staff_view
def due_list(request):
    """What is due or overdue across the person's grantors' grants, filtered and paginated."""
    dashboard.grantors(request.user)  # an assessor: 403 with the reason, before anything else
    form, filters = _form(request)
    context = {"form": form, "casework_section": "due", "horizon": dashboard.HORIZON_DAYS}
    if filters is None:
        context.update(entries=form.error_entries(), rows=[], count=0, pages=None, filtered=True, refused=True)
        return render(request, "reports/dashboard.html", context, status=400)
    rows = dashboard.due_rows(request.user, filters)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get(PAGE_PARAM))
    context.update(
        entries=[],
        rows=list(page.object_list),
        count=len(rows),
        overdue=sum(1 for row in rows if row.overdue_days),
        pages=page_links(request, page),
        filtered=filters != Filters(),
        query=request.GET.urlencode(),
    )
    return render(request, "reports/dashboard.html", context)


class _Echo:
    """A file for csv.writer that hands back each line instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row], base_url: str) -> Iterator[bytes]:
    """A byte order mark and the headings, then one line per row (";" between fields, as Norwegian Excel reads)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield ("\ufeff" + writer.writerow(dashboard.EXPORT_HEADINGS)).encode("utf-8")
    for row in rows:
        values = dashboard.export_values(row, base_url)
        yield writer.writerow([safe_cell(value) for value in values]).encode("utf-8")


@staff_view
def due_list_csv(request):
    """The filtered list as CSV (all rows, not one page), streamed as it is written."""
    dashboard.grantors(request.user)
    form, filters = _form(request)
    if filters is None:
        return render(
            request,
            "reports/dashboard.html",
            {"form": form, "casework_section": "due", "entries": form.error_entries(), "rows": [], "refused": True},
            status=400,
        )
    rows = dashboard.due_rows(request.user, filters)
    response = StreamingHttpResponse(
        csv_lines(rows, request.build_absolute_uri("/")[:-1]), content_type=CSV_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="frister-{timezone.localdate().isoformat()}.csv"'
    return response
