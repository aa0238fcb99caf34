"""The HTML audit pipeline (the checks of every family that reads the served HTML, and the page's links for the
link audit), the scope pipeline (what --ignore-check and --exclude-selector leave out, whichever audit found it) and
the stop gate (after Ctrl-C, no page that has not started its audits starts them)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

import soupsieve
from bs4 import Tag
from scrapy.exceptions import DropItem

from empathy_audit.audits.artifacts import StaticPage, css_path
from empathy_audit.audits.families import Need
from empathy_audit.audits.model import Check, Finding
from empathy_audit.audits.registry import by_need, families
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.signals import STOPPED
from empathy_audit.crawler.urls import link_target

log = logging.getLogger(__name__)

_SKIP = ("mailto:", "tel:", "javascript:", "data:", "#")


_SCOPE = "_empathy_audit_scope"


class Scope:
    """What a crawl leaves out (AUDIT_IGNORE_CHECKS, AUDIT_EXCLUDE_SELECTORS), shared by the pipelines of one crawl in
    this process: the HTML audit marks the links inside excluded elements as it parses each page, and the scope
    pipeline drops the findings on them, even one that arrives with another page's item (a broken-link finding for a
    page stored earlier comes with its target's item, after that page's HTML is gone)."""

    def __init__(self, ignore: tuple[str, ...] = (), exclude: tuple[str, ...] = ()) -> None:
        self.ignore = frozenset(ignore)
        self.exclude = [soupsieve.compile(sel) for sel in exclude]
        self.excluded_links: set[tuple[str, str]] = set()  # (page URL, the link's css_path)

    @classmethod
    def of(cls, crawler: Any) -> Scope:
        scope = getattr(crawler, _SCOPE, None)
        if scope is None:
            s = crawler.settings
            scope = cls(tuple(str(c) for c in s.getlist("AUDIT_IGNORE_CHECKS")),
                        tuple(str(c) for c in s.getlist("AUDIT_EXCLUDE_SELECTORS")))
            setattr(crawler, _SCOPE, scope)
        return scope

    def families(self, need: Need) -> list[tuple[str, list[Check]]]:
        """by_need()'s (family, checks) groups without the ignored checks: those never run."""
        return [(kind, [c for c in checks if c.id not in self.ignore]) for kind, checks in by_need(need)]

    def roots(self, soup: Any) -> set[int]:
        """The elements of a parsed page that match an excluded selector (their descendants are inside them)."""
        if soup is None or not self.exclude:
            return set()
        return {id(el) for pattern in self.exclude for el in pattern.select(soup)}

    def mark_links(self, page_url: str, links: list[tuple[str, Any]], roots: set[int]) -> None:
        for _target, el in links:
            if _inside(el, roots):
                self.excluded_links.add((page_url, css_path(el)))


class HtmlAuditPipeline:
    """Runs the checks of each family that needs the served HTML (static, and any family declared with
    Need.HTML, built in or plug-in) on each HTML page, but the ignored ones, and lists its internal links with their
    elements (those inside excluded elements marked for the scope pipeline)."""

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope = scope or Scope()
        self.families = self.scope.families(Need.HTML)

    @classmethod
    def from_crawler(cls, crawler: Any) -> HtmlAuditPipeline:
        return cls(Scope.of(crawler))

    def process_item(self, item: PageItem) -> PageItem:
        if not item.is_html:
            return item
        page = StaticPage(url=item.url, html=item.html or "", status=item.status or 200, headers=item.headers)
        item.findings.extend(run_families(self.families, page, item.url))
        item.soup = page.soup  # parsed once: the media audit reads the same tree
        base = item.final_url or item.url
        base_tag = page.soup.find("base", href=True)
        if base_tag is not None:
            base = urljoin(base, str(base_tag["href"]))
        # Targets only: a link's selector and snippet are worked out by the link-integrity pipeline, for the few
        # links whose target is (or may still turn out) broken.
        links: list[tuple[str, Any]] = []
        for el in page.soup.find_all(["a", "area"], href=True):
            href = str(el["href"]).strip()
            if not href or href.lower().startswith(_SKIP):
                continue
            target = link_target(base, href)
            if target is not None and target.startswith(("http://", "https://")):
                links.append((target, el))
        item.links = links
        if self.scope.exclude:
            self.scope.mark_links(item.url, links, self.scope.roots(page.soup))
        return item


class ScopePipeline:
    """Last before storage: drops the findings of ignored checks (static, site, media, browser and inferred alike)
    and those on an element inside an excluded one, matched on the page's parsed HTML. Browser findings were matched
    in the rendered page already (crawler/browser/page_audit.py), so the served HTML, whose element paths can
    differ from the rendered DOM's, is not asked about them."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.rendered = frozenset(s for fam in families() if fam.needs == Need.RENDERED for s in fam.sources)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ScopePipeline:
        return cls(Scope.of(crawler))

    def process_item(self, item: PageItem) -> PageItem:
        scope = self.scope
        if scope.ignore:
            item.findings = [f for f in item.findings if f.check_id not in scope.ignore]
        if scope.exclude and item.findings:
            item.findings = self._outside_excluded(item)
        return item

    def _outside_excluded(self, item: PageItem) -> list[Finding]:
        roots = self.scope.roots(item.soup)
        kept = []
        for f in item.findings:
            if f.url != item.url:
                if (f.url, f.selector) in self.scope.excluded_links:
                    continue
            elif roots and not self.rendered.intersection(f.sources) and _inside(_element(item.soup, f.selector), roots):
                continue
            kept.append(f)
        return kept


def _element(soup: Any, selector: str) -> Tag | None:
    """The element a finding's selector picks in the served HTML (the iframe for "frame >>> inner"), or None."""
    try:
        return soupsieve.select_one(selector.split(" >>> ")[0], soup)
    except (soupsieve.SelectorSyntaxError, ValueError, TypeError):
        return None


def _inside(el: Tag | None, roots: set[int]) -> bool:
    while el is not None:
        if id(el) in roots:
            return True
        el = el.parent
    return False


class StopGate:
    """First in line: once the run is stopping (AUDIT_STOP, set by the first Ctrl-C), a page that has not started its
    audits is dropped, not audited; and last before storage, a page whose audits were cut short by the stop is
    dropped too, so the history keeps only pages audited in full. Counts the pages that entered the audits
    (audit/pages_entered), for the progress display."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stop = crawler.settings.get("AUDIT_STOP")

    @classmethod
    def from_crawler(cls, crawler: Any) -> StopGate:
        return cls(crawler)

    def stopping(self) -> bool:
        return self.stop is not None and self.stop.requested

    def process_item(self, item: PageItem) -> PageItem:
        if self.stopping():
            self.crawler.stats.inc_value("audit/pages_stopped")
            raise DropItem(STOPPED, log_level="INFO")
        self.crawler.stats.inc_value("audit/pages_entered")
        return item


class StoppedPagesGate(StopGate):
    """See StopGate: a page the stop cut short (its browser audit did not run) is not stored."""

    def process_item(self, item: PageItem) -> PageItem:
        browser = item.browser if isinstance(item.browser, dict) else {}
        if self.stopping() and browser.get("audited") is False and STOPPED in str(browser.get("error") or ""):
            self.crawler.stats.inc_value("audit/pages_stopped")
            raise DropItem(STOPPED, log_level="INFO")
        return item
