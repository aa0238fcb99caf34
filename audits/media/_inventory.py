"""The resource inventory of a page, as pure functions of its parsed HTML (and of its stylesheets' parsed CSS).

`extract(soup, page_url)` lists what the HTML asks for: images (with the srcset candidate a phone would pick and
the first <picture> source it would use), video and audio sources and posters, stylesheets, scripts, preloads,
icons, iframes and inline style backgrounds. `css_resources(...)` adds what the stylesheets ask for: @import,
@font-face fonts that the page's CSS uses, and background images whose selector matches an element. No network.
"""

from __future__ import annotations

import re
from typing import Iterable
from urllib.parse import urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._css import CssRefs, _first_url, _families, selector_matches
from empathy_audit.audits.media._model import ResourceRef

_SKIP = ("data:", "blob:", "javascript:", "about:", "mailto:", "tel:", "#")
_SRCSET = re.compile(r"\s*([^\s,][^\s]*?)(?:\s+([0-9.]+[wxh]))?\s*(?:,|$)")
SUPPORTED_IMAGE_TYPES = {"image/avif", "image/webp", "image/jpeg", "image/jpg", "image/png", "image/gif",
                         "image/svg+xml", "image/apng", "image/bmp", "image/x-icon", "image/vnd.microsoft.icon"}
SUPPORTED_MEDIA_TYPES = ("video/mp4", "video/webm", "video/ogg", "audio/mpeg", "audio/mp4", "audio/ogg",
                         "audio/webm", "audio/wav", "audio/aac", "audio/flac", "audio/mp3")
_PRELOAD_AS = {"font": "font", "image": "image", "script": "script", "style": "stylesheet", "video": "media",
               "audio": "media", "track": "other", "fetch": "other", "document": "document"}
_JS_TYPES = ("", "text/javascript", "application/javascript", "module", "application/ecmascript",
             "text/ecmascript", "application/x-javascript")


def absolute(base: str, raw: str | None) -> str | None:
    """An absolute http(s) URL without fragment, or None for data:, javascript:, empty and unusable values."""
    if raw is None:
        return None
    raw = raw.strip()
    if not raw or raw.lower().startswith(_SKIP):
        return None
    try:
        url = urldefrag(urljoin(base, raw))[0]
    except ValueError:
        return None
    return url if url.startswith(("http://", "https://")) else None


def base_url(soup: BeautifulSoup, page_url: str) -> str:
    base = soup.find("base", href=True)
    if isinstance(base, Tag):
        try:
            return urljoin(page_url, str(base["href"]))
        except ValueError:
            pass
    return page_url


def origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}".lower()


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip().removesuffix("px"))
    except (TypeError, ValueError):
        return None


def _inert(el: Tag) -> bool:
    """Inside <noscript> or <template>: never loaded by a browser with scripts on."""
    return any(p.name in ("noscript", "template") for p in el.parents if isinstance(p, Tag))


# --- media queries and srcset: what a phone picks ------------------------------------------------------------


def media_matches(query: str | None, width: int = net.PHONE_WIDTH_CSS_PX) -> bool:
    """Does a media query match a phone screen in portrait? Unknown features count as matching."""
    if not query or not query.strip():
        return True
    for q in query.lower().split(","):
        q = q.strip()
        if not q:
            continue
        if q.startswith("not "):
            return True  # too clever to evaluate: assume it may match
        ok = True
        if q.startswith(("print", "speech")):
            ok = False
        for name, value, unit in re.findall(r"\(\s*(min-width|max-width|width)\s*:\s*([0-9.]+)\s*(px|em|rem)?\s*\)", q):
            px = float(value) * (16 if unit in ("em", "rem") else 1)
            if name == "min-width" and width < px:
                ok = False
            if name == "max-width" and width > px:
                ok = False
        if "orientation" in q and "landscape" in q:
            ok = False
        if ok:
            return True
    return False


def parse_srcset(srcset: str) -> list[tuple[str, str]]:
    """[(url, descriptor)] with descriptor like '640w', '2x' or '' (= 1x)."""
    out = []
    for m in _SRCSET.finditer(srcset or ""):
        url, desc = m.group(1), m.group(2) or ""
        if url:
            out.append((url, desc))
    return out


def slot_width(sizes: str | None, width_attr: int | None) -> float:
    """CSS px the image slot takes on the phone, from `sizes` (first matching entry), else its width attribute."""
    vw = net.PHONE_WIDTH_CSS_PX
    if sizes:
        for entry in sizes.split(","):
            entry = entry.strip()
            m = re.match(r"^(\(.*\))\s+(.+)$", entry)
            cond, length = (m.group(1), m.group(2)) if m else (None, entry)
            if cond is not None and not media_matches(cond):
                continue
            length = length.strip().lower()
            n = re.match(r"^([0-9.]+)\s*(px|vw|em|rem)?$", length)
            if n:
                value, unit = float(n.group(1)), n.group(2) or "px"
                return min(vw, value * vw / 100 if unit == "vw" else value * (16 if unit in ("em", "rem") else 1))
            return vw
    return min(vw, width_attr) if width_attr else vw


def pick_candidate(srcset: str, src: str | None, sizes: str | None, width_attr: int | None) -> tuple[str | None, str]:
    """(url, why) of the srcset candidate a phone (412 CSS px, DPR 1.75) would download."""
    cands = parse_srcset(srcset)
    if not cands:
        return src, "src"
    w_cands = [(int(float(d[:-1])), u) for u, d in cands if d.endswith("w")]
    if w_cands:
        need = slot_width(sizes, width_attr) * net.PHONE_DPR
        bigger = sorted(c for c in w_cands if c[0] >= need)
        return (bigger[0] if bigger else max(w_cands))[1], "srcset"
    x_cands = [(float(d[:-1]) if d.endswith("x") else 1.0, u) for u, d in cands if not d.endswith("h")]
    if src and not any(x == 1.0 for x, _ in x_cands):
        x_cands.append((1.0, src))
    if not x_cands:
        return src, "src"
    bigger = sorted(c for c in x_cands if c[0] >= net.PHONE_DPR)
    return (bigger[0] if bigger else max(x_cands))[1], "srcset"


# --- the HTML ----------------------------------------------------------------------------------------------------


def extract(soup: BeautifulSoup, page_url: str) -> list[ResourceRef]:
    """Every resource the HTML of a page asks for, in document order. Pure: reads the soup only."""
    base = base_url(soup, page_url)
    refs: list[ResourceRef] = []
    image_index = 0
    head = soup.head

    def add(raw: str | None, type_: str, via: str, el: Tag, in_weight: bool = True, **attrs: object) -> None:
        url = absolute(base, raw)
        if url is not None:
            refs.append(ResourceRef(url=url, type=type_, found_via=via, element=el, in_weight=in_weight,
                                    attrs=dict(attrs)))

    for el in soup.find_all(True):
        name = el.name
        if name in ("img", "video", "audio", "iframe", "script", "link", "input", "object", "embed", "source") \
                and _inert(el):
            continue
        if name == "img":
            chosen = _picture_source(el)
            if chosen is not None:
                _, url, why = chosen
                via = f"picture>source[{why}]"
            else:
                url, why = pick_candidate(str(el.get("srcset") or ""), el.get("src"), el.get("sizes"),
                                          _int(el.get("width")))
                via = f"img[{why}]"
            image_index += 1
            loading = str(el.get("loading") or "").strip().lower()
            add(url, "image", via, el, in_weight=loading != "lazy", index=image_index, loading=loading,
                width_attr=_int(el.get("width")), height_attr=_int(el.get("height")),
                has_srcset=bool(el.get("srcset")) or el.find_parent("picture") is not None,
                slot_width=slot_width(el.get("sizes"), _int(el.get("width"))))
        elif name in ("video", "audio"):
            autoplay = el.has_attr("autoplay")
            preload = el.get("preload")
            preload = None if preload is None else str(preload).strip().lower()
            eager = autoplay or preload in ("auto", "")
            facts = dict(autoplay=autoplay, muted=el.has_attr("muted"), preload=preload,
                         has_poster=bool(str(el.get("poster") or "").strip()), controls=el.has_attr("controls"),
                         loop=el.has_attr("loop"))
            if name == "video" and el.get("poster"):
                add(el.get("poster"), "image", "video[poster]", el, in_weight=True, poster=True)
            src = el.get("src")
            via = f"{name}[src]"
            if not src:
                for source in _sources(el, ("video", "audio")):
                    stype = str(source.get("type") or "").split(";")[0].strip().lower()
                    if source.get("src") and (not stype or stype in SUPPORTED_MEDIA_TYPES):
                        src, via = source.get("src"), f"{name}>source"
                        break
            add(src, "media", via, el, in_weight=eager, **facts)
        elif name == "iframe":
            loading = str(el.get("loading") or "").strip().lower()
            add(el.get("src"), "document", "iframe[src]", el, in_weight=loading != "lazy", loading=loading)
        elif name == "script":
            stype = str(el.get("type") or "").strip().lower()
            if el.get("src") and stype in _JS_TYPES and not el.has_attr("nomodule"):
                blocking = (head is not None and el in head.descendants and stype != "module"
                            and not el.has_attr("async") and not el.has_attr("defer"))
                add(el.get("src"), "script", "script[src]", el, render_blocking=blocking)
        elif name == "link":
            rels = {r.lower() for r in (el.get("rel") or [])} if isinstance(el.get("rel"), list) else \
                set(str(el.get("rel") or "").lower().split())
            if "stylesheet" in rels and "alternate" not in rels and not el.has_attr("disabled"):
                applies = media_matches(el.get("media"))
                add(el.get("href"), "stylesheet", "link[rel=stylesheet]", el, in_weight=applies,
                    render_blocking=applies)
            elif "preload" in rels or "modulepreload" in rels:
                as_ = "script" if "modulepreload" in rels else str(el.get("as") or "").lower()
                if media_matches(el.get("media")):
                    add(el.get("href"), _PRELOAD_AS.get(as_, "other"), "link[rel=preload]", el)
            elif "icon" in rels:
                add(el.get("href"), "image", "link[rel=icon]", el, icon=True)
        elif name == "input" and str(el.get("type") or "").lower() == "image":
            image_index += 1
            add(el.get("src"), "image", "input[type=image]", el, index=image_index, loading="",
                width_attr=_int(el.get("width")))
        elif name == "object" and el.get("data"):
            add(el.get("data"), "other", "object[data]", el)
        elif name == "embed" and el.get("src"):
            add(el.get("src"), "other", "embed[src]", el)
        style = el.get("style")
        if style and "url(" in str(style).lower():
            for decl in str(style).split(";"):
                if ":" in decl and decl.split(":", 1)[0].strip().lower() in ("background", "background-image"):
                    add(_first_url(decl), "image", "style attribute", el)
    return refs


def _sources(parent: Tag, names: tuple[str, ...]) -> list[Tag]:
    """The <source> elements of a picture, video or audio. lxml does not know <source> is void and nests the
    following siblings inside it, so they are found at any depth, skipping those of a nested element."""
    return [s for s in parent.find_all("source") if s.find_parent(list(names)) is parent]


def _picture_source(img: Tag) -> tuple[Tag, str, str] | None:
    """The <source> of the img's <picture> a phone uses, with its candidate URL; None: the <img> itself."""
    picture = img.find_parent("picture")
    if picture is None:
        return None
    for source in _sources(picture, ("picture",)):
        stype = str(source.get("type") or "").split(";")[0].strip().lower()
        if stype and stype not in SUPPORTED_IMAGE_TYPES:
            continue
        if not media_matches(source.get("media")):
            continue
        srcset = str(source.get("srcset") or "")
        if not srcset.strip():
            continue
        url, why = pick_candidate(srcset, None, source.get("sizes") or img.get("sizes"), _int(img.get("width")))
        if url:
            return source, url, why
    return None


def stylesheets(refs: Iterable[ResourceRef]) -> list[ResourceRef]:
    """The stylesheets the page applies (one per URL), in document order."""
    seen, out = set(), []
    for r in refs:
        if r.type == "stylesheet" and r.in_weight and r.url not in seen:
            seen.add(r.url)
            out.append(r)
    return out


def inline_styles(soup: BeautifulSoup) -> list[Tag]:
    return [s for s in soup.find_all("style") if not _inert(s)]


def inline_families(soup: BeautifulSoup) -> set[str]:
    """Font families named in style attributes."""
    names: set[str] = set()
    for el in soup.find_all(style=True):
        for decl in str(el.get("style") or "").split(";"):
            if ":" in decl and decl.split(":", 1)[0].strip().lower() == "font-family":
                names |= _families(decl.split(":", 1)[1])
    return names


# --- what the CSS asks for -------------------------------------------------------------------------------------


def css_resources(soup: BeautifulSoup, sheets: list[tuple[Tag | None, str, CssRefs]]) -> list[ResourceRef]:
    """Fonts and background images the page's stylesheets make the browser download.

    `sheets` are (element that brought the sheet in, sheet URL or page URL for inline CSS, its parsed CssRefs).
    A font counts only if some font-family declaration names its family; a background only if its selector
    matches an element of this page. Imports are resolved by the caller (they need fetching) and come in `sheets`.
    """
    used: set[str] = set(inline_families(soup))
    for _, _, refs in sheets:
        used |= refs.families_used
    out: list[ResourceRef] = []
    seen: set[str] = set()
    for el, sheet_url, refs in sheets:
        where = sheet_url.rsplit("/", 1)[-1] if el is None or el.name != "style" else "an inline <style>"
        for face in refs.fonts:
            if face.url in seen:
                continue
            seen.add(face.url)
            in_use = face.family.lower() in used
            out.append(ResourceRef(url=face.url, type="font", found_via=f"@font-face in {where}", element=el,
                                   in_weight=in_use, attrs={"family": face.family, "stylesheet": sheet_url}))
        for selector, url in refs.backgrounds:
            if url in seen:
                continue
            if selector_matches(soup, selector):
                seen.add(url)
                out.append(ResourceRef(url=url, type="image", found_via=f"CSS background in {where}", element=el,
                                       attrs={"selector": selector, "stylesheet": sheet_url, "css": True}))
    return out


def page_shape(page_url: str, refs: Iterable[ResourceRef]) -> tuple[int, int]:
    """(O_rb, D): other origins serving render-blocking CSS/JS, and the request chain depth."""
    refs = list(refs)
    home = origin(page_url)
    blocking_origins = {origin(r.url) for r in refs if r.in_weight and r.attrs.get("render_blocking")}
    depth = 1
    if any(r.in_weight for r in refs):
        depth = 2
    if any(r.in_weight and r.found_via.startswith(("@font-face", "CSS background", "@import")) for r in refs):
        depth = 3
    return len(blocking_origins - {home}), depth
