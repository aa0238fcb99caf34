"""The run history as a layer: `open_store(url_or_path)` gives the one Store of a run (SQLite or PostgreSQL), which
returns typed records (crawler.store.records); crawler.store.handover hands it to a crawl's components."""

from __future__ import annotations

from empathy_audit.crawler.store.backends import StoreError
from empathy_audit.crawler.store.records import (
           FindingRecord,
           PageRecord,
           ResourceRecord,
           RunData,
           RunRecord,
)
from empathy_audit.crawler.store.store import Store, open_store

__all__ = ["FindingRecord", "PageRecord", "ResourceRecord", "RunData", "RunRecord", "Store", "StoreError",
           "open_store"]
