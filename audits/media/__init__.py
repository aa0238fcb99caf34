"""Media checks: what each page makes a visitor download, and what it costs on slow or prepaid mobile data."""

from __future__ import annotations

from empathy_audit.audits.families import Family, Need

FAMILY = Family(
    name="media",
    package=__name__,
    needs=Need.RESOURCES,
    source="media",
    confidence="media",  # measured bytes
    reads="the resources a page makes a visitor download",
    order=30,
    task="loading the page",
)
