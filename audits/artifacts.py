"""What checks read: a parsed page (StaticPage), and helpers that describe an element in a finding."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from bs4 import BeautifulSoup, ResultSet, Tag

from empathy_audit.audits.model import Finding, Outcome, Severity

SNIPPET_MAX = 300
_CSS_IDENT = re.compile(r"^-?[_a-zA-Z][_a-zA-Z0-9-]*$")


class IndexedSoup(BeautifulSoup):
    """A BeautifulSoup whose whole-document find_all() by tag name and attribute presence reads an index.

    About 50 checks each ask the same tree for its links, images, inputs or every tag; bs4 answers each call with a
    walk of the whole tree through its generic matcher, which was most of a static audit's time. The index (tags in
    document order, by name, ids counted) is built on the first such call, with one walk. Results are identical to
    BeautifulSoup's (same elements, same order); any other kind of query goes to bs4 as before. Checks never change
    the tree (it is shared by every check and the media audit), so the index stays true.
    """

    _ea_all: list[Tag] | None = None

    def _ea_index(self) -> list[Tag]:
        tags = self._ea_all
        if tags is None:
            tags = [d for d in self.descendants if isinstance(d, Tag)]
            by_name: dict[str, list[Tag]] = {}
            ids: dict[str, int] = {}
            for t in tags:
                by_name.setdefault(t.name, []).append(t)
                i = t.attrs.get("id")
                if isinstance(i, str):
                    ids[i] = ids.get(i, 0) + 1
            self._ea_by_name = by_name
            self._ea_ids = ids
            self._ea_pos: dict[int, int] | None = None
            self._ea_all = tags
        return tags

    def _subtree(self, el: Tag) -> list[Tag] | None:
        """The tags inside `el` (not `el` itself), in document order: a slice of the index. None when `el` is not
        an element of this document."""
        tags = self._ea_index()
        pos = self._ea_pos
        if pos is None:
            pos = self._ea_pos = {id(t): i for i, t in enumerate(tags)}
        start = pos.get(id(el))
        if start is None or tags[start] is not el:
            return None
        end = len(tags)
        node: Any = el
        while node is not None and node is not self:  # the first tag after `el`'s subtree ends the slice
            sib = node.next_sibling
            while sib is not None and not isinstance(sib, Tag):
                sib = sib.next_sibling
            if sib is not None:
                end = pos[id(sib)]
                break
            node = node.parent
        return tags[start + 1:end]

    def find_all_within(self, el: Tag, name: Any = None, **attrs: Any) -> list[Tag]:
        """el.find_all(name, **attrs) for an element of this document, read from the index when it can be."""
        if el is self:
            return list(self.find_all(name, **attrs))
        found = self._fast(name, None, True, None, attrs, self._subtree(el))
        return list(el.find_all(name, **attrs)) if found is None else found

    def id_count(self, el_id: str) -> int:
        """How many elements have id="el_id" (exact)."""
        self._ea_index()
        return self._ea_ids.get(el_id, 0)

    def _fast(self, name: Any, attrs: Any, recursive: bool, string: Any, kwargs: dict[str, Any],
              within: list[Tag] | None = None) -> list[Tag] | None:
        """The matching tags from the index (or from `within`, a subtree's tags), or None when the query is not
        one the index answers. Attribute filters: True (present) or a non-empty string (bs4's matching: equal to
        the value, to one of a multi-valued attribute's values, or to all of them joined by spaces)."""
        if string is not None or recursive is not True or "class_" in kwargs:
            return None
        if attrs is None or attrs == {}:
            wanted = dict(kwargs)
        elif isinstance(attrs, dict):
            wanted = {**attrs, **kwargs}
        else:
            return None
        if not all(v is True or (isinstance(v, str) and v) for v in wanted.values()):
            return None
        if within is not None:
            tags = _by_name(within, name)
        else:
            tags = self._fast_by_name(name)
        if tags is not None and wanted:
            items = list(wanted.items())
            if len(items) == 1 and items[0][1] is True:  # the usual query: find_all("a", href=True)
                key = items[0][0]
                tags = [t for t in tags if t.attrs.get(key) is not None]
            else:
                tags = [t for t in tags if all(_attr_matches(t.attrs.get(k), v) for k, v in items)]
        return tags

    def find_all(self, name=None, attrs=None, recursive=True, string=None, limit=None,
                 **kwargs):  # type: ignore[override]
        if limit is None:
            tags = self._fast(name, attrs, recursive, string, kwargs)
            if tags is not None:
                return ResultSet(None, tags)
        return super().find_all(name, attrs, recursive, string, limit, **kwargs)

    def find(self, name=None, attrs=None, recursive=True, string=None, **kwargs):  # type: ignore[override]
        tags = self._fast(name, attrs, recursive, string, kwargs)
        if tags is not None:
            return tags[0] if tags else None
        return super().find(name, attrs, recursive, string, **kwargs)

    def _fast_by_name(self, name: Any) -> list[Tag] | None:
        if isinstance(name, str) and name and " " not in name:
            self._ea_index()
            return list(self._ea_by_name.get(name, ()))
        return _by_name(self._ea_index(), name)


def _by_name(tags: list[Tag], name: Any) -> list[Tag] | None:
    """The tags of `tags` that a find_all() name argument picks (True/None, a name, a list of names); None when
    the argument is something else (a regex, a function)."""
    if name is True or name is None:
        return list(tags)
    if isinstance(name, str):
        if not name or " " in name:
            return None
        return [t for t in tags if t.name == name]
    if isinstance(name, (list, tuple, set)) and all(isinstance(n, str) for n in name):
        names = set(name)
        return [t for t in tags if t.name in names]
    return None


def _attr_matches(value: Any, wanted: Any) -> bool:
    if wanted is True:
        return value is not None
    if isinstance(value, list):
        return wanted in value or (len(value) != 1 and " ".join(value) == wanted)
    return value == wanted


def find_all_within(el: Tag, name: Any = None, **attrs: Any) -> list[Tag]:
    """el.find_all(name, **attrs): the matching tags inside `el`, in document order; read from the page's index
    when `el` belongs to a page parsed by parse_html."""
    root = el
    while root.parent is not None:
        root = root.parent
    if isinstance(root, IndexedSoup):
        return root.find_all_within(el, name, **attrs)
    return list(el.find_all(name, **attrs))


# --- the tree a browser builds ---------------------------------------------------------------------------------
#
# Selectors in findings must pick the element in Chromium, whose parser follows the HTML standard's tree
# construction. lxml (libxml2) builds another tree for some markup: elements before a missing <body> stay in
# <head>, rows of a table without <tbody> sit in <table>, content after </body> stays outside it, <source> holds
# what follows it, "<div/>" is an empty element. html5lib builds the standard's tree but a static audit with it
# takes 1.5-1.9 times as long (parsing alone: 3.6-8 times), so lxml parses every page and its tree is brought to
# the standard's where the difference is a known move (rows into an implied <tbody>, body content out of <head>,
# content after </body> into <body>, what follows a void element out of it); a page whose difference no move
# repairs (a self-closed "<div/>", a heading directly in a heading, a link in a link, markup a table would move out
# of itself, a stray </p>) is parsed again with html5lib. Not repaired: misnested formatting tags ("<b><p></b>"),
# which the standard's adoption agency rebuilds.

# What the standard keeps in <head> ("in head" insertion mode); any other element there starts <body>.
_HEAD_ELEMENTS = frozenset("title base basefont bgsound link meta style script noscript template".split())
# What a <table> holds itself; a <tr> directly in it goes into an implied <tbody>, anything else is moved in front of
# the table (foster parenting).
_TABLE_CHILDREN = frozenset("caption colgroup col thead tbody tfoot script template style".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Void elements in the standard that lxml lets hold what follows them (<picture><source><img> puts the img in the
# source): what they hold follows them instead.
_VOID_LXML_OPENS = frozenset("source track wbr embed keygen bgsound".split())
# Non-void HTML elements written self-closed: the standard ignores the slash (the element stays open), lxml closes
# it. Only names SVG and MathML do not share (their self-closed elements are closed by both parsers).
_SELF_CLOSED = re.compile(
    r"<(?:div|span|p|i|b|u|s|em|strong|small|code|pre|li|ul|ol|dl|dt|dd|table|tbody|thead|tfoot|tr|td|th|"
    r"section|article|nav|header|footer|main|aside|label|button|textarea|select|option|iframe|canvas|video|"
    r"audio|h[1-6]|form|fieldset|legend|figure|figcaption|blockquote|abbr|time|mark|picture|details|summary|"
    r"dialog|object|ins|del|q|cite|sub|sup|noscript|output|progress|meter)(?:\s[^<>]*)?/>",
    re.IGNORECASE,
)
_P_END = re.compile(r"</p\s*>", re.IGNORECASE)


def parse_html(html: str | bytes) -> BeautifulSoup:
    """Parse HTML into the tree a browser builds (the HTML standard's tree construction), keeping the whole
    document: lxml, with its tree brought to the standard's, or html5lib where lxml's tree cannot be."""
    soup = IndexedSoup(html, "lxml")
    moves = _html5_moves(soup, html)
    if moves is None:
        return IndexedSoup(html, "html5lib")
    if moves:
        for move in moves:
            move()
        soup._ea_all = None  # the index is built again, on the moved tree, when a check first asks
    return soup


def _html5_moves(soup: IndexedSoup, html: str | bytes) -> list[Any] | None:
    """The moves that turn lxml's tree of `html` into the standard's ([] when it already is), or None when no move
    does and the page needs the HTML5 parser."""
    text = html if isinstance(html, str) else html.decode("latin-1")
    if "/>" in text and _SELF_CLOSED.search(text):
        return None
    tags = soup._ea_index()
    by_name = soup._ea_by_name
    if len(_P_END.findall(text)) > len(by_name.get("p", ())):
        return None  # a stray </p> (after a <div> closed the paragraph) is an empty <p> in the standard's tree
    for h in _HEADINGS:
        if any(t.parent is not None and t.parent.name in _HEADINGS for t in by_name.get(h, ())):
            return None
    for a in by_name.get("a", ()):
        node = a.parent
        while node is not None:
            if node.name == "a":
                return None
            node = node.parent
    moves: list[Any] = [lambda el=el: _unnest(el) for el in tags
                         if el.name in _VOID_LXML_OPENS and any(isinstance(c, Tag) for c in el.children)]
    for table in by_name.get("table", ()):
        kids = [c for c in table.children if isinstance(c, Tag)]
        if any(c.name not in _TABLE_CHILDREN and c.name != "tr" for c in kids):
            return None
        if any(c.name == "tr" for c in kids):
            moves.append(lambda t=table: _wrap_rows(soup, t))
    root = soup.find("html") if tags else None
    if root is None:
        return moves
    head = next((c for c in root.children if isinstance(c, Tag) and c.name == "head"), None)
    body = next((c for c in root.children if isinstance(c, Tag) and c.name == "body"), None)
    seen_body = False
    for c in root.children:
        if not isinstance(c, Tag):
            continue
        if c.name == "body":
            seen_body = True
        elif c.name not in ("head", "frameset"):
            if not seen_body:
                return None
            moves.append(lambda: _after_body(soup, root))
            break
    if head is not None and any(isinstance(c, Tag) and c.name not in _HEAD_ELEMENTS for c in head.children):
        moves.insert(0, lambda: _head_to_body(soup, root, head))
    return moves


def _unnest(el: Tag) -> None:
    """What lxml put inside a void element follows it, in order."""
    for node in reversed(list(el.contents)):
        el.insert_after(node)


def _wrap_rows(soup: BeautifulSoup, table: Tag) -> None:
    """Rows directly in a table go into an implied <tbody>, one per run of rows (a section element ends it)."""
    tbody: Tag | None = None
    for node in list(table.contents):
        if isinstance(node, Tag) and node.name in _TABLE_CHILDREN and node.name not in ("script", "template", "style"):
            tbody = None
        elif isinstance(node, Tag) and node.name == "tr" and tbody is None:
            tbody = soup.new_tag("tbody")
            node.insert_before(tbody)
            tbody.append(node)
        elif tbody is not None:
            tbody.append(node)


def _body(soup: BeautifulSoup, root: Tag) -> Tag:
    body = next((c for c in root.children if isinstance(c, Tag) and c.name == "body"), None)
    if body is None:
        body = soup.new_tag("body")
        root.append(body)
    return body


def _head_to_body(soup: BeautifulSoup, root: Tag, head: Tag) -> None:
    """The first element <head> cannot hold starts the body: it and everything after it in <head> go to the start of
    <body>, in order."""
    nodes = list(head.contents)
    first = next(i for i, c in enumerate(nodes) if isinstance(c, Tag) and c.name not in _HEAD_ELEMENTS)
    body = _body(soup, root)
    for i, node in enumerate(nodes[first:]):
        body.insert(i, node)


def _after_body(soup: BeautifulSoup, root: Tag) -> None:
    """Content after </body> (or </html>) goes at the end of <body>."""
    body = _body(soup, root)
    after = False
    for node in list(root.contents):
        if node is body:
            after = True
        elif after:
            body.append(node)


def css_path(el: Tag) -> str:
    """A CSS selector that picks `el` in its document: the nearest unique #id ancestor, then tag:nth-of-type steps.

    Remembered on each element on the way up (the tree never changes once parsed): the crawl asks for the path of
    every link of a page, and their ancestors are shared.
    """
    cached = el.__dict__.get("_ea_path")
    if cached is not None:
        return cached
    steps: list[tuple[Tag, str]] = []
    prefix: str | None = None
    node: Tag | None = el
    while node is not None and isinstance(node, Tag) and node.name not in ("[document]",):
        known = node.__dict__.get("_ea_path")
        if known is not None:
            prefix = known
            break
        el_id = node.get("id")
        if isinstance(el_id, str) and _CSS_IDENT.match(el_id) and _id_is_unique(node, el_id):
            prefix = node.__dict__["_ea_path"] = f"#{el_id}"
            break
        name = node.name
        parent = node.parent
        if name in ("html", "body", "head") or parent is None or not isinstance(parent, Tag):
            steps.append((node, name))
        else:
            position, count = _position(parent, node)
            steps.append((node, f"{name}:nth-of-type({position})" if count > 1 else name))
        node = parent if isinstance(parent, Tag) else None
    path = prefix
    for node, step in reversed(steps):
        path = step if path is None else f"{path} > {step}"
        node.__dict__["_ea_path"] = path
    return path or ""


def _position(parent: Tag, child: Tag) -> tuple[int, int]:
    """(1-based position among the parent's child elements of the same name, how many there are)."""
    table = parent.__dict__.get("_ea_kids")
    if table is None:
        counts: dict[str, int] = {}
        table = {}
        for c in parent.contents:
            if isinstance(c, Tag):
                counts[c.name] = counts.get(c.name, 0) + 1
                table[id(c)] = (c.name, counts[c.name])
        table = {k: (pos, counts[name]) for k, (name, pos) in table.items()}
        parent.__dict__["_ea_kids"] = table
    return table[id(child)]


def _id_is_unique(node: Tag, el_id: str) -> bool:
    root = node
    while root.parent is not None:
        root = root.parent
    if isinstance(root, IndexedSoup):
        return root.id_count(el_id) == 1
    return len(root.find_all(id=el_id, limit=2)) == 1


def snippet(el: Tag, limit: int = SNIPPET_MAX) -> str:
    """The element's HTML, shortened: the whole element when short, else its start tag and an ellipsis."""
    if limit == SNIPPET_MAX:
        cached = el.__dict__.get("_ea_snippet")
        if cached is None:
            cached = el.__dict__["_ea_snippet"] = _snippet(el, limit)
        return cached
    return _snippet(el, limit)


def _snippet(el: Tag, limit: int) -> str:
    if _surely_longer(el, limit):  # a whole section: skip serialising it only to throw it away
        html = None
    else:
        html = re.sub(r"\s+", " ", str(el)).strip()
        if len(html) <= limit:
            return html
    start = _start_tag(el)
    if len(start) > limit:
        return start[: limit - 1] + "…"
    return start + "…"


def _surely_longer(el: Tag, limit: int) -> bool:
    """True when the element's serialisation, white space collapsed, is certainly longer than `limit` characters.

    A lower bound, counted until it passes the limit: every descendant tag writes at least "<x>", and every
    non-space character of its text survives the collapsing.
    """
    total = 0
    for node in el.descendants:
        if isinstance(node, Tag):
            total += len(node.name) + 2
        else:
            total += len(node) - sum(1 for ch in node if ch.isspace()) if len(node) < 200 else len("".join(node.split()))
        if total > limit:
            return True
    return False


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
            data={"_severity_set": severity is not None, **data} if severity is not None else dict(data),
        )


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

