"""Storage for the diary: people, their saved cases and their daily check-ins.

An adapter, like the CLI and the web app: it imports the core (``backpace.models``), never the
reverse. ``db`` opens a database and migrates it, ``tables`` holds the SQLAlchemy rows,
``repo`` the functions that read and write them, each scoped to one person.
"""

from backpace.storage.db import connected, create_db_engine, dispose, migrate, open_database

__all__ = ["connected", "create_db_engine", "dispose", "migrate", "open_database"]
