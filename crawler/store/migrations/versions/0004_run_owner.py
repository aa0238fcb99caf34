"""The process that owns a run (host, boot, pid namespace, pid, start time, as JSON): a run still "running" whose
owner is gone from this machine is shown as "stopped unexpectedly" (crawler/store/owner.py). Older runs have none.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from empathy_audit.crawler.store.types import Str

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("runs", sa.Column("owner", Str, nullable=True))
