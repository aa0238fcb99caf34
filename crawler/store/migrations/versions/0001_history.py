"""Runs, pages, findings and links (the first schema: PRAGMA user_version 1 of the pre-Alembic history).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from empathy_audit.crawler.store.types import Int, Real, Str

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", Int, primary_key=True, autoincrement=True),
        sa.Column("site", Str, nullable=False),
        sa.Column("start_url", Str, nullable=False),
        sa.Column("started_at", Str, nullable=False),
        sa.Column("finished_at", Str),
        sa.Column("status", Str, nullable=False),
        sa.Column("settings", Str, nullable=False),
        sa.Column("versions", Str, nullable=False),
        sa.Column("stats", Str, nullable=False, server_default="{}"),
        sqlite_autoincrement=True,
    )
    op.create_index("runs_site", "runs", ["site", "id"])
    op.create_table(
        "pages",
        sa.Column("id", Int, primary_key=True, autoincrement=True),
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("url", Str, nullable=False),
        sa.Column("final_url", Str, nullable=False),
        sa.Column("status", Int),
        sa.Column("content_type", Str, nullable=False, server_default=""),
        sa.Column("depth", Int, nullable=False),
        sa.Column("found_via", Str, nullable=False),
        sa.Column("referrer", Str),
        sa.Column("sitemap_priority", Real),
        sa.Column("title", Str, nullable=False, server_default=""),
        sa.Column("inbound_links", Int, nullable=False, server_default="0"),
        sa.Column("error", Str),
        sa.Column("redirect_chain", Str, nullable=False, server_default="[]"),
        sa.Column("headers", Str, nullable=False, server_default="{}"),
        sa.Column("browser", Str),
        sa.Column("fetched_at", Real, nullable=False),
        sa.UniqueConstraint("run_id", "url"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "findings",
        sa.Column("id", Int, primary_key=True, autoincrement=True),
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("page_url", Str, nullable=False),
        sa.Column("check_id", Str, nullable=False),
        sa.Column("severity", Str, nullable=False),
        sa.Column("outcome", Str, nullable=False),
        sa.Column("selector", Str, nullable=False),
        sa.Column("snippet", Str, nullable=False),
        sa.Column("message", Str, nullable=False),
        sa.Column("sources", Str, nullable=False),
        sa.Column("data", Str, nullable=False, server_default="{}"),
        sqlite_autoincrement=True,
    )
    op.create_index("findings_run", "findings", ["run_id", "check_id"])
    op.create_table(
        "links",
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("from_url", Str, primary_key=True),
        sa.Column("to_url", Str, primary_key=True),
        sqlite_with_rowid=False,
    )
