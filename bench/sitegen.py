"""Synthetic brand sites for benchmarks: N pages from T templates, realistic weights, seeded defects.

    .venv/bin/python bench/sitegen.py OUT_DIR --pages 1000 --templates 5 --seed 7 [--serve]

Deterministic by seed: the same arguments give byte-identical files. What a site has:

* templates (the first T of): home, category, product, article, store-locator, then search, contact, faq, careers,
  landing for T > 5. Each page of a template shares its markup (header, mega-menu of ~150 links, breadcrumbs,
  footer, cards, forms, tables, images with srcset) and differs in its content, so a crawl can group pages by template;
* realistic weights: HTML between 30 and 120 KB (each template has its own range: a home page is heavier than an
  article), a shared CSS file and JS bundle, per-product images referenced with srcset (the files are tiny real
  PNGs: their bytes do not matter here, only that every URL answers);
* links: every page is reachable from the home page within a few clicks (a 24-ary tree of "related" cards over all
  pages in a fixed order, plus the shared navigation), so any --max-depth >= 5 reaches 10,000 pages;
* seeded defects per template (SiteManifest.defects: what, where, which check finds it, static or browser-only)
  and a few one-off defects on single pages (an unnamed link, an image without alt in an article, low-contrast text
  on one page). A site with T templates declares only the defects of the templates it has.

serve_site(root) serves it on 127.0.0.1 from memory with a threaded server (gzip computed once per file).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import struct
import threading
import zlib
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

TEMPLATES = ("home", "category", "product", "article", "store-locator",
             "search", "contact", "faq", "careers", "landing")
# Share of the site's pages per template (home is always one page).
SHARES = {"category": 0.05, "product": 0.5, "article": 0.3, "store-locator": 0.08, "search": 0.02,
          "contact": 0.01, "faq": 0.02, "careers": 0.01, "landing": 0.01}
FOLDERS = {"home": "", "category": "c", "product": "p", "article": "blog", "store-locator": "stores",
           "search": "search", "contact": "contact", "faq": "help", "careers": "jobs", "landing": "lp"}
# HTML weight range per template, in KB (1,024 bytes).
WEIGHTS = {"home": (90, 120), "category": (60, 100), "product": (45, 85), "article": (30, 70),
           "store-locator": (30, 60), "search": (40, 70), "contact": (30, 45), "faq": (35, 80),
           "careers": (30, 60), "landing": (50, 110)}
FANOUT = 24  # "related" cards per page: the tree that makes every page reachable

_WORDS = ("coffee roast bean origin harvest blend espresso filter grind aroma cup crema body acidity sweet bright "
          "smooth notes cherry chocolate caramel citrus floral nutty honey washed natural farm altitude region "
          "brew kettle grinder scale mug subscription delivery store shop visit hours open weekend barista "
          "season fresh batch lot single estate organic fair trade pack bag weight price offer gift card order "
          "return policy shipping free member reward point newsletter team story craft quality taste people "
          "morning afternoon evening recipe guide method pour over french press cold brew milk oat water "
          "temperature ratio minute second tip trick classic house dark medium light decaf").split()
_CITIES = ("Amsterdam Berlin Bristol Dublin Edinburgh Ghent Hamburg Leeds Lisbon Lyon Madrid Malmo Milan "
           "Munich Nantes Oslo Porto Prague Riga Rotterdam Seville Tallinn Turin Utrecht Vienna Zurich").split()


# --- manifest ----------------------------------------------------------------------------------------------------


@dataclass
class Defect:
    """A seeded accessibility defect: where it is and which checks should find it."""

    id: str  # e.g. "product/unlabeled-quantity"
    template: str
    checks: tuple[str, ...]  # check ids that find it (ours, or axe rule ids for browser-only ones)
    engine: str  # "static" (a static check finds it on every page) or "browser" (only a browser audit sees it)
    pages: list[str] = field(default_factory=list)  # URL paths where it is; all pages of the template if scope says
    scope: str = "template"  # "template" (every page of it) or "page" (one-off)
    description: str = ""


@dataclass
class PageInfo:
    path: str  # URL path, e.g. /p/0042.html
    template: str
    bytes: int = 0
    links: list[str] = field(default_factory=list)  # URL paths of the pages it links to (in-site pages only)


@dataclass
class SiteManifest:
    pages: list[PageInfo]
    defects: list[Defect]
    seed: int
    templates: list[str]
    assets: list[str]  # URL paths of CSS, JS and image files referenced

    def by_template(self) -> dict[str, list[PageInfo]]:
        out: dict[str, list[PageInfo]] = {}
        for p in self.pages:
            out.setdefault(p.template, []).append(p)
        return out

    def to_json(self) -> str:
        return json.dumps({"seed": self.seed, "templates": self.templates,
                           "pages": [asdict(p) for p in self.pages],
                           "defects": [asdict(d) for d in self.defects], "assets": self.assets}, indent=1)


# Template defects: (template, id, checks, engine, description). Checks: ours (static) or axe rule ids (browser).
TEMPLATE_DEFECTS = [
    ("home", "hero-image-no-alt", ("image-alt",), "static", "the hero image has no alt attribute"),
    ("home", "promo-low-contrast", ("color-contrast",), "browser", "the promo strip is light grey on white (CSS)"),
    ("home", "icon-button-empty", ("button-name",), "static", "the carousel's next button is an empty icon button"),
    ("category", "filter-select-unlabeled", ("select-name",), "static", "the sort-by select has no label"),
    ("category", "card-meta-low-contrast", ("color-contrast",), "browser", "card ratings text is #999 on #fff"),
    ("product", "quantity-unlabeled", ("label",), "static", "the quantity field has no label"),
    ("product", "wishlist-button-empty", ("button-name",), "static", "the add-to-wishlist button has only an icon"),
    ("product", "thumbnail-no-alt", ("image-alt",), "static", "gallery thumbnails have no alt attribute"),
    ("product", "price-note-low-contrast", ("color-contrast",), "browser", "the VAT note is #aaa on #fff"),
    ("article", "missing-lang", ("html-has-lang",), "static", "the article layout's <html> has no lang"),
    ("article", "heading-skip", ("heading-order",), "static", "the sidebar jumps from h1 to h4"),
    ("store-locator", "map-frame-untitled", ("frame-title",), "static", "the map iframe has no title"),
    ("store-locator", "postcode-unlabeled", ("label",), "static", "the postcode search field has no label"),
    ("store-locator", "hours-empty-header", ("empty-table-header",), "static", "the opening-hours table has an empty th"),
    ("search", "search-field-unlabeled", ("label",), "static", "the results page's search box has no label"),
    ("contact", "message-unlabeled", ("label",), "static", "the message textarea has no label"),
    ("faq", "toggle-button-empty", ("button-name",), "static", "the expand buttons are empty"),
    ("careers", "apply-link-empty", ("link-name",), "static", "the apply link holds only an icon"),
    ("landing", "banner-no-alt", ("image-alt",), "static", "the banner image has no alt attribute"),
]
# One-off defects on single pages: (template, id, checks, engine, description); the page is chosen by seed.
ONE_OFF_DEFECTS = [
    ("product", "one-off-empty-link", ("link-name",), "static", "a link around an icon with no text, on one page"),
    ("article", "one-off-inline-image-no-alt", ("image-alt",), "static", "an image in one article's body has no alt"),
    ("article", "one-off-low-contrast", ("color-contrast",), "browser", "one article has a pale-yellow callout"),
    ("category", "one-off-positive-tabindex", ("tabindex",), "static", "one category page has tabindex=5 on a link"),
]


# --- text -------------------------------------------------------------------------------------------------------


class Text:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, n: int) -> str:
        return " ".join(self.rng.choices(_WORDS, k=n))

    def title(self, n: int = 3) -> str:
        return self.words(n).title()

    def sentence(self) -> str:
        s = self.words(self.rng.randint(8, 18))
        return s[0].upper() + s[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(3, 6)))


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


# --- site plan --------------------------------------------------------------------------------------------------


def plan_pages(n: int, templates: list[str]) -> list[PageInfo]:
    """N pages over the templates: the home page first, then each template's pages by share, interleaved.

    Every template after home gets at least one page when N allows; with one template, the extra pages are more
    home-like landing pages under /home/.
    """
    others = [t for t in templates if t != "home"]
    left = n - 1
    counts: dict[str, int] = {}
    if not others:
        counts = {"home": left}
        others = ["home"]
    else:
        total = sum(SHARES[t] for t in others)
        counts = {t: int(left * SHARES[t] / total) for t in others}
        for t in others:  # every template gets a page while pages are left
            if counts[t] == 0 and sum(counts.values()) < left:
                counts[t] = 1
        big = max(others, key=lambda t: SHARES[t])
        while sum(counts.values()) > left:  # the minimums overshot: take from the largest
            counts[max(counts, key=lambda t: counts[t])] -= 1
        counts[big] += left - sum(counts.values())
    pages = [PageInfo("/index.html", "home")]
    made = {t: 0 for t in others}
    # Interleave templates so each level of the link tree mixes them (the one furthest behind its share goes next).
    for _ in range(left):
        t = min((t for t in others if made[t] < counts[t]), key=lambda t: (made[t] / counts[t], others.index(t)))
        made[t] += 1
        pages.append(PageInfo(f"/{FOLDERS[t] or 'home'}/{made[t]:04d}.html", t))
    return pages


# --- markup -----------------------------------------------------------------------------------------------------


CSS = """/* brand.css: the shared stylesheet */
:root{--ink:#1d1d1b;--brand:#6b3e26;--paper:#fff}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,sans-serif;color:var(--ink);background:var(--paper)}
a{color:#0b57a4}a:focus,button:focus,input:focus,select:focus{outline:3px solid #0b57a4;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:8px}
header{display:flex;justify-content:space-between;align-items:center;padding:8px 24px;border-bottom:1px solid #ddd}
.mega{list-style:none;margin:0;padding:0;display:flex;gap:16px}.mega>li{position:relative}
.mega .panel{display:none;position:absolute;top:100%;left:0;background:#fff;padding:16px;columns:3;width:640px}
.mega>li:hover .panel,.mega>li:focus-within .panel{display:block}
.crumbs{font-size:14px;padding:8px 24px}.crumbs ol{list-style:none;display:flex;gap:8px;padding:0}
main{max-width:1200px;margin:0 auto;padding:24px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:16px;list-style:none;padding:0}
.card{border:1px solid #ddd;padding:12px}.card img{width:100%;height:auto}
.promo{color:#b8b8b8;background:#fff}.meta-pale{color:#a9a9a9}.vat{color:#b0b0b0;font-size:13px}
.callout-pale{color:#e8e08a;background:#fff}
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left}
footer{background:#1d1d1b;color:#fff;padding:24px}footer a{color:#fff}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
"""

JS = """/* app.js: menu and carousel behaviour */
(function(){document.querySelectorAll('[data-toggle]').forEach(function(b){b.addEventListener('click',function(){
var t=document.getElementById(b.getAttribute('aria-controls'));if(!t)return;var o=b.getAttribute('aria-expanded')==='true';
b.setAttribute('aria-expanded',String(!o));t.hidden=o;});});})();
"""


def tiny_png(seed: int) -> bytes:
    """An 8x6 RGB PNG whose colour comes from the seed: a real image, a few hundred bytes."""
    r, g, b = (seed * 67) % 256, (seed * 131) % 256, (seed * 29) % 256
    raw = b"".join(b"\x00" + bytes((r, g, b)) * 8 for _ in range(6))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


class Builder:
    def __init__(self, pages: list[PageInfo], templates: list[str], seed: int) -> None:
        self.pages = pages
        self.templates = templates
        self.seed = seed
        self.index = {p.path: i for i, p in enumerate(pages)}
        self.names: dict[str, str] = {}
        rng = random.Random(seed)
        text = Text(rng)
        for p in pages:
            self.names[p.path] = text.title(rng.randint(2, 3)) if p.template != "home" else "Home"
        by_t: dict[str, list[PageInfo]] = {}
        for p in pages:
            by_t.setdefault(p.template, []).append(p)
        self.by_t = by_t
        self.nav = self._nav(rng)
        self.footer = self._footer(rng)
        # One-off defect pages, chosen by seed among the template's pages (never its first page: a sample's favourite).
        self.one_offs: dict[str, str] = {}
        for t, did, *_ in ONE_OFF_DEFECTS:
            cands = by_t.get(t, [])[1:]
            if cands:
                self.one_offs[did] = rng.choice(cands).path

    # shared parts

    def _nav(self, rng: random.Random) -> str:
        text = Text(rng)
        items = []
        groups = [t for t in self.templates if t != "home"] or ["home"]
        for gi, t in enumerate(groups[:6]):
            targets = self.by_t.get(t, [])[:40]
            cols = "".join(f'<li><a href="{p.path}">{_esc(self.names[p.path])}</a></li>' for p in targets)
            # Filler entries: mega-menus list far more than a site's crawl needs; they point at the group's pages.
            extra = "".join(f'<li><a href="{targets[i % len(targets)].path}#{k}">{text.title(2)}</a></li>'
                            for k, i in enumerate(range(max(0, 30 - len(targets))))) if targets else ""
            label = t.replace("-", " ").title() + ("s" if not t.endswith("s") else "")
            items.append(f'<li><button type="button" data-toggle aria-expanded="false" aria-controls="panel{gi}">'
                         f'{label}</button><div class="panel" id="panel{gi}" hidden><ul>{cols}{extra}</ul></div></li>')
        return (f'<nav aria-label="Main"><ul class="mega">{"".join(items)}'
                f'</ul></nav>')

    def _footer(self, rng: random.Random) -> str:
        text = Text(rng)
        cols = []
        for c in range(4):
            links = "".join(f'<li><a href="/index.html#f{c}-{k}">{text.title(2)}</a></li>' for k in range(10))
            cols.append(f'<section><h2>{text.title(2)}</h2><ul>{links}</ul></section>')
        return (f'<footer><div class="cols">{"".join(cols)}</div><form action="/newsletter" method="post">'
                f'<label for="nl-email">Your email</label> <input id="nl-email" type="email" name="email" '
                f'autocomplete="email"> <button type="submit">Subscribe</button></form>'
                f'<p>&copy; 2026 Northwind Coffee Roasters</p></footer>')

    def img(self, key: str, alt: str | None, cls: str = "", lazy: bool = True) -> str:
        base = f"/img/{key}"
        srcset = ", ".join(f"{base}-{w}.png {w}w" for w in (320, 640, 1280))
        alt_attr = "" if alt is None else f' alt="{_esc(alt)}"'
        return (f'<img src="{base}-640.png" srcset="{srcset}" sizes="(max-width: 700px) 100vw, 33vw" '
                f'width="640" height="480"{alt_attr}{" loading=\"lazy\"" if lazy else ""}'
                f'{f" class=\"{cls}\"" if cls else ""}>')

    def related(self, i: int) -> list[PageInfo]:
        return [self.pages[j] for j in range(i * FANOUT + 1, min(len(self.pages), i * FANOUT + FANOUT + 1))]

    def parent(self, i: int) -> PageInfo | None:
        return self.pages[(i - 1) // FANOUT] if i > 0 else None

    def cards(self, kids: list[PageInfo], text: Text, pale_meta: bool, heading: str | None = "You may also like") -> str:
        items = []
        for k in kids:
            key = f"{FOLDERS[k.template] or 'home'}-{k.path.rsplit('/', 1)[-1][:-5]}"
            meta = f'<p class="meta-pale">Rated 4.{self.index[k.path] % 10} by {self.index[k.path] % 97 + 3} people</p>' \
                if pale_meta else f'<p>{_esc(text.words(6))}</p>'
            items.append(f'<li class="card">{self.img(key, "")}<h3><a href="{k.path}">'
                         f'{_esc(self.names[k.path])}</a></h3>{meta}<p>{_esc(text.sentence())}</p></li>')
        if not items:
            return ""
        return (f"<h2>{heading}</h2>" if heading else "") + f'<ul class="cards">{"".join(items)}</ul>'

    # pages

    def page(self, i: int) -> str:
        p = self.pages[i]
        rng = random.Random(f"{self.seed}:{p.path}")
        text = Text(rng)
        t = p.template
        name = self.names[p.path]
        lo, hi = WEIGHTS[t]
        target = rng.randint(lo * 1024, hi * 1024)
        kids = self.related(i)
        parent = self.parent(i)
        crumbs = "" if t == "home" else (
            '<nav class="crumbs" aria-label="Breadcrumb"><ol><li><a href="/index.html">Home</a></li>'
            + (f'<li><a href="{parent.path}">{_esc(self.names[parent.path])}</a></li>'
               if parent and parent.template != "home" else "")
            + f'<li aria-current="page">{_esc(name)}</li></ol></nav>')
        body = getattr(self, "body_" + t.replace("-", "_"))(p, i, text, kids)
        one_off = self.one_off_markup(p, text)
        lang = "" if t == "article" else ' lang="en"'
        head = (f'<!doctype html><html{lang}><head><meta charset="utf-8">'
                f'<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{_esc(name)} | Northwind Coffee</title><link rel="stylesheet" href="/static/brand.css">'
                f'<script src="/static/app.js" defer></script></head><body>'
                f'<a class="skip" href="#main">Skip to content</a><header><a href="/index.html">'
                f'<img src="/img/logo-640.png" alt="Northwind Coffee" width="160" height="40"></a>{self.nav}</header>'
                f'{crumbs}<main id="main">')
        tail = f'</main>{self.footer}</body></html>\n'
        html = head + body + one_off
        # Pad with ordinary content (more article text, a product feed as JSON-LD) up to the page's weight.
        filler: list[str] = []
        size = len(html) + len(tail)
        if size < target:
            filler.append("<section><h2>More from Northwind</h2>")
            size += 40
            while size < target:
                para = f"<p>{_esc(text.paragraph())}</p>"
                filler.append(para)
                size += len(para)
            filler.append("</section>")
        html = html + "".join(filler) + tail
        p.links = sorted({k.path for k in kids} | ({parent.path} if parent else set()))
        return html

    def one_off_markup(self, p: PageInfo, text: Text) -> str:
        out = []
        if self.one_offs.get("one-off-empty-link") == p.path:
            out.append('<p><a href="/index.html#share"><svg aria-hidden="true" width="16" height="16"></svg></a></p>')
        if self.one_offs.get("one-off-inline-image-no-alt") == p.path:
            out.append(f'<figure><img src="/img/inline-{p.path[6:10]}.png" width="600" height="400"></figure>')
        if self.one_offs.get("one-off-low-contrast") == p.path:
            out.append(f'<aside><p class="callout-pale">{_esc(text.sentence())}</p></aside>')
        if self.one_offs.get("one-off-positive-tabindex") == p.path:
            out.append('<p><a href="/index.html#offers" tabindex="5">See this week\'s offers</a></p>')
        return "".join(out)

    def body_home(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        return (f'<h1>Freshly roasted coffee, delivered</h1>'
                f'<section class="hero">{self.img("hero", None, lazy=False)}<p>{_esc(text.paragraph())}</p>'
                f'<button type="button" class="next"><span class="icon-chevron"></span></button></section>'
                f'<p class="promo">Free shipping on orders over 30 EUR this week.</p>'
                f'{self.cards(kids, text, False, "Our favourites")}'
                f'<h2>From the journal</h2><p>{_esc(text.paragraph())}</p>')

    def body_category(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        opts = "".join(f"<option>{o}</option>" for o in ("Popularity", "Price: low to high", "Price: high to low",
                                                         "Newest"))
        return (f'<h1>{_esc(self.names[p.path])}</h1><p class="meta-pale">{len(kids)} coffees, rated by '
                f'{i % 400 + 12} people</p><p>{_esc(text.paragraph())}</p>'
                f'<form class="filters" action="{p.path}" method="get"><select name="sort">{opts}</select>'
                f'<fieldset><legend>Roast</legend>'
                + "".join(f'<label><input type="checkbox" name="roast" value="{r}"> {r.title()}</label>'
                          for r in ("light", "medium", "dark"))
                + f'</fieldset><button type="submit">Apply filters</button></form>'
                f'{self.cards(kids, text, True, "Products")}'
                f'<nav aria-label="Pagination"><a href="{p.path}">1</a></nav>')

    def body_product(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        key = f"p-{p.path[3:7]}"
        thumbs = "".join(f'<li>{self.img(f"{key}-t{k}", None)}</li>' for k in range(3))
        specs = "".join(f"<tr><th scope=\"row\">{h}</th><td>{_esc(text.words(3))}</td></tr>"
                        for h in ("Origin", "Process", "Altitude", "Roast", "Notes", "Weight"))
        price = 8 + (i * 37) % 2400 / 100
        return (f'<div class="product"><h1>{_esc(self.names[p.path])}</h1>'
                f'{self.img(key, self.names[p.path] + " bag", lazy=False)}<ul class="thumbs">{thumbs}</ul>'
                f'<p class="price">{price:.2f} EUR</p><p class="vat">Price includes VAT; shipping is extra.</p>'
                f'<form action="/cart" method="post"><input type="number" name="qty" value="1" min="1">'
                f'<button type="submit">Add to basket</button>'
                f'<button type="button" class="wishlist"><i class="icon-heart"></i></button></form>'
                f'<h2>Description</h2><p>{_esc(text.paragraph())}</p><p>{_esc(text.paragraph())}</p>'
                f'<table><caption>Specifications</caption>{specs}</table>'
                f'{self.cards(kids, text, False)}</div>')

    def body_article(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        key = f"a-{p.path[6:10]}"
        paras = "".join(f"<p>{_esc(text.paragraph())}</p>" for _ in range(4))
        return (f'<article><h1>{_esc(self.names[p.path])}</h1><p><time datetime="2026-0{1 + i % 9}-1{i % 9}">'
                f'{1 + i % 27} March 2026</time></p>{self.img(key, text.sentence())}{paras}'
                f'<h2>{_esc(text.title(4))}</h2>{paras}</article>'
                f'<aside><h4>Related reading</h4>{self.cards(kids, text, False, None)}</aside>')

    def body_store_locator(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        city = _CITIES[i % len(_CITIES)]
        hours = "".join(f"<tr><td>{d}</td><td>8:00</td><td>18:00</td></tr>"
                        for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"))
        return (f'<h1>Our store in {city}</h1><form action="/stores/search" method="get">'
                f'<input type="text" name="postcode" autocomplete="postal-code"><button type="submit">Find a store'
                f'</button></form><iframe src="/static/map.html" width="600" height="300"></iframe>'
                f'<table><caption>Opening hours</caption><tr><th></th><th>Opens</th><th>Closes</th></tr>{hours}'
                f'</table><p>{_esc(text.paragraph())}</p>{self.cards(kids, text, False, "Other stores")}')

    def body_search(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        return (f'<h1>Search results</h1><form role="search" action="/search" method="get">'
                f'<input type="search" name="q" value="{_esc(text.words(2))}"><button type="submit">Search</button>'
                f'</form>{self.cards(kids, text, False)}')

    def body_contact(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        return (f'<h1>Contact us</h1><form action="/contact" method="post"><label for="c-name">Name</label>'
                f'<input id="c-name" name="name" autocomplete="name"><label for="c-mail">Email</label>'
                f'<input id="c-mail" type="email" name="email" autocomplete="email"><textarea name="message">'
                f'</textarea><button type="submit">Send</button></form><p>{_esc(text.paragraph())}</p>'
                f'{self.cards(kids, text, False)}')

    def body_faq(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        qs = "".join(f'<h2>{_esc(text.sentence()[:-1])}?</h2><button type="button" class="toggle" '
                     f'aria-expanded="false"></button><p>{_esc(text.paragraph())}</p>' for _ in range(6))
        return f'<h1>Help: {_esc(self.names[p.path])}</h1>{qs}{self.cards(kids, text, False)}'

    def body_careers(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        return (f'<h1>Join us: {_esc(self.names[p.path])}</h1><p>{_esc(text.paragraph())}</p>'
                f'<p><a href="/jobs/apply.html" class="apply"><i class="icon-arrow"></i></a></p>'
                f'{self.cards(kids, text, False)}')

    def body_landing(self, p: PageInfo, i: int, text: Text, kids: list[PageInfo]) -> str:
        return (f'<h1>{_esc(self.names[p.path])}</h1>{self.img(f"banner-{i}", None, lazy=False)}'
                f'<p>{_esc(text.paragraph())}</p>{self.cards(kids, text, False)}')


def generate(root: str | os.PathLike, pages: int = 100, templates: int = 5, seed: int = 1) -> SiteManifest:
    """Write a site of `pages` pages from the first `templates` templates into `root`; return its manifest."""
    if pages < 1:
        raise ValueError("pages must be at least 1")
    if not 1 <= templates <= len(TEMPLATES):
        raise ValueError(f"templates must be between 1 and {len(TEMPLATES)}")
    names = list(TEMPLATES[:templates])
    plan = plan_pages(pages, names)
    b = Builder(plan, names, seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    for i, p in enumerate(plan):
        html = b.page(i).encode("utf-8")
        p.bytes = len(html)
        path = root / p.path.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(html)
    static = root / "static"
    static.mkdir(exist_ok=True)
    (static / "brand.css").write_text(CSS, encoding="utf-8")
    (static / "app.js").write_text(JS, encoding="utf-8")
    (static / "map.html").write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Map</title>'
                                     '</head><body><p>Map of our stores.</p></body></html>', encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", encoding="utf-8")
    present = {p.template for p in plan}
    by_t = b.by_t
    defects = []
    for t, did, checks, engine, desc in TEMPLATE_DEFECTS:
        if t in present:
            defects.append(Defect(f"{t}/{did}", t, checks, engine, [p.path for p in by_t[t]], "template", desc))
    for t, did, checks, engine, desc in ONE_OFF_DEFECTS:
        if did in b.one_offs:
            defects.append(Defect(f"{t}/{did}", t, checks, engine, [b.one_offs[did]], "page", desc))
    manifest = SiteManifest(plan, defects, seed, names, ["/static/brand.css", "/static/app.js", "/static/map.html"])
    (root / "_manifest.json").write_text(manifest.to_json(), encoding="utf-8")
    return manifest


# --- serving ----------------------------------------------------------------------------------------------------


_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".png": "image/png",
          ".js": "text/javascript; charset=utf-8", ".txt": "text/plain; charset=utf-8",
          ".json": "application/json", ".xml": "application/xml"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Scrapy and Chromium reuse connections
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the body until the
    # client's delayed ACK (~40 ms), which capped a crawl at ~50 requests/s whatever the crawler did.
    disable_nagle_algorithm = True
    server: "SiteServer"

    def log_message(self, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        gz = "gzip" in (self.headers.get("Accept-Encoding") or "")
        found = self.server.lookup(path, gz)
        if found is None:
            body = b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if not head:
                self.wfile.write(body)
            return
        body, ctype, encoded = found
        self.server.hits += 1
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if encoded:
            self.send_header("Content-Encoding", "gzip")
        if ctype.startswith(("text/", "application/")):
            self.send_header("Vary", "Accept-Encoding")
        self.send_header("Cache-Control", "no-cache" if ctype.startswith("text/html") else "public, max-age=604800")
        self.end_headers()
        if not head:
            self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """Serves a generated site from disk with in-memory gzip (once per file); /img/*.png are made on the fly."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, root: str | os.PathLike, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.root = Path(root)
        self.base_url = f"http://127.0.0.1:{self.server_address[1]}"
        self.hits = 0
        self._gz: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def lookup(self, path: str, gz: bool) -> tuple[bytes, str, bool] | None:
        ext = os.path.splitext(path)[1].lower()
        if path.startswith("/img/") and ext == ".png":
            return tiny_png(zlib.crc32(path.encode())), "image/png", False
        if ".." in path or path.startswith("/_manifest"):
            return None
        full = self.root / path.lstrip("/")
        try:
            body = full.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        ctype = _TYPES.get(ext, "application/octet-stream")
        if gz and ctype.startswith(("text/", "application/json", "application/xml")):
            cached = self._gz.get(path)
            if cached is None:
                cached = gzip.compress(body, compresslevel=5, mtime=0)
                if len(cached) < 64 * 1024:  # keep the cache small: 10,000 pages of ~20 KB gzipped at most
                    with self._lock:
                        self._gz[path] = cached
            return cached, ctype, True
        return body, ctype, False


@contextmanager
def serve_site(root: str | os.PathLike) -> Iterator[SiteServer]:
    server = SiteServer(root)
    thread = threading.Thread(target=server.serve_forever, name="sitegen-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--templates", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--serve", action="store_true", help="serve it on 127.0.0.1 until Ctrl-C")
    args = ap.parse_args()
    m = generate(args.out, args.pages, args.templates, args.seed)
    total = sum(p.bytes for p in m.pages)
    print(f"{len(m.pages)} pages, {len(m.templates)} templates, {total / 2**20:.1f} MiB of HTML, "
          f"{len(m.defects)} seeded defects -> {args.out}")
    if args.serve:
        import time

        with serve_site(args.out) as server:
            print(f"serving on {server.base_url}/index.html", flush=True)
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                pass


if __name__ == "__main__":
    main()
