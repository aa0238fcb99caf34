"""Gatherers: the only code that touches a browser page; each returns a JSON-serializable artifact."""
