"""Every web form, sent with what a careless person or a script might type: never a 500 (issue #8, point 9).

The test GETs every page of the access matrices (``tests/test_access_matrix.py`` and
``tests/test_access_matrix_staff.py``) as each kind of person who may open it, reads every
``<form>`` on the page (its action, the names of its inputs, selects, textareas and buttons, and
the values the page filled in), and sends each form back many times with Hypothesis: a few fields
replaced by huge or negative integers, NUL bytes, far-off dates, long or odd Unicode text or
nothing, sometimes with extra fields — and, before those draws, once with every field nasty at
once (:func:`_nasty`) and, field by field, with the numbers and dates that broke forms before
(:func:`_sweep`). The answer must be below 500 every time: a form error, a
400, a 403/404/409 or a redirect. Each sending is rolled back, so every example starts from the
same world. The JSON API (``/api/v1/``) has its own fuzz test in ``tests/api``.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.test_access_matrix import MATRIX
from tests.test_access_matrix_staff import STAFF_MATRIX
from tests.web.form_world import ROLES, client_for, form_world, form_world_built  # noqa: F401 (the fixtures)

#: Pages not read for forms: files, not HTML.
NOT_HTML = (".pdf", ".csv", ".xlsx")
#: Forms not sent: logging out ends the session the other forms need (it has no fields to fuzz).
NOT_SENT = {"accounts:logout"}

#: Values that broke or could break a form: beyond the database's integers, far-off dates, NUL bytes.
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "99999999999999999999999999999999",
    "1e309",
    "NaN",
    "-Infinity",
    "1,5",
    "12 345",
    "１２３",
    "9999-12-31",
    "0001-01-01",
    "31.12.9999",
    "2025-02-30",
    "\x00",
    "a\x00b",
    "%00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "9" * 5000,
    "x" * 5000,
    "ø" * 3000,
    "\ud7ff\U0010ffff",
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(
        lambda day: day.isoformat() if day.day % 2 else day.strftime("%d.%m.%Y")
    ),
)


@dataclass
class Form:
    method: str
    action: str
    fields: dict[str, list[str]] = field(default_factory=dict)  # name → the values the page filled in
    buttons: list[tuple[str, str]] = field(default_factory=list)  # named submit buttons (name, value)
    numbers: set[str] = field(default_factory=set)  # fields for a number (type=number, inputmode=numeric)
    dates: set[str] = field(default_factory=set)  # date fields


class _Forms(HTMLParser):
    """The forms of a page; a button with ``formaction`` sends its form elsewhere: a form of its own."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.elsewhere: list[tuple[Form, str, tuple[str, str]]] = []
        self.current: Form | None = None
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(a.get("method", "get").lower(), a.get("action") or self.page)
            self.forms.append(self.current)
            if a.get("hx-post"):  # htmx sends the same fields elsewhere (the application form's preview)
                self.elsewhere.append((self.current, a["hx-post"], None))
            return
        form = self.current
        name = a.get("name")
        if form is None or not name:
            if tag == "option" and form is not None and self.select and "selected" in a:
                form.fields[self.select] = [a.get("value", "")]
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "file":
                return
            if kind in ("checkbox", "radio"):
                form.fields.setdefault(name, [])
                if "checked" in a:
                    form.fields[name].append(a.get("value", "on"))
            elif kind == "submit":
                self._button(form, name, a)
            else:
                form.fields.setdefault(name, []).append(a.get("value", ""))
                if kind == "number" or a.get("inputmode") == "numeric":
                    form.numbers.add(name)
                elif kind == "date":
                    form.dates.add(name)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button(form, name, a)
        elif tag == "select":
            self.select = name
            form.fields.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in a:
            form.fields[self.select] = [a.get("value", "")]
        elif tag == "textarea":
            self.textarea = name
            form.fields[name] = [""]

    def _button(self, form, name, a):
        if a.get("formaction"):
            self.elsewhere.append((form, a["formaction"], (name, a.get("value", ""))))
        else:
            form.buttons.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self.current is not None and self.textarea:
            self.current.fields[self.textarea] = [self.current.fields[self.textarea][0] + data]

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_on(page: str, html: str) -> list[Form]:
    parser = _Forms(page)
    parser.feed(html)
    found = list(parser.forms)
    for form, action, button in parser.elsewhere:
        fields = {k: list(v) for k, v in form.fields.items()}
        found.append(Form("post", action, fields, [button] if button else [], set(form.numbers), set(form.dates)))
    return found


def route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


#: Pages of the other objects of the world, in the states where more forms show.
EXTRA_PAGES = {
    "assessment summary before the lock": ("GET", "/saksbehandling/saker/{assessing_case}/vurdering/", None),
    "case in assessment": ("GET", "/saksbehandling/saker/{assessing_case}/", None),
    "decision of a locked case": ("GET", "/saksbehandling/saker/{locked_case}/vedtak/", None),
}


def _pages(role_values):
    # A route may stand in both matrices (an organisation's page, for its people and for grantors).
    for name, (method, template, _expected) in [*MATRIX.items(), *STAFF_MATRIX.items(), *EXTRA_PAGES.items()]:
        if name.startswith("api-v1:") or template.endswith(NOT_HTML):
            continue
        try:
            yield name, method, template.format(**role_values)
        except KeyError:
            continue


def _targets(client, role_values) -> dict[tuple[str, str], Form]:
    """(method, path) → a form that is sent there, with every field name any page gives it."""
    targets: dict[tuple[str, str], Form] = {}

    def add(form: Form):
        path = urlsplit(form.action).path
        name = route_name(path)
        if name is None or name.startswith("api-v1:") or name in NOT_SENT:
            return
        known = targets.setdefault((form.method, path), Form(form.method, path))
        for key, filled in form.fields.items():
            known.fields.setdefault(key, filled)
        for button in form.buttons:
            if button not in known.buttons:
                known.buttons.append(button)
        known.numbers |= form.numbers
        known.dates |= form.dates

    for _name, method, path in _pages(role_values):
        if method == "POST":
            add(Form("post", path))  # POST-only routes are sent even when no page shows their form
            continue
        response = client.get(path)
        if response.status_code == 405:  # POST only: its form is on another page (or sent by htmx)
            add(Form("post", path))
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for form in forms_on(path, response.content.decode()):
                add(form)
    return targets


EXTRA_NAMES = st.sampled_from(
    ["amount", "year", "revision", "_add", "_remove", "_next", "row", "index", "frame", "deadline", "expires"]
)


@st.composite
def submissions(draw, form: Form):
    """The page's own values with one field (mostly) or a few replaced, a button pressed, extra fields."""
    data = {name: list(filled) for name, filled in form.fields.items() if name != "csrfmiddlewaretoken"}
    names = sorted(data)
    if names:
        count = draw(st.sampled_from([1, 1, 1, 2, 3, 6]))
        for name in draw(st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=min(count, len(names)))):
            data[name] = (
                draw(st.lists(values, min_size=0, max_size=2)) if draw(st.integers(0, 9)) == 0 else [draw(values)]
            )
    if form.buttons and draw(st.booleans()):
        name, value = draw(st.sampled_from(form.buttons))
        data[name] = [value if draw(st.booleans()) else draw(values)]
    for name, value in draw(
        st.dictionaries(st.one_of(EXTRA_NAMES, st.text(min_size=1, max_size=12)), values, max_size=2)
    ).items():
        data.setdefault(name, [value])
    return data


#: The random examples per form (the budget of issue #9 point 7: the fuzz was a third of the suite's time).
#: Every form is also sent the deterministic nasty pass (:func:`_nasty`) and, in each number and date field,
#: the sweep: the guarantee that every form-taking route gets bad input does not rest on these draws.
FUZZ = settings(
    max_examples=6,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _send(client, form: Form, data) -> int:
    """The status of the answer, or of the page it redirects to (a saved value must show again)."""
    with transaction.atomic():
        if form.method == "post":
            status = client.post(form.action, data, follow=True).status_code
        else:
            status = client.get(form.action, data).status_code
        transaction.set_rollback(True)  # every example starts from the same world
    return status


#: Sent in every number field and every date field, one at a time, before the random examples:
#: the values that broke forms (a number no database column holds, more digits than int() reads,
#: a date whose next year does not exist).
SWEEP_NUMBERS = ("9223372036854775808", "-9223372036854775809", "9" * 5000)
SWEEP_DATES = ("9999-12-31", "0001-01-01")


def _filled(form: Form) -> dict[str, list[str]]:
    """The page's values, with every empty field given something plausible: a form that is otherwise
    complete reaches the code behind its checks (a decision needs its reasons before it is saved)."""
    data = {key: list(filled) for key, filled in form.fields.items()}
    for key, filled in data.items():
        if filled in ([], [""]):
            data[key] = ["1000" if key in form.numbers else "2025-06-30" if key in form.dates else "Tekst"]
    return data


def _sweep(client, role, form: Form) -> list[str]:
    failures = []
    page = {key: list(filled) for key, filled in form.fields.items()}
    filled = _filled(form)
    bases = [page] if filled == page else [page, filled]  # a form with no empty field: the same sends twice
    for names, sweep in ((form.numbers, SWEEP_NUMBERS), (form.dates, SWEEP_DATES)):
        for name in sorted(names):
            for value in sweep:
                for base in bases:
                    status = _send(client, form, {**base, name: [value]})
                    if status >= 500:
                        failures.append(f"{role} {form.method.upper()} {form.action} {name}={value[:30]!r}: {status}")
    return failures


def _nasty(client, role, form: Form) -> list[str]:
    """The page's values with every field replaced by one of :data:`NASTY` (in turn, so that neighbouring fields
    get different ones), sent twice with the list shifted by half: whatever the form, every field gets bad input."""
    names = sorted(name for name in form.fields if name != "csrfmiddlewaretoken")
    failures = []
    for shift in (0, len(NASTY) // 2):
        data = {key: list(filled) for key, filled in form.fields.items()}
        for index, name in enumerate(names):
            data[name] = [NASTY[(index + shift) % len(NASTY)]]
        status = _send(client, form, data)
        if status >= 500:
            failures.append(f"{role} {form.method.upper()} {form.action} every field nasty (shift {shift}): {status}")
    return failures


def _fuzz(client, role, form: Form) -> str | None:
    @FUZZ
    @given(data=submissions(form))
    def check(data):
        status = _send(client, form, data)
        assert status < 500, f"{role} {form.method.upper()} {form.action} {data!r}: {status}"

    try:
        check()
    except AssertionError as error:
        return str(error)[:1500]
    return None


#: The forms are split over this many tests, so that parallel workers share the work (the sweep and the
#: examples of one form stay together; every form is in exactly one shard).
SHARDS = 3


#: The chosen forms, worked out once per worker: the world they were read from is built once per module.
_CHOSEN: list[tuple[str, Form]] = []


def _chosen(world, shared: Path | None = None) -> tuple[dict, list[tuple[str, Form]]]:
    """The clients, and per distinct form (same address, same fields) the one person who sends it — one who may,
    or, where everyone gets a 404 (an example id no one has), one of those: the refusal must hold for any input.

    Under xdist, ``shared`` is a file of the session (the fixture :func:`shared_forms`): the worker that reads
    the forms first writes them there, for the same world (the same keys), and another worker takes them from it
    instead of reading every page again (issue #9: reading them cost ~17 s per worker)."""
    people, values_of = world
    clients = {role: client_for(role, people[role]) for role in ROLES}
    if _CHOSEN:
        return clients, _CHOSEN
    if shared is None:
        _CHOSEN.extend(_read_forms(clients, values_of))
        return clients, _CHOSEN
    key = _world_key(people, values_of)
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the other worker waits for the forms rather than reading them too
        try:
            stored = json.loads(shared.read_text()) if shared.exists() else None
            if stored and stored["key"] == key:
                _CHOSEN.extend((role, _form_from(saved)) for role, saved in stored["chosen"])
            else:
                _CHOSEN.extend(_read_forms(clients, values_of))
                chosen = [(role, _form_to(form)) for role, form in _CHOSEN]
                shared.write_text(json.dumps({"key": key, "chosen": chosen}))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return clients, _CHOSEN


def _read_forms(clients, values_of) -> list[tuple[str, Form]]:
    """Every page as every role, and one sender per distinct form (:func:`_sender`)."""
    seen: dict[tuple[str, str, frozenset], list[tuple[str, Form]]] = {}
    for role in ROLES:
        for (method, path), form in sorted(_targets(clients[role], values_of[role]).items()):
            seen.setdefault((method, path, frozenset(form.fields)), []).append((role, form))
    chosen = []
    for (method, _path, _fields), candidates in seen.items():
        chosen.extend(_sender(clients, method, candidates))
    return chosen


def _sender(clients, method: str, candidates: list[tuple[str, Form]]) -> list[tuple[str, Form]]:
    """The first candidate (in ROLES order) whose empty send is not refused (403/404/405), else the first who
    gets a 404, else none. Probed in order and no further than the first who may: the same choice as probing
    every candidate, for half the sends (issue #9: the probes took longer than reading the pages)."""
    hidden = None
    for role, form in candidates:
        answer = _send(clients[role], form, {}) if method == "post" else 200
        if answer not in (403, 404, 405):
            return [(role, form)]
        if answer == 404 and hidden is None:
            hidden = (role, form)
    return [hidden] if hidden else []


def _world_key(people, values_of) -> str:
    """The world as the forms depend on it: the database, each role's person and the keys in its addresses.
    Another worker's world with other keys (PostgreSQL's sequences go on) reads its own forms."""
    return json.dumps(
        [connection.vendor, {role: getattr(person, "pk", None) for role, person in people.items()}, values_of],
        sort_keys=True,
        default=str,
    )


def _form_to(form: Form) -> dict:
    return {**asdict(form), "numbers": sorted(form.numbers), "dates": sorted(form.dates)}


def _form_from(saved: dict) -> Form:
    return Form(
        saved["method"],
        saved["action"],
        saved["fields"],
        [tuple(button) for button in saved["buttons"]],
        set(saved["numbers"]),
        set(saved["dates"]),
    )


@pytest.fixture
def shared_forms(request, tmp_path_factory) -> Path | None:
    """Under xdist, the session's file of the chosen forms, in the directory all workers share (the parent of
    each worker's base temporary directory, as pytest-xdist's documentation suggests); None otherwise."""
    if not hasattr(request.config, "workerinput"):
        return None
    return tmp_path_factory.getbasetemp().parent / "form_fuzz_chosen.json"


@pytest.mark.parametrize("shard", range(SHARDS))
def test_no_web_form_answers_500(db, form_world, shared_forms, shard):
    clients, chosen = _chosen(form_world, shared_forms)
    mine = chosen[shard::SHARDS]
    assert mine, "a shard with no form: lower SHARDS"
    failures: list[str] = []
    for role, form in mine:
        failures.extend(_sweep(clients[role], role, form))
        failures.extend(_nasty(clients[role], role, form))
        failure = _fuzz(clients[role], role, form)
        if failure:
            failures.append(failure)
    assert failures == [], "\n".join(failures)


def test_every_form_taking_route_of_the_matrices_is_sent(db, form_world, shared_forms):
    _clients, chosen = _chosen(form_world, shared_forms)
    sent = {route_name(form.action) for _role, form in chosen}
    posted = {
        name
        for name, (method, _t, _e) in [*MATRIX.items(), *STAFF_MATRIX.items()]
        if method == "POST" and not name.startswith("api-v1:")
    }
    assert posted - NOT_SENT - sent == set()
