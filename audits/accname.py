"""Accessible names, roles and hiddenness of elements in static HTML (accname 1.2 and HTML-AAM, minus CSS)."""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

__all__ = [
    "accessible_name",
    "attr_text",
    "get_element_by_id",
    "heading_level",
    "idrefs",
    "accessible_description",
    "in_svg",
    "inline_visibility",
    "is_focusable",
    "is_hidden",
    "is_unrendered",
    "input_type",
    "is_inert_container",
    "iter_visible",
    "labels_of",
    "tabindex_value",
    "normalise",
    "role_of",
    "explicit_role",
    "implicit_role",
    "visibility_of",
    "visible_text",
]

# --------------------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------------------

#: Concrete WAI-ARIA 1.2 roles (plus the 1.3 additions browsers already ship), Graphics ARIA and DPUB-ARIA roles.
ARIA_ROLES: frozenset[str] = frozenset(
    """
    alert alertdialog application article banner blockquote button caption cell checkbox code columnheader combobox
    comment complementary contentinfo definition deletion dialog directory document emphasis feed figure form generic
    grid gridcell group heading image img insertion link list listbox listitem log main mark marquee math menu menubar
    menuitem menuitemcheckbox menuitemradio meter navigation none note option paragraph presentation progressbar radio
    radiogroup region row rowgroup rowheader scrollbar search searchbox sectionfooter sectionheader separator slider
    spinbutton status strong subscript suggestion superscript switch tab table tablist tabpanel term textbox time
    timer toolbar tooltip tree treegrid treeitem
    graphics-document graphics-object graphics-symbol
    doc-abstract doc-acknowledgments doc-afterword doc-appendix doc-backlink doc-biblioentry doc-bibliography
    doc-biblioref doc-chapter doc-colophon doc-conclusion doc-cover doc-credit doc-credits doc-dedication doc-endnote
    doc-endnotes doc-epigraph doc-epilogue doc-errata doc-example doc-footnote doc-foreword doc-glossary doc-glossref
    doc-index doc-introduction doc-noteref doc-notice doc-pagebreak doc-pagefooter doc-pageheader doc-pagelist
    doc-part doc-preface doc-prologue doc-pullquote doc-qna doc-subtitle doc-tip doc-toc
    """.split()
)

#: Roles whose name may come from their content (WAI-ARIA 1.2 "Name From: contents").
NAME_FROM_CONTENT_ROLES: frozenset[str] = frozenset(
    """
    button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox menuitemradio option radio row
    rowheader sectionhead sectionheader switch tab tooltip treeitem
    doc-backlink doc-biblioref doc-glossref doc-noteref
    """.split()
)

PRESENTATIONAL_ROLES: frozenset[str] = frozenset({"none", "presentation"})

#: Global ARIA states and properties: any of them on an element makes user agents ignore role none/presentation.
GLOBAL_ARIA_ATTRS: frozenset[str] = frozenset(
    """
    aria-atomic aria-braillelabel aria-brailleroledescription aria-busy aria-controls aria-current aria-describedby
    aria-description aria-details aria-dropeffect aria-flowto aria-grabbed aria-keyshortcuts aria-label
    aria-labelledby aria-live aria-owns aria-relevant aria-roledescription
    """.split()
)

#: Elements whose content is never rendered as part of the page (scripting enabled, as for screen-reader users).
NOT_RENDERED_ELEMENTS: frozenset[str] = frozenset({"script", "style", "template", "noscript"})

#: Labelable elements (HTML): what <label> can label.
LABELABLE: frozenset[str] = frozenset({"button", "input", "meter", "output", "progress", "select", "textarea"})

#: Input types that are edited as text (their value is what the user typed).
TEXT_INPUT_TYPES: frozenset[str] = frozenset({"text", "search", "email", "tel", "url", "password", "number"})

_KNOWN_INPUT_TYPES: frozenset[str] = frozenset(
    """
    button checkbox color date datetime-local email file hidden image month number password radio range reset search
    submit tel text time url week
    """.split()
)

_BLOCK_ELEMENTS: frozenset[str] = frozenset(
    """
    address article aside blockquote br caption dd details dialog div dl dt fieldset figcaption figure footer form h1
    h2 h3 h4 h5 h6 header hgroup hr legend li main nav ol optgroup option p pre search section summary table tbody
    td tfoot th thead tr ul
    """.split()
)

_SVG_NON_CONTENT: frozenset[str] = frozenset(
    {"title", "desc", "metadata", "defs", "symbol", "clippath", "mask", "lineargradient", "radialgradient",
     "pattern", "filter", "marker", "style", "script"}
)

_RANGE_ROLES: frozenset[str] = frozenset({"slider", "spinbutton", "progressbar", "scrollbar", "meter"})

def normalise(text: str | None) -> str:
    """Collapse white space (including no-break spaces) to single spaces and trim."""
    return " ".join((text or "").split())


def attr_text(el: Tag, name: str) -> str | None:
    """An attribute as one string (BeautifulSoup splits class/headers/rel into lists), or None when absent."""
    value = el.attrs.get(name)
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return " ".join(value)
    return str(value)


# --------------------------------------------------------------------------------------------------------------
# Documents and ids
# --------------------------------------------------------------------------------------------------------------

def _document_of(el: Tag) -> Tag:
    node = el
    while node.parent is not None:
        node = node.parent
    return node


def _in_fragment(el: Tag) -> bool:
    """True when `el` sits inside <template> or <noscript>: not part of the live document.

    Remembered on the element and on the ancestors walked through (the tree never changes once parsed): checks ask
    this of every link, image and field."""
    known = el.__dict__.get("_ea_frag")
    if known is not None:
        return known
    walked = [el]
    node = el
    inside = False
    while True:
        parent = node.parent
        if parent is None:
            break
        if parent.name in ("template", "noscript"):
            inside = True
            break
        known = parent.__dict__.get("_ea_frag")
        if known is not None:
            inside = known
            break
        walked.append(parent)  # not template/noscript itself: inside exactly when `el` is
        node = parent
    for n in walked:
        n.__dict__["_ea_frag"] = inside
    return inside


def _id_index(doc: Tag) -> dict[str, Tag]:
    """The document's elements by id, built once and kept on the document itself.

    (Not in a module-level table: its entries would reference the tree, and so keep every parsed page alive for the
    whole crawl, about a megabyte a page.)
    """
    index = doc.__dict__.get("_ea_id_index")
    if index is not None:
        return index
    index = {}
    for node in doc.find_all(id=True):
        value = attr_text(node, "id")
        if value and value not in index and not _in_fragment(node):
            index[value] = node
    doc.__dict__["_ea_id_index"] = index
    return index


def get_element_by_id(context: Tag, element_id: str) -> Tag | None:
    """The first element in `context`'s document with this id, as getElementById finds it (parsed once, cached)."""
    if not element_id:
        return None
    return _id_index(_document_of(context)).get(element_id)


def idrefs(el: Tag, attr: str) -> list[Tag]:
    """The elements an ID-reference-list attribute (aria-labelledby, headers...) points at, in order, existing only."""
    value = attr_text(el, attr)
    if not value:
        return []
    found = []
    for token in value.split():
        target = get_element_by_id(el, token)
        if target is not None:
            found.append(target)
    return found


# --------------------------------------------------------------------------------------------------------------
# Hidden
# --------------------------------------------------------------------------------------------------------------


def _style(el: Tag) -> dict[str, str]:
    style = attr_text(el, "style")
    if not style:
        return {}
    props: dict[str, str] = {}
    for decl in style.split(";"):
        if ":" not in decl:
            continue
        prop, _, value = decl.partition(":")
        value = value.strip().lower().replace("!important", "").strip()
        props[prop.strip().lower()] = value
    return props


def _aria_hidden(el: Tag) -> bool:
    return (attr_text(el, "aria-hidden") or "").strip().lower() == "true"


def is_unrendered(el: Tag) -> bool:
    """True when `el` itself is not rendered, so neither it nor anything inside it is seen or reaches assistive
    technology: <script>, <style>, <template>, <noscript>, the `hidden` attribute, an inline `display:none`,
    `<input type=hidden>`. Ancestors are not looked at, nor `aria-hidden` (it hides from assistive technology
    only: the content is still seen)."""
    if el.name in NOT_RENDERED_ELEMENTS or el.has_attr("hidden"):
        return True
    if el.name == "input" and (attr_text(el, "type") or "").strip().lower() == "hidden":
        return True
    return _style(el).get("display") == "none"


def _self_excluded(el: Tag) -> bool:
    """Hidden by itself (not counting ancestors), ignoring the inheritable `visibility`."""
    return is_unrendered(el) or _aria_hidden(el)


def inline_visibility(el: Tag) -> str | None:
    """'hidden' / 'visible' when the element's inline style sets visibility, else None (inherited)."""
    value = _style(el).get("visibility")
    if value in ("hidden", "collapse"):
        return "hidden"
    if value in ("visible",):
        return "visible"
    return None


def is_hidden(el: Tag) -> bool:
    """True when `el` is hidden from assistive technology as far as the HTML alone tells (see _is_hidden).

    Remembered on the element: the tree never changes once parsed, and many checks ask about the same elements.
    """
    d = el.__dict__
    hidden = d.get("_ea_hidden")
    if hidden is None:
        hidden = d["_ea_hidden"] = _is_hidden(el)
    return hidden


def _is_hidden(el: Tag) -> bool:
    """True when `el` is hidden from assistive technology as far as the HTML alone tells.

    Hidden means: it or an ancestor has the `hidden` attribute, `aria-hidden="true"` or an inline `display:none`;
    the nearest inline `visibility` on it or an ancestor is `hidden`/`collapse`; it is `<input type=hidden>`; or it
    sits inside <script>, <style>, <template> or <noscript>. Stylesheet rules are unknown here.
    """
    if _self_excluded(el):
        return True
    excluded, visibility = _inherited(el.parent)
    if excluded:
        return True
    return (inline_visibility(el) or visibility) == "hidden"


def _inherited(node: Any) -> tuple[bool, str | None]:
    """What `node` passes down to its descendants: (it or an ancestor hides its content: not rendered, `hidden`,
    `aria-hidden="true"`, inline `display:none`; the nearest inline visibility on it or an ancestor, or None).

    Remembered on each element walked through (the tree never changes once parsed), so the hidden-ness of every
    element of a page costs one look at each element rather than a walk up from each."""
    walked: list[Tag] = []
    state: tuple[bool, str | None] = (False, None)
    while node is not None and isinstance(node, Tag) and node.name != "[document]":
        known = node.__dict__.get("_ea_inherited")
        if known is not None:
            state = known
            break
        walked.append(node)
        node = node.parent
    for n in reversed(walked):  # from the top down
        excluded, visibility = state
        if not excluded:
            excluded = (
                n.name in NOT_RENDERED_ELEMENTS
                or n.has_attr("hidden")
                or _aria_hidden(n)
                or _style(n).get("display") == "none"
            )
        if not excluded:
            visibility = inline_visibility(n) or visibility
        state = n.__dict__["_ea_inherited"] = (excluded, visibility)
    return state


def is_inert_container(el: Tag) -> bool:
    """True when `el` is inside <template> or <noscript>, i.e. not an element of the live page at all."""
    return _in_fragment(el)


# --------------------------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------------------------


def in_svg(el: Tag) -> bool:
    """True for <svg> and the elements inside it (the SVG namespace, which lxml does not record)."""
    if el.name == "svg":
        return True
    for parent in el.parents:
        if parent.name == "svg":
            return True
        if parent.name == "foreignobject":
            return False
    return False


def input_type(el: Tag) -> str:
    """The input's type as the browser sees it: lower-cased, unknown or missing values are 'text'."""
    value = (attr_text(el, "type") or "").strip().lower()
    return value if value in _KNOWN_INPUT_TYPES else "text"


def _is_disabled(el: Tag) -> bool:
    if el.name not in ("button", "input", "select", "textarea", "optgroup", "option", "fieldset"):
        return False
    if el.has_attr("disabled"):
        return True
    for parent in el.parents:
        if parent.name == "fieldset" and parent.has_attr("disabled"):
            legend = parent.find("legend", recursive=False)
            if legend is not None and any(p is legend for p in el.parents):
                continue
            return True
    return False


_HTML_INTEGER = re.compile(r"[\t\n\f\r ]*([+-]?[0-9]+)")


def tabindex_value(el: Tag) -> int | None:
    """The `tabindex` as browsers read it (HTML's rules for parsing integers: leading ASCII white space, a sign,
    digits, anything after them ignored), or None when it is absent or does not parse."""
    match = _HTML_INTEGER.match(attr_text(el, "tabindex") or "")
    return int(match.group(1)) if match else None


def is_focusable(el: Tag) -> bool:
    """Focusable by keyboard or script (tabindex -1 counts), ignoring hiddenness."""
    if _is_disabled(el):
        return False
    tabindex = (attr_text(el, "tabindex") or "").strip()
    if re.fullmatch(r"[+-]?\d+", tabindex):
        return True
    name = el.name
    if name in ("a", "area"):
        return el.has_attr("href")
    if name in ("button", "select", "textarea", "iframe", "embed"):
        return True
    if name == "input":
        return input_type(el) != "hidden"
    if name in ("audio", "video"):
        return el.has_attr("controls")
    if name == "summary":
        parent = el.parent
        return parent is not None and parent.name == "details" and parent.find("summary", recursive=False) is el
    editable = attr_text(el, "contenteditable")
    return editable is not None and editable.strip().lower() in ("", "true", "plaintext-only")


def explicit_role(el: Tag) -> str | None:
    """The first valid token of the role attribute, lower-cased (ARIA's fallback roles), or None."""
    value = attr_text(el, "role")
    if not value:
        return None
    for token in value.lower().split():
        if token in ARIA_ROLES:
            return "img" if token == "image" else token
    return None


def _has_global_aria(el: Tag) -> bool:
    return any(a in GLOBAL_ARIA_ATTRS for a in el.attrs)


def _landmark_scoped(el: Tag) -> bool:
    """header/footer are banner/contentinfo only when not inside sectioning content or main."""
    for parent in el.parents:
        if parent.name in ("article", "aside", "main", "nav", "section"):
            return True
        if explicit_role(parent) in ("article", "complementary", "main", "navigation", "region"):
            return True
    return False


def _th_role(el: Tag) -> str:
    scope = (attr_text(el, "scope") or "").strip().lower()
    if scope in ("row", "rowgroup"):
        return "rowheader"
    if scope in ("col", "colgroup"):
        return "columnheader"
    if any(p.name == "thead" for p in el.parents):
        return "columnheader"
    row = el.parent
    if row is not None and row.name == "tr" and row.find("td", recursive=False) is not None:
        return "rowheader"
    return "columnheader"


def _in_grid(el: Tag) -> bool:
    for parent in el.parents:
        if parent.name == "table":
            return explicit_role(parent) in ("grid", "treegrid")
    return False


# Elements whose implicit role depends on nothing but their name (HTML-AAM).
_SIMPLE_ROLES: dict[str, str] = {
    "article": "article", "aside": "complementary", "blockquote": "blockquote", "caption": "caption",
    "code": "code", "datalist": "listbox", "dd": "definition", "del": "deletion", "details": "group",
    "dialog": "dialog", "dt": "term", "em": "emphasis", "fieldset": "group", "figure": "figure",
    "hr": "separator", "html": "document", "ins": "insertion", "li": "listitem", "main": "main",
    "mark": "mark", "math": "math", "menu": "list", "meter": "meter", "nav": "navigation", "ol": "list",
    "optgroup": "group", "option": "option", "output": "status", "p": "paragraph", "progress": "progressbar",
    "search": "search", "strong": "strong", "sub": "subscript", "sup": "superscript", "svg": "graphics-document",
    "table": "table", "tbody": "rowgroup", "textarea": "textbox", "tfoot": "rowgroup", "thead": "rowgroup",
    "time": "time", "tr": "row", "ul": "list",
}


def implicit_role(el: Tag) -> str | None:
    """The role HTML-AAM gives the element without a role attribute (None for generic or unmapped elements)."""
    name = el.name
    if name in ("a", "area"):
        return "link" if el.has_attr("href") else None
    if name == "button":
        return "button"
    if name == "input":
        t = input_type(el)
        if t in ("button", "submit", "reset", "image"):
            return "button"
        if t in ("checkbox", "radio"):
            return t
        if t == "range":
            return "slider"
        if t == "number":
            return "spinbutton"
        if t == "search":
            return "combobox" if el.has_attr("list") else "searchbox"
        if t in ("text", "email", "tel", "url"):
            return "combobox" if el.has_attr("list") else "textbox"
        if t == "password":
            return "textbox"
        return None
    if name == "img":
        alt = attr_text(el, "alt")
        if alt == "" and not (el.has_attr("aria-label") or el.has_attr("aria-labelledby")):
            return "presentation"
        return "img"
    if name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return "heading"
    if name == "select":
        size = (attr_text(el, "size") or "").strip()
        if el.has_attr("multiple") or (size.isdigit() and int(size) > 1):
            return "listbox"
        return "combobox"
    if name == "th":
        return "gridcell" if _in_grid(el) else _th_role(el)
    if name == "td":
        return "gridcell" if _in_grid(el) else "cell"
    if name in ("header", "footer"):
        if _landmark_scoped(el):
            return None
        return "banner" if name == "header" else "contentinfo"
    if name == "section":
        return "region" if (el.has_attr("aria-label") or el.has_attr("aria-labelledby")) else None
    if name == "form":
        return "form"
    return _SIMPLE_ROLES.get(name)


def role_of(el: Tag) -> str | None:
    """The element's effective role: the first valid role token, else the implicit role.

    role none/presentation is ignored (ARIA's presentational-role conflict resolution) when the element is
    focusable or carries a global ARIA attribute; the implicit role applies then. None means generic / no role.
    Remembered on the element (the tree never changes once parsed): several checks ask for every element's role.
    """
    d = el.__dict__
    role = d.get("_ea_role", _UNSET)
    if role is _UNSET:
        role = d["_ea_role"] = _role_of(el)
    return role  # type: ignore[return-value]


_UNSET = object()


def _role_of(el: Tag) -> str | None:
    role = explicit_role(el)
    if role in PRESENTATIONAL_ROLES:
        if is_focusable(el) or _has_global_aria(el):
            return implicit_role(el)
        return role
    if role is not None:
        return role
    return implicit_role(el)


def heading_level(el: Tag) -> int | None:
    """The heading level when `el` has role heading: a valid aria-level wins, else hN, else 2 (ARIA default)."""
    if role_of(el) != "heading":
        return None
    level = (attr_text(el, "aria-level") or "").strip()
    if level.isdigit() and int(level) >= 1:
        return int(level)
    if el.name in ("h1", "h2", "h3", "h4", "h5", "h6"):
        return int(el.name[1])
    return 2


# --------------------------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------------------------


def labels_of(el: Tag) -> list[Tag]:
    """<label> elements labelling `el`: label[for] pointing at it (getElementById semantics) and a wrapping label
    without `for` whose first labelable descendant it is. In document order."""
    if el.name not in LABELABLE or (el.name == "input" and input_type(el) == "hidden"):
        return []
    doc = _document_of(el)
    found: list[Tag] = []
    el_id = attr_text(el, "id")
    if el_id and get_element_by_id(el, el_id) is el:
        for label in doc.find_all("label", attrs={"for": el_id}):
            if not _in_fragment(label):
                found.append(label)
    for parent in el.parents:
        if parent.name == "label":
            if not parent.has_attr("for") and _first_labelable(parent) is el:
                if not any(f is parent for f in found):
                    found.append(parent)
            break
    if len(found) > 1:
        order = {id(n): i for i, n in enumerate(doc.find_all("label"))}
        found.sort(key=lambda n: order.get(id(n), 0))
    return found


def _first_labelable(label: Tag) -> Tag | None:
    for node in label.find_all(LABELABLE):
        if node.name == "input" and input_type(node) == "hidden":
            continue
        return node
    return None


# --------------------------------------------------------------------------------------------------------------
# Accessible name
# --------------------------------------------------------------------------------------------------------------


class _Walk:
    """State of one name computation: the nodes on the current path (loop guard)."""

    def __init__(self) -> None:
        self.stack: set[int] = set()


def accessible_name(el: Tag) -> str:
    """The accessible name of `el`, white space normalised ("" when it has none).

    Follows accname 1.2 and HTML-AAM as far as static HTML allows: aria-labelledby (ids resolved in the same
    document, hidden referenced nodes still count, no second labelledby hop), aria-label, native labels (alt,
    <label>, value and default of input buttons, legend, figcaption, caption, SVG <title>), name from content for
    the roles that allow it, then the title attribute, then the placeholder of text fields. CSS generated content
    and stylesheet hiding are unknown.
    """
    d = el.__dict__  # remembered on the element: several checks ask for the same names, and the tree never changes
    name = d.get("_ea_name")
    if name is None:
        name = d["_ea_name"] = compute_accessible_name(el)
    return name


def compute_accessible_name(el: Tag) -> str:
    """accessible_name() computed afresh, never remembered: for callers that look at a changed element."""
    return normalise(_text_alternative(el, _Walk(), root=True))


def accessible_description(el: Tag) -> str:
    """The accessible description of `el`, white space normalised ("" when it has none): the text of the elements
    its aria-describedby names (hidden ones count, as in aria-labelledby), else aria-description, else its title
    attribute when the title did not already give the name (accname 1.2 section 4.3.2, HTML-AAM)."""
    refs = idrefs(el, "aria-describedby")
    if refs:
        walk = _Walk()
        text = normalise(" ".join(
            _text_alternative(ref, walk, in_labelledby=True, include_hidden=is_hidden(ref)) for ref in refs
        ))
        if text:
            return text
    text = normalise(attr_text(el, "aria-description"))
    if text:
        return text
    title = normalise(attr_text(el, "title"))
    return title if title and title != accessible_name(el) else ""


def _text_alternative(
    node: Tag,
    walk: _Walk,
    *,
    root: bool = False,
    in_labelledby: bool = False,
    in_recursion: bool = False,
    include_hidden: bool = False,
    label_for: Tag | None = None,
) -> str:
    key = id(node)
    if key in walk.stack:
        return ""
    walk.stack.add(key)
    try:
        return _compute(node, walk, root, in_labelledby, in_recursion, include_hidden, label_for)
    finally:
        walk.stack.discard(key)


def _compute(
    node: Tag,
    walk: _Walk,
    root: bool,
    in_labelledby: bool,
    in_recursion: bool,
    include_hidden: bool,
    label_for: Tag | None,
) -> str:
    # 2A: hidden nodes give nothing, unless the traversal started at a hidden node referenced by aria-labelledby.
    if not root and not include_hidden and _self_excluded(node):
        return ""
    if not root and node.name in NOT_RENDERED_ELEMENTS:
        return ""

    # The control being labelled contributes nothing to its own label.
    if label_for is not None and node is label_for:
        return ""

    # 2B: aria-labelledby, unless we are already following one.
    if not in_labelledby:
        refs = idrefs(node, "aria-labelledby")
        if refs:
            parts = []
            for ref in refs:
                hidden_ok = include_hidden or is_hidden(ref)
                if ref is node:  # self-reference: the element's own content, without following labelledby again
                    parts.append(_compute(node, walk, False, True, False, hidden_ok, label_for))
                else:
                    parts.append(_text_alternative(ref, walk, in_labelledby=True, include_hidden=hidden_ok))
            text = normalise(" ".join(parts))
            if text:
                return text

    role = role_of(node)

    # 2C: a control embedded in a label or content: its value, not its label.
    if not root and (in_recursion or in_labelledby):
        embedded = _embedded_value(node, role, walk, include_hidden)
        if embedded is not None:
            return embedded

    # 2D: aria-label.
    aria_label = normalise(attr_text(node, "aria-label"))
    if aria_label:
        return aria_label

    # 2E: native labels of the host language (not for elements made presentational).
    presentational = role in PRESENTATIONAL_ROLES
    if not presentational or root:
        native = _native_label(node, walk, include_hidden)
        if native:
            return native

    # 2F: name from content.
    if (
        in_recursion
        or in_labelledby
        or (role in NAME_FROM_CONTENT_ROLES)
        or node.name in ("label", "legend", "caption", "figcaption", "summary")
    ):
        text = normalise(_content_text(node, walk, include_hidden, label_for, in_labelledby))
        if text:
            return text

    # 2I: tooltip attribute (SVG elements use a <title> child instead, handled above).
    if not in_svg(node):
        title = normalise(attr_text(node, "title"))
        if title:
            return title

    # HTML-AAM: placeholder is the last resort for text fields.
    if root and (node.name == "textarea" or (node.name == "input" and input_type(node) in TEXT_INPUT_TYPES)):
        placeholder = normalise(attr_text(node, "placeholder"))
        if placeholder:
            return placeholder
    return ""


def _embedded_value(node: Tag, role: str | None, walk: _Walk, include_hidden: bool) -> str | None:
    """The value an embedded control contributes to a name (accname 2C), or None if `node` is not such a control."""
    name = node.name
    if name == "input":
        t = input_type(node)
        if t in TEXT_INPUT_TYPES or t == "range":
            if role in _RANGE_ROLES:
                return _range_value(node) or normalise(attr_text(node, "value"))
            return normalise(attr_text(node, "value"))
        return None  # checkboxes, radios, buttons...: not embedded-value controls; their own name, computed below
    if name == "textarea" or role in ("textbox", "searchbox"):
        if name == "textarea":
            return normalise(node.get_text())
        return normalise(_content_text(node, walk, include_hidden, None))
    if name == "select":
        options = [o for o in node.find_all("option") if o.has_attr("selected")]
        if not options:
            first = node.find("option")
            options = [first] if first is not None and not node.has_attr("multiple") else []
        return normalise(" ".join(normalise(attr_text(o, "label")) or normalise(o.get_text()) for o in options))
    if role in ("combobox", "listbox"):
        selected = [
            o for o in node.find_all(attrs={"role": "option"})
            if (attr_text(o, "aria-selected") or "").strip().lower() == "true"
        ]
        if selected:
            return normalise(" ".join(_content_text(o, walk, include_hidden, None) for o in selected))
        return None if role == "listbox" else normalise(attr_text(node, "value"))
    if role in _RANGE_ROLES:
        return _range_value(node) or None
    return None


def _range_value(node: Tag) -> str:
    return normalise(attr_text(node, "aria-valuetext")) or normalise(attr_text(node, "aria-valuenow"))


def _native_label(node: Tag, walk: _Walk, include_hidden: bool) -> str:
    """The host language's own text alternative (HTML-AAM), or ""."""
    name = node.name
    if name in LABELABLE:
        labels = labels_of(node)
        if labels:
            text = normalise(" ".join(_label_text(lb, node, walk) for lb in labels))
            if text:
                return text
    if name == "input":
        t = input_type(node)
        if t == "button":
            return normalise(attr_text(node, "value"))
        if t in ("submit", "reset"):
            value = attr_text(node, "value")
            if value is None:
                return "Submit" if t == "submit" else "Reset"
            return normalise(value)
        if t == "image":
            return normalise(attr_text(node, "alt"))
        return ""
    if name in ("img", "area"):
        return normalise(attr_text(node, "alt"))
    if name == "fieldset":
        return _first_child_text(node, "legend", walk, include_hidden)
    if name == "figure":
        return _first_child_text(node, "figcaption", walk, include_hidden)
    if name == "table":
        return _first_child_text(node, "caption", walk, include_hidden)
    if name in ("optgroup", "option"):
        return normalise(attr_text(node, "label"))
    if in_svg(node):
        title = node.find("title", recursive=False)
        if title is not None:
            return normalise(title.get_text())
    return ""


def _first_child_text(node: Tag, child_name: str, walk: _Walk, include_hidden: bool) -> str:
    child = node.find(child_name, recursive=False)
    if child is None:
        return ""
    return normalise(_text_alternative(child, walk, in_recursion=True, include_hidden=include_hidden))


def _label_text(label: Tag, control: Tag, walk: _Walk) -> str:
    """A <label>'s contribution to its control's name: its aria-label, else its content minus the control itself.
    Hidden labels still count (browsers use them), as do hidden parts of them."""
    aria_label = normalise(attr_text(label, "aria-label"))
    if aria_label:
        return aria_label
    key = id(label)
    if key in walk.stack:
        return ""
    walk.stack.add(key)
    try:
        return normalise(_content_text(label, walk, include_hidden=is_hidden(label), label_for=control))
    finally:
        walk.stack.discard(key)


def _content_text(
    node: Tag, walk: _Walk, include_hidden: bool, label_for: Tag | None, in_labelledby: bool = False
) -> str:
    """Name from content: the text of the descendants, each computed as a name in recursion (accname 2F).
    Inside an aria-labelledby traversal, descendants do not follow their own aria-labelledby (no second hop)."""
    parts: list[str] = []
    visible = include_hidden or visibility_of(node) != "hidden"
    _collect(node, walk, include_hidden, label_for, visible, parts, in_labelledby)
    return "".join(parts)


def visibility_of(node: Tag) -> str:
    """'hidden' or 'visible': the nearest inline `visibility` on `node` or an ancestor (visible when none sets it)."""
    for n in [node, *node.parents]:
        if not isinstance(n, Tag) or n.name == "[document]":
            break
        vis = inline_visibility(n)
        if vis is not None:
            return vis
    return "visible"


def _collect(
    node: Tag,
    walk: _Walk,
    include_hidden: bool,
    label_for: Tag | None,
    visible: bool,
    parts: list[str],
    in_labelledby: bool = False,
) -> None:
    svg_root = in_svg(node)
    for child in node.children:
        if isinstance(child, NavigableString):
            if isinstance(child, PreformattedString):  # comments, CDATA, doctype, processing instructions
                continue
            if visible:
                parts.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name in NOT_RENDERED_ELEMENTS:
            continue
        if svg_root and child.name in _SVG_NON_CONTENT:
            continue
        if not include_hidden and _self_excluded(child):
            continue
        vis = inline_visibility(child)
        child_visible = include_hidden or (visible if vis is None else vis == "visible")
        block = child.name in _BLOCK_ELEMENTS
        if block:
            parts.append(" ")
        if child_visible:
            parts.append(
                _text_alternative(
                    child,
                    walk,
                    in_recursion=True,
                    in_labelledby=in_labelledby,
                    include_hidden=include_hidden,
                    label_for=label_for,
                )
            )
        else:
            # Invisible itself, but a descendant may set visibility:visible again.
            _collect(child, walk, include_hidden, label_for, False, parts, in_labelledby)
        if block:
            parts.append(" ")


def visible_text(el: Tag) -> str:
    """The text a visitor or screen reader meets inside `el` (hidden parts, scripts and templates left out),
    normalised. Alt text and labels are not included: this is text, not a name."""
    parts: list[str] = []

    def walk(node: Tag, visible: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if not isinstance(child, PreformattedString) and visible:
                    parts.append(str(child))
                continue
            if not isinstance(child, Tag) or child.name in NOT_RENDERED_ELEMENTS or _self_excluded(child):
                continue
            vis = inline_visibility(child)
            block = child.name in _BLOCK_ELEMENTS
            if block:
                parts.append(" ")
            walk(child, visible if vis is None else vis == "visible")
            if block:
                parts.append(" ")

    walk(el, visibility_of(el) != "hidden")
    return normalise("".join(parts))


def iter_visible(root: Tag, names: Iterable[str] | bool = True) -> Iterator[Tag]:
    """Elements under `root` (matching `names`) that are not hidden (see is_hidden)."""
    for el in root.find_all(names):
        if not is_hidden(el):
            yield el
