"""``backpace serve``: run the web app with production settings (no reload, quiet logs)."""

from __future__ import annotations

import socket
from typing import Annotated

import typer
from pydantic import ValidationError

from backpace.cli.io import fail
from backpace.errors import field_problems


def _listen(host: str, port: int) -> socket.socket:
    """Bind before announcing the address, so a busy port is a clear error and port 0 is resolved."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        fail(f"cannot listen on {host} port {port}: {error.strerror or error}")
    sock.listen(2048)
    return sock


def serve_command(
    host: Annotated[
        str | None, typer.Option(help="Address to listen on (default 127.0.0.1: only this computer).")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to listen on (default 8000; 0 picks a free one).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="Database URL (default: SQLite in your user data folder; also BACKPACE_DATABASE_URL)."
        ),
    ] = None,
) -> None:
    """Start the web app and print its address. Stop it with Ctrl+C.

    Example: backpace serve --port 8080
    """
    # Imported here so the other commands do not pay for loading the web stack.
    import uvicorn

    from backpace.web import Settings, create_app

    given = {"host": host, "port": port, "database_url": database_url}
    try:
        settings = Settings(**{k: v for k, v in given.items() if v is not None})  # type: ignore[arg-type]
    except ValidationError as error:
        fail("; ".join(str(p) for p in field_problems(error)))
    sock = _listen(settings.host, settings.port)
    settings = settings.model_copy(update={"port": sock.getsockname()[1]})
    try:
        app = create_app(settings)
    except ValueError as error:  # a setting the knowledge does not know (BACKPACE_LOCALE)
        fail(str(error))
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    print(f"BackPace is running at {settings.address()} (press Ctrl+C to stop)", flush=True)
    # uvicorn.run() with a socket bound above: the same server, the same production settings.
    uvicorn.Server(config).run(sockets=[sock])
