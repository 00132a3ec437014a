"""A real ``backpace serve`` (uvicorn, production settings) on a free loopback port, for tests
that need what only a real server shows: the moment a reply leaves, and a process killed with
SIGKILL. People reach it with httpx, signed up through the forms as in a browser.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from types import TracebackType

import httpx

from tests.web.conftest import soup

PASSWORD = "correct horse battery"


class Served:
    """One server process on DATABASE_URL; ``start`` again after ``kill`` for the same database
    (on the same address when PORT is given, so clients keep working across restarts).

    The secret key is fixed, so sessions outlive a restart as they do in production.
    """

    def __init__(self, database_url: str, secret_key: str = "served-test-secret", port: int = 0) -> None:
        self.port = port
        self.env = {**os.environ, "BACKPACE_DATABASE_URL": database_url, "BACKPACE_SECRET_KEY": secret_key}
        self.process: subprocess.Popen[str] | None = None
        self.address = ""
        self.output: list[str] = []
        self.clients: list[httpx.Client] = []

    def start(self, timeout: float = 30) -> str:
        command = [sys.executable, "-m", "backpace", "serve", "--host", "127.0.0.1", "--port", str(self.port)]
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env
        )
        assert process.stdout is not None
        self.process = process
        line = process.stdout.readline()
        if " at " not in line:
            self.kill()
            raise AssertionError(f"backpace serve did not print its address: {line!r}")
        # Keep reading what it prints, so a full pipe never blocks it (and a traceback is kept).
        threading.Thread(target=lambda: self.output.extend(process.stdout or ()), daemon=True).start()
        address = line.split(" at ", 1)[1].split()[0]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if httpx.get(address + "/", timeout=2).status_code == 200:
                    self.address = address
                    return address
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise AssertionError(f"the server at {address} did not answer within {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, nothing after the signal."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self._reap()

    def stop(self) -> None:
        for client in self.clients:
            client.close()
        self.clients.clear()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._reap()

    def client(self, cookies: httpx.Cookies | None = None) -> httpx.Client:
        """A client of this server (closed when it stops): its own connection, COOKIES if given."""
        self.clients.append(httpx.Client(base_url=self.address, cookies=cookies, timeout=30))
        return self.clients[-1]

    def sign_up(self, email: str, **extra: str) -> tuple[httpx.Client, str]:
        """A client signed up as EMAIL (cookie kept) and where the sign-up sent it; EXTRA fields
        go with the sign-up form."""
        client = self.client()
        data = {"email": email, "password": PASSWORD, "csrf_token": form_token(client, "/signup"), **extra}
        response = client.post("/signup", data=data)
        # Sign-up answers the same page whether the email is new or not: log in on it, as a person does.
        assert response.status_code == 200, response.text
        form = soup(response.text).find("form", attrs={"action": "/login"})
        assert form is not None, response.text
        fields = {str(f["name"]): str(f.get("value", "")) for f in form.find_all("input") if f.get("name")}  # type: ignore[union-attr]
        response = client.post("/login", data={**fields, "password": PASSWORD})
        assert response.status_code == 303, response.text
        return client, response.headers["location"]

    def signed_up(self, email: str) -> httpx.Client:
        return self.sign_up(email)[0]

    def twin(self, client: httpx.Client) -> httpx.Client:
        """Another connection with CLIENT's session, as a second tab or a fast next request."""
        return self.client(client.cookies)

    def _reap(self) -> None:
        if self.process is not None:
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None

    def __enter__(self) -> Served:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def form_token(client: httpx.Client, path: str) -> str:
    field = soup(client.get(path).text).find("input", attrs={"name": "csrf_token"})
    assert field is not None, f"no CSRF field on {path}"
    return str(field["value"])  # type: ignore[index]


def api_headers(client: httpx.Client) -> dict[str, str]:
    """The session's CSRF header for API writes."""
    return {"X-CSRF-Token": client.get("/api/v1/checkins").json()["csrf_token"]}
