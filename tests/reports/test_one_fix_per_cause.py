"""One fix per cause: the same element of one template on every page, the same bad text wherever it is, the ids one
template repeats, each one fix listing its pages and elements; findings with different causes stay apart."""

from __future__ import annotations

from empathy_audit.audits.registry import get
from empathy_audit.reports.aggregate import build_report
from tests.reports.report_factories import CHECKS, make_finding, make_page, make_run


def _lookup(check_id):
    return CHECKS.get(check_id) or get(check_id)


def _fixes(report, check_id):
    return [f for f in report.fixes if f.check_id == check_id]


def test_the_same_link_of_the_navigation_on_24_pages_is_one_fix():
    """The current page's link in the navigation: another link (another nth-of-type, another href) on each page,
    named under <head> on the pages a run stored before the HTML5 tree: one element of one template."""
    pages = [make_page("/", depth=0, found_via="start")] + [make_page(f"/page-{i}.html") for i in range(1, 25)]
    findings = [
        make_finding("link-name", f"/page-{i}.html", f"html > {'head' if i % 2 else 'body'} > nav > a:nth-of-type({i})",
                     snippet=f'<a href="/page-{i}.html" class="nav__link is-current" aria-current="page"></a>')
        for i in range(1, 25)
    ]
    report = build_report(make_run(), pages, findings, lookup=_lookup)
    [fix] = _fixes(report, "link-name")
    assert fix.pages_affected == 24 and fix.elements == 24
    assert fix.component.kind == "navigation"
    assert report.summary.counts.fixes == 1


def test_every_image_with_the_same_placeholder_alt_is_one_fix():
    pages = [make_page(f"/{name}.html") for name in ("a", "b", "c", "d", "e", "f", "g")]
    placeholder = [
        make_finding("image-alt-meaningful", f"/{name}.html", selector, severity="serious",
                     snippet=f'<img src="/img/{name}{k}.jpg" alt="...">', data={"alt": "..."})
        for name in ("a", "b", "c", "d", "e", "f", "g")
        for k, selector in enumerate((f"html > body > main > article:nth-of-type({len(name)}) > img",
                                      "html > body > aside > figure > img"))
    ]
    assert len(placeholder) == 14
    others = [
        # another text: another cause
        make_finding("image-alt-meaningful", "/a.html", "html > body > header > img", severity="serious",
                     snippet='<img src="/logo.png" alt="logo">', data={"alt": "logo"}),
        # one template element whose text is its page's own (a file name): the template is the cause, not a text
        *(make_finding("image-alt-meaningful", f"/{name}.html", "html > body > main > div.hero > img",
                       severity="serious", snippet=f'<img src="/{name}.jpg" alt="IMG_{n}.JPG" class="hero">',
                       data={"alt": f"IMG_{n}.JPG"}) for n, name in enumerate(("b", "c", "d"))),
    ]
    report = build_report(make_run(), pages, placeholder + others, lookup=_lookup)
    fixes = _fixes(report, "image-alt-meaningful")
    assert len(fixes) == 3
    [dots] = [f for f in fixes if f.fingerprint.kind == "text"]
    assert dots.elements == 14 and dots.pages_affected == 7
    assert dots.fingerprint.markup == 'alt="..."' and 'alt="..."' in dots.heading
    [logo] = [f for f in fixes if f.elements == 1]
    assert "logo" in logo.pages[0].elements[0].snippet
    [hero] = [f for f in fixes if f.elements == 3]
    assert {e.snippet for p in hero.pages for e in p.elements} == {
        f'<img src="/{name}.jpg" alt="IMG_{n}.JPG" class="hero">' for n, name in enumerate(("b", "c", "d"))}


def test_the_text_fix_keeps_its_fingerprint_from_run_to_run():
    def run(pages):
        return build_report(make_run(), [make_page(f"/{p}.html") for p in pages], [
            make_finding("image-alt-meaningful", f"/{p}.html", f"html > body > main > p:nth-of-type({i}) > img",
                         snippet='<img src="/x.png" alt="image">', data={"alt": "image"})
            for p in pages for i in (1, 2)], lookup=_lookup)

    [first] = run(["a", "b"]).fixes
    [second] = run(["a", "b", "c"]).fixes
    assert first.id == second.id and second.pages_affected == 3


def test_ids_one_template_repeats_are_one_fix():
    products = ["/products/a.html", "/products/b.html", "/products/c.html"]
    pages = [make_page("/", depth=0, found_via="start"), make_page("/blog/post.html")] + \
        [make_page(p) for p in products]
    card = "html > body > main > ul > li:nth-of-type({n}) > form"
    findings = [
        make_finding("duplicate-id-aria", url, card.format(n=n) + sel, severity="critical",
                     snippet=f'<{tag} id="{ident}">', data={"id": ident, "count": 4})
        for url in products for n in (2, 3, 4)
        for tag, ident, sel in (("input", "qty", " > input"), ("select", "size", " > select"),
                                ("span", "size-hint", " > p > span"))
    ]
    # Another template, another component: another fix.
    findings.append(make_finding("duplicate-id-aria", "/blog/post.html", "html > body > aside > input",
                                 severity="critical", snippet='<input id="search">', data={"id": "search", "count": 2}))
    report = build_report(make_run(), pages, findings, lookup=_lookup)
    fixes = _fixes(report, "duplicate-id-aria")
    assert len(fixes) == 2
    [cards] = [f for f in fixes if f.pages_affected == 3]
    assert cards.elements == 27 and cards.component.name == "product page template"
    assert [p.url.rsplit("/", 2)[-2:] for p in cards.pages] == [["products", n] for n in ("a.html", "b.html",
                                                                                        "c.html")]


def test_different_elements_of_one_check_stay_apart():
    """Precision: a link without a name in the header and another in the footer are two changes."""
    pages = [make_page(p) for p in ("/a.html", "/b.html")]
    findings = [make_finding("link-name", p, sel, snippet=snip)
                for p in ("/a.html", "/b.html")
                for sel, snip in (("html > body > header > a", '<a class="logo" href="/">'),
                                  ("html > body > footer > a", '<a class="social" href="/x">'))]
    report = build_report(make_run(), pages, findings, lookup=_lookup)
    assert sorted(f.component.kind for f in _fixes(report, "link-name")) == ["footer", "header"]
