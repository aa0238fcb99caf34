"""Visits per page from an analytics export: `--traffic FILE`, a CSV of url,visits (a month of visits).

The first row may be a header: then the URL column is the one named url, page, path, page path or landing page, and
the visits column the one named visits, pageviews, views, sessions or users; without a header the first two columns
are url and visits. URLs may be absolute or site-relative paths (analytics tools export both); they are canonicalised
like the crawl's (tracking parameters and fragments dropped), and rows that land on the same page add up.
"""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from empathy_audit.crawler.urls import canonicalize
from empathy_audit.reports.fixes import url_path

URL_COLUMNS = ("url", "page", "path", "page path", "pagepath", "landing page", "page location", "address")
VISIT_COLUMNS = ("visits", "pageviews", "page views", "views", "sessions", "users", "screenpageviews", "hits")
MAX_ROWS = 1_000_000


class TrafficError(ValueError):
    """The file cannot be used; the message is one sentence for the user."""


@dataclass
class Traffic:
    """Visits by canonical URL path (the part after the host): runs on any host of the same site match."""

    source: str  # the file name, for the report
    visits: dict[str, float] = field(default_factory=dict)  # path+query -> visits
    rows: int = 0
    skipped: int = 0  # rows without a URL or a number


def _number(text: str) -> float | None:
    t = re.sub(r"[\s,_]", "", text or "")
    try:
        v = float(t)
    except ValueError:
        return None
    return v if v >= 0 and math.isfinite(v) else None


def _key(url: str) -> str | None:
    """The canonical path+query of an absolute URL or a site-relative path; None when it is neither."""
    u = (url or "").strip()
    if not u:
        return None
    if u.startswith("/") and not u.startswith("//"):
        u = urljoin("http://site.invalid", u)
    elif not re.match(r"^https?://", u, re.IGNORECASE):
        if re.match(r"^[\w.-]+\.[a-z]{2,}(:\d+)?(/|$)", u, re.IGNORECASE):
            u = "http://" + u  # "www.example.com/shop" as some exports write it
        else:
            return None
    try:
        return url_path(canonicalize(u))
    except ValueError:
        return None


def parse(text: str, source: str = "traffic") -> Traffic:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [r for r in reader if any(c.strip() for c in r)]
    if not rows:
        raise TrafficError(f"the traffic file {source} has no rows: write one 'url,visits' line per page.")
    url_col, visits_col, start = 0, 1, 0
    head = [c.strip().lower() for c in rows[0]]
    if len(head) < 2 or _number(rows[0][1]) is None:
        url_col = next((i for i, c in enumerate(head) if c in URL_COLUMNS), -1)
        visits_col = next((i for i, c in enumerate(head) if c in VISIT_COLUMNS), -1)
        if url_col < 0 or visits_col < 0:
            raise TrafficError(
                f"the traffic file {source} needs a url column and a visits column (a header like 'url,visits', "
                f"or no header and those two columns first)."
            )
        start = 1
    traffic = Traffic(source=source)
    for row in rows[start: start + MAX_ROWS]:
        traffic.rows += 1
        if len(row) <= max(url_col, visits_col):
            traffic.skipped += 1
            continue
        key, visits = _key(row[url_col]), _number(row[visits_col])
        if key is None or visits is None:
            traffic.skipped += 1
            continue
        traffic.visits[key] = traffic.visits.get(key, 0.0) + visits
    if not traffic.visits:
        raise TrafficError(f"the traffic file {source} has no usable row (a URL or path, then a number of visits).")
    return traffic


def load(path: str | Path) -> Traffic:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise TrafficError(f"the traffic file {p} is not UTF-8 text: export it as CSV.") from None
    except OSError as exc:
        raise TrafficError(f"cannot read the traffic file {p}: {exc.strerror or exc}.") from None
    return parse(text, source=p.name)
