"""docs/rules.md has a row for every rule id of calls.md, and every call rule is encoded in its call file."""

import re
import subprocess
import sys

import yaml

from tests.conftest import CALLS_DIR, ROOT, SPEC_DIR

RULE_ID = re.compile(r"^- ((?:C\d+|X)-R\d{2}) ", re.MULTILINE)


def spec_ids() -> list[str]:
    return RULE_ID.findall((SPEC_DIR / "calls.md").read_text(encoding="utf-8"))


def test_spec_is_where_we_expect_it():
    ids = spec_ids()
    assert "C0-R01" in ids and "X-R07" in ids
    assert len(ids) == len(set(ids))


def test_every_rule_id_has_a_row_in_docs_rules_md():
    table = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ((?:C\d+|X)-R\d{2}) \|", table, re.MULTILINE))
    missing = [rule_id for rule_id in spec_ids() if rule_id not in rows]
    assert missing == []


def test_docs_rules_md_is_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "rules_table.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def _call_code(data: dict) -> str:
    """C0 … C4 from the seed file the call encodes (seeds/000_… is C0)."""
    match = re.search(r"seeds/(\d{3})_", data.get("source") or "")
    assert match, f"{data['id']}: 'source' must name its seed file"
    return f"C{int(match.group(1))}"


def test_every_call_rule_is_encoded_in_its_call_file():
    ids = spec_ids()
    calls = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(CALLS_DIR.glob("*.yaml"))]
    codes = {_call_code(data): data for data in calls}
    assert sorted(codes) == sorted({rule_id.split("-")[0] for rule_id in ids if rule_id.startswith("C")})
    for code, data in codes.items():
        text = yaml.safe_dump(data, allow_unicode=True)
        named = set(re.findall(r"\b(?:rule: |- )((?:C\d+|X)-R\d{2})\b", text))
        missing = [rule_id for rule_id in ids if rule_id.startswith(code + "-") and rule_id not in named]
        assert missing == [], f"{data['id']} does not encode {missing}"
