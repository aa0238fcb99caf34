"""V(p), the visits of each page (IMPACT.md 3.2): from an analytics file when given, else the structural proxy of
page importance; returns the traffic part of the report's model."""

from __future__ import annotations

from empathy_audit.reports import fixes as fx
from empathy_audit.reports import scoring
from empathy_audit.reports.model import Model, Page
from empathy_audit.reports.traffic import Traffic


def assign_visits(pages: list[Page], traffic: Traffic | None) -> Model:
    """V(p) for every page that counts (audited, or carrying findings); returns the traffic part of the model."""
    for p in pages:
        p.importance = scoring.importance(p.depth, p.inbound_links, p.sitemap_priority)
        p.journey = fx.journey_of_url(p.url)
    counted = [p for p in pages if p.audited or not p.in_crawl]
    total_importance = sum(p.importance for p in counted) or 1.0
    if traffic is None:
        for p in counted:
            p.visits = p.importance / total_importance
        total = sum(p.visits for p in counted)
        model = Model("proxy", None, total or 1.0, 0, len(counted), {})
    else:
        known: list[Page] = []
        for p in counted:
            for key in (fx.url_path(p.url), fx.url_path(p.final_url or "")):
                if key in traffic.visits:
                    p.visits, p.in_traffic = traffic.visits[key], True
                    known.append(p)
                    break
        unknown = [p for p in counted if not p.in_traffic]
        if known:
            known_importance = sum(p.importance for p in known) or 1.0
            rate = sum(p.visits for p in known) / known_importance
            floor = min(p.visits for p in known)
            for p in unknown:
                p.visits = min(p.importance * rate, floor)
        else:  # no crawled page is in the file: spread its total by the proxy
            spread = sum(traffic.visits.values())
            for p in unknown:
                p.visits = spread * p.importance / total_importance
        total = sum(p.visits for p in counted)
        model = Model("analytics", traffic.source, total, len(known), len(unknown), {})
    for p in counted:
        p.visit_share = p.visits / model.total_visits if model.total_visits > 0 else 0.0
    return model
