"""The checks that go beyond axe (links, forms, images, media, tables, language): variants a fixture page cannot
hold, the vocabularies they rely on, and precision: no FAIL from any static check on the corpus of correct pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import load_checks, select
from empathy_audit.audits.runner import run_checks
from empathy_audit.audits.static.autocomplete_valid import is_valid_autocomplete
from empathy_audit.audits.static.link_new_window import NEW_WINDOW_PHRASES
from empathy_audit.audits.static.link_text_generic import GENERIC_LINK_NAMES, generic_kind

load_checks(plugins=False)

STATIC = {c.id: c for c in select("static")}
CORPUS = Path(__file__).resolve().parents[2] / "fixture_site" / "corpus"
CORE_LANGUAGES = {"en", "fr", "de", "es", "nl", "it", "pt"}


def _doc(body: str, lang: str = "en", head: str = "") -> str:
    lang_attr = f' lang="{lang}"' if lang is not None else ""
    return (f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8"><title>T</title>{head}</head>'
            f"<body><main><h1>Page</h1>{body}</main></body></html>")


def _run(check_id: str, html: str) -> list:
    page = StaticPage(url="https://variant.test/shop/page.html", html=html)
    findings = run_checks("static", page, page.url, checks=[STATIC[check_id]])
    assert not [f for f in findings if f.outcome == Outcome.ERROR], [f.message for f in findings]
    return findings


def _outcomes(check_id: str, html: str) -> list[str]:
    return [str(f.outcome) for f in _run(check_id, html)]


F, R = "fail", "needs-review"

VARIANTS = [
    # A placeholder satisfies axe's label rule but is no label: the two checks disagree on purpose.
    ("label", '<form><input name="c" placeholder="Coupon"><input name="d" placeholder="Date"></form>', []),
    ("placeholder-only-label", '<form><input name="c" placeholder="Coupon"><input name="d" placeholder="Date"></form>', [F, F]),
    ("placeholder-only-label", '<form><input type="search" name="q" placeholder="Search"><input type="submit"></form>', [F]),
    ("placeholder-only-label", '<input name="q" placeholder="Search"> <button>Search</button>', [F]),
    # A layout table's empty <th> is skipped by empty-table-header but is layout-table's F46 failure.
    ("empty-table-header", '<table role="presentation"><tr><th></th><td>Layout</td></tr></table>', []),
    ("layout-table", '<table role="presentation"><tr><th></th><td>Layout</td></tr></table>', [F]),
    ("layout-table", '<table role="presentation" tabindex="0"><tr><th>Focusable: a data table</th></tr></table>', []),
    # Links.
    ("link-text-generic", '<p><a href="/a">Weiterlesen</a></p>', [F]),
    ("link-text-generic", '<p><a href="/a">Saiba mais</a></p>', [F]),
    ("link-text-generic", '<p><a href="/a" title="Our pricing">Here</a></p>', [R]),
    ("link-text-generic", '<table><tr><th>Minutes</th><td><a href="/m.html">Read more</a></td></tr></table>', [R]),
    ("link-text-generic", '<p><a href="/a" aria-haspopup="true">More</a></p>', []),
    ("link-text-generic", '<p><a href="https://example.org">https://example.org</a></p>', []),
    ("link-text-generic", '<p><a href="/a">example.org/path/page</a></p>', []),
    ("identical-links-same-purpose", '<a href="/faq#a">Answer</a> <a href="/faq#b">Answer</a>', [R]),
    ("identical-links-same-purpose", '<a href="/a/index.html">Home page</a> <a href="/a/">Home page</a>', []),
    ("identical-links-same-purpose", '<a href="/a">Details</a> <a href="/b">Details</a>', []),
    ("link-redundant-adjacent", '<a href="/p"><img src="p.jpg" alt="Tent"></a><!-- card --><script>x()</script><a href="/p">Tent</a>', [F]),
    ("link-redundant-adjacent", '<a href="/p"><img src="p.jpg" alt="Tent"></a> <span hidden>Sold out</span> <a href="/p">Tent</a>', [F]),
    ("link-redundant-adjacent", '<a href="#"><img src="p.jpg" alt="Top"></a><a href="#">Top</a>', []),
    ("link-new-window", '<a href="/a" target="_blank">Guide <span aria-hidden="true">↗</span></a>', [F]),
    ("link-new-window", '<a href="/a" target="_blank" aria-label="Guide, opens in a new tab">Guide</a>', []),
    ("link-new-window", '<a href="/a" target="_blank">Guía (se abre en una nueva pestaña)</a>', []),
    ("link-new-window", '<a href="tel:+441234" target="_blank">Call us</a>', []),
    ("link-file-type", '<a href="/f/Report.PDF?x=1#p2">Report</a>', [F]),
    ("link-file-type", '<a href="/f/report">Report</a> <a href="/f/report.html">Report page</a>', []),
    ("link-file-type", '<p>The menu (PDF): <a href="/f/menu.pdf">café menu</a></p>', []),
    # Forms.
    ("input-group-name", '<form><label><input type="radio" name="a"> Yes</label><label><input type="radio" name="a"> No</label></form>'
                         '<form><label><input type="radio" name="a"> Yes</label><label><input type="radio" name="a"> No</label></form>', [F, F]),
    ("input-group-name", '<form id="f"></form><label><input type="radio" name="a" form="f"> Yes</label>'
                         '<form><label><input type="radio" name="a"> No</label></form>', []),
    ("autocomplete-missing", '<form autocomplete="off"><label>Email <input type="email" name="e"></label></form>', [R]),
    ("autocomplete-missing", '<form><label>Name <input name="n"></label><label>Country <input name="c"></label></form>', []),
    ("autocomplete-missing", '<form><label>Name <input name="n"></label><label>Email <input type="email" name="e" autocomplete="email"></label></form>', [F]),
    ("autocomplete-missing", '<form><label>Nom <input name="n"></label><label>Adresse e-mail <input name="e"></label></form>', [F, F]),
    ("autocomplete-missing", '<form><label>Nachname <input name="n"></label></form>', [F]),
    ("autocomplete-missing", '<form><label>Recipient\'s phone <input type="tel" name="t"></label></form>', []),
    ("autocomplete-missing", '<form><input name="firstName" aria-describedby="x"><span id="x">Hint</span></form>', [F]),
    ("autocomplete-missing", '<form><label>Email <input type="email" name="e" autocomplete="emial"></label></form>', []),
    ("required-marker-explained", '<form><label for="a">Name *</label><input id="a"></form>', [R]),
    ("required-marker-explained", '<form><label for="a">Name * (required)</label><input id="a"></form>', []),
    ("required-marker-explained", '<form><label for="a">Name <abbr title="required">*</abbr></label><input id="a"></form>', []),
    ("required-marker-explained", '<label for="a">Name *</label><input id="a"><label for="b">Email *</label><input id="b">', [R, R]),
    ("required-marker-explained", '<p>* Pflichtfeld</p><form><label for="a">Name *</label><input id="a"></form>', []),
    # Images.
    ("image-alt-meaningful", '<img src="/a/photo-1523.jpg" alt="photo-1523">', [F]),
    ("image-alt-meaningful", '<img src="/a/team.jpg" alt="Team">', []),
    ("image-alt-meaningful", '<img src="/a/x.jpg" alt="Screenshot 2024-03-01 at 10.02.11">', [F]),
    ("image-alt-prefix", '<input type="image" src="/s.png" alt="Picture of a magnifying glass">', [F]),
    ("image-redundant-alt", '<p><img src="a.png" alt="Free delivery!"> free delivery</p>', [F]),
    ("image-redundant-alt", '<a href="/"><img src="a.png" alt="Home" aria-label="Acme home"> Home</a>', []),
    ("spacer-image-alt", '<img src="/t.gif" width="1px" height="1px" alt="x">', [F]),
    ("spacer-image-alt", '<img src="/t.gif" width="1" height="1" alt="">', []),
    # Media.
    ("video-caption", '<video controls muted src="v.mp4"></video>', [R]),
    ("video-caption", '<video autoplay muted loop src="v.mp4"></video>', []),
    ("video-caption", '<video controls src="v.mp4"><track kind="captions"></video>', [R]),
    ("audio-transcript", '<audio controls src="a.mp3"></audio><p>Lire la transcription.</p>', []),
    ("no-autoplay-audio", '<video autoplay muted src="v.mp4"></video><audio src="a.mp3"></audio>', []),
    # Tables.
    ("data-table-headers", '<table><tr><td id="a">UK</td><td headers="a">£3</td></tr><tr><td id="b">EU</td><td headers="b">£9</td></tr></table>', []),
    ("data-table-headers", '<table><tr><td><a href="/a">A</a></td><td><a href="/b">B</a></td></tr>'
                           '<tr><td><a href="/c">C</a></td><td><a href="/d">D</a></td></tr>'
                           '<tr><td><a href="/e">E</a></td><td><a href="/f">F</a></td></tr></table>', [R]),
    ("data-table-headers", '<table><tr><td>1</td><td>2</td></tr><tr><td>3</td><td>4</td></tr></table>', [R]),
]


@pytest.mark.parametrize(("check_id", "body", "outcomes"), VARIANTS)
def test_variants(check_id, body, outcomes):
    assert sorted(_outcomes(check_id, _doc(body))) == sorted(outcomes)


LANGUAGE_VARIANTS = [
    ("ja", "<p>ソウルの店では 어서 오세요 우리 카페에 오신 것을 환영합니다 と言われました。</p>", [F]),
    ("ja", "<p>京都の珈琲店です。Welcome to our café in Kyoto, a long English sentence.</p>", []),
    ("zh", "<p>东京分店的招牌上写着 いらっしゃいませ どうぞ ごゆっくり。</p>", [F]),
    ("ru", "<p>В Афинах говорят: Καλώς ήρθατε στο καφέ μας στην Αθήνα.</p>", [F]),
    ("ru", "<p>Меню на английском: flat white, cold brew, filter coffee of the day.</p>", []),
    ("ar", "<p>مرحبا بكم في مقهانا. Welcome to our café.</p>", []),
    ("en", "<p>Greek letters: α, β, γ and Δ.</p>", []),
    ("en", "<p>Run <code>echo Привет мир как дела</code> in a shell.</p>", []),
    ("en", "<p>Москва Сити</p>", [R]),
    ("en", "<p>Our menu <span hidden>Скрытый текст на русском языке здесь</span> in English.</p>", []),
    ("en", "<p lang=\"\">Это неизвестный язык, говорит автор.</p>", []),
    ("tlh", "<p>Это неизвестный язык, говорит автор этой статьи.</p>", []),
    (None, "<p>Это неизвестный язык, говорит автор этой статьи.</p>", []),
    ("english", "<p>Это неизвестный язык, говорит автор этой статьи.</p>", []),
]


@pytest.mark.parametrize(("lang", "body", "outcomes"), LANGUAGE_VARIANTS)
def test_language_of_parts_variants(lang, body, outcomes):
    assert sorted(_outcomes("language-of-parts", _doc(body, lang=lang))) == sorted(outcomes)


@pytest.mark.parametrize("value", [
    "on", "OFF", "name", "given-name", "email", "work email", "mobile tel", "shipping postal-code",
    "billing cc-number", "section-a shipping street-address", "section-gift billing mobile tel",
    "username webauthn", "current-password webauthn", "one-time-code", "none", "  bday  ",
])
def test_valid_autocomplete_values(value):
    assert is_valid_autocomplete(value)


@pytest.mark.parametrize("value", [
    "postcode", "email work", "tel mobile", "home name", "shipping", "section-", "webauthn", "section-a",
    "shipping billing email", "email email", "off email", "cc-number webauthn webauthn",
])
def test_invalid_autocomplete_values(value):
    assert not is_valid_autocomplete(value)


def test_generic_link_names_cover_the_core_languages():
    assert CORE_LANGUAGES <= set(GENERIC_LINK_NAMES)
    assert CORE_LANGUAGES <= set(NEW_WINDOW_PHRASES)
    for lang in CORE_LANGUAGES:
        assert len(GENERIC_LINK_NAMES[lang]) >= 8, lang


@pytest.mark.parametrize(("name", "kind"), [
    ("Click here", "generic"), ("READ MORE →", "generic"), ("[more]", "generic"), ("Lees meer…", "generic"),
    ("Leggi di più", "generic"), ("https://shop.example/p/1", "url"), ("www.shop.example/p/1", "url"),
    ("https://shop.example/", None), ("www.example.org", None), ("Read more about tents", None), ("", None),
])
def test_generic_kind(name, kind):
    assert generic_kind(name) == kind


# --- precision: the corpus of correct pages --------------------------------------------------------------------

CORPUS_PAGES = sorted(CORPUS.glob("*.html"))


def test_corpus_is_varied():
    assert len(CORPUS_PAGES) >= 15
    langs = {p.read_text("utf-8").split('lang="', 1)[1].split('"', 1)[0].split("-")[0] for p in CORPUS_PAGES}
    assert CORE_LANGUAGES - {"en"} <= langs | {"nl"}  # fr, de, es, it, pt (and nl) pages, not just English


@pytest.mark.parametrize("path", CORPUS_PAGES, ids=[p.name for p in CORPUS_PAGES])
def test_no_static_check_fails_on_a_correct_page(path):
    page = StaticPage(url=f"https://corpus.test/{path.name}", html=path.read_text("utf-8"))
    findings = run_checks("static", page, page.url, checks=list(STATIC.values()))
    wrong = [(f.check_id, f.outcome, f.selector, f.message) for f in findings if f.outcome != Outcome.REVIEW]
    assert wrong == []


def test_precision_bench_reports_zero_false_alarms():
    from bench.precision import run, table

    result = run(CORPUS)
    assert result.pages == len(CORPUS_PAGES)
    assert sum(result.count(Outcome.FAIL).values()) == 0
    text = table(result)
    assert "false alarms" in text and f"over {len(CORPUS_PAGES)} correct pages" in text
