"""Shared helpers for commands: read an input file or stdin, and print errors to people.

Every command imports this module when ``backpace`` starts: it imports no more than Typer (Rich
when a message is printed, Pydantic when a folder is loaded).
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import typer

if TYPE_CHECKING:
    from pydantic import BaseModel
    from rich.console import Console

    from backpace.models import Case


class _ErrorConsole:
    """Rich's console on standard error, made when a first message is printed: a command that
    prints none (``backpace assess --json``) does not import Rich."""

    def __init__(self) -> None:
        self._console: Console | None = None

    def print(self, *objects: Any, **options: Any) -> None:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, highlight=False)
        self._console.print(*objects, **options)


err_console = _ErrorConsole()


@contextmanager
def starting_up() -> Iterator[None]:
    """A command's start-up (its imports, loading the knowledge), run without Python's cyclic
    garbage collector, which is on again for the command's own work.

    Start-up makes a few hundred thousand objects that live as long as the process (model classes,
    validators, the knowledge) and hardly any garbage, yet the collector walked them about 80
    times: 0.02 s of CPU, a tenth of ``backpace assess --json -`` on one case. (Freezing them out
    of later collections too, as ``backpace.__main__`` does after importing the command line,
    was measured: no gain on one case or on 5,000, so a test process that runs commands is not
    left with frozen objects.)"""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_text(source: str) -> str:
    """The text of FILE, or of standard input for ``-``; a clear message and exit 2 if unreadable."""
    try:
        if source == "-":
            return sys.stdin.read()
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(f"{source}: no such file")
    except IsADirectoryError:
        fail(f"{source}: is a folder, not a file")
    except UnicodeDecodeError:
        fail(f"{source}: is not UTF-8 text")
    except OSError as error:
        fail(f"{source}: cannot be read ({error.strerror})")


def fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


M = TypeVar("M", bound="BaseModel")


def read_one_case(source: str, text: str | None = None) -> Case:
    """The one case in SOURCE (or in TEXT read from it), checked as ``assess`` checks it; a clear
    message and exit 2 if it holds no case, several, or a bad one."""
    from backpace.cases import BadCase, read_cases
    from backpace.knowledge import load_knowledge

    items = list(read_cases(read_text(source) if text is None else text, kb=load_knowledge()))
    if len(items) != 1:
        fail(f"{source}: expected one case, found {len(items)}")
    item = items[0]
    if isinstance(item, BadCase):
        fail(f"{source}: {item}")
    return item


def load_folder(directory: Path, model: type[M]) -> tuple[list[M], list[str]]:
    """Every JSON file of DIRECTORY as MODEL, and a message per file that is not one."""
    from pydantic import ValidationError

    from backpace.errors import field_problems

    loaded, errors = [], []
    for path in sorted(directory.glob("*.json")):
        try:
            loaded.append(model.model_validate_json(path.read_bytes()))
        except ValidationError as error:
            errors.append(f"{path.name}: " + "; ".join(str(p) for p in field_problems(error)))
    return loaded, errors


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"
