"""Crawl checks: facts only the whole crawl knows, such as the status a link's target answered with."""

from __future__ import annotations

from empathy_audit.audits.families import Family, Need

FAMILY = Family(
    name="crawl",
    package=__name__,
    needs=Need.SITE,
    source="crawl",
    confidence="crawl",  # an HTTP fact
    reads="facts only the crawl knows (status codes, links between pages)",
    order=40,
)
