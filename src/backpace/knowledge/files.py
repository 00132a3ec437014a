"""Reading knowledge files: YAML parsed into Pydantic models, errors naming file and rule.

Every loader of the knowledge base (the engine's, the interview's, the care plan's, pacing's)
reads its files through these functions, so a malformed file always stops with the same kind
of message: ``red_flags.yaml: rule CE5: unknown finding 'radiating_leg'``.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)
#: libyaml's safe loader where PyYAML was built with it: the same documents, parsed about ten
#: times faster (the whole knowledge base is read at every start-up).
_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class _KnowledgeLoader(_SAFE_LOADER):  # type: ignore[valid-type,misc]
    """The safe loader, refusing a key given twice in one mapping. YAML says keys are unique, but
    PyYAML keeps the last silently: a second ``fever_present:`` would replace the first rule
    without a word. Keys merged in with ``<<`` may still be overridden, as YAML allows."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != _MERGE:
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"the key {key!r} is given twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


class KnowledgeError(Exception):
    """A knowledge file is missing or malformed: names the file, the rule and the problem."""

    def __init__(self, file: str, rule: str | None, problem: str) -> None:
        self.file, self.rule, self.problem = file, rule, problem
        where = f"{file}: rule {rule}" if rule else file
        super().__init__(f"{where}: {problem}")


def read_yaml(directory: Path, name: str) -> Any:
    path = directory / name
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KnowledgeError(name, None, f"cannot be read ({error.strerror})") from None
    try:
        return yaml.load(text, Loader=_KnowledgeLoader)
    except yaml.YAMLError as error:
        raise KnowledgeError(name, None, f"is not valid YAML: {error}") from None


def _problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


def parse(model: type[M], data: Any, file: str, rule: str | None = None) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise KnowledgeError(file, rule, _problem(error)) from None


def parse_rules(model: type[M], data: Any, file: str) -> list[M]:
    """Parse a list of rules one by one, so an error names the rule it is in."""
    if not isinstance(data, list):
        raise KnowledgeError(file, None, "must be a list of rules")
    parsed = []
    for index, raw in enumerate(data):
        rule = str(raw.get("id", f"#{index + 1}")) if isinstance(raw, dict) else f"#{index + 1}"
        parsed.append(parse(model, raw, file, rule))
    check_unique([rule.id for rule in parsed], file)  # type: ignore[attr-defined]
    return parsed


def check_unique(ids: Iterable[str], file: str) -> None:
    seen: set[str] = set()
    for rule_id in ids:
        if rule_id in seen:
            raise KnowledgeError(file, rule_id, "the id is used twice")
        seen.add(rule_id)


def as_mapping(data: Any, file: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise KnowledgeError(file, None, "must be a mapping")
    return data


def check_placeholders(texts: dict[str, str], allowed: dict[str, set[str]], file: str, rule: str) -> None:
    """Every {placeholder} in TEXTS is one its message may use (ALLOWED, by message key), written
    plainly: a format or conversion ({minutes:q}, {days!x}) would fail when the message is shown."""
    for key, text in texts.items():
        try:
            fields = [
                (name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text)
            ]
        except ValueError as error:
            raise KnowledgeError(file, rule, f"{key}: {error}") from None
        used = {name for name, _, _ in fields if name is not None}
        for name, spec, conversion in fields:
            if spec or conversion is not None:
                raise KnowledgeError(file, rule, f"{key}: write {{{name}}} with no format or conversion")
        unknown = used - allowed.get(key, set())
        if unknown:
            raise KnowledgeError(file, rule, f"{key}: unknown placeholder(s) {sorted(unknown)}")


def check_sections(data: dict[str, Any], sections: Iterable[str], file: str) -> None:
    """Stop on a top-level section that is missing or not known."""
    for name in sorted(set(sections) ^ set(data)):
        raise KnowledgeError(file, name, "unknown section" if name in data else "the section is missing")
