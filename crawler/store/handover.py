"""The store a crawl's components share: the one handed in the AUDIT_STORE setting (opened once by the run), or
else AUDIT_DB opened once per crawler (`scrapy crawl site`) and closed when the engine stops."""

from __future__ import annotations

from typing import Any

from scrapy import signals

from empathy_audit.crawler.store.store import Store, open_store

_OPENED = "empathy_audit_store"  # crawler attribute: the store opened here for that crawler


def store_for(crawler: Any) -> Store | None:
    """The crawl's store: AUDIT_STORE, else AUDIT_DB opened on first use (None when neither is set).

    Raises StoreError when AUDIT_DB cannot be opened. Only a store opened here is closed here.
    """
    handed = crawler.settings.get("AUDIT_STORE")
    if handed is not None:
        return handed
    store = getattr(crawler, _OPENED, None)
    if store is None:
        db = crawler.settings.get("AUDIT_DB")
        if not db:
            return None
        store = open_store(db)
        setattr(crawler, _OPENED, store)
        # engine_stopped comes after spider_closed, where the storage pipeline finishes the run.
        crawler.signals.connect(lambda: _close(crawler), signal=signals.engine_stopped, weak=False)
    return store


def _close(crawler: Any) -> None:
    store = getattr(crawler, _OPENED, None)
    if store is not None:
        setattr(crawler, _OPENED, None)
        store.close()


def run_id_of(crawler: Any) -> int | None:
    """The run a crawl writes: AUDIT_RUN_ID, else the one the storage pipeline started when the spider opened."""
    return crawler.settings.getint("AUDIT_RUN_ID") or crawler.stats.get_value("audit/run_id") or None
