"""Alembic migration scripts, run programmatically by ``genguard.store.db.migrate``."""
