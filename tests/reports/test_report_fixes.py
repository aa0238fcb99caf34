"""empathy_audit.reports.fixes: fingerprints (stable, template-aware), URL patterns, where a fix lives, key-journey detection."""

from __future__ import annotations

import pytest

from empathy_audit.reports import fixes as fx

PRODUCT_IMG = '<img class="product__photo" height="560" src="/img/products/{name}.svg?v={v}" width="480"/>'
PRODUCT_SEL = "#main > article > div:nth-of-type({n}) > img"


def test_one_template_element_has_one_fingerprint_on_every_page():
    prints = {
        fx.fingerprint("image-alt", f"https://shop.example/products/{name}.html", PRODUCT_SEL.format(n=n),
                       PRODUCT_IMG.format(name=name, v=v))
        for n, name, v in ((1, "ethiopia", 3), (2, "colombia", 9), (1, "decaf", 12))
    }
    assert len(prints) == 1
    (fp,) = prints
    assert fp.kind == "element" and fp.id.startswith("image-alt:") and len(fp.id) == len("image-alt:") + 12
    assert fp.selector == "#main > article > div > img"
    assert fp.markup == "<img class=product__photo height=# src width=#>"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # generated ids, nonce, style, data-* values, text and URLs vary between copies of one element
        ('<button id="btn-123" class="icon" nonce="abc">', '<button id="btn-987" class="icon" nonce="xyz">'),
        ('<a class="card" href="/a?utm=1" style="color:red">', '<a class="card" href="/b" style="">'),
        ('<div data-reactid="42" data-track="x">', '<div data-reactid="7" data-track="y">'),
        ('<img alt="A red mug" src="a.png">', '<img alt="A blue mug" src="b.png">'),
        ('<input aria-label="Qty 1" name="qty-1">', '<input aria-label="Qty 2" name="qty-2">'),
        ('<span class="css-1x2y3z label">', '<span class="label css-9q8w7e">'),
        ('<button class="btn" type="button">…', '<button type="button" class="btn"><svg></svg></button>'),
    ],
)
def test_volatile_attributes_do_not_change_the_fingerprint(a, b):
    assert fx.fingerprint("x", "http://h/p", "div > x", a) == fx.fingerprint("x", "http://h/q", "div > x", b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ('<select name="grind">', '<select name="size">'),  # two different fields
        ('<button class="wishlist">', '<button class="basket">'),
        ('<img alt="" src="a.png">', '<img alt="x" src="a.png">'),  # empty alt and alt text differ in meaning
        ('<input type="search">', '<input type="email">'),
    ],
)
def test_different_elements_have_different_fingerprints(a, b):
    assert fx.fingerprint("x", "http://h/p", "form > x", a) != fx.fingerprint("x", "http://h/p", "form > x", b)


def test_the_check_and_the_place_are_part_of_the_fingerprint():
    snippet = '<button class="icon">'
    base = fx.fingerprint("button-name", "http://h/", "header > button", snippet)
    assert fx.fingerprint("link-name", "http://h/", "header > button", snippet) != base
    assert fx.fingerprint("button-name", "http://h/", "footer > button", snippet) != base


def test_fingerprints_ignore_host_and_port():
    a = fx.fingerprint("html-has-lang", "http://127.0.0.1:4001/blog/a.html", "html", "<html>")
    b = fx.fingerprint("html-has-lang", "https://www.example.com/blog/b.html?x=1", "html", "<html>")
    assert a == b and a.kind == "page" and a.pattern == "/blog/*"


@pytest.mark.parametrize(
    ("url", "pattern"),
    [
        ("http://h/", "/"),
        ("http://h/products/", "/products/"),
        ("http://h/products/ethiopia.html", "/products/*"),
        ("http://h/contact.html", "/contact.html"),
        ("http://h/blog/2024/05/brewing", "/blog/*/*/*"),
        ("http://h/shop/item/9f86d081884c7d65", "/shop/item/*"),
        ("http://h/a/b/", "/a/b/"),
    ],
)
def test_url_patterns(url, pattern):
    assert fx.url_pattern(url) == pattern


@pytest.mark.parametrize("selector", ["html", "", "html > head > title", "html > head > meta:nth-of-type(2)"])
def test_page_level_selectors(selector):
    assert fx.is_page_level(selector)
    assert not fx.is_page_level("html > body > main > img")


def test_one_check_on_most_pages_is_one_site_wide_layout_fix():
    assert fx.site_wide("html-has-lang", pages=2, audited_pages=3) is None  # fewer than 3 pages
    assert fx.site_wide("html-has-lang", pages=4, audited_pages=10) is None  # under half the site
    wide = fx.site_wide("html-has-lang", pages=5, audited_pages=10)
    assert wide is not None and wide.pattern == "*"
    comp = fx.component_of(wide, ["http://h/a", "http://h/b"], "html", 10)
    assert (comp.kind, comp.name, comp.template) == ("layout", "base page layout", True)


def test_colour_pairs_are_one_fix_wherever_they_appear():
    data = {"fgColor": "#999999", "bgColor": "#ffffff", "fontSize": "12.0pt (16px)", "fontWeight": "normal"}
    a = fx.fingerprint("color-contrast", "http://h/a", "main > p", "<p class=a>", data, colour_pair=True)
    b = fx.fingerprint("color-contrast", "http://h/b/c", "footer > span", "<span>", {**data, "bgColor": "#FFFFFF"},
                       colour_pair=True)
    large = fx.fingerprint("color-contrast", "http://h/a", "main > p", "<p class=a>", {**data, "fontSize": "24px"},
                           colour_pair=True)
    assert a == b and a.kind == "colour" and a != large
    assert fx.component_of(a, ["http://h/a", "http://h/b/c"], "main > p", 5).name == "colour pair " + a.markup
    # without the colours (a static finding), it is an element fingerprint
    assert fx.fingerprint("color-contrast", "http://h/a", "main > p", "<p class=a>", {}, True).kind == "element"
    # a check whose fixes are not one colour change keeps its element fingerprint
    assert fx.fingerprint("image-alt", "http://h/a", "main > p", "<p class=a>", data).kind == "element"


@pytest.mark.parametrize(
    ("selector", "mark"),
    [
        ("body > header > div > nav > ul > li:nth-of-type(2) > a", "header"),
        ("body > nav > ul > li > a", "navigation"),
        ("body > footer > p > a", "footer"),
        ("#site-footer > p > a", "footer"),
        ("#masthead > a", "header"),
        ("#main > article > header > h1", None),  # an article's own header is content
        ("#main > nav > ol > li > a", "navigation"),  # a breadcrumb is navigation wherever it is
        ("#main > div > aside > form > input", "sidebar"),
        ("#main > article > p > a", None),
    ],
)
def test_landmarks(selector, mark):
    assert fx.landmark(selector) == mark


def test_components():
    fp = fx.element_fingerprint("button-name", "#main > form > button", '<button class="icon">')
    products = [f"http://h/products/{n}.html" for n in ("a", "b", "c")]
    assert fx.component_of(fp, products, "#main > form > button", 10) == fx.Component(
        "template", "product page template", True)
    mixed = ["http://h/products/a.html", "http://h/blog/b.html"]
    assert fx.component_of(fp, mixed, "#main > form > button", 10) == fx.Component("component", "shared component", True)
    assert fx.component_of(fp, ["http://h/contact.html"], "#main > form > button", 10) == fx.Component(
        "page", "page /contact.html", False)
    header = fx.element_fingerprint("link-name", "body > header > a", "<a>")
    assert fx.component_of(header, ["http://h/"], "body > header > a", 10) == fx.Component("header", "header", True)
    page = fx.page_fingerprint("document-title", "/video.html")
    assert fx.component_of(page, ["http://h/video.html"], "html > head > title", 10).name == "page /video.html"
    assert fx.template_name("/categories/*") == "category page template"
    assert fx.template_name("/news/*") == "news page template"
    assert fx.template_name("/*") is None


@pytest.mark.parametrize(
    ("url", "task"),
    [
        ("http://h/checkout/shipping", "buying"),
        ("http://h/basket", "buying"),
        ("http://h/account/login", "signing in"),
        ("http://h/sign-in.html", "signing in"),
        ("http://h/search?q=x", "searching"),
        ("http://h/contact-us/", "sending the form"),
        ("http://h/contact.html", "sending the form"),
        ("http://h/blog/search-engine-tips.html", None),  # a word inside a slug is not the page's role
        ("http://h/products/ethiopia.html", None),
    ],
)
def test_journey_of_url(url, task):
    assert fx.journey_of_url(url) == task


@pytest.mark.parametrize(
    ("selector", "snippet", "task"),
    [
        ("#main > aside > form > input", '<input class="search__go" src="/i.svg" type="image"/>', "searching"),
        ("#main > p > button", '<button class="btn icon-btn"><i class="icon icon-basket"></i></button>', "buying"),
        ("#main > form > div > select", '<select class="buy__select" name="grind">', "buying"),
        ("#main > form > input", '<input type="password" name="pw">', "signing in"),
        ("#main > form > input", '<input autocomplete="cc-number" name="n">', "buying"),
        ("#main > form > input", '<input name="q">', "searching"),
        ("#checkout-form > div > input", '<input name="x">', "buying"),
        ("#main > a", '<a href="/cart">', "buying"),
        ("#main > form > div > button", '<button class="btn btn--icon" type="button">…', None),
        ("#main > img", '<img class="product__photo" src="/img/checkout-promo.png">', None),
    ],
)
def test_journey_of_element(selector, snippet, task):
    assert fx.journey_of_element(selector, snippet) == task


def test_in_form():
    assert fx.in_form("#main > div", "<select name=a>")
    assert fx.in_form("#main > form > div > span", "<span>")
    assert not fx.in_form("#main > div > img", "<img>")
    assert not fx.in_form("#main > .form > img", "<img>")
