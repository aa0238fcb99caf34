"""Template-aware browser sampling (`--sample auto|off|N`, setting AUDIT_SAMPLE).

Every HTML page still gets the static and media checks. The browser audits a few representatives of each group
of pages that look alike, and the other pages of the group get the representatives' browser findings, projected
onto the elements they share ("inferred").

Groups. A page's *template* is a hash of its DOM skeleton: the tree of block elements under <body> (tag, role,
id and class tokens with digits removed), text-level elements transparent, repeated siblings collapsed (a list
of 3 or 30 products is the same layout), text, href and src ignored. Two pages of one template can still render
differently, so pages are grouped by *variant*: template + a hash of what changes browser results without
changing the skeleton + a hash of their static findings. The browser-relevant features are: inline style
declarations (lengths and URLs ignored, colours kept), <style> contents, stylesheet and script URLs, the viewport
meta, class tokens, ARIA/role/tabindex/hidden attributes (values kept for tokens, only "set"/"empty" for text),
the attribute names of interactive and embedded elements, form-control types, which block-level and
interactive tags occur, empty headings/links/buttons/labels, nested interactive elements, focusable content under
aria-hidden, id references that point nowhere, media or boxes wider than a 320 px viewport, and long unbreakable
strings (reflow). Static findings count by check, outcome and selector with digits removed. Text, prices,
links and image URLs alone never split a group, so a product catalogue samples well; a page with a defect
the other pages of its template do not have (a new static finding, an inline style, a class, an ARIA attribute)
is a new variant and is audited in the browser itself.

Representatives. The first K pages of each variant are audited (N: K = N; auto: K = 2). With `auto`, a site is
audited in full until the crawl has found more than AUDIT_SAMPLE_MIN_PAGES pages (300, linked or listed in a
sitemap, fetched or still queued; environment variable EMPATHY_AUDIT_SAMPLE_MIN_PAGES overrides it), and not
sampled at all when AUDIT_MAX_PAGES is not above it: a small site is never sampled, and a large one is sampled
from the moment the crawl knows it is large (usually after its first few category pages or its sitemap). Pages whose served HTML is an empty shell filled by scripts are never sampled (their
served HTML says nothing about what the browser shows), nor are the pages of a variant whose representative's
browser findings are mostly on elements the served HTML does not have.

Projection. A page of a variant that has its K representatives waits for them (with a timeout; a representative
that fails or times out makes the page audit itself, and possibly become the new representative), then gets each
of their browser findings (sources "axe" or "browser", outcome fail or needs-review) whose element exists on this
page: same selector, and the same normalised start tag (tag, class, role, type, style and ARIA tokens, not text or
URLs) as the representative's element had in its own served HTML. The copy names the element as this page's own
findings would (its css_path and snippet here). Page-level findings ("html") always project;
findings on script-inserted elements project when their nearest served ancestor exists on both pages. Projected
findings carry data["inferred_from"] = the representative's URL and no screenshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from empathy_audit.audits.artifacts import css_path, snippet
from empathy_audit.audits.model import Finding, Outcome

log = logging.getLogger(__name__)

AUTO_REPRESENTATIVES = 2  # pages audited per variant with --sample auto
AUTO_MIN_PAGES = 300  # --sample auto audits every page until the crawl has seen this many HTML pages
SKELETON_DEPTH = 12  # block levels under <body> in the skeleton
SHELL_MAX_ELEMENTS = 8  # a <body> with fewer elements than this (and a script) is a script-rendered shell
DYNAMIC_SHARE = 0.5  # a variant whose representative has more than this share of findings on script-made elements...
DYNAMIC_MIN = 5  # ...and at least this many, is audited page by page
MAX_VARIANTS = 5000  # variants remembered (with their representatives' findings); the oldest settled ones go first

_DIGITS = re.compile(r"\d+")
_PX = re.compile(r"(\d+(?:\.\d+)?)px")
_LONG_WORD = re.compile(r"\S{45,}")
WIDE_PX = 320  # WCAG 1.4.10 Reflow's viewport width in CSS pixels
_WS = re.compile(r"\s+")
_URL_FN = re.compile(r"url\([^)]*\)", re.I)

# Not part of the skeleton: metadata, scripts, and text-level elements (transparent: their block children count).
_SKIP = frozenset({"script", "style", "noscript", "template", "link", "meta", "base", "title"})
_TRANSPARENT = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
    "mark", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var",
    "wbr", "img", "picture", "source", "svg", "path", "g", "use", "label",
})
# Tags whose mere presence changes what a browser audit can find (tables, media, forms, landmarks, headings...).
_NOTABLE = frozenset({
    "a", "area", "article", "aside", "audio", "blink", "button", "canvas", "caption", "details", "dialog", "dl",
    "embed", "fieldset", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "iframe", "img",
    "input", "label", "legend", "main", "map", "marquee", "math", "meter", "nav", "object", "ol", "optgroup",
    "output", "picture", "progress", "search", "section", "select", "summary", "svg", "table", "td", "textarea",
    "th", "thead", "tfoot", "ul", "video",
})
# Elements whose attribute names are a feature (alt present or not, a title, a tabindex...).
_SHAPED = frozenset({
    "a", "area", "audio", "button", "embed", "iframe", "img", "input", "label", "object", "select", "summary",
    "svg", "textarea", "video", "details", "dialog", "th", "td", "table", "form",
})
# Elements that need a name from their content; interactive elements (nesting them is a barrier); id references.
_NAMED = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "a", "button", "label", "th", "caption", "legend", "summary",
                    "title", "option"})
_INTERACTIVE = frozenset({"a", "button", "select", "textarea", "details", "summary"})
_IDREFS = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "aria-activedescendant",
           "aria-errormessage", "aria-details", "headers", "list", "form")
# Attributes whose values are page content (text, URLs): only whether they are set and empty counts.
_TEXT_ATTRS = frozenset({
    "href", "src", "srcset", "alt", "title", "value", "placeholder", "content", "action", "poster", "data",
    "datetime", "name", "label", "cite", "download", "sizes", "width", "height", "aria-label", "aria-valuetext",
    "aria-valuenow", "aria-valuemin", "aria-valuemax", "aria-roledescription", "aria-description",
    "aria-placeholder", "aria-posinset", "aria-setsize", "aria-rowindex", "aria-colindex", "aria-rowcount",
    "aria-colcount", "aria-level", "nonce", "integrity", "headers", "for", "form", "list", "min", "max", "step",
    "maxlength", "minlength", "pattern", "srcdoc", "usemap", "coords", "accept", "loading", "decoding",
    "fetchpriority", "crossorigin", "referrerpolicy", "rel", "target", "hreflang", "ping", "media", "colspan",
    "rowspan", "span", "start", "cols", "rows", "size", "dirname", "enctype", "method", "autocapitalize",
    "spellcheck", "translate", "itemprop", "itemscope", "itemtype", "itemid", "property", "typeof", "resource",
    "vocab", "prefix", "about", "slot", "part", "is", "xmlns", "id",
})
# Style properties whose numbers vary with content (a progress bar's width): numbers do not count.
_GEOMETRY = re.compile(
    r"^(?:(?:min-|max-)?(?:width|height)|top|left|right|bottom|inset.*|flex.*|order|aspect-ratio|transform|"
    r"translate|scale|rotate|grid-.*|margin.*|padding.*|z-index|animation-delay|transition-delay|--.*)$")


# --- what a page looks like -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """A page's template (skeleton hash) and variant (template + browser-relevant features + static findings)."""

    template: str
    variant: str
    shell: bool = False  # the served HTML is an empty shell a script fills: never sampled


def _digitless(text: str) -> str:
    return _DIGITS.sub("#", text)


def _classes(el: Tag) -> list[str]:
    value = el.get("class") or []
    if isinstance(value, str):
        value = value.split()
    return sorted({_digitless(c) for c in value if c})


def _node_token(el: Tag) -> str:
    parts = [el.name]
    role = el.get("role")
    if isinstance(role, str) and role.strip():
        parts.append("@" + role.strip().lower())
    el_id = el.get("id")
    if isinstance(el_id, str) and el_id.strip():
        parts.append("#" + _digitless(el_id.strip()))
    parts.extend("." + c for c in _classes(el))
    return "".join(parts)


def skeleton(soup: Any, depth: int = SKELETON_DEPTH) -> str:
    """The DOM skeleton under <body>, as a string: block elements only, repeated siblings collapsed."""
    body = soup.body if getattr(soup, "body", None) is not None else soup

    def children(el: Tag, level: int) -> list[str]:
        out: list[str] = []
        seen: set[str] = set()
        for child in el.children:
            if not isinstance(child, Tag) or child.name in _SKIP:
                continue
            if child.name in _TRANSPARENT:
                subs = children(child, level)
            else:
                subs = [node(child, level + 1)]
            for s in subs:
                if s not in seen:
                    seen.add(s)
                    out.append(s)
        return out

    def node(el: Tag, level: int) -> str:
        token = _node_token(el)
        if level >= depth:
            return token
        kids = children(el, level)
        return token + ("(" + ",".join(kids) + ")" if kids else "")

    return node(body, 0) if isinstance(body, Tag) else ""


def _style_features(style: str) -> set[str]:
    out: set[str] = set()
    for decl in style.split(";"):
        if ":" not in decl:
            continue
        prop, value = decl.split(":", 1)
        prop = prop.strip().lower()
        value = _WS.sub(" ", _URL_FN.sub("url()", value.strip().lower()))
        if not prop:
            continue
        if _GEOMETRY.match(prop) and not (prop.startswith("--") and ("#" in value or "rgb" in value or "hsl" in value)):
            wide = any(float(n) >= WIDE_PX for n in _PX.findall(value))
            value = _digitless(value) + ("!wide" if wide else "")  # wider than a 320 px viewport: reflow
        out.add(f"{prop}:{value}")
    return out


def _attr_value(name: str, value: Any) -> str:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    value = str(value)
    if name in _TEXT_ATTRS or name.startswith(("data-", "on")):
        return "set" if value.strip() else "empty"
    if name == "style":
        return ";".join(sorted(_style_features(value)))
    if name == "class":
        return " ".join(sorted({_digitless(c) for c in value.split()}))
    return _digitless(_WS.sub(" ", value.strip().lower()))


def element_key(el: Tag) -> str:
    """An element's start tag with its content left out (text attributes and URLs only as set/empty), plus whether
    it has text: two pages' elements with the same key look and behave alike in a browser."""
    attrs = sorted((str(k).lower(), _attr_value(str(k).lower(), v)) for k, v in el.attrs.items())
    text = "text" if el.get_text(strip=True) else "no-text"
    return el.name + "[" + ",".join(f"{k}={v}" for k, v in attrs) + "]" + text


def features(soup: Any, base_url: str = "") -> set[str]:
    """What can change a browser audit's results without changing the skeleton (see the module docstring)."""
    out: set[str] = set()
    root = soup if getattr(soup, "find_all", None) else None
    if root is None:
        return out
    ids = {str(el["id"]) for el in soup.find_all(id=True)}
    html = soup.find("html")
    if isinstance(html, Tag):
        for k in ("lang", "dir", "class", "style"):
            if html.get(k) is not None:
                out.add(f"html:{k}={_attr_value(k, html.get(k))}")
    for el in soup.find_all(True):
        name = el.name
        if name == "style":
            text = _WS.sub(" ", el.get_text() or "").strip()
            out.add("style-block:" + hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12])
            continue
        if name == "link":
            rel = " ".join(el.get("rel") or []) if isinstance(el.get("rel"), list) else str(el.get("rel") or "")
            if "stylesheet" in rel.lower() and el.get("href"):
                out.add("stylesheet:" + _resolve(base_url, str(el["href"])) + "|" + str(el.get("media") or ""))
            continue
        if name == "script":
            if el.get("src"):
                out.add("script:" + _resolve(base_url, str(el["src"])))
            continue
        if name == "meta":
            if str(el.get("name") or "").lower() == "viewport":
                out.add("viewport:" + _WS.sub("", str(el.get("content") or "").lower()))
            continue
        if name in _NOTABLE:
            out.add("tag:" + name)
        for c in _classes(el):
            out.add("class:" + c)
        style = el.get("style")
        if isinstance(style, str) and style.strip():
            for decl in _style_features(style):
                out.add("style:" + decl)
        for k, v in el.attrs.items():
            k = str(k).lower()
            if k in ("role", "tabindex", "hidden", "inert", "contenteditable", "accesskey", "lang", "dir",
                     "autofocus", "disabled", "readonly", "required", "draggable", "popover", "autocomplete",
                     "type") or k.startswith("aria-"):
                out.add(f"attr:{name}:{k}={_attr_value(k, v)}")
        if name in _SHAPED:
            out.add(f"shape:{name}:" + ",".join(sorted(str(k).lower() for k in el.attrs
                                                        if not str(k).lower().startswith("data-"))))
        if name in _NAMED and not el.get_text(strip=True) and el.find(["img", "svg"]) is None:
            out.add(f"empty:{name}")  # an empty heading, link, button or label: no name in the browser
        if name in _INTERACTIVE and el.find_parent(list(_INTERACTIVE)) is not None:
            out.add(f"nested:{name}")
        if str(el.get("aria-hidden") or "").strip().lower() == "true" and el.find(_focusable) is not None:
            out.add(f"hidden-focusable:{name}")
        for k in _IDREFS:
            ref = el.get(k)
            if isinstance(ref, str) and ref.strip():
                ok = all(i in ids for i in ref.split())
                out.add(f"idref:{name}:{k}={'ok' if ok else 'broken'}")
        width = el.get("width")
        if name in ("img", "iframe", "video", "canvas", "table", "embed", "object", "svg") and isinstance(width, str):
            try:
                if float(width.strip().rstrip("px") or 0) >= WIDE_PX:
                    out.add(f"wide:{name}")
            except ValueError:
                pass
    body = getattr(soup, "body", None)
    if isinstance(body, Tag) and _LONG_WORD.search(body.get_text(" ")):
        out.add("text:long-word")  # a long unbreakable string can force horizontal scrolling (reflow)
    return out


def _focusable(el: Tag) -> bool:
    if el.name in ("button", "select", "textarea", "iframe", "summary"):
        return True
    if el.name in ("a", "area") and el.get("href"):
        return True
    if el.name == "input" and str(el.get("type") or "").lower() != "hidden":
        return True
    tabindex = el.get("tabindex")
    return isinstance(tabindex, str) and tabindex.strip().lstrip("-").isdigit() and not tabindex.strip().startswith("-")


def _resolve(base: str, url: str) -> str:
    try:
        full = urljoin(base, url.strip()) if base else url.strip()
    except ValueError:
        return url.strip()
    parts = urlsplit(full)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.scheme else parts.path


def static_key(findings: Iterable[Finding]) -> set[str]:
    """The page's static findings by check, outcome and element path (digits removed)."""
    return {f"{f.check_id}|{f.outcome}|{_digitless(f.selector)}" for f in findings
            if "static" in f.sources and f.outcome is not Outcome.ERROR}


def _hash(parts: Iterable[str]) -> str:
    h = hashlib.sha1()
    for p in sorted(parts):
        h.update(p.encode("utf-8", "replace"))
        h.update(b"\0")
    return h.hexdigest()[:12]


def is_shell(soup: Any) -> bool:
    """The served <body> is (nearly) empty and a script is there to fill it."""
    body = getattr(soup, "body", None)
    if not isinstance(body, Tag) or soup.find("script") is None:
        return False
    count = 0
    for el in body.find_all(True):
        if el.name in _SKIP:
            continue
        count += 1
        if count >= SHELL_MAX_ELEMENTS:
            return False
    return True


def layout_of(soup: Any, findings: Iterable[Finding], url: str = "") -> Layout:
    template = hashlib.sha1(skeleton(soup).encode("utf-8", "replace")).hexdigest()[:12]
    feats = _hash(features(soup, url))
    statics = _hash(static_key(findings))
    return Layout(template=template, variant=f"{template}-{feats}-{statics}", shell=is_shell(soup))


# --- finding the same element on another page -------------------------------------------------------------------


def _select(soup: Any, selector: str) -> Tag | None:
    """The element a selector in our css_path format picks in a served page, allowing for the <tbody> and other
    elements a browser inserts; None when there is none or the selector cannot be read."""
    candidates = [selector]
    if " > tbody" in selector:
        candidates.append(selector.replace(" > tbody", ""))
    for sel in candidates:
        try:
            el = soup.select_one(sel)
        except Exception:  # noqa: BLE001 - a selector soupsieve cannot parse simply does not match
            el = None
        if isinstance(el, Tag):
            return el
    return None


def _steps(selector: str) -> list[str]:
    return [s.strip() for s in selector.split(" > ")]


@dataclass(frozen=True)
class Anchor:
    """Where a representative's browser finding sits in its served HTML."""

    kind: str  # "page" (selector html), "element" (found: key of the element), "inserted" (made by a script)
    key: str = ""  # element: element_key; inserted: the nearest served ancestor's selector + key
    prefix: str = ""  # inserted: selector of the nearest served ancestor


def anchor_of(soup: Any, selector: str) -> Anchor:
    if not selector or selector.strip().lower() in ("html", ":root"):
        return Anchor("page")
    el = _select(soup, selector)
    if el is not None:
        return Anchor("element", element_key(el))
    steps = _steps(selector)
    for n in range(len(steps) - 1, 0, -1):
        prefix = " > ".join(steps[:n])
        parent = _select(soup, prefix)
        if parent is not None:
            return Anchor("inserted", element_key(parent) if parent.name not in ("html", "body") else parent.name,
                          prefix)
    return Anchor("inserted", "", "")


def locate(soup: Any, selector: str, anchor: Anchor) -> tuple[bool, Tag | None]:
    """Whether the element a representative's finding names is on this page as the representative had it, and that
    element in this page (None for page-level findings and script-made elements)."""
    if anchor.kind == "page":
        return True, None
    if anchor.kind == "element":
        el = _select(soup, selector)
        return (el is not None and element_key(el) == anchor.key), el
    if not anchor.prefix:
        return True, None  # inserted under <html> itself: the same scripts run on both pages
    parent = _select(soup, anchor.prefix)
    if parent is None:
        return False, None
    return (parent.name if parent.name in ("html", "body") else element_key(parent)) == anchor.key, None


# --- the sampler ------------------------------------------------------------------------------------------------


@dataclass
class Projected:
    """A representative's browser findings, each with where its element sits in the representative's HTML."""

    url: str
    findings: list[tuple[Finding, Anchor]]


@dataclass
class Representative:
    url: str
    future: Any  # asyncio.Future -> Projected, or None when its audit failed
    failed: bool = False


@dataclass
class Variant:
    key: str
    template: str
    reps: list[Representative] = field(default_factory=list)
    page_by_page: bool = False  # browser findings mostly on script-made elements: audit every page


@dataclass
class Plan:
    """What the browser pipeline does with one page: "audit" it, audit it as a "representative", or "infer" it."""

    action: str
    layout: Layout | None = None
    rep: Representative | None = None
    reps: list[Representative] = field(default_factory=list)
    variant: Variant | None = None


class Sampler:
    """Decides, page by page as they stream in, which pages the browser audits; holds each variant's
    representatives (their projected findings only, never a page's soup)."""

    def __init__(self, mode: str | int, min_pages: int = AUTO_MIN_PAGES, max_pages: int | None = None) -> None:
        mode = str(mode).strip().lower() if isinstance(mode, str) else mode
        self.min_pages = 0
        if mode in ("off", "0", 0, None, ""):
            self.per_variant = 0
        elif mode == "auto":
            self.per_variant = AUTO_REPRESENTATIVES
            self.min_pages = max(0, min_pages)
            if max_pages is not None and 0 < max_pages <= self.min_pages:
                self.per_variant = 0  # the crawl can never grow past the threshold: audit every page
        else:
            try:
                self.per_variant = max(1, int(mode))
            except (TypeError, ValueError):
                self.per_variant = AUTO_REPRESENTATIVES
        self.mode = mode
        self.seen = 0
        self.variants: dict[str, Variant] = {}

    @classmethod
    def from_settings(cls, settings: Any) -> Sampler:
        """From AUDIT_SAMPLE, AUDIT_SAMPLE_MIN_PAGES (EMPATHY_AUDIT_SAMPLE_MIN_PAGES overrides it), AUDIT_MAX_PAGES."""
        env = os.environ.get("EMPATHY_AUDIT_SAMPLE_MIN_PAGES", "").strip()
        try:
            min_pages = int(env) if env.isdigit() else int(settings.getint("AUDIT_SAMPLE_MIN_PAGES", AUTO_MIN_PAGES))
        except (AttributeError, TypeError, ValueError):
            min_pages = AUTO_MIN_PAGES
        try:
            max_pages = settings.getint("AUDIT_MAX_PAGES", 0) or None
        except (AttributeError, TypeError, ValueError):
            max_pages = None
        return cls(settings.get("AUDIT_SAMPLE", "auto"), min_pages, max_pages)

    @property
    def active(self) -> bool:
        return self.per_variant > 0

    @property
    def templates(self) -> int:
        return len({v.template for v in self.variants.values()})

    def plan(self, url: str, layout: Layout | None, found: int = 0) -> Plan:
        """Called synchronously as a page reaches the browser stage (so the first pages of a variant are its
        representatives, in arrival order). `found`: pages the crawl has found so far (linked or in a sitemap,
        fetched or still queued), so `auto` knows early that a site is large."""
        self.seen += 1
        if not self.active or layout is None or layout.shell:
            return Plan("audit", layout)
        v = self.variants.get(layout.variant)
        if v is None:
            self._forget()
            v = self.variants[layout.variant] = Variant(layout.variant, layout.template)
        if v.page_by_page:
            return Plan("audit", layout, variant=v)
        v.reps = [r for r in v.reps if not r.failed]
        if len(v.reps) >= self.per_variant and max(self.seen, found) <= self.min_pages:
            return Plan("audit", layout, variant=v)
        return self._represent_or_infer(v, url, layout)

    def _forget(self) -> None:
        """Memory stays bounded on a site where every page is its own variant: drop the oldest settled variants
        (a later page of one is then simply audited again, as a new representative)."""
        if len(self.variants) < MAX_VARIANTS:
            return
        for key in list(self.variants)[: max(1, MAX_VARIANTS // 10)]:
            if all(r.future.done() for r in self.variants[key].reps):
                del self.variants[key]

    def retry(self, plan: Plan, url: str, timed_out: bool) -> Plan:
        """The representatives gave no result. When one did not finish in time, the page is audited itself; when
        they failed, the page becomes a representative if the variant lost one, else waits for the new ones."""
        v = plan.variant
        if v is None or timed_out:
            return Plan("audit", plan.layout, variant=v)
        return self._represent_or_infer(v, url, plan.layout)

    def _represent_or_infer(self, v: Variant, url: str, layout: Layout | None) -> Plan:
        """The page becomes a representative while the variant has fewer than it needs (failed ones dropped);
        otherwise it waits for the representatives' findings."""
        v.reps = [r for r in v.reps if not r.failed]
        if len(v.reps) < self.per_variant:
            rep = Representative(url, asyncio.get_running_loop().create_future())
            v.reps.append(rep)
            return Plan("representative", layout, rep=rep, variant=v)
        return Plan("infer", layout, reps=list(v.reps), variant=v)

    def settle(self, plan: Plan, findings: list[Finding] | None, soup: Any) -> None:
        """A representative's audit ended: findings (its browser findings) or None when it failed."""
        rep = plan.rep
        if rep is None:
            return
        projected: Projected | None = None
        if findings is not None and soup is not None:
            keep = [f for f in findings if f.outcome in (Outcome.FAIL, Outcome.REVIEW)
                    and ("axe" in f.sources or "browser" in f.sources)]
            anchored = [(_copy(f), anchor_of(soup, f.selector)) for f in keep]
            projected = Projected(rep.url, anchored)
            inserted = sum(1 for _, a in anchored if a.kind == "inserted")
            if plan.variant is not None and inserted >= DYNAMIC_MIN and inserted > DYNAMIC_SHARE * len(anchored):
                plan.variant.page_by_page = True  # mostly script-made content: the served HTML cannot tell pages apart
        if projected is None:
            rep.failed = True
        if not rep.future.done():
            rep.future.set_result(projected)

    @staticmethod
    async def wait(reps: list[Representative], timeout: float) -> tuple[list[Projected], bool]:
        """The representatives' results (those that succeeded) and whether one of them did not finish in time."""
        futures = [r.future for r in reps]
        if futures:
            await asyncio.wait(futures, timeout=timeout)
        done = [f.result() for f in futures if f.done() and not f.cancelled() and f.result() is not None]
        return done, not all(f.done() for f in futures)


def _copy(f: Finding) -> Finding:
    data = {k: v for k, v in f.data.items() if k != "screenshot"}
    return replace(f, data=data)


def project(soup: Any, url: str, sources: list[Projected]) -> list[Finding]:
    """The representatives' browser findings whose element is on this page, marked inferred (one per check and
    element: the first representative that has it)."""
    out: list[Finding] = []
    covered: set[tuple[str, str]] = set()
    for src in sources:
        mine: set[tuple[str, str]] = set()
        for f, anchor in src.findings:
            key = (f.check_id, f.selector)
            if key in covered:
                continue
            ok, el = locate(soup, f.selector, anchor)
            if not ok:
                continue
            mine.add(key)
            data = dict(f.data)
            data["inferred_from"] = src.url
            if el is not None:  # named as this page's own findings name it, with this page's markup
                if f.selector != (own := css_path(el)):
                    data.setdefault("representative_selector", f.selector)
                out.append(replace(f, url=url, selector=own, snippet=snippet(el), data=data))
            else:
                out.append(replace(f, url=url, data=data))
        covered |= mine
    return out
