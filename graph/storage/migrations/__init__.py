"""Alembic's migrations of our tables (``versions/``), run in-process by
:meth:`graph.storage.database.Database.migrate` at every start; no alembic.ini: the script
location is this folder. A new revision (then change the table in graph/storage/tables.py too)::

    python -c "from alembic import command; from graph.storage.migrations import config; \
        command.revision(config(), 'what changes', rev_id='0002')"
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from alembic.config import Config

HERE = Path(__file__).parent
log = logging.getLogger(__name__)
# Before alembic is first imported (in the functions below): its set-up chatter at every start.
logging.getLogger("alembic").setLevel(logging.WARNING)


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration for this folder; ``connection``: the one the migrations run on
    (env.py reads it from ``attributes``)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade(connection: Connection) -> None:
    """Run every revision after the database's own (none: a database of the release before
    Alembic, or a new one) on ``connection``, inside its transaction."""
    from alembic import command

    command.upgrade(config(connection), "head")
    log.info("database schema upgraded to revision %s", head())


@cache
def head() -> str:
    """The latest revision id."""
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(config()).get_current_head())


def is_current(connection: Connection) -> bool:
    """True when the database on ``connection`` is at the latest revision: nothing to migrate."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision() == head()
