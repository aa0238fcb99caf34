"""A family of checks as one record: what its checks need, where they live, and how the report names and trusts them.

Each family package declares `FAMILY = Family(...)` in its `__init__.py`; audits.registry finds the packages of
`audits` that do (and those of the `empathy_audit.families` entry points) and imports one module per check from
each. Nothing else lists the families: the crawler picks the families it runs by what they need, the report reads
their source name and confidence basis from here, and the fixture meta-test reads their fixture root.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: relative fixture roots start here

_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Need(StrEnum):
    """What a family's checks are given, which decides the crawler component that runs them."""

    HTML = "html"  # audits.artifacts.StaticPage, the HTML as served: crawler.pipelines.HtmlAuditPipeline
    RENDERED = "rendered"  # audits.artifacts.RenderedPage, a page rendered in Chromium: crawler.browser's pool
    RESOURCES = "resources"  # audits.media._model.MediaInventory, what a page downloads: crawler.media_pipeline
    SITE = "site"  # facts only the whole crawl knows (a link's target status): crawler.link_pipeline


@dataclass(frozen=True)
class Family:
    """One family of checks, declared once in its package's __init__.py as FAMILY."""

    name: str  # kebab-case: the `kind` of its checks in docs/checks.md, `checks list` and report.json
    package: str  # the importable package holding its checks, one module per check ("empathy_audit.audits.static")
    needs: Need
    source: str  # the engine name its findings carry (Finding.sources), shown in the report's "found by"
    confidence: str  # the reports.scoring.CONFIDENCE basis of its findings' impact
    reads: str  # what its checks read, in words, for docs/checks.md
    order: int  # place among families: docs/checks.md lists checks, and "found by" lists sources, in this order
    fixtures: str = "tests/fixtures/checks"  # root of its checks' <id>/{fail,pass}.html, absolute or from ROOT
    # Other engines the family's crawler component runs, listed just before `source` in "found by", with the same
    # confidence basis: the browser pool runs axe-core's rules beside our browser checks.
    engines: tuple[str, ...] = ()
    task: str = ""  # the task its checks get in the way of, unless a check names its own (Check.task)

    def __post_init__(self) -> None:
        if not _NAME_RE.match(self.name):
            raise ValueError(f"family name {self.name!r} is not kebab-case")
        for source in (self.source, *self.engines):
            if not _NAME_RE.match(source):
                raise ValueError(f"family {self.name}: source {source!r} is not kebab-case")
        if not self.package or not self.confidence or not self.reads.strip():
            raise ValueError(f"family {self.name}: give its package, confidence basis and what its checks read")

    @property
    def sources(self) -> tuple[str, ...]:
        """Every engine name this family's findings may carry, in "found by" order."""
        return (*self.engines, self.source)

    @property
    def fixture_root(self) -> Path:
        return ROOT / self.fixtures
