"""What each page makes a visitor download (media audit); PRAGMA user_version 2 of the pre-Alembic history.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from empathy_audit.crawler.store.types import Int, Str

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resources",
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("url", Str, primary_key=True),
        sa.Column("status", Int),
        sa.Column("content_type", Str, nullable=False, server_default=""),
        sa.Column("bytes", Int),
        sa.Column("decoded_bytes", Int),
        sa.Column("gzip_bytes", Int),
        sa.Column("encoding", Str, nullable=False, server_default=""),
        sa.Column("cache_control", Str),
        sa.Column("expires", Str),
        sa.Column("etag", Str),
        sa.Column("last_modified", Str),
        sa.Column("measured", Int, nullable=False),
        sa.Column("reason", Str),
        sa.Column("method", Str, nullable=False, server_default=""),
        sa.Column("info", Str, nullable=False, server_default="{}"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "page_resources",
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("page_url", Str, primary_key=True),
        sa.Column("resource_url", Str, primary_key=True),
        sa.Column("type", Str, nullable=False),
        sa.Column("found_via", Str, nullable=False),
        sa.Column("in_weight", Int, nullable=False, server_default="1"),
        sa.Column("selector", Str, nullable=False, server_default=""),
        sa.Column("data", Str, nullable=False, server_default="{}"),
        sqlite_with_rowid=False,
    )
