"""Does the rule engine give the same findings as the engine of an earlier commit?

For making the engine faster without changing what it says. Random variants of
every example application in ``examples/`` (answers removed or given values of
other types, other areas, identifiers, partners, budgets, attachments, grantors,
joint applications, times before and after the deadline) are checked under every
call — the example's own and others — by today's ``tilskudd.rules.evaluate`` and
by ``src/tilskudd/rules/engine.py`` as it was at ``--against``. The two lists of
findings must be equal: the same findings in the same order with the same
messages, or the same exception.

    .venv/bin/python bench/engine_equivalence.py                      # against 3235704 (before the plan)
    .venv/bin/python bench/engine_equivalence.py --count 20000 --seed 7

The earlier engine is read with ``git show`` and imports the rest of the package
as it is now, so pick a commit whose engine.py stands on its own (3235704 is the
last one before ``tilskudd.rules.plan``). Exit status 1 when any result differs.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pydantic import ValidationError  # noqa: E402

from tilskudd.rules import Application, evaluate, load_call_file, parse_call  # noqa: E402
from tilskudd.rules.plan import clear_plans  # noqa: E402

#: The last commit whose engine read the call afresh for every application.
BEFORE_THE_PLAN = "3235704"


def engine_at(revision: str):
    """``tilskudd/rules/engine.py`` at ``revision``, as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:src/tilskudd/rules/engine.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="engine-"))
    path = folder / "engine_then.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("engine_then", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["engine_then"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def calls():
    """The five calls, the small test call, and the test call with checks whose paths name no field."""
    found = [load_call_file(path) for path in sorted((ROOT / "calls").glob("*.yaml"))]
    fixture = ROOT / "tests" / "fixtures" / "minimal_call.yaml"
    found.append(load_call_file(fixture))
    data = yaml.safe_load(fixture.read_text(encoding="utf-8"))
    data["fields"].append(
        {
            "id": "year_3_done",
            "section": "project",
            "type": "boolean",
            "label": {"nb": "Tredje år", "en": "Year 3"},
            "required_when": {"areas": ["1"]},
            "rule": "C0-R16",
        }
    )
    data["checks"] += [
        {"kind": "confirmation", "rule": "C0-R16", "field": "answers.year_3_done", "when": {"areas": ["1"]}},
        {"kind": "range", "rule": "C0-R16", "field": "answers.not_a_field", "min": 3, "max": 1},
        {"kind": "confirmation", "rule": "C0-R16", "field": "answers.nothing"},
    ]
    found.append(parse_call(data, "engine_equivalence"))
    return found


def examples():
    found = []
    for manifest_path in sorted((ROOT / "examples").glob("*/examples.yaml")):
        manifest = yaml.safe_load(manifest_path.read_text(encoding="utf-8"))
        for example in manifest["examples"]:
            data = json.loads((manifest_path.parent / example["file"]).read_text(encoding="utf-8"))
            found.append((data, dt.datetime.fromisoformat(str(example.get("at", manifest["at"])))))
    return found


class Variants:
    """Random changes to an application, drawn from what the calls ask for and what can go wrong."""

    ORG_NUMBERS = ["958935420", "964338531", "987879696", "123456789", "958 935 420", "958.935.420", "", "abc",
                   "95893542", "9589354201", "１２３４５６７８９"]  # fmt: skip
    BANK_ACCOUNTS = [None, "", "12345678903", "12345678900", "1234 56 78903", "1234.56.78903", "abc", "1234567890"]
    COUNTIES = ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56", "99", "01"]

    def __init__(self, all_calls, rnd: random.Random):
        self.rnd = rnd
        self.field_ids = sorted({f.id for c in all_calls for f in c.fields})
        choices = sorted({choice.value for c in all_calls for f in c.fields for choice in f.choices})
        self.areas = sorted({a.id for c in all_calls if c.areas for a in c.areas.items}) + ["9", "x"]
        self.partner_kinds = sorted({k.partner_kind for c in all_calls for k in c.checks if k.kind == "partner"})
        self.partner_kinds.append("other")
        self.attachment_kinds = sorted(
            {f.attachment_kind or f.id for c in all_calls for f in c.fields if f.type.value == "attachment"}
            | {k.attachment_kind for c in all_calls for k in c.checks if k.kind == "attachment"}
        ) + ["misc"]
        self.categories = sorted({cat.id for c in all_calls for cat in c.budget.categories}) + ["unknown"]
        self.grantors = sorted({g for c in all_calls for g in c.grantor_org_numbers()}) + [None, "123456789"]
        self.values = [None, "", "  ", "tekst", 0, 1, -5, 3, 12, 100, 12345, True, False, 1.5, "2019-01-01",
                       "2019-13-45", "a@b.no", "bad@", "+47 22 33 44 55", "123", "18/01234", "18-1", [], ["a"], {},
                       {"a": 1}, "958935420", "12345678903", "12345678900", "x\n", *choices, choices[:2],
                       choices[-3:]]  # fmt: skip

    def __call__(self, data: dict) -> dict:
        rnd, data = self.rnd, copy.deepcopy(data)
        for _ in range(rnd.randint(1, 6)):
            pick = rnd.random()
            if pick < 0.3:
                answers = data.setdefault("answers", {})
                key = rnd.choice(self.field_ids + list(answers))
                if rnd.random() < 0.3:
                    answers.pop(key, None)
                else:
                    answers[key] = copy.deepcopy(rnd.choice(self.values))
            elif pick < 0.38:
                data["areas"] = rnd.sample(self.areas, rnd.randint(0, 3))
            elif pick < 0.5:
                self._applicant(data["applicant"])
            elif pick < 0.55:
                data["grantor"] = rnd.choice(self.grantors)
            elif pick < 0.62:
                self._joint(data)
            elif pick < 0.75:
                self._partners(data.setdefault("partners", []))
            elif pick < 0.9:
                self._budget(data.setdefault("budget", {}))
            else:
                attachments = data.setdefault("attachments", [])
                if attachments and rnd.random() < 0.5:
                    attachments.pop(rnd.randrange(len(attachments)))
                else:
                    attachments.append({"kind": rnd.choice(self.attachment_kinds), "filename": "vedlegg.pdf"})
        return data

    def _applicant(self, applicant: dict) -> None:
        rnd = self.rnd
        key = rnd.choice(["org_number", "bank_account", "org_form", "applicant_type", "founded_on",
                          "voluntary_register", "counties", "name", "email", "phone", "county"])  # fmt: skip
        if key == "org_number":
            applicant[key] = rnd.choice(self.ORG_NUMBERS)
        elif key == "bank_account":
            applicant[key] = rnd.choice(self.BANK_ACCOUNTS)
        elif key == "org_form":
            applicant[key] = rnd.choice([None, "KOMM", "FYLK", "ORGL", "FLI", "STI", "AS", "SA", "STAT", "xx", "komm"])
        elif key == "applicant_type":
            applicant[key] = rnd.choice(["municipality", "city_district", "county_authority", "voluntary_organisation",
                                         "social_enterprise", "company", "foundation", "state_agency"])  # fmt: skip
        elif key == "founded_on":
            applicant[key] = rnd.choice([None, "2000-01-01", "2024-02-29", "2023-06-01", "2018-02-20", "2021-01-01"])
        elif key == "voluntary_register":
            applicant[key] = rnd.choice([None, {"registered": True}, {"registered": False}])
        elif key == "counties":
            kinds = rnd.sample(["activity", "members", "branches"], rnd.randint(0, 3))
            applicant[key] = {kind: rnd.sample(self.COUNTIES, rnd.randint(0, 12)) for kind in kinds}
        else:
            applicant[key] = rnd.choice([None, "", "x", "a@b.no", "+47 22 33 44 55", "46", "99"])

    def _joint(self, data: dict) -> None:
        rnd = self.rnd
        if rnd.random() < 0.4:
            data["joint"] = None
            return
        own = data["applicant"].get("org_number", "")
        members = [{"org_number": rnd.choice([*self.ORG_NUMBERS, own])} for _ in range(rnd.randint(1, 3))]
        data["joint"] = {"lead_org_number": rnd.choice([own, "964338531"]), "members": members}

    def _partners(self, partners: list) -> None:
        rnd = self.rnd
        if partners and rnd.random() < 0.4:
            partners.pop(rnd.randrange(len(partners)))
            return
        partner = {"kind": rnd.choice(self.partner_kinds), "name": "Partner"}
        options = {"org_number": self.ORG_NUMBERS, "org_form": ["AS", "as", "SA", "FLI", "STI", ""],
                   "contact_person": ["", " ", "Kari"], "description": ["", "d"]}  # fmt: skip
        for key, values in options.items():
            if rnd.random() < 0.5:
                partner[key] = rnd.choice(values)
        if rnd.random() < 0.5:
            partner["confirmations"] = {k: rnd.choice([True, False]) for k in ["no_dividend_statutes", "approved"]}
        partners.append(partner)

    def _budget(self, budget: dict) -> None:
        rnd = self.rnd
        key = rnd.choice(["lines", "own_contribution", "funding_sources", "amount_applied", "stipend"])
        if key == "lines":
            budget[key] = [
                {"category": rnd.choice(self.categories), "amount": rnd.choice([0, 5000, 400000, 1200000]),
                 "year": rnd.choice([None, 2019, 2020])}  # fmt: skip
                for _ in range(rnd.randint(0, 4))
            ]
        elif key == "own_contribution":
            budget[key] = rnd.choice([None, {"amount": 0}, {"amount": 5}, {"in_kind_amount": 100},
                                      {"description": "arbeid"}, {"description": "arbeid", "amount": 10}])  # fmt: skip
        elif key == "funding_sources":
            budget[key] = [{"name": "Kommunen", "amount": 1}] * rnd.randint(0, 2)
        elif key == "amount_applied":
            budget[key] = rnd.choice([0, 1, 9999, 10000, 350000, 5000000])
        else:
            budget[key] = rnd.choice([None, {
                "participants_25_or_over": rnd.randint(0, 20), "participants_under_25": rnd.randint(0, 10),
                "years": rnd.choice([0.5, 1, 1.5, 2]), "amount_applied": rnd.choice([0, 100000, 1300000, 5000000]),
            }])  # fmt: skip


def _outcome(check, call, application, at):
    try:
        return ("findings", check(call, application, at))
    except Exception as error:  # noqa: BLE001 — the same exception is part of the same behaviour
        return ("exception", type(error).__name__, str(error))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", default=BEFORE_THE_PLAN, help=f"commit (default {BEFORE_THE_PLAN})")
    parser.add_argument("--count", type=int, default=5000, help="applications to draw (default 5000)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    then = engine_at(args.against)
    all_calls, bases = calls(), examples()
    rnd = random.Random(args.seed)
    vary = Variants(all_calls, rnd)
    compared = with_findings = exceptions = differ = 0
    for _ in range(args.count):
        data, at = rnd.choice(bases)
        if rnd.random() < 0.95:
            data = vary(data)
        try:
            application = Application.model_validate(data)
        except ValidationError:
            continue
        own = [call for call in all_calls if call.id == data["call"]]
        for call in rnd.sample(all_calls, 3) + own:
            deadline = call.deadline.instant
            when = rnd.choice([at, at, deadline, deadline + dt.timedelta(seconds=1)])
            expected = _outcome(then.evaluate, call, application, when)
            if rnd.random() < 0.05:
                clear_plans()
            got = _outcome(evaluate, call, application, when)
            compared += 1
            exceptions += expected[0] == "exception"
            with_findings += expected[0] == "findings" and bool(expected[1])
            if got != expected:
                differ += 1
                if differ <= 5:
                    print(f"DIFFERS under {call.id}: {json.dumps(data, ensure_ascii=False)[:500]}")
                    print(f"  {args.against}: {expected}")
                    print(f"  now: {got}")
    print(
        f"{compared} checks compared with {args.against}: {with_findings} with findings, "
        f"{exceptions} raising the same exception, {differ} different"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
