"""State that spans pages, in the store so several processes crawling one run share it: link targets and the
links waiting for them (broken-link findings), and the media audit's measurements (each URL measured once a run).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from empathy_audit.crawler.store.types import Int, Str

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "link_targets",
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("url", Str, primary_key=True),
        sa.Column("status", Int),
        sa.Column("broken", Int, nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "link_referrers",
        sa.Column("id", Int, primary_key=True, autoincrement=True),
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), nullable=False),
        sa.Column("target", Str, nullable=False),
        sa.Column("page_url", Str, nullable=False),
        sa.Column("selector", Str, nullable=False),
        sa.Column("snippet", Str, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("link_referrers_target", "link_referrers", ["run_id", "target"])
    op.create_table(
        "measurements",
        sa.Column("run_id", Int, sa.ForeignKey("runs.id"), primary_key=True),
        sa.Column("url", Str, primary_key=True),
        sa.Column("data", Str, nullable=False),
        sqlite_with_rowid=False,
    )
