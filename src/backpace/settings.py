"""BackPace's settings, one class for the command line and the web app, from ``BACKPACE_*`` variables.

Both keep the diary in the same database: by default one SQLite file in the user's data folder,
so a check-in saved by ``backpace checkin`` is on the pages of ``backpace serve``. Built once by
whoever starts (a command, ``create_app``, a test, the benchmark) and handed down: nothing reads
the environment at import time, and the core never reads settings (import-linter says so).
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The SQLite file's name inside the data folder.
DIARY_FILE = "backpace.sqlite3"


def default_data_dir() -> Path:
    """The user's data folder for BackPace (e.g. ~/.local/share/backpace on Linux; not created here)."""
    return Path(user_data_dir("backpace", appauthor=False))


def sqlite_url(data_dir: Path) -> str:
    """The diary's SQLite file in DATA_DIR, as a database URL."""
    return f"sqlite:///{(data_dir / DIARY_FILE).expanduser()}"


class Settings(BaseSettings):
    """How BackPace runs. Every field can be set as ``BACKPACE_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="BACKPACE_", extra="ignore", frozen=True)

    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder for the diary database (default: your user data folder).",
    )
    database_url: str = Field(
        "",
        description=(
            "SQLAlchemy URL of the diary database, e.g. postgresql://user@host/db "
            f"(default: the SQLite file {DIARY_FILE} in the data folder)."
        ),
    )

    # --- the web app -----------------------------------------------------------------------
    host: str = Field("127.0.0.1", description="Address to listen on (loopback: only this computer).")
    port: int = Field(8000, ge=0, le=65535, description="Port to listen on (0: any free port).")
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

    @model_validator(mode="before")
    @classmethod
    def _database_in_data_dir(cls, values: Any) -> Any:
        # No URL (unset, empty or None): the SQLite file in the data folder, for every command.
        if isinstance(values, dict) and not values.get("database_url"):
            folder = values.get("data_dir") or default_data_dir()
            values = {**values, "database_url": sqlite_url(Path(folder))}
        return values

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

    def address(self) -> str:
        """The address to open in a browser."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def in_folder(self, data_dir: Path | None) -> Settings:
        """These settings with the diary in DATA_DIR (``--data-dir``: it wins over any URL); unchanged for None."""
        if data_dir is None:
            return self
        return self.model_copy(update={"data_dir": data_dir, "database_url": sqlite_url(data_dir)})
