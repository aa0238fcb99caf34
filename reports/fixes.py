"""Fixes, not findings: element fingerprints, URL patterns, the component a fix lives in, and key-journey detection.

A *fix* is every finding one change repairs. Findings share a fix when they have the same check and the same
fingerprint:

- element findings: the check id + the selector path with its volatile parts removed (``:nth-of-type(3)``,
  ``:nth-child(2)``, digits in ids and classes, attribute values in axe selectors) + a hash of the element's start
  tag with its volatile attributes removed (URLs, text such as alt or aria-label, ids and classes that carry
  digits, style, nonce, data-* values, numbers). A product template's heart button has the same fingerprint on
  every product page, and the four unnamed overlay links of one card list share one fingerprint too (the same
  component repeated);
- page-level findings (selector ``html`` or an element of ``<head>``): the check id + the page's URL pattern
  (``/products/*`` for the pages of one folder; a top-level page keeps its own path). When one check's page-level
  findings cover at least half the audited pages (and 3 or more), they are one site-wide layout fix (pattern ``*``);
- colour findings (a check that declares colour_pair): the check id + the colour pair and text size.

Element fixes with one cause are then merged (reports.grouping): elements that each always carry the same text
attribute value the finding is about (``alt="..."`` here and there: one text-value fingerprint), and elements whose
repeated ids are on one page (one component repeated without unique ids).

Fingerprints use the URL path only, never the host or port, so they are stable across runs and between a staging
and a live host. Only the start tag is hashed: snippets are cut at a fixed length, so what follows it varies.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from typing import Iterable
from urllib.parse import urlsplit

FINGERPRINT_VERSION = "1"  # part of every hash: bump when the normalisation changes (every fix then shows as new)

# --- selectors ------------------------------------------------------------------------------------------------

_NTH = re.compile(r":nth-(?:of-type|child|last-child|last-of-type)\(\s*[^)]*\)")
_ATTR_VALUE = re.compile(r"\[\s*([\w:-]+)\s*[~|^$*]?=\s*(?:\"[^\"]*\"|'[^']*'|[^\]]*)\]")
_DIGITS = re.compile(r"\d+")


# What <head> holds in the tree a browser builds: a finding on one of these is about the page as a whole.
HEAD_ELEMENTS = frozenset("title base basefont bgsound link meta style script noscript template".split())
_IN_HEAD = re.compile(r"^(?:html\s*>\s*)?head\s*>\s*([a-z][\w-]*)", re.IGNORECASE)


def is_page_level(selector: str) -> bool:
    """A finding about the page as a whole: the <html> element, or an element of <head> (title, meta viewport).

    An element a browser puts in <body> is not, even when the selector names it under <head>: runs recorded before
    the served HTML was read as a browser builds it named the body of a page without a <body> tag so."""
    s = (selector or "").strip().lower()
    if s in ("", "html", "head", ":root"):
        return True
    m = _IN_HEAD.match(s)
    return m is not None and m.group(1) in HEAD_ELEMENTS


def normalize_selector(selector: str) -> str:
    """The selector path without what varies between copies of one template element."""
    s = " ".join((selector or "").split())
    m = _IN_HEAD.match(s)
    if m is not None and m.group(1).lower() not in HEAD_ELEMENTS:  # body content named under <head> (see above)
        s = "html > body > " + s[m.start(1):]
    s = _NTH.sub("", s)
    s = _ATTR_VALUE.sub(lambda m: f"[{m.group(1)}]", s)
    s = _DIGITS.sub("#", s)
    return s


# --- markup ---------------------------------------------------------------------------------------------------

_START = re.compile(r"^\s*<([a-zA-Z][\w:-]*)")
_ATTR = re.compile(r"""([^\s=/>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+))?""")
URL_ATTRS = frozenset(
    "href src srcset action formaction poster data cite background longdesc xlink:href usemap ping manifest"
    " codebase archive lowsrc dynsrc".split()
)
TEXT_ATTRS = frozenset(
    "alt title aria-label aria-description aria-placeholder aria-roledescription aria-valuetext aria-valuenow"
    " placeholder value label content summary abbr download".split()
)
DROP_ATTRS = frozenset("style nonce integrity crossorigin referrerpolicy loading decoding fetchpriority".split())
ID_LIKE_ATTRS = frozenset(
    "id for headers name form list aria-labelledby aria-describedby aria-controls aria-owns aria-activedescendant"
    " aria-details aria-errormessage aria-flowto".split()
)
KEEP_CONTENT_FOR = frozenset({"meta"})  # <meta content="width=device-width, user-scalable=no"> is the finding


def start_tag(snippet: str) -> tuple[str, list[tuple[str, str | None]]] | None:
    """The element's tag name and attributes, from the start of its snippet (tolerates a cut-off tag)."""
    m = _START.match(snippet or "")
    if not m:
        return None
    rest = snippet[m.end():]
    end = rest.find(">")
    truncated = end < 0
    body = rest if truncated else rest[:end]
    attrs: list[tuple[str, str | None]] = []
    for am in _ATTR.finditer(body):
        name = am.group(1).lower()
        if name in ("/", "…"):
            continue
        value = am.group(2)
        if value is not None and value[:1] in "\"'":
            value = value[1:-1] if len(value) >= 2 and value[-1] == value[0] else value[1:]
        attrs.append((name, value))
    if truncated and attrs:
        attrs.pop()  # the last attribute may be cut in the middle
    return m.group(1).lower(), attrs


def _class_tokens(value: str) -> str:
    tokens = sorted({t for t in value.split() if not any(c.isdigit() for c in t)})
    return " ".join(tokens)


def _id_tokens(value: str) -> str:
    return " ".join(_DIGITS.sub("#", t) for t in value.split())


def markup_skeleton(snippet: str) -> str:
    """The element's start tag with volatile attribute values removed: what one template always renders."""
    parsed = start_tag(snippet)
    if parsed is None:
        return ""
    tag, attrs = parsed
    parts: list[str] = []
    for name, value in sorted(attrs):
        if name in DROP_ATTRS or name.startswith("on"):
            continue
        if name in URL_ATTRS or name.startswith("data-"):
            parts.append(name)
        elif name in TEXT_ATTRS and not (tag in KEEP_CONTENT_FOR and name == "content"):
            parts.append(f"{name}={'text' if (value or '').strip() else 'empty'}")
        elif name == "class":
            parts.append(f"class={_class_tokens(value or '')}")
        elif name in ID_LIKE_ATTRS:
            parts.append(f"{name}={_id_tokens(value or '')}")
        else:
            parts.append(f"{name}={_DIGITS.sub('#', ' '.join((value or '').split()).lower())}")
    return "<" + " ".join([tag, *parts]) + ">"


# --- URL patterns -----------------------------------------------------------------------------------------------

_NUMERIC = re.compile(r"^[\d-]+$|^[0-9a-f]{8,}$", re.IGNORECASE)


def url_path(url: str) -> str:
    """Path and query of a URL (no scheme, host or port): how runs on different hosts compare pages."""
    p = urlsplit(url or "")
    return (p.path or "/") + (f"?{p.query}" if p.query else "")


def url_pattern(url: str) -> str:
    """'/products/*' for a page inside a folder, the path itself for a folder index or a top-level page.

    Numeric or hash-like segments become '*' ('/blog/2024/05/x.html' -> '/blog/*/*/*').
    """
    path = urlsplit(url or "").path or "/"
    segments = path.split("/")[1:]  # "/a/b.html" -> ["a", "b.html"]; "/a/" -> ["a", ""]
    segments = ["*" if s and _NUMERIC.match(s) else s for s in segments]
    if len(segments) >= 2 and segments[-1] not in ("", "*"):
        segments[-1] = "*"
    return "/" + "/".join(segments)


# --- fingerprints ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    id: str  # "button-name:3f2a9c1b7d0e"
    kind: str  # "element" | "page" | "colour" | "text" (one text attribute value: reports.grouping)
    selector: str  # normalised selector ("" for page-level)
    markup: str  # normalised start tag ("" for page-level; the colour pair for contrast fixes)
    pattern: str  # URL pattern for page-level fixes ("" for element fixes)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join((FINGERPRINT_VERSION, *parts)).encode("utf-8")).hexdigest()[:12]


def element_fingerprint(check_id: str, selector: str, snippet: str) -> Fingerprint:
    sel, markup = normalize_selector(selector), markup_skeleton(snippet)
    return Fingerprint(f"{check_id}:{_digest(check_id, 'element', sel, markup)}", "element", sel, markup, "")


def page_fingerprint(check_id: str, pattern: str) -> Fingerprint:
    return Fingerprint(f"{check_id}:{_digest(check_id, 'page', pattern)}", "page", "", "", pattern)


_PX = re.compile(r"([\d.]+)\s*px")


def contrast_of(data: dict | None) -> dict:
    """axe's colour-contrast check data of a finding (audits.browser.axe_map puts it in data["contrast"]; older
    findings may carry the keys at the top level); {} when there is none."""
    if not data:
        return {}
    nested = data.get("contrast")
    return nested if isinstance(nested, dict) else data


def _colour_key(data: dict | None) -> str | None:
    data = contrast_of(data)
    if not data:
        return None
    fg, bg = data.get("fgColor"), data.get("bgColor")
    if not isinstance(fg, str) or not isinstance(bg, str) or not fg or not bg:
        return None
    m = _PX.search(str(data.get("fontSize") or ""))
    px = float(m.group(1)) if m else 16.0
    bold = str(data.get("fontWeight") or "").lower() in ("bold", "bolder", "700", "800", "900")
    size = "large" if px >= 24 or (bold and px >= 18.66) else "normal"
    return f"{fg.lower()} on {bg.lower()}, {size} text"


def fingerprint(check_id: str, url: str, selector: str, snippet: str, data: dict | None = None,
                colour_pair: bool = False) -> Fingerprint:
    """The finding's fix. A check whose fixes are one colour change wherever the pair appears (Check.colour_pair,
    IMPACT.md 3.1) is fingerprinted by the (foreground, background, text size) axe-core reports, when the finding
    carries it."""
    if colour_pair:
        key = _colour_key(data)
        if key is not None:
            return Fingerprint(f"{check_id}:{_digest(check_id, 'colour', key)}", "colour", "", key, "")
    if is_page_level(selector):
        return page_fingerprint(check_id, url_pattern(url))
    return element_fingerprint(check_id, selector, snippet)


SITE_WIDE_PATTERN = "*"
SITE_WIDE_MIN_PAGES = 3
SITE_WIDE_MIN_SHARE = 0.5


def site_wide(check_id: str, pages: int, audited_pages: int) -> Fingerprint | None:
    """The site-wide fingerprint when a check's page-level findings cover most of the site, else None."""
    if pages >= max(SITE_WIDE_MIN_PAGES, math.ceil(SITE_WIDE_MIN_SHARE * max(1, audited_pages))):
        return page_fingerprint(check_id, SITE_WIDE_PATTERN)
    return None


# --- causes beyond the element ------------------------------------------------------------------------------------


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def _named_attribute(data: dict | None, snippet: str, names: frozenset[str]) -> tuple[str, str] | None:
    """(attribute, value) when the finding's data reports the value of one of `names` as the element has it: the
    finding is about that value ({"alt": "..."} on <img alt="...">)."""
    if not data:
        return None
    keys = [k for k in data if k in names and isinstance(data[k], str) and data[k].strip()]
    if not keys:
        return None
    parsed = start_tag(snippet)
    if parsed is None:
        return None
    attrs = dict(parsed[1])
    for k in keys:
        have = attrs.get(k)
        if have is not None and _fold(have) == _fold(data[k]):
            return k, have
    return None


def text_cause(data: dict | None, snippet: str) -> tuple[str, str] | None:
    """(attribute, folded value) when the finding is about the value of a text attribute (alt, title, aria-label...),
    which its data reports as the element has it: every element with that same text has the same cause (a theme
    string, a CMS default), wherever it is."""
    named = _named_attribute(data, snippet, TEXT_ATTRS)
    return (named[0], _fold(named[1])) if named is not None else None


def id_cause(data: dict | None, snippet: str) -> bool:
    """The finding is about the element's id (its data reports the id the element has): ids repeated on one page
    come from one component repeated without unique ids."""
    return _named_attribute(data, snippet, frozenset({"id"})) is not None


def text_fingerprint(check_id: str, attribute: str, value: str) -> Fingerprint:
    """One text attribute value wherever it is: `alt="..."` on every image that has it."""
    return Fingerprint(f"{check_id}:{_digest(check_id, 'text', attribute, value)}", "text", "",
                       f'{attribute}="{value}"', "")


# --- where a fix lives -------------------------------------------------------------------------------------------

# Landmarks found on every page (IMPACT.md 3.1 "shared chrome"): a fix there is one change.
CHROME = {"header": "header", "nav": "navigation", "footer": "footer"}
_CHROME_IDS = {
    "header": ("header", "masthead", "banner", "topbar"),
    "navigation": ("nav", "navbar", "navigation", "menu", "mainmenu"),
    "footer": ("footer", "colophon", "contentinfo"),
}
_CONTENT = {"main", "article", "section"}
_STEP = re.compile(r"^([#.]?)([\w-]+)")


def landmark(selector: str) -> str | None:
    """'header', 'navigation' or 'footer' when the element sits in the page's shared chrome, 'sidebar' in an aside.

    A <header> or <footer> inside main/article/section belongs to that content, not to the page's chrome.
    """
    in_content = False
    found: str | None = None
    for step in (selector or "").split(">"):
        m = _STEP.match(step.strip())
        if not m:
            continue
        prefix, name = m.group(1), m.group(2).lower()
        if prefix == "":
            if name in _CONTENT:
                in_content = True
            if name in CHROME and (name == "nav" or not in_content) and found is None:
                found = CHROME[name]
            elif name == "aside" and found is None:
                found = "sidebar"
        else:
            tokens = set(re.split(r"[^a-z0-9]+", name))
            if "main" in tokens or "content" in tokens:
                in_content = True
            for chrome, words in _CHROME_IDS.items():
                if found is None and tokens & set(words) and not (in_content and chrome != "navigation"):
                    found = chrome
    return found


@dataclass(frozen=True)
class Component:
    kind: str  # header | navigation | footer | template | layout | style | text | component | page
    name: str  # "product page template", "header", "page /contact.html"
    template: bool  # one change repairs every page of the fix


_IRREGULAR = {"news", "series", "status", "press", "access", "business", "campus", "analysis", "address"}


def _singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR or w.endswith("ss") or len(w) < 4:
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("s"):
        return w[:-1]
    return w


def template_name(pattern: str) -> str | None:
    """'product page template' for '/products/*'; None when the pattern has no folder name to go by."""
    folders = [s for s in pattern.strip("/").split("/")[:-1] if s and s != "*"]
    if not folders:
        return None
    word = re.sub(r"[-_.]+", " ", _singular(folders[-1])).strip()[:40]
    return f"{word} page template" if word else None


def component_of(fp: Fingerprint, urls: list[str], selector: str, audited_pages: int) -> Component:
    """Name the shared template, layout or component a fix lives in (or the one page it is on)."""
    patterns = {url_pattern(u) for u in urls}
    many = len(urls) >= 2
    if fp.kind == "colour":
        return Component("style", f"colour pair {fp.markup}", True)
    if fp.kind == "text":  # one text in several places: found by searching for it, edited where each one is set
        return Component("text", fp.markup if len(fp.markup) <= 60 else fp.markup[:58] + '…"', False)
    if fp.kind == "page":
        if fp.pattern == SITE_WIDE_PATTERN:
            return Component("layout", "base page layout", True)
        name = template_name(fp.pattern) if "*" in fp.pattern and many else None
        if name:
            return Component("template", name, True)
        return Component("page", f"page {url_path(urls[0]) if urls else fp.pattern}", True)
    mark = landmark(selector)
    if mark in CHROME.values():
        return Component(mark, mark, True)
    if many:
        if len(patterns) == 1:
            name = template_name(next(iter(patterns)))
            if name:
                return Component("template", name, True)
        wide = len(urls) >= max(SITE_WIDE_MIN_PAGES, math.ceil(SITE_WIDE_MIN_SHARE * max(1, audited_pages)))
        where = "site-wide component" if wide else "shared component"
        if mark == "sidebar":
            where = "shared sidebar"
        return Component("component", where, len(urls) >= 2)
    where = f"page {url_path(urls[0])}" if urls else "one page"
    if mark == "sidebar":
        where = f"sidebar of {where}"
    return Component("page", where, False)


# --- key journeys ----------------------------------------------------------------------------------------------

# Task -> words that mark it in a URL path segment or in an element's attributes (IMPACT.md 3.1, J(p,f)).
JOURNEYS: dict[str, frozenset[str]] = {
    "buying": frozenset("cart basket checkout payment pay buy purchase addtocart addtobasket order-form".split()),
    "signing in": frozenset("login signin logon register registration signup password account-login".split()),
    "searching": frozenset("search".split()),
    "sending the form": frozenset(
        "contact contactus enquiry enquiries apply application booking donate donation".split()),
}
_SEGMENT_EXT = re.compile(r"\.(html?|php|aspx?|jsp)$", re.IGNORECASE)
_AUTOCOMPLETE = {"cc-": "buying", "current-password": "signing in", "new-password": "signing in",
                 "username": "signing in"}
_FORM_TAGS = {"input", "select", "textarea", "button", "form", "fieldset", "label", "option"}
_ELEMENT_ATTRS = ("class", "id", "name", "role", "aria-controls", "for", "form")


def _word_task(word: str) -> str | None:
    for task, words in JOURNEYS.items():
        if word in words:
            return task
    return None


def journey_of_url(url: str) -> str | None:
    """The key task a page serves, from its path segments ('/checkout/', '/contact.html', '/account/login')."""
    for seg in (urlsplit(url or "").path or "/").lower().split("/"):
        stem = _SEGMENT_EXT.sub("", seg)
        for candidate in (stem, stem.replace("-", "").replace("_", "")):
            task = _word_task(candidate)
            if task:
                return task
    return None


def _tokens(value: str) -> Iterable[str]:
    return (t for t in re.split(r"[^a-z0-9]+", value.lower()) if t)


def journey_of_element(selector: str, snippet: str) -> str | None:
    """The key task a form or control serves, from its attributes and its selector's ids (form purpose)."""
    for tag in re.finditer(r"<[a-zA-Z][^<]*", snippet or ""):
        parsed = start_tag(tag.group(0))
        if parsed is None:
            continue
        name, attrs = parsed
        values = dict(attrs)
        kind = (values.get("type") or "").lower()
        if kind == "search" or values.get("role") == "search":
            return "searching"
        if kind == "password":
            return "signing in"
        ac = (values.get("autocomplete") or "").lower()
        for prefix, task in _AUTOCOMPLETE.items():
            if ac.startswith(prefix) or f" {prefix}" in f" {ac}":
                return task
        if name in ("input", "textarea") and (values.get("name") or "").lower() in ("q", "query", "search"):
            return "searching"
        for attr in _ELEMENT_ATTRS:
            for token in _tokens(values.get(attr) or ""):
                task = _word_task(token)
                if task:
                    return task
        for attr in ("href", "action", "formaction"):
            if values.get(attr):
                task = journey_of_url(values[attr])
                if task:
                    return task
    for step in (selector or "").split(">"):
        m = _STEP.match(step.strip())
        if m and m.group(1) == "#":
            for token in _tokens(m.group(2)):
                task = _word_task(token)
                if task:
                    return task
    return None


def in_form(selector: str, snippet: str) -> bool:
    """The element is a form control, or sits inside a form (its task is the form's)."""
    parsed = start_tag(snippet)
    if parsed is not None and parsed[0] in _FORM_TAGS:
        return True
    for step in (selector or "").split(">"):
        m = _STEP.match(step.strip())
        if m and m.group(1) == "" and m.group(2).lower() == "form":
            return True
    return False
