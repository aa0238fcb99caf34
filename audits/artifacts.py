"""What checks read: a parsed page (StaticPage), and helpers that describe an element in a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterator

from bs4 import BeautifulSoup, Tag

from audits.model import Finding, Outcome, Severity

SNIPPET_MAX = 300
_CSS_IDENT = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


def parse_html(html: str | bytes) -> BeautifulSoup:
    """Parse HTML the forgiving way browsers do (lxml), keeping the whole document."""
    return BeautifulSoup(html, "lxml")


def css_path(el: Tag) -> str:
    """A CSS selector that picks `el` in its document: the nearest unique #id ancestor, then tag:nth-of-type steps."""
    parts: list[str] = []
    node: Tag | None = el
    while node is not None and isinstance(node, Tag) and node.name not in ("[document]",):
        el_id = node.get("id")
        if isinstance(el_id, str) and _CSS_IDENT.match(el_id) and _id_is_unique(node, el_id):
            parts.append(f"#{el_id}")
            break
        name = node.name
        parent = node.parent
        if name in ("html", "body", "head") or parent is None or not isinstance(parent, Tag):
            parts.append(name)
        else:
            siblings = [s for s in parent.find_all(name, recursive=False)]
            if len(siblings) > 1:
                parts.append(f"{name}:nth-of-type({next(i for i, s in enumerate(siblings) if s is node) + 1})")
            else:
                parts.append(name)
        node = parent if isinstance(parent, Tag) else None
    return " > ".join(reversed(parts))


def _id_is_unique(node: Tag, el_id: str) -> bool:
    root = node
    while root.parent is not None:
        root = root.parent
    return len(root.find_all(id=el_id, limit=2)) == 1


def snippet(el: Tag, limit: int = SNIPPET_MAX) -> str:
    """The element's HTML, shortened: the whole element when short, else its start tag and an ellipsis."""
    html = str(el)
    html = re.sub(r"\s+", " ", html).strip()
    if len(html) <= limit:
        return html
    start = _start_tag(el)
    if len(start) > limit:
        return start[: limit - 1] + "…"
    return start + "…"


def _start_tag(el: Tag) -> str:
    attrs = []
    for k, v in el.attrs.items():
        if isinstance(v, list):
            v = " ".join(v)
        v = str(v).replace('"', "&quot;")
        attrs.append(f'{k}="{v}"')
    return "<" + " ".join([el.name, *attrs]) + ">"


@dataclass
class StaticPage:
    """One fetched HTML page, as static checks see it."""

    url: str
    html: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def soup(self) -> BeautifulSoup:
        return parse_html(self.html)

    def finding(
        self,
        el: Tag | None,
        message: str,
        *,
        severity: Severity | None = None,
        outcome: Outcome = Outcome.FAIL,
        **data: Any,
    ) -> Finding:
        """A finding about `el` (None: the page as a whole). check_id and default severity are filled by the runner."""
        if el is None:
            selector, snip = "html", ""
        else:
            selector, snip = css_path(el), snippet(el)
        return Finding(
            check_id="",
            url=self.url,
            selector=selector,
            snippet=snip,
            message=message,
            severity=severity or Severity.MINOR,
            outcome=outcome,
            sources=("static",),
            data={"_severity_set": severity is not None, **data} if severity is not None else dict(data),
        )


def iter_elements(soup: BeautifulSoup, *names: str) -> Iterator[Tag]:
    yield from soup.find_all(names)


@dataclass
class RenderedPage:
    """What audits.browser checks read: one page as Chromium rendered it, through the probes' data.

    `probes` maps a probe name ("render", "keyboard", "forms") to its JSON-safe dict (audits.gather.probes).
    A check asks `page.probe(name)`: None when the probe did not run or failed, and the check then says nothing.
    """

    url: str
    final_url: str = ""
    probes: dict[str, Any] = field(default_factory=dict)

    def probe(self, name: str) -> dict[str, Any] | None:
        data = self.probes.get(name)
        if not isinstance(data, dict) or data.get("error"):
            return None
        return data

