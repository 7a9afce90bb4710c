"""The database: SQLAlchemy models, Alembic migrations and sessions (SQLite or PostgreSQL)."""

from genguard.store.db import Store, StoreError, open_store

__all__ = ["Store", "StoreError", "open_store"]
