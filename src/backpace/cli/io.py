"""Shared helpers for commands: read an input file or stdin, and print errors to people."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

err_console = Console(stderr=True, highlight=False)


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
