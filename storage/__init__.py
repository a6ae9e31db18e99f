"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic.

The names (listed, with their types, in `__init__.pyi`) are loaded on first use (lazy_loader): a command
that only catches `Unwritable`, or `rasd --help`, does not pay for SQLAlchemy and the store's models.
"""

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
