"""Reading call definition files, with errors a person can act on.

A file is read whole or refused whole: :class:`CallFileError` lists every
problem with the file, the path to the field and what was expected.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tilskudd.rules.schema import CallDefinition


@dataclass(frozen=True)
class Problem:
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class CallFileError(ValueError):
    """A call file that cannot be used; ``problems`` says every reason."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: the call definition is not valid ({len(problems)} problem(s)):\n{lines}")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key written twice instead of silently keeping the last."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' is written twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise CallFileError(source, [Problem(where, f"not valid YAML: {problem}")]) from None


def parse_call(data: Any, source: str = "<call>") -> CallDefinition:
    """Validate already-read data as a call definition."""
    if not isinstance(data, dict):
        raise CallFileError(source, [Problem("", "expected a mapping of keys (id, title, frame, …) at the top")])
    try:
        return CallDefinition.model_validate(data)
    except ValidationError as error:
        raise CallFileError(source, [_problem(item) for item in error.errors()]) from None


def _problem(item: dict) -> Problem:
    location = ".".join(str(part) for part in item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] not in {"value_error", "missing", "extra_forbidden"} and "input" in item:
        shown = repr(item["input"])
        message = f"{message} (got {shown[:80]})"
    if item["type"] == "extra_forbidden":
        message = "unknown key; check the spelling against docs/call-format.md"
    return Problem(location, message)


def load_call_file(path: str | Path) -> CallDefinition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CallFileError(str(path), [Problem("", f"cannot read the file: {error}")]) from None
    return parse_call(read_yaml(text, str(path)), str(path))


def definition_hash(call: CallDefinition) -> str:
    """A stable hash of what a call says, to tell a real change from a reload of the same file."""
    canonical = json.dumps(call.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
