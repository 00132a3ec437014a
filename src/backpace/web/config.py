"""Settings of the web app, from ``BACKPACE_*`` environment variables or passed in.

Built once by whoever starts the app (``backpace serve``, a test, the benchmark) and handed to
``create_app``: nothing reads the environment at import time.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def user_data_dir() -> Path:
    """Where BackPace keeps a person's data on this computer (the folder is not created here)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "backpace"


def default_database_url() -> str:
    return f"sqlite:///{user_data_dir() / 'backpace.db'}"


class Settings(BaseSettings):
    """How the web app runs. Every field can be set as ``BACKPACE_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="BACKPACE_", extra="ignore", frozen=True)

    host: str = Field("127.0.0.1", description="Address to listen on (loopback: only this computer).")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
    database_url: str = Field(
        default_factory=default_database_url,
        description="SQLAlchemy URL of the diary database (SQLite in the user data folder by default).",
    )
    secret_key: SecretStr = Field(
        default_factory=lambda: SecretStr(secrets.token_urlsafe(32)),
        description="Signs session cookies; random per start unless set (sessions then end on restart).",
    )

    locale: str = Field(
        "uk",
        description=(
            "Which phone numbers the emergency and urgent results offer to tap "
            "(knowledge/phones.yaml: uk 999 and 111, eu 112, us 911)."
        ),
    )
    timezone: str | None = Field(
        None,
        description="Time zone for times shown to people, e.g. Europe/London (unset: this computer's).",
    )

    secure_cookies: bool | None = Field(
        None,
        description=(
            "Mark the session cookie Secure: unset means only when the request came over https; "
            "true behind an https proxy; false for local http testing."
        ),
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                ZoneInfo(value)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValueError(f"{value!r} is not a time zone (for example Europe/London)") from None
        return value

    def zone(self) -> dt.tzinfo:
        """The time zone for times shown to people: the setting, else this computer's."""
        if self.timezone is not None:
            return ZoneInfo(self.timezone)
        local = dt.datetime.now().astimezone().tzinfo
        return local if local is not None else dt.UTC

    forwarded_allow_ips: str | None = Field(
        None,
        description=(
            "Addresses or networks of your reverse proxies, comma-separated (e.g. 127.0.0.1 or "
            "10.0.0.0/8): only requests from these may set X-Forwarded-For and X-Forwarded-Proto. "
            "Unset: no forwarded header is trusted."
        ),
    )
    clinician_invite: SecretStr | None = Field(
        None,
        description=(
            "The invitation code a clinician types to create a clinician account. "
            "Unset: clinician sign-up is closed."
        ),
    )
    login_limit_per_address: int = Field(
        50, ge=1, description="Password tries from one address in 15 minutes (good logins do not count)."
    )
    login_limit_everyone: int = Field(
        1000,
        ge=1,
        description="Password tries from everyone together in 15 minutes (good logins do not count).",
    )
    hashing_threads: int = Field(
        2, ge=1, le=16, description="Passwords hashed at once per server process (argon2 uses 64 MiB each)."
    )

    def address(self) -> str:
        """The address to open in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"
