"""The one place where generated rule code becomes a Python function.

The knowledge files' conditions are compiled to Python text (``conditions.py``) and joined into a
few functions (``program.py``). Here that text is compiled under a readable file name and
registered with :mod:`linecache`, so a traceback from inside a rule shows the generated line
with the comment that names its clause (``# CE6``) instead of ``File "<string>"``; the source of
every generated function stays readable as its ``__backpace_source__`` attribute.

Only identifiers, numbers, booleans and enum strings that passed validation reach the text, and
the functions run with no builtins.
"""

from __future__ import annotations

import itertools
import linecache
from collections.abc import Callable, Mapping
from typing import Any

_NUMBERS = itertools.count(1)


def generate(
    name: str, lines: list[str], helpers: Mapping[str, Callable[..., Any]] | None = None
) -> Callable[..., Any]:
    """Compile ``lines`` (one ``def name(...)``) and return the function it defines.

    ``helpers``: the only names besides the arguments the code may call (a derived value's
    arithmetic, defined once in Python), by name.
    """
    source = "\n".join(lines) + "\n"
    # A unique name per function: linecache keeps each source under its own key.
    filename = f"<backpace knowledge: {name} #{next(_NUMBERS)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), {"__builtins__": {}, **(helpers or {})}, namespace)
    function = namespace[name]
    function.__backpace_source__ = source
    return function  # type: ignore[no-any-return]


def source_of(function: Callable[..., Any]) -> str:
    """The generated source of a function made by :func:`generate`."""
    return str(function.__backpace_source__)  # type: ignore[attr-defined]
