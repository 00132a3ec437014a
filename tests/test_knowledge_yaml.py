"""The knowledge's YAML reader (knowledge/files.py) reads what ``yaml.load`` with the safe loader
reads: the same objects, aliases as one object, and for a malformed document the same error."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from backpace.knowledge import default_knowledge_dir
from backpace.knowledge.files import _SAFE_LOADER, _safe_load

PACKAGED = sorted(default_knowledge_dir().glob("*.yaml"))


def _pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=_SAFE_LOADER)


@pytest.mark.parametrize("path", PACKAGED, ids=[p.name for p in PACKAGED])
def test_every_packaged_file_reads_as_pyyaml_reads_it(path: Any) -> None:
    text = path.read_text(encoding="utf-8")
    # repr tells True from 1 and 1.0 from 1, which == does not
    assert repr(_safe_load(text)) == repr(_pyyaml(text))


DOCUMENTS = [
    "",
    "just text",
    "- 1\n- 1.5\n- true\n- null\n- ~\n- 2026-12-03\n- '7'\n- 0x1f\n- 1_000\n- .inf\n- yes\n",
    "a: 1\na: 2\n",  # the last one wins, as in PyYAML
    "base: &base {x: 1, y: 2}\nuse: {<<: *base, y: 3}\n",  # a merge key
    "=: value\n",  # the value key
    "? [a, b]\n: c\n",  # a key that is a list
    "{[1]: x}\n",
    "!!set {a, b}\n",
    "!!omap [a: 1, b: 2]\n",
    "!custom x\n",
    "when: 2026-13-45\n",
    "when: !!timestamp nope\n",
    "n: !!int nope\n",
    "a: &a [1, *a]\n",  # a recursive list
    "- id: cauda_equina\n  : [\n",
    "a: b\n---\nc: d\n",
    "key: 'unterminated\n",
    "\t- tab\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_an_unusual_or_malformed_document_reads_or_fails_as_in_pyyaml(text: str) -> None:
    # PyYAML's own errors, and those its constructors let through (a bad date: ValueError)
    try:
        expected: Any = ("read", repr(_pyyaml(text)))
    except Exception as error:
        expected = ("error", type(error), str(error))
    try:
        got: Any = ("read", repr(_safe_load(text)))
    except Exception as error:
        got = ("error", type(error), str(error))
    assert got == expected


def test_an_alias_is_the_object_it_names() -> None:
    read = _safe_load("first: &shared {any: [{finding: fever, eq: true}]}\nsecond: *shared\n")
    assert read["second"] is read["first"]
