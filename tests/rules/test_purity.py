"""The rule engine imports nothing from Django (style.md: layer contract)."""

import ast
from pathlib import Path

import tilskudd.rules

RULES_DIR = Path(tilskudd.rules.__file__).parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_rules_package_has_no_django_imports():
    offenders = {
        str(path.relative_to(RULES_DIR)): sorted(n for n in imported_modules(path) if n.split(".")[0] == "django")
        for path in RULES_DIR.rglob("*.py")
    }
    assert {path: names for path, names in offenders.items() if names} == {}


#: The kernel's plain modules (pure Python, held so by import-linter) the rules may use.
PURE_KERNEL = ("tilskudd.core.text", "tilskudd.core.formatting", "tilskudd.core.phrases")


def test_rules_package_imports_only_itself_and_the_pure_kernel_from_tilskudd():
    outside = {
        str(path.relative_to(RULES_DIR)): sorted(
            n
            for n in imported_modules(path)
            if n.startswith("tilskudd.") and not n.startswith("tilskudd.rules") and n not in PURE_KERNEL
        )
        for path in RULES_DIR.rglob("*.py")
    }
    assert {path: names for path, names in outside.items() if names} == {}
