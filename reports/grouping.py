"""Grouping: findings become fixes, one per cause. First one per fingerprint (reports.fixes): the same element of
one template, the same colour pair, a page-level finding per URL pattern, and a check's page-level findings over
most of the site as one layout fix. Then element fixes with one cause are merged:

- the same text: elements that each always carry the same value of the text attribute their finding is about
  (every ``<img alt="...">``, on any page, in any place) are one fix, fingerprinted by that value;
- the same repeated component: findings about repeated ids on one page are one fix (the component that repeats
  them), and through its elements the same on every page of the template.

Elements whose text differs from page to page (a product photo's alt is its product's name) stay one fix per
element: their cause is the template, not a text. Fixes that would share a heading are then told apart.
"""

from __future__ import annotations

from typing import Mapping

from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import Check
from empathy_audit.reports import fixes as fx
from empathy_audit.reports.model import Fix
from empathy_audit.reports.rows import Item

Groups = dict[str, tuple[fx.Fingerprint, list[Item]]]


def colour_pair(check_id: str, check: Check | None) -> bool:
    """One colour change fixes it wherever the pair appears (Check.colour_pair; axe's table for an unknown rule)."""
    return check.colour_pair if check else check_id in axe_map.COLOUR_RULES


def group_findings(items: list[Item], audited_count: int, checks: Mapping[str, Check | None]) -> Groups:
    """Group items by fingerprint; one check's page-level findings over most of the site become one layout fix;
    element fixes with one cause are merged (see the module's doc)."""
    groups: Groups = {}
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
    _merge_same_cause(groups)
    return groups


def _causes(its: list[Item]) -> list[tuple]:
    """What links one element fix to others with the same cause: its text (when every element of it carries the
    same), and each page where it is about a repeated id."""
    texts = {fx.text_cause(it.element.data, it.element.snippet) for it in its}
    causes: list[tuple] = []
    if len(texts) == 1 and None not in texts:
        causes.append(("text", *next(iter(texts))))  # type: ignore[misc]
    causes.extend(("ids", it.url) for it in its if fx.id_cause(it.element.data, it.element.snippet))
    return causes


def _merge_same_cause(groups: Groups) -> None:
    """Element fixes linked by a cause (_causes) become one fix: a text fix fingerprinted by its text, or for
    repeated ids the fix of the element on most pages (its fingerprint, so the fix keeps it as it grows)."""
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent[k] != k:
            k = parent[k]
        return k

    owner: dict[tuple, str] = {}
    for key, (fp, its) in groups.items():
        if fp.kind != "element":
            continue
        for cause in _causes(its):
            parent.setdefault(key, key)
            first = owner.setdefault((its[0].check_id, *cause), key)
            a, b = root(first), root(key)
            parent[max(a, b)] = min(a, b)
    components: dict[str, list[str]] = {}
    for key in parent:
        components.setdefault(root(key), []).append(key)
    for keys in components.values():
        if len(keys) < 2:
            continue
        its = [it for k in keys for it in groups[k][1]]
        texts = {fx.text_cause(it.element.data, it.element.snippet) for it in its}
        if len(texts) == 1 and None not in texts:
            attribute, value = next(iter(texts))  # type: ignore[misc]
            fp = fx.text_fingerprint(its[0].check_id, attribute, value)
        else:
            main = max(keys, key=lambda k: (len({it.url for it in groups[k][1]}), len(groups[k][1]), k))
            fp = groups[main][0]
        for k in keys:
            del groups[k]
        groups[fp.id] = (fp, its)


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
