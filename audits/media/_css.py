"""What a stylesheet makes a browser download: @import, @font-face fonts, background images (pure, no network)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""", re.IGNORECASE)
_IMPORT = re.compile(r"""^@import\s+(?:url\(\s*["']?([^"')]+)["']?\s*\)|["']([^"']+)["'])\s*(.*)$""",
                     re.IGNORECASE | re.DOTALL)
_FORMAT = re.compile(r"""format\(\s*["']?([^"')]+)["']?\s*\)""", re.IGNORECASE)
_GROUPING = ("@media", "@supports", "@layer", "@container", "@document", "@scope")
# Pseudo-classes that only match after the visitor does something: their backgrounds do not load with the page.
_INTERACTIVE = re.compile(r":(hover|focus|focus-within|focus-visible|active|visited|target|checked)\b", re.I)
_PSEUDO_ELEMENT = re.compile(r"::?(before|after|first-line|first-letter|marker|placeholder|selection|backdrop)\b",
                             re.IGNORECASE)
# Font formats in the order a current browser prefers them.
_FORMAT_RANK = {"woff2": 0, "woff": 1, "truetype": 2, "opentype": 2, "embedded-opentype": 3, "svg": 4}


@dataclass
class FontFace:
    family: str
    url: str  # the source a current browser downloads (first WOFF2, else the first url())
    all_urls: list[str] = field(default_factory=list)


@dataclass
class CssRefs:
    imports: list[tuple[str, str]] = field(default_factory=list)  # (absolute url, media)
    fonts: list[FontFace] = field(default_factory=list)
    backgrounds: list[tuple[str, str]] = field(default_factory=list)  # (selector, absolute url)
    families_used: set[str] = field(default_factory=set)  # lower-case names in font-family / font declarations


def _statements(text: str) -> list[tuple[str, str | None]]:
    """Top-level (prelude, block body) pairs; body None for statements like @import ...;"""
    out: list[tuple[str, str | None]] = []
    i, n, start = 0, len(text), 0
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            continue
        if c == ";":
            prelude = text[start:i].strip()
            if prelude:
                out.append((prelude, None))
            i += 1
            start = i
            continue
        if c == "{":
            depth, j = 1, i + 1
            while j < n and depth:
                cj = text[j]
                if cj in "\"'":
                    k = j + 1
                    while k < n and text[k] != cj:
                        k += 2 if text[k] == "\\" else 1
                    j = k + 1
                    continue
                depth += cj == "{"
                depth -= cj == "}"
                j += 1
            out.append((text[start:i].strip(), text[i + 1:j - 1]))
            i = j
            start = i
            continue
        if c == "}":  # stray closing brace: skip it
            i += 1
            start = i
            continue
        i += 1
    tail = text[start:].strip()
    if tail:
        out.append((tail, None))
    return out


def _declarations(body: str) -> list[tuple[str, str]]:
    out = []
    for prelude, _ in _statements(body):
        if ":" in prelude:
            name, value = prelude.split(":", 1)
            out.append((name.strip().lower(), value.strip()))
    return out


def _first_url(value: str) -> str | None:
    m = _URL.search(value)
    if not m:
        return None
    url = next((g for g in m.groups() if g is not None), "").strip()
    return url or None


def _families(value: str) -> set[str]:
    names = set()
    for part in value.split(","):
        name = part.strip().strip("\"'").strip().lower()
        if name:
            names.add(name)
    return names


def _media_applies(media: str) -> bool:
    """A phone on screen: 'print' alone never applies; everything else may."""
    media = media.strip().lower()
    if not media:
        return True
    return any(q.strip() and not q.strip().startswith(("print", "not screen", "speech")) for q in media.split(","))


def parse_css(text: str, base_url: str) -> CssRefs:
    """The downloads a stylesheet causes, with URLs resolved against base_url (the stylesheet's own URL)."""
    refs = CssRefs()
    _walk(_COMMENT.sub(" ", text), base_url, refs)
    return refs


def _walk(text: str, base: str, refs: CssRefs) -> None:
    for prelude, body in _statements(text):
        low = prelude.lower()
        if body is None:
            if low.startswith("@import"):
                m = _IMPORT.match(prelude)
                if m:
                    url = (m.group(1) or m.group(2) or "").strip()
                    media = (m.group(3) or "").strip()
                    if url and not url.startswith("data:") and _media_applies(re.sub(r"^(layer|supports)\([^)]*\)",
                                                                                       "", media).strip()):
                        refs.imports.append((urljoin(base, url), media))
            continue
        if low.startswith("@font-face"):
            family, urls = "", []
            for name, value in _declarations(body):
                if name == "font-family":
                    family = value.strip().strip("\"'").strip()
                elif name == "src":
                    for part in _split_top(value):
                        url = _first_url(part)
                        if url and not url.startswith("data:"):
                            fm = _FORMAT.search(part)
                            fmt = fm.group(1).lower() if fm else _format_from_url(url)
                            urls.append((_FORMAT_RANK.get(fmt, 5), len(urls), urljoin(base, url)))
            if urls:
                best = min(urls)[2]
                refs.fonts.append(FontFace(family=family, url=best, all_urls=[u for _, _, u in urls]))
            continue
        if low.startswith("@media"):
            if _media_applies(prelude[len("@media"):]):
                _walk(body, base, refs)
            continue
        if low.startswith(_GROUPING):
            _walk(body, base, refs)
            continue
        if low.startswith("@"):  # @keyframes, @page, @counter-style...: no downloads we count
            continue
        for name, value in _declarations(body):
            if name in ("font-family", "font"):
                refs.families_used |= _families(value if name == "font-family" else _font_shorthand_family(value))
            elif name in ("background", "background-image", "list-style", "list-style-image", "content",
                          "border-image", "border-image-source", "mask", "mask-image"):
                url = _first_url(value)
                if url and not url.startswith(("data:", "#")):
                    refs.backgrounds.append((prelude, urljoin(base, url)))


def _split_top(value: str) -> list[str]:
    """Split a src list on commas outside parentheses."""
    parts, depth, cur = [], 0, []
    for c in value:
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        if c == "," and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    parts.append("".join(cur))
    return parts


def _format_from_url(url: str) -> str:
    path = url.split("?")[0].split("#")[0].lower()
    for ext, fmt in ((".woff2", "woff2"), (".woff", "woff"), (".ttf", "truetype"), (".otf", "opentype"),
                     (".eot", "embedded-opentype"), (".svg", "svg")):
        if path.endswith(ext):
            return fmt
    return ""


def _font_shorthand_family(value: str) -> str:
    """The family list at the end of a `font:` shorthand ('italic 700 1rem/1.4 "Harvest", serif')."""
    m = re.search(r"(?:\d(?:px|em|rem|%|pt|vw|vh)?|larger|smaller|medium|small|large)\s*(?:/\s*\S+)?\s+(.+)$",
                  value.strip())
    return m.group(1) if m else value


def selector_matches(soup, selector: str) -> bool:
    """True when the selector (pseudo-elements dropped) matches an element of the page, as soupsieve reads it.

    A rule behind an interactive pseudo-class (:hover, :focus...) never counts: its image loads only on interaction.
    A selector soupsieve cannot parse counts as matching (we would rather count an image than hide it).
    """
    any_match = False
    for sel in _split_top(selector):
        sel = sel.strip()
        if not sel or _INTERACTIVE.search(sel):
            continue
        sel = _PSEUDO_ELEMENT.sub("", sel).strip() or "*"
        try:
            if soup.select_one(sel) is not None:
                any_match = True
                break
        except Exception:  # noqa: BLE001 - a selector soupsieve does not support
            any_match = True
            break
    return any_match
