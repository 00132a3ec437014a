"""Alembic migrations for the diary tables; ``backpace.storage.migrate`` applies them."""
