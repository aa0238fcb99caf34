"""The resource inventory (pure functions of the HTML and CSS), image sniffing and the bandwidth constants."""

from __future__ import annotations

import struct
import zlib

import pytest

from empathy_audit.audits.artifacts import parse_html
from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._css import parse_css, selector_matches
from empathy_audit.audits.media._inventory import css_resources, extract, media_matches, page_shape, pick_candidate
from empathy_audit.audits.media._sniff import sniff_image
from empathy_audit.crawler import devserver

BASE = "https://shop.test/dir/page.html"


def _refs(body: str, head: str = ""):
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title>{head}</head><body>{body}</body></html>'
    return extract(parse_html(html), BASE)


def test_images_video_audio_scripts_styles_iframes_and_inline_backgrounds():
    refs = _refs(
        '<img src="a.jpg" alt=""><img src="data:image/png;base64,xx" alt=""><img src="/lazy.jpg" loading="lazy" alt="">'
        '<video poster="p.jpg" preload="none"><source src="v.webm" type="video/webm"></video>'
        '<video autoplay src="auto.mp4"></video><audio preload="auto"><source src="s.mp3" type="audio/mpeg"></audio>'
        '<iframe src="/map.html" loading="lazy" title="Map"></iframe><script src="app.js" defer></script>'
        '<script type="application/ld+json">{}</script><script src="old.js" nomodule></script>'
        '<div style="background-image: url(\'/bg.png\')"></div><noscript><img src="/ns.jpg" alt=""></noscript>'
        '<input type="image" src="/go.png" alt="Go">',
        head='<link rel="stylesheet" href="/s.css"><link rel="stylesheet" href="/print.css" media="print">'
             '<link rel="preload" href="/f.woff2" as="font" crossorigin><link rel="icon" href="/favicon.ico">'
             '<script src="https://cdn.test/lib.js"></script>',
    )
    got = {(r.url.replace("https://shop.test", ""), r.type, r.found_via, r.in_weight) for r in refs}
    assert got == {
        ("/dir/a.jpg", "image", "img[src]", True),
        ("/lazy.jpg", "image", "img[src]", False),
        ("/dir/p.jpg", "image", "video[poster]", True),
        ("/dir/v.webm", "media", "video>source", False),
        ("/dir/auto.mp4", "media", "video[src]", True),
        ("/dir/s.mp3", "media", "audio>source", True),
        ("/map.html", "document", "iframe[src]", False),
        ("/dir/app.js", "script", "script[src]", True),
        ("/bg.png", "image", "style attribute", True),
        ("/go.png", "image", "input[type=image]", True),
        ("/s.css", "stylesheet", "link[rel=stylesheet]", True),
        ("/print.css", "stylesheet", "link[rel=stylesheet]", False),
        ("/f.woff2", "font", "link[rel=preload]", True),
        ("/favicon.ico", "image", "link[rel=icon]", True),
        ("https://cdn.test/lib.js", "script", "script[src]", True),
    }
    lib = next(r for r in refs if r.url.endswith("lib.js"))
    assert lib.attrs["render_blocking"] is True
    assert page_shape(BASE, refs) == (1, 2)  # cdn.test serves a render-blocking script; no CSS-found resources


def test_srcset_and_picture_pick_what_a_phone_downloads():
    # 412 CSS px x 1.75 = 721 device px needed for a full-width image.
    assert pick_candidate("s.jpg 480w, m.jpg 800w, l.jpg 1600w", "s.jpg", "100vw", None) == ("m.jpg", "srcset")
    assert pick_candidate("s.jpg 480w, m.jpg 800w", "x.jpg", "(max-width: 600px) 200px, 50vw", None)[0] == "s.jpg"
    assert pick_candidate("a.jpg, b.jpg 2x, c.jpg 3x", "a.jpg", None, None)[0] == "b.jpg"
    assert pick_candidate("", "only.jpg", None, None) == ("only.jpg", "src")
    refs = _refs('<picture><source media="(min-width: 800px)" srcset="desk.webp"><source type="image/jxl" '
                 'srcset="x.jxl"><source type="image/webp" srcset="phone.webp"><img src="fallback.jpg" alt=""></picture>')
    assert [(r.url.rsplit("/", 1)[-1], r.found_via) for r in refs] == [("phone.webp", "picture>source[srcset]")]
    assert media_matches("(max-width: 600px)") and not media_matches("(min-width: 60em)")
    assert media_matches("print, (orientation: portrait)") and not media_matches("print")


def test_css_fonts_imports_and_backgrounds():
    css = parse_css(
        """@import url("base.css"); @import 'print.css' print;
        /* a comment with url(ignored.png) */
        @font-face { font-family: 'Brand Sans'; src: url(brand.woff) format("woff"), url(brand.woff2) format("woff2"); }
        @font-face { font-family: Unused; src: url(unused.woff2); }
        @media (max-width: 600px) { .hero { background: #000 url('/img/hero-small.jpg') no-repeat; } }
        @media print { .hero { background-image: url(print.png); } }
        .hero:hover { background-image: url(hover.png); }
        .missing { background-image: url(none.png); }
        body { font: 16px/1.5 "Brand Sans", sans-serif; }
        .icon::before { content: url(icon.svg); }""",
        "https://shop.test/css/site.css",
    )
    assert css.imports == [("https://shop.test/css/base.css", "")]
    assert [(f.family, f.url.rsplit("/", 1)[-1]) for f in css.fonts] == [("Brand Sans", "brand.woff2"),
                                                                         ("Unused", "unused.woff2")]
    assert "brand sans" in css.families_used and "unused" not in css.families_used
    soup = parse_html('<html><body><div class="hero"></div><i class="icon"></i></body></html>')
    assert selector_matches(soup, ".hero") and not selector_matches(soup, ".hero:hover")
    assert selector_matches(soup, ".icon::before") and not selector_matches(soup, ".missing")
    refs = css_resources(soup, [(None, "https://shop.test/css/site.css", css)])
    got = {(r.url.rsplit("/", 1)[-1], r.type, r.in_weight) for r in refs}
    assert got == {("brand.woff2", "font", True), ("unused.woff2", "font", False), ("hero-small.jpg", "image", True),
                   ("icon.svg", "image", True)}


def test_sniffing_the_demo_servers_generated_media():
    png = devserver.noise_png(40, 30, 1)
    assert sniff_image(png[:64]) == {"format": "png", "animated": False, "width": 40, "height": 30}
    # Stored deflate: exactly 3 bytes a pixel plus a filter byte per row, plus fixed overheads.
    raw = 30 * (1 + 40 * 3)
    assert len(png) == 8 + 25 + (12 + 2 + 5 + raw + 4) + 12
    idat_len = struct.unpack(">I", png[33:37])[0]
    assert len(zlib.decompress(png[41:41 + idat_len])) == raw
    gif = devserver.noise_gif(20, 10, 3, 2)
    info = sniff_image(gif)
    assert info["format"] == "gif" and info["animated"] and info["frames"] == 3 and info["width"] == 20
    assert _decode_gif_frames(gif) == [200, 200, 200]
    assert sniff_image(b"RIFF\x00\x00\x00\x00WEBPVP8X" + b"\x00" * 4 + b"\x02\x00\x00\x00" +
                       (99).to_bytes(3, "little") + (49).to_bytes(3, "little"))["animated"] is True
    jpeg = b"\xff\xd8\xff\xe0\x00\x04ab\xff\xc0\x00\x11\x08\x01\x2c\x01\x90\x03" + b"\x00" * 9
    assert sniff_image(jpeg)["width"] == 400 and sniff_image(jpeg)["height"] == 300
    assert sniff_image(b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')["format"] == "svg"
    assert sniff_image(b"not an image") == {}


def _decode_gif_frames(data: bytes) -> list[int]:
    """A minimal GIF LZW decoder: the number of pixels in each frame (proves the literal-code stream is valid)."""
    flags = data[10]
    pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    frames = []
    while data[pos] != 0x3B:
        if data[pos] == 0x21:
            pos += 2
            while data[pos]:
                pos += data[pos] + 1
            pos += 1
            continue
        assert data[pos] == 0x2C
        pos += 10
        min_size = data[pos]
        pos += 1
        stream = bytearray()
        while data[pos]:
            stream += data[pos + 1:pos + 1 + data[pos]]
            pos += data[pos] + 1
        pos += 1
        clear, eoi = 1 << min_size, (1 << min_size) + 1
        width, table, prev, out, bitpos = min_size + 1, None, None, 0, 0
        bits = int.from_bytes(stream, "little")
        while True:
            code = (bits >> bitpos) & ((1 << width) - 1)
            bitpos += width
            if code == clear:
                table = [bytes([i]) for i in range(clear)] + [b"", b""]
                width, prev = min_size + 1, None
                continue
            if code == eoi:
                break
            entry = table[code] if code < len(table) else table[prev] + table[prev][:1]
            out += len(entry)
            if prev is not None:
                table.append(table[prev] + entry[:1])
                if len(table) == (1 << width) and width < 12:
                    width += 1
            prev = code
        frames.append(out)
    return frames


@pytest.mark.parametrize("ms,score", [(150, 0.90), (500, 0.67), (935, 0.50), (2000, 0.30), (5000, 0.12),
                                      (10000, 0.05)])
def test_lighthouse_log_normal_curve_matches_impact_md(ms, score):
    assert round(net.log_normal_score(ms), 2) == score


def test_slow_4g_model_matches_impact_md():
    assert net.transfer_seconds(1024 * 1024) == pytest.approx(5.0)
    assert net.load_seconds(2311 * 1024, extra_origins=1, chain_depth=3) == pytest.approx(13.0, abs=0.05)
    assert net.load_seconds(400 * 1024, extra_origins=1, chain_depth=3) == pytest.approx(3.7, abs=0.05)
    assert net.cost_usd(2_366_464, 43.75) == pytest.approx(0.1035, abs=0.0001)
    assert all(p.year in (2022, 2023) and p.source and p.status for p in net.DATA_PRICES)
