"""images-of-text reads the words pictures show (audits.gather.ocr, Tesseract): pictures drawn here, on real pages.

The pictures are drawn with a canvas in Chromium (text in the system fonts, a photo-like painting, noise) and saved as
PNG files next to the pages; each page is audited through the browser pool like any crawled page, and the tests read
the findings a site owner would see. Reading words is only ever a prompt: OCR cannot know if the words are a logo or
part of a photo.
"""

from __future__ import annotations

import base64
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from empathy_audit.audits.gather import ocr, render
from empathy_audit.audits.model import Outcome
from empathy_audit.crawler.browser import BrowserResult, DriverPool
from empathy_audit.crawler.devserver import serve

from .conftest import make_config

# Off CI a machine without Tesseract skips these; in CI (where make test's bootstrap installs it) they must run.
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None and not os.environ.get("CI"),
                                     reason="tesseract is not installed (scripts/bootstrap.sh installs tesseract-ocr)")

# Draws one picture on a canvas and returns it as a PNG data URL. "banner": words on a plain background;
# "photo": a painting of blurred shapes with grain; "noise": random pixels; "styled": one word in slanted, outlined,
# shadowed display type (read at low confidence); "logo": a mark and a brand name.
_DRAW_JS = r"""
var kind = arguments[0], c = document.createElement('canvas'), g = c.getContext('2d'), s = 7;
function rnd() { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; }
if (kind === 'banner') {
  c.width = 640; c.height = 160; g.fillStyle = '#1d3b2a'; g.fillRect(0, 0, 640, 160); g.fillStyle = '#f5e9d0';
  g.font = 'bold 44px "DejaVu Serif"'; g.fillText('Summer coffee sale', 30, 70);
  g.font = '28px "DejaVu Sans"'; g.fillText('Thirty percent off every bag', 30, 125);
} else if (kind === 'photo') {
  c.width = 480; c.height = 320;
  var grad = g.createLinearGradient(0, 0, 480, 320); grad.addColorStop(0, '#35506b'); grad.addColorStop(1, '#c98d4b');
  g.fillStyle = grad; g.fillRect(0, 0, 480, 320);
  for (var i = 0; i < 60; i++) {
    g.fillStyle = 'hsla(' + Math.floor(rnd() * 360) + ',50%,' + Math.floor(30 + rnd() * 40) + '%,0.6)';
    g.beginPath(); g.ellipse(rnd() * 480, rnd() * 320, 5 + rnd() * 60, 5 + rnd() * 40, rnd() * 3, 0, 7); g.fill();
  }
  var img = g.getImageData(0, 0, 480, 320);
  for (var p = 0; p < img.data.length; p += 4) {
    var n = (rnd() - 0.5) * 60; img.data[p] += n; img.data[p + 1] += n; img.data[p + 2] += n;
  }
  g.putImageData(img, 0, 0);
} else if (kind === 'noise') {
  c.width = 400; c.height = 240; var im = g.createImageData(400, 240);
  for (var q = 0; q < im.data.length; q += 4) {
    var v = rnd() * 255; im.data[q] = v; im.data[q + 1] = rnd() * 255; im.data[q + 2] = v; im.data[q + 3] = 255;
  }
  g.putImageData(im, 0, 0);
} else if (kind === 'styled') {
  c.width = 460; c.height = 130; g.fillStyle = '#fff'; g.fillRect(0, 0, 460, 130);
  g.translate(20, 100); g.transform(1, 0, -0.475, 1, 0, 0); g.rotate(-0.1);
  var gr = g.createLinearGradient(0, -80, 0, 10); gr.addColorStop(0, '#d9a6ff'); gr.addColorStop(1, '#5a1a8c');
  g.shadowColor = 'rgba(0,0,0,0.45)'; g.shadowOffsetX = 4; g.shadowOffsetY = 4; g.shadowBlur = 3;
  g.font = 'italic bold 86px "Liberation Serif"'; g.fillStyle = gr; g.fillText('Festival', 10, 0);
  g.shadowColor = 'transparent'; g.lineWidth = 4.5; g.strokeStyle = '#f3e0ff'; g.strokeText('Festival', 10, 0);
} else if (kind === 'logo') {
  c.width = 320; c.height = 80; g.fillStyle = '#fff'; g.fillRect(0, 0, 320, 80); g.fillStyle = '#6b3e26';
  g.beginPath(); g.arc(40, 40, 28, 0, 7); g.fill();
  g.font = 'bold 30px "Liberation Serif"'; g.fillText('Acme Roasters', 80, 52);
}
return c.toDataURL('image/png');
"""

_HEAD = ('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Offers</title>'
         '<style>body{margin:0;font:16px/1.4 "DejaVu Sans",sans-serif} main{padding:16px}</style></head><body><main>')

PAGES = {
    # the words are the picture (empty alt, as on many sites): a prompt naming them
    "banner.html": '<h1>Offers</h1><img id="sale" src="banner.png" alt="" width="640" height="160">'
                   '<p>Until Friday.</p>',
    # a photo and noise: no words to read
    "photo.html": '<h1>Our farm</h1><img src="photo.png" alt="The farm at dusk" width="480" height="320">'
                  '<img src="noise.png" alt="" width="400" height="240">',
    # a CSS background picture of words on an empty box
    "background.html": '<h1>Offers</h1><div id="hero" style="background-image:url(banner.png);width:640px;'
                       'height:160px"></div><p>Until Friday.</p>',
    # a logotype: brand words are allowed (linked home, or said to be a logo)
    "logo.html": '<header><a href="/"><img src="logo.png" alt="Acme Roasters" width="320" height="80"></a></header>'
                 '<h1>About us</h1><footer><img class="site-logo" src="logo.png" alt="Acme Roasters" width="320" '
                 'height="80"></footer>',
    # real HTML text laid over a photo is not read as the picture's words (a size of its own: not read before)
    "caption.html": '<h1>Our farm</h1><div style="position:relative;width:470px"><img src="photo.png" alt="" '
                    'width="470" height="313"><p style="position:absolute;left:24px;top:24px;margin:0;color:#fff;'
                    'font:bold 40px \'DejaVu Serif\'">Harvest festival this weekend</p></div>',
    # one word in display type, read at low confidence: a prompt when the page also writes it next to the picture
    "styled.html": '<h1>Harvest</h1><img id="fest" src="styled.png" alt="" width="460" height="130">'
                   '<p>Our harvest festival starts on Friday.</p>',
    "styled-alone.html": '<h1>Harvest</h1><img src="styled.png" alt="" width="460" height="130">'
                         '<p>Opening hours: every day from nine.</p>',
    # a picture far below the fold (scrolled to for its screenshot, then back), under a fixed header with text, and a
    # picture taller than the window, which the header's text then covers
    "below.html": '<header style="position:fixed;top:0;left:0;right:0;height:48px;background:#fff;font-size:28px">'
                  'Acme shop menu</header><h1 style="margin-top:60px">Offers</h1><div style="height:2200px"></div>'
                  '<p><img id="late" src="banner.png" alt="" width="600" height="150"></p>'
                  '<p><img id="tall" src="photo.png" alt="" width="450" height="1400"></p>'
                  '<div style="height:1500px"></div>',
    # a page without pictures
    "text.html": "<h1>Delivery</h1>" + "<p>We deliver every weekday before noon to the whole city.</p>" * 40,
    # fourteen pictures of words: at most ocr.MAX_IMAGES are read, the rest are counted
    "many.html": "<h1>Offers</h1>" + "".join(f'<img src="banner.png" alt="" width="{320 + i}" height="80">'
                                              for i in range(14)),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[DriverPool, str]]:
    """The pool (render probe only) and the base URL of the pages, with their pictures."""
    root: Path = tmp_path_factory.mktemp("ocr-site")
    with DriverPool(make_config(probes=("render",))) as pool:
        with pool.leased(timeout=60) as slot:
            for kind in ("banner", "photo", "noise", "styled", "logo"):
                data = slot.driver.execute_script(_DRAW_JS, kind)
                (root / f"{kind}.png").write_bytes(base64.b64decode(data.split(",", 1)[1]))
        for name, body in PAGES.items():
            (root / name).write_text(_HEAD + body + "</main></body></html>", "utf-8")
        with serve(str(root)) as server:
            yield pool, server.base_url


@pytest.fixture(scope="module")
def audit(site) -> Iterator:
    pool, base = site

    def run(path: str) -> BrowserResult:
        result = pool.audit(f"{base}/{path}")
        assert result.audited, result.error
        return result
    yield run


def _prompts(result: BrowserResult) -> list[tuple[str, str]]:
    return [(f.selector, f.message) for f in result.findings
            if f.check_id == "images-of-text" and f.outcome == Outcome.REVIEW]


def _ocr(result: BrowserResult) -> dict:
    return result.artifact.probes["render"]["ocr"]


@needs_tesseract
def test_a_banner_of_words_is_a_prompt_naming_them(audit):
    result = audit("banner.html")
    assert _prompts(result) == [(
        "#sale",
        ("This image seems to show the words “Summer coffee sale Thirty percent off every bag”: if it is text, "
         "write it as HTML text (WCAG 1.4.5); photos and logos are fine."))]
    assert [f for f in result.findings if f.check_id == "images-of-text" and f.outcome != Outcome.REVIEW] == []


@needs_tesseract
def test_a_css_background_picture_of_words_is_a_prompt(audit):
    prompts = _prompts(audit("background.html"))
    assert [sel for sel, _ in prompts] == ["#hero"]
    assert prompts[0][1].startswith("This background image seems to show the words “Summer coffee sale")


@needs_tesseract
def test_a_styled_word_read_at_low_confidence_is_a_prompt_only_when_the_page_writes_it_next_to_it(audit):
    prompts = _prompts(audit("styled.html"))
    assert [sel for sel, _ in prompts] == ["#fest"]
    assert prompts[0][1].casefold().startswith("this image seems to show the words “festival”")
    result = audit("styled-alone.html")
    assert [f for f in result.findings if f.check_id == "images-of-text"] == []
    words = _ocr(result)["images"][0]["words"]
    assert words and max(conf for _, conf in words) < 75, words  # read, but too unsure alone
    print("styled word read as", words)


@needs_tesseract
@pytest.mark.parametrize("page", ["photo.html", "logo.html", "caption.html"])
def test_photos_noise_logos_and_html_text_over_a_photo_give_nothing(audit, page):
    result = audit(page)
    assert [f for f in result.findings if f.check_id == "images-of-text"] == []
    data = _ocr(result)
    assert data["available"] is True
    if page == "logo.html":
        assert data["logos"] == 2 and data["candidates"] == 0  # never read
    elif page == "caption.html":
        assert data["covered"] == 1 and data["candidates"] == 0
    else:
        assert data["candidates"] == 2 and data["read"] + data["cached"] == 2


_STATE_JS = """return {scroll: [scrollX, scrollY], clientWidth: document.documentElement.clientWidth,
                     innerHeight: innerHeight, html: document.documentElement.outerHTML.length};"""


@needs_tesseract
def test_a_picture_below_the_fold_is_read_and_the_page_left_as_it_was(site):
    pool, base = site
    with pool.leased(timeout=60) as slot:
        driver = slot.driver
        driver.get(f"{base}/below.html")
        driver.execute_script("window.scrollTo(0, 30)")
        before = driver.execute_script(_STATE_JS)
        data = render.gather(driver)["ocr"]
        assert driver.execute_script(_STATE_JS) == before  # scrolled back, scrollbars kept
    read = {i["selector"]: " ".join(w for w, _ in i["words"]) for i in data["images"]}
    assert list(read) == ["#late"] and read["#late"].startswith("Summer coffee sale")
    assert data["covered"] == 1  # #tall: the fixed header's words would be read as its own


@needs_tesseract
def test_a_page_without_pictures_pays_nothing(audit):
    data = _ocr(audit("text.html"))
    assert data["candidates"] == 0 and data["read"] == 0
    assert "seconds" not in data  # returned before any screenshot


@needs_tesseract
def test_at_most_twelve_pictures_are_read_within_the_budget(audit):
    t0 = time.monotonic()
    result = audit("many.html")
    data = _ocr(result)
    assert data["candidates"] == ocr.MAX_IMAGES and data["more"] == 2
    assert data["seconds"] <= ocr.BUDGET + 0.5
    read = data["read"] + data["cached"]
    assert read + data.get("unread", 0) == ocr.MAX_IMAGES
    assert len(_prompts(result)) == min(read, 10)  # prompts per page are capped (MAX_REVIEW)
    if data.get("unread"):
        assert "time budget" in data["stopped"]
    print(f"many.html: {data['seconds']} s of OCR for {read} pictures, page {time.monotonic() - t0:.2f} s")


def test_without_tesseract_nothing_is_read_and_nothing_breaks(audit, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # tesseract nowhere on PATH
    result = audit("banner.html")
    assert [f for f in result.findings if f.check_id == "images-of-text"] == []
    assert [f for f in result.findings if f.outcome == Outcome.ERROR] == []
    assert _ocr(result) == {"available": False, "images": [],
                            "reason": "tesseract is not installed (Debian: apt-get install tesseract-ocr)"}


# --- what counts as words: the check over the probe's data (no browser, no tesseract) --------------------------------

def _findings(words, near="", kind="img"):
    from empathy_audit.audits.artifacts import RenderedPage
    from empathy_audit.audits.registry import load_checks, select
    from empathy_audit.audits.runner import run_checks

    load_checks(plugins=False)
    image = {"selector": "#pic", "snippet": "<img id=pic>", "kind": kind, "src": "https://site.test/a.png",
             "alt": "", "near": near, "width": 600, "height": 150, "words": words}
    page = RenderedPage(url="https://site.test/", final_url="https://site.test/",
                        probes={"render": {"ocr": {"available": True, "images": [image]}}})
    return [(f.outcome, f.message) for f in run_checks("browser", page, page.url,
                                                        checks=select("browser", ("images-of-text",)))]


def test_two_clear_words_are_a_prompt_and_fragments_of_a_photo_are_not():
    assert _findings([["‘Open", 91.0], ["daily", 88.5], ["e@", 40.0]]) == [(
        Outcome.REVIEW, "This image seems to show the words “Open daily”: if it is text, write it as HTML text "
                        "(WCAG 1.4.5); photos and logos are fine.")]
    # what Tesseract reads in photos and noise: short fragments, symbols, consonant runs, low confidence
    assert _findings([["SOs", 80.0], ["Foes", 22.1], ["Specs", 20.1], ["q", 76.8], ["ones", 37.7], ["—", 95.0]]) == []
    assert _findings([["Hrdth", 92.0], ["Mims", 80.0]]) == []  # one of them has no vowel: one word, too short alone
    assert _findings([["Street", 92.0]]) != []  # one long word read clearly
    assert _findings([["Street", 80.0]]) == []  # ... not so clearly


def test_a_word_read_at_low_confidence_counts_when_the_page_writes_it_next_to_the_picture():
    assert _findings([["Festival", 45.0]], near="Our harvest festival starts on Friday.") != []
    assert _findings([["Festival", 45.0]], near="Opening hours") == []
    assert _findings([["Festival", 25.0]], near="Our harvest festival") == []  # as unsure as noise
    assert _findings([["Fest", 45.0]], near="Fest") == []  # too short to be sure of
