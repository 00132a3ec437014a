"""Where BackPace keeps its data: settings read from ``BACKPACE_*`` environment variables.

The command line keeps one person's diary in one SQLite file in the user's data folder;
the web app (issue 6) points ``BACKPACE_DATABASE_URL`` at PostgreSQL instead.
"""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The SQLite file's name inside the data folder.
DIARY_FILE = "backpace.sqlite3"


def default_data_dir() -> Path:
    """The user's data folder for BackPace (e.g. ~/.local/share/backpace on Linux)."""
    return Path(user_data_dir("backpace", appauthor=False))


class Settings(BaseSettings):
    """BackPace's settings; each one can be set as ``BACKPACE_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="BACKPACE_", extra="ignore")

    data_dir: Path = Field(
        default_factory=default_data_dir, description="Folder for the diary database and other data."
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy database URL; when unset, a SQLite file in the data folder.",
    )

    def resolved_database_url(self) -> str:
        """The database to open: the URL if one is set, else the SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DIARY_FILE).expanduser()}"
