"""Alembic's entry point, run by `Store.migrate()` (which hands over its connection in
`config.attributes["connection"]`) and by the `alembic` command (which connects to the app's
database: `DATABASE_URL`, else var/quiz.sqlite3).

The whole upgrade is one transaction, so a failed migration leaves the previous schema intact
(SQLite's DDL is transactional too once SQLAlchemy emits BEGIN; see quiz/sessions/db.py). Two app
servers starting at once: on PostgreSQL each takes a transaction-level advisory lock before
reading the schema's revision, so the second waits for the first to commit, then finds nothing
to do; on SQLite the transaction begins with BEGIN IMMEDIATE, which serialises them the same way.
"""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, text

from quiz.sessions import MIGRATION_LOCK, Base, Store, database_url

config = context.config


def run_migrations(connection: Connection) -> None:
    with connection.begin():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite alters a table by copying it: future migrations get that for free.
            render_as_batch=connection.dialect.name == "sqlite",
            # True of SQLite too here: SQLAlchemy, not the driver, emits BEGIN (quiz/sessions/db.py).
            transactional_ddl=True,
        )
        context.run_migrations()


def run_offline() -> None:
    """`alembic upgrade --sql`: the SQL to run, printed, for a database administrator."""
    context.configure(url=database_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_offline()
elif (connection := config.attributes.get("connection")) is not None:
    run_migrations(connection)
else:
    # The command line: log as alembic.ini says (the app keeps its own logging untouched).
    if config.config_file_name is not None:
        fileConfig(config.config_file_name)
    store = Store(database_url())
    try:
        with store.engine.execution_options(sqlite_begin="IMMEDIATE").connect() as connection:
            run_migrations(connection)
    finally:
        store.dispose()
