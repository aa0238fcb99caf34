"""Column types of the run history, one definition for the schema and its migrations (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# SQLite keeps the types of the first schema (INTEGER, REAL, TEXT); PostgreSQL gets 64-bit integers and byte-order
# text ("C" collation), so ORDER BY url gives the order SQLite gives.
Int = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Real = sa.Double().with_variant(sa.REAL(), "sqlite")
Str = sa.Text().with_variant(postgresql.TEXT(collation="C"), "postgresql")
