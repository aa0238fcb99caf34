"""Alembic environment: Store hands its connection in config.attributes["connection"] (crawler/store/migrate.py);
a developer running `alembic -x db=PATH_OR_URL revision|upgrade ...` gets an engine for that database instead."""

from __future__ import annotations

from alembic import context

from empathy_audit.crawler.store.schema import metadata


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from empathy_audit.crawler.store.backends import backend_for

    db = context.get_x_argument(as_dictionary=True).get("db") or context.config.get_main_option("sqlalchemy.url")
    engine = backend_for(db).engine()
    with engine.begin() as conn:
        _run(conn)
    engine.dispose()
