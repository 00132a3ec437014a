"""``backpace serve``: run the web app with production settings (no reload, quiet logs)."""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backpace.cli.io import fail
from backpace.cli.options import DataDir, read_settings

if TYPE_CHECKING:
    from backpace.settings import Settings

#: Where ``backpace serve`` kept its diary before it shared the command line's (issue 11).
EARLIER_WEB_FILE = "backpace.db"


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
            help=(
                "Database URL (default: the diary in your user data folder, the same as the other "
                "commands; also BACKPACE_DATABASE_URL)."
            )
        ),
    ] = None,
    data_dir: DataDir = None,
    workers: Annotated[
        int,
        typer.Option(min=1, max=64, help="Server processes sharing the port (more than 1: use PostgreSQL)."),
    ] = 1,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help=(
                "Your reverse proxy's addresses or networks, comma-separated: only these may set "
                "X-Forwarded-For/-Proto (default: none; also BACKPACE_FORWARDED_ALLOW_IPS)."
            )
        ),
    ] = None,
) -> None:
    """Start the web app and print its address. Stop it with Ctrl+C.

    Example: backpace serve --port 8080
    """
    # Imported here so the other commands do not pay for loading the web stack.
    import uvicorn

    from backpace.web import create_app

    settings = read_settings(
        host=host, port=port, database_url=database_url, forwarded_allow_ips=forwarded_allow_ips
    )
    if database_url is None:
        settings = settings.in_folder(data_dir)
    sock = _listen(settings.host, settings.port)
    settings = settings.model_copy(update={"port": sock.getsockname()[1]})
    try:
        # Built here even for several workers: a setting the knowledge does not know
        # (BACKPACE_LOCALE) stops the command with a clear message, not each worker.
        app = create_app(settings)
    except ValueError as error:
        fail(str(error))
    options: dict[str, Any] = {
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        # Forwarded headers are the app's business (BACKPACE_FORWARDED_ALLOW_IPS), never uvicorn's.
        "proxy_headers": False,
    }
    if (note := _earlier_web_diary(settings)) is not None:
        print(note, flush=True)
    print(f"BackPace is running at {settings.address()} (press Ctrl+C to stop)", flush=True)
    if workers == 1:
        # uvicorn.run() with a socket bound above: the same server, the same production settings.
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[sock])
        return
    from uvicorn.supervisors import Multiprocess

    # Each worker builds its app from the environment: pass it the same settings, and one secret
    # key for all (a cookie signed by one worker must open on the others).
    os.environ.update(_environment(settings))
    config = uvicorn.Config(APP_FACTORY, factory=True, workers=workers, **options)
    Multiprocess(config, sockets=[sock]).run()


APP_FACTORY = "backpace.web.app:create_app"


def _earlier_web_diary(settings: Settings) -> str | None:
    """A note when the web app's earlier default file is beside the shared one (it is not read)."""
    from backpace.settings import sqlite_url

    earlier = settings.data_dir.expanduser() / EARLIER_WEB_FILE
    if settings.database_url != sqlite_url(settings.data_dir) or not earlier.exists():
        return None
    return (
        f"Note: the web app now keeps its diary with the command line's, in {settings.database_url}. "
        f"Your earlier web diary is still in {earlier}; to keep using it, start with "
        f"--database-url sqlite:///{earlier}"
    )


def _environment(settings: Settings) -> dict[str, str]:
    """The settings as BACKPACE_* variables, for worker processes that read them."""
    values = settings.model_dump()
    values["secret_key"] = settings.secret_key.get_secret_value()
    if settings.clinician_invite is not None:
        values["clinician_invite"] = settings.clinician_invite.get_secret_value()
    return {f"BACKPACE_{name.upper()}": str(value) for name, value in values.items() if value is not None}
