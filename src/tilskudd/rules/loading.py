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

from tilskudd.rules.reference.rule_list import rule_list
from tilskudd.rules.schema import CallDefinition


@dataclass(frozen=True)
class Problem:
    location: str
    message: str
    #: The line in the file (1-based) where the problem is; ``None`` when the data did not come from a file.
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else ""
        if self.location:
            where = f"{where}, {self.location}" if where else self.location
        return f"{where}: {self.message}" if where else self.message


class CallFileError(ValueError):
    """A call file that cannot be used; ``problems`` says every reason."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {problem}" for problem in problems)
        super().__init__(f"{source}: the call definition is not valid ({len(problems)} problem(s)):\n{lines}")


#: libyaml's parser where PyYAML was built with it (five times faster on a call file), else the pure one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
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


def _construct_timestamp(loader: _UniqueKeyLoader, node: yaml.ScalarNode) -> Any:
    """A date such as ``2019-13-45`` has the shape of a date but is none: refuse it with its line."""
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError) as error:
        raise yaml.constructor.ConstructorError(
            None, None, f"'{node.value}' is not a real date or time ({error})", node.start_mark
        ) from None


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree (lines, no values), or ``None`` when the text is not YAML at all."""
    try:
        return yaml.compose(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError:
        return None


def _path_at_line(root: yaml.Node | None, line: int, text: str) -> str:
    """The dotted path of the deepest key or item that starts at or before ``line`` (0-based)."""
    if root is None:
        # Not YAML at all: name the top-level key the broken line belongs to.
        key = ""
        for number, row in enumerate(text.splitlines()):
            if number > line:
                break
            if row[:1].isalpha() and ":" in row:
                key = row.split(":", 1)[0].strip()
        return key
    parts: list[str] = []
    node: yaml.Node | None = root
    while node is not None:
        following: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.start_mark.line <= line <= value_node.end_mark.line:
                    parts.append(str(key_node.value))
                    following = value_node
                    break
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                if item.start_mark.line <= line <= item.end_mark.line:
                    parts.append(str(index))
                    following = item
                    break
        node = following
    return ".".join(parts)


def _line_of(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest part of ``loc`` found in the file (a missing key: its parent's)."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((pair for pair in node.value if str(pair[0].value) == str(part)), None)
            if match is None:
                continue  # a pydantic tag (a union's branch) or a key that is missing
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode):
            index = int(part) if isinstance(part, str) and part.isdigit() else part
            if not isinstance(index, int) or not 0 <= index < len(node.value):
                continue
            node = node.value[index]
            line = node.start_mark.line + 1
    return line


def read_yaml(text: str, source: str) -> Any:
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        if mark is None:
            raise CallFileError(source, [Problem("", f"not valid YAML: {problem}")]) from None
        path = _path_at_line(_compose(text), mark.line, text)
        prefix = "" if isinstance(error, yaml.constructor.ConstructorError) else "not valid YAML: "
        message = f"{prefix}{problem} (column {mark.column + 1})"
        raise CallFileError(source, [Problem(path, message, mark.line + 1)]) from None


def parse_call(data: Any, source: str = "<call>", nodes: yaml.Node | None = None) -> CallDefinition:
    """Validate already-read data as a call definition.

    ``nodes`` is the file's node tree (from :func:`load_call_file`), so that each problem names its line.
    """
    if not isinstance(data, dict):
        line = 1 if nodes is not None else None
        raise CallFileError(source, [Problem("", "expected a mapping of keys (id, title, frame, …) at the top", line)])
    try:
        definition = CallDefinition.model_validate(data)
    except ValidationError as error:
        problems = [_problem(item, _line_of(nodes, tuple(item["loc"]))) for item in error.errors()]
        raise CallFileError(source, problems) from None
    unknown = [
        Problem(
            path,
            f"the rule id '{rule}' is not in the project's rule list (rules/reference/rules.yaml)",
            _line_of(nodes, tuple(path.split("."))),
        )
        for path, rule in _rule_ids_with_paths(data)
        if rule not in _known_rule_ids()
    ]
    if unknown:
        raise CallFileError(source, unknown)
    return definition


def _known_rule_ids() -> frozenset[str]:
    return frozenset(rule.id for rule in rule_list())


def _rule_ids_with_paths(node: Any, path: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """Every rule id the data names in ``rule`` or ``rules``, with the dotted path to it."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = (*path, str(key))
            if key == "rule" and isinstance(value, str):
                found.append((".".join(here), value))
            elif key == "rules" and isinstance(value, list):
                found += [(".".join((*here, str(i))), v) for i, v in enumerate(value) if isinstance(v, str)]
            else:
                found += _rule_ids_with_paths(value, here)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _rule_ids_with_paths(value, (*path, str(index)))
    return found


def _problem(item: dict, line: int | None = None) -> Problem:
    location = ".".join(str(part) for part in item["loc"])
    message = item["msg"].removeprefix("Value error, ")
    if item["type"] not in {"value_error", "missing", "extra_forbidden"} and "input" in item:
        shown = repr(item["input"])
        message = f"{message} (got {shown[:80]})"
    if item["type"] == "extra_forbidden":
        message = "unknown key; check the spelling against docs/call-format.md"
    return Problem(location, message, line)


def load_call_file(path: str | Path) -> CallDefinition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CallFileError(str(path), [Problem("", f"cannot read the file: {error}")]) from None
    data = read_yaml(text, str(path))
    if not isinstance(data, dict):  # an empty file, or a list or a word at the top
        message = "expected a mapping of keys (id, title, frame, …) at the top"
        raise CallFileError(str(path), [Problem("(top)", message, 1)])
    try:
        return parse_call(data, str(path))
    except CallFileError:
        # Composing the node tree costs as much as reading the file again: only a file with problems
        # pays for it, to name each problem's line.
        return parse_call(data, str(path), _compose(text))


def definition_hash(call: CallDefinition) -> str:
    """A stable hash of what a call says, to tell a real change from a reload of the same file."""
    canonical = json.dumps(call.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
