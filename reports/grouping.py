"""Grouping: findings become fixes, one per fingerprint (reports.fixes), a check's page-level findings over most of
the site one layout fix, and fixes that would share a heading told apart."""

from __future__ import annotations

from typing import Mapping

from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import Check
from empathy_audit.reports import fixes as fx
from empathy_audit.reports.model import Fix
from empathy_audit.reports.rows import Item


def colour_pair(check_id: str, check: Check | None) -> bool:
    """One colour change fixes it wherever the pair appears (Check.colour_pair; axe's table for an unknown rule)."""
    return check.colour_pair if check else check_id in axe_map.COLOUR_RULES


def group_findings(items: list[Item], audited_count: int,
                  checks: Mapping[str, Check | None]) -> dict[str, tuple[fx.Fingerprint, list[Item]]]:
    """Group items by fingerprint; one check's page-level findings over most of the site become one layout fix."""
    groups: dict[str, tuple[fx.Fingerprint, list[Item]]] = {}
    page_level: dict[str, set[str]] = {}
    for it in items:
        fp = fx.fingerprint(it.check_id, it.url, it.element.selector, it.element.snippet, it.element.data,
                            colour_pair(it.check_id, checks.get(it.check_id)))
        if fp.kind == "page":
            page_level.setdefault(it.check_id, set()).add(it.url)
        groups.setdefault(fp.id, (fp, []))[1].append(it)
    for check_id, urls in page_level.items():
        wide = fx.site_wide(check_id, len(urls), audited_count)
        if wide is None:
            continue
        merged: list[Item] = []
        for key in [k for k, (fp, its) in groups.items() if fp.kind == "page" and its[0].check_id == check_id]:
            merged.extend(groups.pop(key)[1])
        groups[wide.id] = (wide, merged)
    return groups


def tell_apart(fixes: list[Fix]) -> None:
    """Fixes sharing a heading (two unlabelled fields on one page) get their element's last selector step, then a
    number, so every heading and every link to a fix says which one it is."""
    by_heading: dict[str, list[Fix]] = {}
    for f in fixes:
        by_heading.setdefault(f.heading, []).append(f)
    for same in by_heading.values():
        if len(same) < 2:
            continue
        for f in same:
            first = f.pages[0].elements[0].selector if f.pages and f.pages[0].elements else ""
            f.detail = " ".join(first.split(">")[-1].split())[:60] or f.fingerprint.id
        seen: dict[str, int] = {}
        for f in same:
            seen[f.detail] = seen.get(f.detail, 0) + 1
            if seen[f.detail] > 1 or sum(1 for g in same if g.detail == f.detail) > 1:
                f.detail = f"{f.detail}, {seen[f.detail]}"
