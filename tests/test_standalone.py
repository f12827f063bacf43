"""The test suite and the tools stand alone: a clone of the repository has no ../shared.

The specification the calls were written from (../shared/spec, ../shared/seeds) lives beside
the repository, not in it. The project keeps its own list of rules
(src/tilskudd/rules/reference/rules.yaml); the few tests that compare the project with the
specification go through tests.conftest.spec_file / spec_absent and skip, naming the absent
file, when it is not there. TILSKUDD_SPEC_DIR points the tests elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from tests.conftest import ROOT

TESTS = ROOT / "tests"
#: What the table script reads: the code, the calls, the tests and examples that name rules, the docs.
TREE = ("scripts", "src", "calls", "tests", "examples", "docs")
QUIET = ("-q", "-p", "no:cacheprovider")


def test_no_test_reads_the_spec_but_through_spec_file():
    direct = re.compile(r"SPEC_DIR\s*/|[\"']shared[\"']|\.\./shared/spec/\w+\.md[\"']\)")
    readers = [
        str(path.relative_to(ROOT))
        for path in sorted(TESTS.rglob("*.py"))
        if path.name != "conftest.py" and path != TESTS / "test_standalone.py"
        if direct.search(path.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_the_rules_table_is_written_without_the_spec(tmp_path):
    clone = tmp_path / "main"
    for name in TREE:
        shutil.copytree(ROOT / name, clone / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    assert not (tmp_path / "shared").exists()
    result = subprocess.run(
        [sys.executable, str(clone / "scripts" / "rules_table.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_the_tests_that_compare_with_the_spec_skip_without_it(tmp_path):
    missing = tmp_path / "no-shared" / "spec"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    env["TILSKUDD_SPEC_DIR"] = str(missing)
    files = ["tests/test_rules_table.py", "tests/docs/test_docs_cover_the_code.py", "tests/rules/test_imdi_routing.py"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *files, "-k", "spec or style_guide or call_text", "-rs", "-n", "0", *QUIET],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b4 skipped", result.stdout) and "error" not in result.stdout, result.stdout[-3000:]
    assert result.stdout.count(f"{missing / 'calls.md'} is absent") == 1
    assert result.stdout.count(f"{missing / 'style.md'} is absent") == 2
    assert "000_bba4e28718609ce5.txt is absent" in result.stdout
