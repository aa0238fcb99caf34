"""Which engines found a finding, in the order the report lists them, and the confidence basis they give its
impact: both read from the family records (audits.families), never from a table of engine names."""

from __future__ import annotations

from functools import cache
from typing import Iterable

from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import families
from empathy_audit.reports import scoring

UNKNOWN_BASIS = "static"  # an engine no family declares: trusted no more than the served HTML


@cache
def source_order() -> tuple[str, ...]:
    """Every family's engines in the families' order: static, axe, browser, media, crawl for the built-in ones."""
    return tuple(dict.fromkeys(s for f in families() for s in f.sources))


@cache
def _bases() -> dict[str, str]:
    return {s: f.confidence for f in families() for s in f.sources}


def ordered_sources(sources: Iterable[str]) -> list[str]:
    """The distinct sources, known engines in source_order(), others after them by name."""
    unique = set(sources)
    order = source_order()
    return [s for s in order if s in unique] + sorted(unique - set(order))


def confidence_basis(sources: Iterable[str], outcome: Outcome, page_level: bool) -> str:
    """The scoring.CONFIDENCE key of one finding: the most trusted basis of the engines that saw it. A finding no
    engine can decide needs review; one read from the served HTML's <html> or <head>, which styles and scripts do
    not change, is page-level."""
    if outcome is Outcome.REVIEW:
        return "needs-review"
    bases = [_bases().get(s, UNKNOWN_BASIS) for s in sources]
    basis = max(bases, key=lambda b: scoring.CONFIDENCE[b], default=UNKNOWN_BASIS)
    if basis == scoring.HTML_BASIS and page_level:
        return scoring.PAGE_LEVEL_BASIS
    return basis
