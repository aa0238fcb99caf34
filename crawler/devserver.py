"""A small static web server on 127.0.0.1 for the bundled demo site, tests and benchmarks.

It behaves like a well-configured production server, so clean pages stay clean for the media checks: text types
(HTML, CSS, JavaScript, SVG, JSON, XML) are gzipped when the request accepts gzip, and static files carry
Cache-Control. A `_server.json` at the root of the served folder may declare per-file exceptions (the demo site's
seeded "uncompressed script" and "no caching" defects) and files generated at serve time: heavy media that must
not live in git (a multi-megabyte PNG, an animated GIF...) is written deterministically, once, into a cache folder.
Every request is logged in memory (`server.requests`), so tests can count what a crawl fetched; `on_request` sees
each one first, with its headers and body, and `routes` answer chosen paths (or all of them) in Python.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import os
import random
import ssl
import struct
import sys
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from typing import Any
from urllib.parse import unquote, urlsplit

DEMO_SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo_site")
_TEMPLATED = (".xml", ".txt")  # files where {{BASE}} is replaced by the server's origin (sitemaps need absolute URLs)
SERVER_CONFIG = "_server.json"
DEFAULT_CACHE_CONTROL = "public, max-age=604800"  # static files: a week
HTML_CACHE_CONTROL = "no-cache"  # pages: revalidate every time
_COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
                 "application/manifest+json")
_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".js": "text/javascript", ".mjs": "text/javascript",
          ".svg": "image/svg+xml", ".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt",
          ".avif": "image/avif", ".webp": "image/webp", ".json": "application/json"}
GENERATOR_VERSION = 1  # bump when a generator's output changes


# --- generated media: deterministic bytes, exact sizes -----------------------------------------------------------


def _stored_zlib(raw: bytes) -> bytes:
    """A zlib stream of stored (uncompressed) deflate blocks: byte-for-byte the same with any zlib."""
    out = bytearray(b"\x78\x01")
    step = 65535
    for i in range(0, len(raw), step) or [0]:
        block = raw[i:i + step]
        final = 1 if i + step >= len(raw) else 0
        out += struct.pack("<BHH", final, len(block), len(block) ^ 0xFFFF) + block
    out += struct.pack(">I", zlib.adler32(raw) & 0xFFFFFFFF)
    return bytes(out)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def noise_png(width: int, height: int, seed: int) -> bytes:
    """An RGB PNG of seeded noise, stored uncompressed: 3 bytes a pixel, like a badly exported photo."""
    rng = random.Random(seed)
    raw = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", _stored_zlib(raw)) + \
        _png_chunk(b"IEND", b"")


def noise_gif(width: int, height: int, frames: int, seed: int, delay_cs: int = 8) -> bytes:
    """A looping animated GIF of seeded noise, 128 colours, LZW written as literal codes (no compression).

    With a minimum code size of 7, codes are 8 bits wide; a clear code every 126 pixels keeps them there, so the
    code stream is simply the pixel bytes interleaved with clear codes.
    """
    rng = random.Random(seed)
    palette = b"".join(bytes((60 + i, 30 + i // 2, 10 + i // 4)) for i in range(128))  # coffee browns
    out = bytearray(b"GIF89a" + struct.pack("<HHBBB", width, height, 0xF6, 0, 0) + palette)
    out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    mask = bytes(b & 0x7F for b in range(256))
    for _ in range(frames):
        pixels = rng.randbytes(width * height).translate(mask)
        codes = bytearray()
        for i in range(0, len(pixels), 126):
            codes.append(128)  # clear
            codes += pixels[i:i + 126]
        codes.append(129)  # end of information
        out += b"\x21\xf9\x04" + struct.pack("<BHB", 0x04, delay_cs, 0) + b"\x00"  # graphic control
        out += b"\x2c" + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x07"
        for i in range(0, len(codes), 255):
            piece = codes[i:i + 255]
            out += bytes((len(piece),)) + piece
        out += b"\x00"
    out += b"\x3b"
    return bytes(out)


def filler_mp4(size: int, seed: int) -> bytes:
    """`size` bytes that start like an MP4 (ftyp box, then one mdat box of seeded noise). Not playable."""
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    body = random.Random(seed).randbytes(size - len(ftyp) - 8)
    return ftyp + struct.pack(">I", len(body) + 8) + b"mdat" + body


def filler_woff2(size: int, seed: int) -> bytes:
    """`size` bytes with a WOFF2 signature and header, then seeded noise: the weight of a font, not a font."""
    header = b"wOF2" + b"\x00\x01\x00\x00" + struct.pack(">I", size)
    return header + random.Random(seed).randbytes(size - len(header))


_WORDS = ("harvest", "blend", "roast", "cherry", "caramel", "bergamot", "jasmine", "cocoa", "hazelnut", "citrus",
          "washed", "natural", "honey", "altitude", "farm", "lot", "espresso", "filter", "batch", "origin")


def launch_script(slides: int, seed: int) -> bytes:
    """An unminified JavaScript bundle of slide data: plain text that gzip shrinks a lot."""
    rng = random.Random(seed)
    lines = [
        "/* Northwind spring launch carousel, bundled by the agency's build: unminified and unused. */",
        "(function () {",
        '  "use strict";',
        "  var slides = [",
    ]
    for i in range(slides):
        words = " ".join(rng.choice(_WORDS) for _ in range(12))
        lines.append(f'    {{"id": {i + 1}, "title": "Slide {i + 1}", "text": "{words}", '
                     f'"price": {rng.randint(800, 2400) / 100:.2f}, "weight": {rng.choice((250, 500, 1000))}}},')
    lines += ["  ];", "  window.northwindLaunch = {slides: slides, count: slides.length};", "})();", ""]
    return "\n".join(lines).encode("utf-8")


GENERATORS: dict[str, Callable[..., bytes]] = {
    "noise-png": noise_png,
    "noise-gif": noise_gif,
    "filler-mp4": filler_mp4,
    "filler-woff2": filler_woff2,
    "launch-script": launch_script,
}


def generate(spec: dict[str, Any]) -> bytes:
    args = {k: v for k, v in spec.items() if k not in ("kind", "comment")}
    return GENERATORS[spec["kind"]](**args)


_gen_lock = threading.Lock()


def generated_file(spec: dict[str, Any], cache_dir: str | None = None) -> str:
    """Path of the file a generator spec describes, written on first use into a cache folder (atomic)."""
    key = hashlib.sha256(json.dumps([GENERATOR_VERSION, spec], sort_keys=True).encode()).hexdigest()[:20]
    folder = cache_dir or os.path.join(tempfile.gettempdir(), "empathy-audit-demo-media")
    path = os.path.join(folder, f"{key}-{spec['kind']}")
    if os.path.isfile(path):
        return path
    with _gen_lock:
        if not os.path.isfile(path):
            os.makedirs(folder, exist_ok=True)
            data = generate(spec)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".gen-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
    return path


# --- the server --------------------------------------------------------------------------------------------------


def content_type(path: str) -> str:
    """Media type from a file name or URL path (a few web types Python's table lacks or gets wrong)."""
    ext = os.path.splitext(path)[1].lower()
    return _TYPES.get(ext) or mimetypes.guess_type(path)[0] or "application/octet-stream"


def load_config(directory: str) -> dict[str, Any]:
    path = os.path.join(directory, SERVER_CONFIG)
    if not os.path.isfile(path):
        return {}
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def accepts_gzip(header: str | None) -> bool:
    for part in (header or "").split(","):
        token, _, params = part.strip().partition(";")
        if token.strip().lower() in ("gzip", "*"):
            q = params.strip()
            return not (q.startswith("q=") and float(q[2:] or 0) == 0)
    return False


class _Handler(SimpleHTTPRequestHandler):
    server: SiteServer
    _body: bytes | None = None

    def log_message(self, format: str, *args: object) -> None:  # quiet: the request log is kept in memory
        pass

    def body(self) -> bytes:
        """The request body (read once, by Content-Length), for routes and the request hook."""
        if self._body is None:
            n = int(self.headers.get("Content-Length") or 0)
            self._body = self.rfile.read(n) if n > 0 else b""
        return self._body

    def _dispatch(self, serve_file: Callable[[], None] | None) -> None:
        """Log the request, then answer it with its route, else with the file (None: this method has no files)."""
        self.server.requests.append((self.command, self.path))
        if self.server.on_request is not None:
            self.server.on_request(self)
        path = self.path.split("?")[0]
        route = self.server.routes.get(path) or self.server.routes.get("*")
        if route is not None:
            route(self)
        elif serve_file is None:
            self.send_error(501, f"Unsupported method ({self.command!r})")
        elif self.server.directory is None:
            self.send_error(404, "File not found")
        else:
            serve_file()

    def do_GET(self) -> None:
        self._dispatch(super().do_GET)

    def do_HEAD(self) -> None:
        self._dispatch(super().do_HEAD)

    def do_POST(self) -> None:
        self._dispatch(None)  # only routes take a POST, as SimpleHTTPRequestHandler refuses it

    def send_head(self):  # type: ignore[override]
        url_path = unquote(urlsplit(self.path).path)
        generated = self.server.generated.get(url_path)
        path = generated_file(generated, self.server.cache_dir) if generated else self.translate_path(self.path)
        if os.path.isdir(path):
            if not url_path.endswith("/"):
                return super().send_head()  # redirect to the slash form
            index = os.path.join(path, "index.html")
            if not os.path.isfile(index):
                return super().send_head()
            path = index
        if not os.path.isfile(path):
            self.send_error(404, "File not found")
            return None
        with open(path, "rb") as fh:
            body = fh.read()
        ctype = content_type(url_path if generated else path)
        if path.endswith(_TEMPLATED):
            body = body.replace(b"{{BASE}}", self.server.base_url.encode())
            ctype = "application/xml" if path.endswith(".xml") else "text/plain"
        rule = self.server.files.get(url_path, {})
        encoding = None
        if (rule.get("gzip", True) and ctype.startswith(_COMPRESSIBLE)
                and accepts_gzip(self.headers.get("Accept-Encoding"))):
            body = self.server.gzipped(path, body)
            encoding = "gzip"
        self.send_response(200)
        self.send_header("Content-Type", ctype + ("; charset=utf-8" if ctype.startswith("text/") else ""))
        self.send_header("Content-Length", str(len(body)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
        if ctype.startswith(_COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
        cache = rule.get("cache_control", HTML_CACHE_CONTROL if ctype == "text/html" else DEFAULT_CACHE_CONTROL)
        if cache:
            self.send_header("Cache-Control", cache)
        self.send_header("Last-Modified", self.date_time_string(int(os.path.getmtime(path))))
        self.end_headers()
        return BytesIO(body)


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory: str | None, host: str = "127.0.0.1", port: int = 0,
                 routes: dict[str, Callable[[SimpleHTTPRequestHandler], None]] | None = None,
                 cache_dir: str | None = None, on_request: Callable[[SimpleHTTPRequestHandler], None] | None = None,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        # directory None: a server of routes only (every other path is a 404), e.g. a test's fake staging site.
        super().__init__((host, port), partial(_Handler, directory=directory or os.devnull))
        self.directory = directory
        # path -> handler(request) for tests: redirects, hangs, endless bodies; "*" answers every other path.
        self.routes = routes if routes is not None else {}
        self.on_request = on_request  # called with every request before it is answered (tests record headers)
        self.requests: list[tuple[str, str]] = []
        if ssl_context is not None:
            self.socket = ssl_context.wrap_socket(self.socket, server_side=True)
        self.base_url = f"{'https' if ssl_context is not None else 'http'}://{host}:{self.server_address[1]}"
        config = load_config(directory) if directory else {}
        self.files: dict[str, dict[str, Any]] = config.get("files", {})  # url path -> {"gzip": bool, "cache_control": str|None}
        self.generated: dict[str, dict[str, Any]] = config.get("generated", {})  # url path -> generator spec
        self.cache_dir = cache_dir
        self._gzip: dict[tuple[str, int, int], bytes] = {}
        self._gzip_lock = threading.Lock()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up mid-body (a crawler that only wanted the headers) is normal, not an error."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def gzipped(self, path: str, body: bytes) -> bytes:
        """gzip level 6 without a timestamp: the same bytes every time (cached per file version)."""
        st = os.stat(path)
        key = (path, st.st_mtime_ns, len(body))
        with self._gzip_lock:
            cached = self._gzip.get(key)
        if cached is None:
            cached = gzip.compress(body, compresslevel=6, mtime=0)
            with self._gzip_lock:
                self._gzip[key] = cached
        return cached

    def count(self, path: str, method: str | None = None) -> int:
        """How many requests (of `method`, or any) asked for `path` (query string ignored)."""
        return sum(1 for m, p in self.requests if p.split("?")[0] == path and (method is None or m == method))


@contextmanager
def serve(directory: str | None = DEMO_SITE, host: str = "127.0.0.1", port: int = 0,
          routes: dict[str, Callable[[SimpleHTTPRequestHandler], None]] | None = None,
          on_request: Callable[[SimpleHTTPRequestHandler], None] | None = None,
          ssl_context: ssl.SSLContext | None = None) -> Iterator[SiteServer]:
    """Serve `directory` (None: `routes` only) in a background thread for the duration of the block.

    `on_request(request)` sees every request first (its headers, `request.body()`); `ssl_context` serves https.
    """
    server = SiteServer(directory, host, port, routes, on_request=on_request, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
