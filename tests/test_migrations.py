"""The schema's migrations form one line: helpers working in parallel each numbered theirs 0009 and
every command then died on Alembic's "multiple heads" before touching the store."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory

from rasd.storage.database import MIGRATIONS_DIR


def test_migrations_form_a_single_line_numbered_like_their_files() -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    scripts = ScriptDirectory.from_config(config)
    assert scripts.get_heads() == [max(s.revision for s in scripts.walk_revisions())]
    for script in scripts.walk_revisions():
        assert Path(str(script.path)).name.startswith(f"{script.revision}_"), script.path
