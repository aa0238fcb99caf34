"""Accessible-name computation, hiddenness and roles of static HTML (audits/accname.py)."""

from __future__ import annotations

import pytest

from empathy_audit.audits.accname import (
    accessible_name,
    get_element_by_id,
    heading_level,
    idrefs,
    is_focusable,
    is_hidden,
    labels_of,
    normalise,
    role_of,
    visible_text,
)
from empathy_audit.audits.artifacts import parse_html


def name_of(body: str, target: str = "t") -> str:
    soup = parse_html(f"<!DOCTYPE html><html lang='en'><body>{body}</body></html>")
    el = soup.find(id=target)
    assert el is not None, f"no element with id {target!r}"
    return accessible_name(el)


def el_of(body: str, target: str = "t"):
    soup = parse_html(f"<!DOCTYPE html><html lang='en'><body>{body}</body></html>")
    return soup.find(id=target)


NAMES = [
    # name from content
    ('<a id="t" href="/">Home</a>', "Home"),
    ('<a id="t" href="/">  Our\n\t  shop&nbsp;  </a>', "Our shop"),
    ('<a id="t" href="/"><strong>Big</strong> <em>deals</em></a>', "Big deals"),
    ('<a id="t" href="/">Hel<b>lo</b></a>', "Hello"),
    ('<a id="t" href="/"><div>One</div><div>Two</div></a>', "One Two"),
    ('<a id="t" href="/"><img src="x.png" alt="Logo"></a>', "Logo"),
    ('<a id="t" href="/"><img src="x.png" alt=""> About</a>', "About"),
    ('<a id="t" href="/"><img src="x.png"></a>', ""),
    ('<a id="t" href="/"><img src="x.png" title="Cart"></a>', "Cart"),
    ('<a id="t" href="/"><svg><title>Search</title><path/></svg></a>', "Search"),
    ('<a id="t" href="/"><svg aria-hidden="true"><title>Search</title></svg></a>', ""),
    ('<a id="t" href="/"><svg role="img" aria-label="Map"></svg></a>', "Map"),
    ('<a id="t" href="/"><svg><text x="0" y="9">Chart</text></svg></a>', "Chart"),
    ('<a id="t" href="/"><span aria-label="Facebook" class="icon"></span></a>', "Facebook"),
    ('<a id="t" href="/"><span title="Tooltip"></span></a>', "Tooltip"),
    ('<a id="t" href="/"><span class="sr-only">Basket</span><i class="fa"></i></a>', "Basket"),
    ('<a id="t" href="/"><abbr title="Frequently asked">FAQ</abbr></a>', "FAQ"),
    ('<a id="t" href="/"><img src="a.png" alt="x" role="presentation"></a>', ""),
    # hidden content is skipped
    ('<a id="t" href="/"><span aria-hidden="true">→</span></a>', ""),
    ('<a id="t" href="/"><span hidden>Gone</span></a>', ""),
    ('<a id="t" href="/"><span style="display: none !important">Gone</span></a>', ""),
    ('<a id="t" href="/"><span style="visibility:hidden">Gone</span></a>', ""),
    ('<a id="t" href="/"><div style="visibility:hidden">a <span style="visibility:visible">b</span></div></a>', "b"),
    ('<a id="t" href="/"><script>var x = "code";</script><style>a{}</style></a>', ""),
    ('<a id="t" href="/"><template>Later</template><noscript>Enable JS</noscript></a>', ""),
    ('<a id="t" href="/"><!-- comment --></a>', ""),
    # aria-label and aria-labelledby
    ('<a id="t" href="/" aria-label="Close">X</a>', "Close"),
    ('<a id="t" href="/" aria-label="   ">Text</a>', "Text"),
    ('<a id="t" href="/" aria-labelledby="a b">x</a><span id="a">First</span><span id="b">second</span>',
     "First second"),
    ('<a id="t" href="/" aria-labelledby="a">x</a><span id="a" hidden>Hidden <b>label</b></span>', "Hidden label"),
    ('<a id="t" href="/" aria-labelledby="a">x</a><div id="a">Shown <span hidden>not this</span></div>', "Shown"),
    ('<a id="t" href="/" aria-labelledby="missing">Fallback</a>', "Fallback"),
    ('<a id="t" href="/" aria-labelledby="e">Fallback</a><span id="e"></span>', "Fallback"),
    ('<a id="t" href="/" aria-labelledby="a" aria-label="Label">x</a><span id="a">Ref</span>', "Ref"),
    ('<a id="t" href="/" aria-labelledby="a">x</a><span id="a" aria-label="Its label">text</span>', "Its label"),
    # no second labelledby hop
    ('<a id="t" href="/" aria-labelledby="a">x</a><span id="a" aria-labelledby="b">A</span><span id="b">B</span>', "A"),
    ('<a id="t" href="/" aria-labelledby="t other">Self</a><span id="other">more</span>', "Self more"),
    # first element with a duplicated id wins
    ('<a id="t" href="/" aria-labelledby="d">x</a><span id="d">First</span><span id="d">Second</span>', "First"),
    # title is the last resort
    ('<a id="t" href="/" title="Help"></a>', "Help"),
    ('<a id="t" href="/" title="Help">Support</a>', "Support"),
    # buttons
    ('<button id="t"><span class="visually-hidden">Close</span><svg aria-hidden="true"></svg></button>', "Close"),
    ('<button id="t" type="submit"></button>', ""),
    ('<label for="t">Send</label><button id="t"></button>', "Send"),
    ('<div id="t" role="button">Apply</div>', "Apply"),
    ('<input id="t" type="submit">', "Submit"),
    ('<input id="t" type="reset">', "Reset"),
    ('<input id="t" type="submit" value="">', ""),
    ('<input id="t" type="submit" value="" title="Go">', "Go"),
    ('<input id="t" type="submit" value="Buy">', "Buy"),
    ('<input id="t" type="button">', ""),
    ('<input id="t" type="button" value="More">', "More"),
    ('<input id="t" type="button" title="More">', "More"),
    ('<label>Go <input id="t" type="button"></label>', "Go"),
    ('<input id="t" type="image" src="go.png" alt="Search">', "Search"),
    ('<input id="t" type="image" src="go.png" alt="">', ""),
    ('<input id="t" type="image" src="go.png">', ""),
    ('<input id="t" type="image" src="go.png" title="Go">', "Go"),
    # form fields: labels, title, placeholder
    ('<label for="t">Email</label><input id="t" type="email">', "Email"),
    ('<label>Email <input id="t" type="email" value="me@example.com"></label>', "Email"),
    ('<label><input id="t" type="text" value="typed"></label>', ""),
    ('<label>Name</label><input id="t" type="text">', ""),
    ('<label for="t">First</label><label for="t">Second</label><input id="t">', "First Second"),
    ('<label for="other">Other</label><input id="t"><input id="other">', ""),
    ('<label for="t">Label</label><input id="t" aria-label="Aria">', "Aria"),
    ('<label for="t"><img src="cam.png" alt="Upload a photo"></label><input id="t" type="file">', "Upload a photo"),
    ('<label for="t">Email <span aria-hidden="true">*</span></label><input id="t">', "Email"),
    ('<label for="t" hidden>Hidden label</label><input id="t">', "Hidden label"),
    ('<label for="t">Flash <select><option>1</option><option selected>3</option></select> times</label>'
     '<input id="t" type="checkbox">', "Flash 3 times"),
    ('<label for="t">Pay <input type="text" value="20"> pounds</label><input id="t" type="checkbox">', "Pay 20 pounds"),
    ('<label>Qty <span><input id="t" type="number" value="2"></span> items</label>', "Qty items"),
    ('<input id="t" type="text" title="Voucher">', "Voucher"),
    ('<input id="t" type="text" placeholder="Search">', "Search"),
    ('<input id="t" type="text" placeholder="Search" title="Find">', "Find"),
    ('<textarea id="t" placeholder="Message">hello</textarea>', "Message"),
    ('<textarea id="t">hello</textarea>', ""),
    ('<input id="t" type="checkbox" placeholder="ignored">', ""),
    ('<select id="t"><option selected>Red</option></select>', ""),
    ('<label>Colour <select id="t"><option selected>Red</option></select></label>', "Colour"),
    # other native labels
    ('<img id="t" src="x.png" alt="Chart">', "Chart"),
    ('<img id="t" src="x.png">', ""),
    ('<img id="t" src="x.png" title="T">', "T"),
    ('<map><area id="t" href="/n" alt="North"></map>', "North"),
    ('<fieldset id="t"><legend>Address</legend><input></fieldset>', "Address"),
    ('<figure id="t"><img src="x.png" alt="x"><figcaption>Caption</figcaption></figure>', "Caption"),
    ('<table id="t"><caption>Prices</caption><tr><td>1</td></tr></table>', "Prices"),
    ('<svg id="t" role="img"><title>Logo</title></svg>', "Logo"),
    ('<svg id="t" role="img"><title> </title></svg>', ""),
    ('<svg id="t" role="img"><text>Not a name</text></svg>', ""),
    ('<div id="t" role="img">Not a name</div>', ""),
    ('<div id="t">Generic has no name from content</div>', ""),
    # headings and cells take their content
    ('<h2 id="t">Chapter <a href="#">one</a></h2>', "Chapter one"),
    ('<table><tr><th id="t"><span class="sr-only">Actions</span></th></tr></table>', "Actions"),
    ('<table><tr><th id="t"></th></tr></table>', ""),
    # embedded controls inside a link's content
    ('<a id="t" href="/">Go <select><option>A</option><option selected>B</option></select></a>', "Go B"),
    ('<a id="t" href="/"><input type="submit"></a>', "Submit"),
]


@pytest.mark.parametrize(("body", "expected"), NAMES)
def test_accessible_name(body, expected):
    assert name_of(body) == expected


def test_name_is_whitespace_normalised():
    assert name_of('<a id="t" href="/" aria-label="  Two\n  words ">x</a>') == "Two words"


def test_labelledby_cycle_terminates():
    body = ('<a id="t" href="/" aria-labelledby="a"></a>'
            '<span id="a" aria-labelledby="t">A<a href="#" id="b" aria-labelledby="a"></a></span>')
    assert name_of(body) == "A"


def test_label_containing_its_own_control_does_not_loop():
    body = '<label id="l" for="t">Name <input id="t" aria-labelledby="l"></label>'
    assert name_of(body) == "Name"


HIDDEN = [
    ('<p id="t" hidden>x</p>', True),
    ('<p id="t" hidden="until-found">x</p>', True),
    ('<p id="t" aria-hidden="true">x</p>', True),
    ('<p id="t" aria-hidden=" TRUE ">x</p>', True),
    ('<p id="t" aria-hidden="false">x</p>', False),
    ('<div aria-hidden="true"><p><span id="t">x</span></p></div>', True),
    ('<div aria-hidden="true"><p id="t" aria-hidden="false">x</p></div>', True),
    ('<p id="t" style="display:none">x</p>', True),
    ('<p id="t" style="color:red; DISPLAY : NONE !important">x</p>', True),
    ('<div style="display:none"><p id="t">x</p></div>', True),
    ('<p id="t" style="display:block">x</p>', False),
    ('<p id="t" style="visibility:hidden">x</p>', True),
    ('<p id="t" style="visibility:collapse">x</p>', True),
    ('<div style="visibility:hidden"><p id="t">x</p></div>', True),
    ('<div style="visibility:hidden"><p id="t" style="visibility:visible">x</p></div>', False),
    ('<div style="visibility:hidden"><div style="visibility:visible"><p id="t">x</p></div></div>', False),
    ('<input id="t" type="hidden">', True),
    ('<input id="t" type="HIDDEN">', True),
    ('<input id="t" type="text">', False),
    ('<noscript><img id="t" src="p.gif"></noscript>', True),
    ('<template><a id="t" href="/">x</a></template>', True),
    ('<p id="t" class="visually-hidden sr-only">x</p>', False),
    ('<p id="t" style="opacity:0">x</p>', False),
]


@pytest.mark.parametrize(("body", "hidden"), HIDDEN)
def test_is_hidden(body, hidden):
    assert is_hidden(el_of(body)) is hidden


ROLES = [
    ('<a id="t" href="/">x</a>', "link"),
    ('<a id="t">x</a>', None),
    ('<a id="t" href="/" role="button">x</a>', "button"),
    ('<a id="t" href="/" role="presentation">x</a>', "link"),
    ('<div id="t" role="foo button">x</div>', "button"),
    ('<div id="t" role="Button">x</div>', "button"),
    ('<div id="t" role="foo bar">x</div>', None),
    ('<span id="t" role="image">x</span>', "img"),
    ('<img id="t" src="x" alt="">', "presentation"),
    ('<img id="t" src="x" alt="" aria-label="Chart">', "img"),
    ('<img id="t" src="x">', "img"),
    ('<img id="t" src="x" role="presentation">', "presentation"),
    ('<img id="t" src="x" role="none" tabindex="0">', "img"),
    ('<img id="t" src="x" role="none" aria-describedby="d">', "img"),
    ('<img id="t" src="x" role="none" aria-hidden="true">', "none"),
    ('<button id="t" role="presentation">x</button>', "button"),
    ('<button id="t" role="presentation" disabled>x</button>', "presentation"),
    ('<input id="t">', "textbox"),
    ('<input id="t" type="bogus">', "textbox"),
    ('<input id="t" type="search">', "searchbox"),
    ('<input id="t" type="email" list="l">', "combobox"),
    ('<input id="t" type="checkbox">', "checkbox"),
    ('<input id="t" type="submit">', "button"),
    ('<input id="t" type="range">', "slider"),
    ('<input id="t" type="hidden">', None),
    ('<select id="t"></select>', "combobox"),
    ('<select id="t" multiple></select>', "listbox"),
    ('<select id="t" size="4"></select>', "listbox"),
    ('<textarea id="t"></textarea>', "textbox"),
    ('<h3 id="t">x</h3>', "heading"),
    ('<h3 id="t" role="tab">x</h3>', "tab"),
    ('<header id="t">x</header>', "banner"),
    ('<article><header id="t">x</header></article>', None),
    ('<footer id="t">x</footer>', "contentinfo"),
    ('<section id="t">x</section>', None),
    ('<section id="t" aria-label="News">x</section>', "region"),
    ('<nav id="t">x</nav>', "navigation"),
    ('<table><thead><tr><th id="t">x</th></tr></thead></table>', "columnheader"),
    ('<table><tr><th id="t">x</th><td>1</td></tr></table>', "rowheader"),
    ('<table><tr><th id="t" scope="col">x</th><td>1</td></tr></table>', "columnheader"),
    ('<table><tr><th id="t">x</th><th>y</th></tr></table>', "columnheader"),
    ('<table><tr><td id="t">x</td></tr></table>', "cell"),
    ('<table role="grid"><tr><td id="t">x</td></tr></table>', "gridcell"),
    ('<svg id="t"></svg>', "graphics-document"),
    ('<div id="t">x</div>', None),
]


@pytest.mark.parametrize(("body", "role"), ROLES)
def test_role_of(body, role):
    assert role_of(el_of(body)) == role


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ('<h1 id="t">x</h1>', 1),
        ('<h4 id="t">x</h4>', 4),
        ('<h4 id="t" aria-level="2">x</h4>', 2),
        ('<h4 id="t" aria-level="zero">x</h4>', 4),
        ('<div id="t" role="heading">x</div>', 2),
        ('<div id="t" role="heading" aria-level="1">x</div>', 1),
        ('<div id="t" role="heading" aria-level="0">x</div>', 2),
        ('<h2 id="t" role="presentation">x</h2>', None),
        ('<p id="t">x</p>', None),
    ],
)
def test_heading_level(body, level):
    assert heading_level(el_of(body)) == level


@pytest.mark.parametrize(
    ("body", "focusable"),
    [
        ('<a id="t" href="/">x</a>', True),
        ('<a id="t">x</a>', False),
        ('<div id="t" tabindex="-1">x</div>', True),
        ('<div id="t" tabindex="x">x</div>', False),
        ('<button id="t" disabled>x</button>', False),
        ('<fieldset disabled><input id="t"></fieldset>', False),
        ('<fieldset disabled><legend><input id="t"></legend></fieldset>', True),
        ('<div id="t" contenteditable>x</div>', True),
        ('<details><summary id="t">More</summary></details>', True),
        ('<video id="t" controls></video>', True),
        ('<iframe id="t"></iframe>', True),
    ],
)
def test_is_focusable(body, focusable):
    assert is_focusable(el_of(body)) is focusable


def test_labels_of_order_and_association():
    soup = parse_html(
        '<label id="a" for="f">A</label><label id="w">W <input id="f"> <input id="g"></label>'
        '<label id="b" for="f">B</label>'
    )
    assert [lb["id"] for lb in labels_of(soup.find(id="f"))] == ["a", "w", "b"]
    assert labels_of(soup.find(id="g")) == []  # a wrapping label labels its first labelable element only
    assert labels_of(soup.find("label")) == []


def test_ids_resolve_in_document_order_and_ignore_templates():
    soup = parse_html('<template><p id="x">T</p></template><p id="x">First</p><p id="x">Second</p>')
    assert get_element_by_id(soup.p, "x").get_text() == "First"
    assert get_element_by_id(soup.p, "missing") is None
    soup2 = parse_html('<p id="x">Other document</p>')
    assert get_element_by_id(soup2.p, "x").get_text() == "Other document"


def test_idrefs_keeps_existing_targets_in_order():
    soup = parse_html('<a aria-labelledby=" b  missing a ">x</a><i id="a">A</i><i id="b">B</i>')
    assert [t.get_text() for t in idrefs(soup.a, "aria-labelledby")] == ["B", "A"]


def test_visible_text_skips_hidden_parts():
    el = el_of('<div id="t">Shown <span hidden>no</span><span aria-hidden="true">no</span><script>no</script>'
               '<p>para</p><img alt="not text"></div>')
    assert visible_text(el) == "Shown para"


def test_normalise():
    assert normalise("  a\u00a0\n b  ") == "a b"
    assert normalise(None) == ""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<table><tr><th id="t"><input type="checkbox" aria-label="Select all"></th></tr></table>', "Select all"),
        ('<table><tr><th id="t"><input type="checkbox"></th></tr></table>', ""),
        ('<label for="t">Remember <input type="checkbox"> me</label><input id="t">', "Remember me"),
    ],
)
def test_controls_that_are_not_embedded_values_contribute_their_name(body, expected):
    assert name_of(body) == expected


def test_descendants_of_a_labelledby_target_do_not_follow_labelledby_again():
    body = ('<a id="t" href="/" aria-labelledby="a">x</a>'
            '<div id="a">Outer <span aria-labelledby="b">inner</span></div><span id="b">Second hop</span>')
    assert name_of(body) == "Outer inner"
