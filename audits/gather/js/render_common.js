// Helpers shared by the render probe's scripts (audits.gather.render). MAX_ITEMS: items per list in its dict.
var MAX_ITEMS = 25;
// Font families of icon fonts: their "text" is pictures (ligatures such as "shopping_cart", or PUA glyphs).
var ICON_FONT = /(awesome|icon|glyph|symbols|fontello|icomoon|dashicons|genericons|ionicons|feather|remixicon|bootstrap-icons|tabler|themify|linearicons|typicons|octicons|entypo|elusive|foundation-icons|material)/i;
function __eaStart(el) {
  var out = '<' + el.localName;
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i];
    out += ' ' + a.name + '="' + String(a.value).replace(/"/g, '&quot;') + '"';
  }
  return out + '>';
}
function __eaSnip(el) {
  var html = (el.outerHTML || '').replace(/\s+/g, ' ').trim();
  if (html.length <= 300) return html;
  var start = __eaStart(el).replace(/\s+/g, ' ');
  if (start.length > 300) return start.slice(0, 299) + '\u2026';
  return start + '\u2026';
}
function __eaItem(el, extra) {
  var o = {selector: __eaPath(el), snippet: __eaSnip(el)};
  for (var k in (extra || {})) o[k] = extra[k];
  return o;
}
function __eaHiddenAT(el) {
  // Hidden from assistive technology by aria-hidden on itself or an ancestor.
  for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
    if (n.getAttribute('aria-hidden') === 'true') return true;
  }
  return false;
}
function __eaVisible(el) {
  if (!el.getClientRects().length) return false;
  var cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.visibility === 'collapse') return false;
  var r = el.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
}
var __eaSrMemo = new Map();
function __eaSrSelf(n) {
  var r = n.getBoundingClientRect();
  var cs = getComputedStyle(n);
  if (r.width <= 2 && r.height <= 2 && (cs.overflow !== 'visible' || cs.clip !== 'auto')) return true;
  if (cs.clipPath && /inset\(\s*50%|inset\(\s*100%/.test(cs.clipPath)) return true;
  if (cs.clip && /rect\(\s*0(px)?,?\s+0(px)?,?\s+0(px)?,?\s+0(px)?\s*\)/.test(cs.clip)) return true;
  return false;
}
function __eaSrOnly(el) {
  // Visually hidden but read by screen readers (the "sr-only" / "visually-hidden" pattern) on el or an ancestor.
  var path = [], res = false;
  for (var n = el; n && n.nodeType === 1 && n !== document.body; n = n.parentElement) {
    if (__eaSrMemo.has(n)) { res = __eaSrMemo.get(n); break; }
    path.push(n);
    if (__eaSrSelf(n)) { res = true; break; }
  }
  for (var i = 0; i < path.length; i++) __eaSrMemo.set(path[i], res);
  return res;
}
function __eaTextElements(limit) {
  // Elements with at least one non-blank direct text node, in document order, not in head/script/style.
  var out = [], seen = new Set();
  var walker = document.createTreeWalker(document.body || document.documentElement, NodeFilter.SHOW_TEXT, null);
  var skip = /^(script|style|noscript|template|textarea|option|title|svg|math)$/;
  var t;
  while ((t = walker.nextNode())) {
    if (!/\S/.test(t.data)) continue;
    var p = t.parentElement;
    if (!p || seen.has(p)) continue;
    var bad = false;
    for (var n = p; n && n !== document.body; n = n.parentElement) {
      if (skip.test(n.localName)) { bad = true; break; }
    }
    if (bad) continue;
    seen.add(p); out.push(p);
    if (out.length >= limit) break;
  }
  return out;
}
function __eaOwnTextRect(el) {
  // The union of the rectangles of el's direct text nodes (null when none is rendered).
  var box = null, range = document.createRange();
  for (var c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 3 || !/\S/.test(c.data)) continue;
    range.selectNodeContents(c);
    var rects = range.getClientRects();
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i];
      if (r.width <= 0 || r.height <= 0) continue;
      if (!box) box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
      else {
        box.left = Math.min(box.left, r.left); box.top = Math.min(box.top, r.top);
        box.right = Math.max(box.right, r.right); box.bottom = Math.max(box.bottom, r.bottom);
      }
    }
  }
  return box;
}
function __eaUnseen(el) {
  // Not seen even though rendered: transparent (opacity 0) or placed far off the page (the "off-left" technique).
  for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
    if (getComputedStyle(n).opacity === '0') return true;
  }
  var r = el.getBoundingClientRect();
  return r.right + window.scrollX <= 0 || r.bottom + window.scrollY <= 0 || r.left > 5000;
}
function __eaTextOf(el, max) {
  var s = (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
  return s.length > max ? s.slice(0, max - 1) + '\u2026' : s;
}
var LOGO_HINT = /logo|brand|wordmark|emblem|badge|app-?store|google-?play/i;
function __eaLogoHints(el, file) {
  // What says an image is a logo: its alt, file name, ids, classes and labels of it and three ancestors, a link home.
  var bits = [el.getAttribute('alt') || '', el.getAttribute('title') || '', file || ''];
  for (var n = el, d = 0; n && n.nodeType === 1 && d < 4; n = n.parentElement, d++) {
    bits.push(n.id || '', typeof n.className === 'string' ? n.className : (n.getAttribute('class') || ''),
      n.getAttribute('aria-label') || '');
  }
  var link = el.closest('a[href]'), home = false;
  if (link) {
    try { var h = new URL(link.href, location.href); home = h.origin === location.origin && /^\/?(index\.\w+)?$/.test(h.pathname); }
    catch (e) { home = false; }
  }
  return {logo: LOGO_HINT.test(bits.join(' ')), home: home};
}
function __eaFileName(url) {
  // The last path segment of a URL, without query or fragment ('' for data: URIs).
  if (!url || /^data:/i.test(url)) return '';
  return String(url).split(/[?#]/)[0].split('/').pop();
}
// OCR candidates (audits.gather.ocr): rendered pictures large enough to hold words, where OCR may read words that are
// pixels. <img>, image buttons, <object> images, <image> in SVG, and elements with a CSS background image, when
// seen, at least 40 x 16 CSS px, not a logo, with no page text over them (their own or another element's: reading it
// would read real text), at least half shown by the boxes that clip them. Rectangles are in page coordinates.
var __eaIMAGE_FILE = /\.(png|jpe?g|gif|webp|avif|bmp|svgz?)$/i;
function __eaBackgroundUrl(cs) {
  var m = /url\(\s*(['"]?)(.*?)\1\s*\)/.exec(cs.backgroundImage || '');
  return m ? m[2] : '';
}
function __eaShownRect(el) {
  // The part of el's box that the boxes which clip it (overflow other than visible) leave to see; null if none.
  var r = el.getBoundingClientRect();
  var box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
  for (var n = el.parentElement; n && n !== document.documentElement; n = n.parentElement) {
    var cs = getComputedStyle(n);
    if (cs.overflowX === 'visible' && cs.overflowY === 'visible') continue;
    var c = n.getBoundingClientRect();
    box.left = Math.max(box.left, c.left); box.top = Math.max(box.top, c.top);
    box.right = Math.min(box.right, c.right); box.bottom = Math.min(box.bottom, c.bottom);
    if (box.right <= box.left || box.bottom <= box.top) return null;
  }
  return box;
}
function __eaNearText(el) {
  // The words next to a picture that may repeat what it shows: its alt, title and label, its figure's caption, the
  // text of its siblings and of a small parent (a card, a link).
  var bits = [el.getAttribute('alt'), el.getAttribute('title'), el.getAttribute('aria-label')];
  var fig = el.closest('figure'), cap = fig && fig.querySelector('figcaption');
  if (cap) bits.push(__eaTextOf(cap, 300));
  [el.previousElementSibling, el.nextElementSibling].forEach(function (n) { if (n) bits.push(__eaTextOf(n, 300)); });
  var parent = el.parentElement;
  if (parent && parent !== document.body && parent !== document.documentElement) bits.push(__eaTextOf(parent, 300));
  return bits.filter(Boolean).join(' \u2022 ').slice(0, 1200);
}
function __eaOcrCandidates(max, skip) {
  var MIN_W = 40, MIN_H = 16, SCAN = 4000;
  var root = document.documentElement;
  var out = {items: [], logos: 0, covered: 0, more: 0, pinned: [], view: {sx: window.scrollX, sy: window.scrollY,
    vw: root.clientWidth, vh: root.clientHeight, maxx: root.scrollWidth - root.clientWidth,
    maxy: root.scrollHeight - root.clientHeight}};
  var skipped = new Set(skip || []);
  var found = [];
  function consider(el, kind, src) {
    if (!src || !__eaVisible(el) || __eaUnseen(el)) return;
    var r = el.getBoundingClientRect();
    if (r.width < MIN_W || r.height < MIN_H) return;
    var shown = __eaShownRect(el);
    if (!shown || (shown.right - shown.left) * (shown.bottom - shown.top) < 0.5 * r.width * r.height) return;
    var file = __eaFileName(src);
    var h = __eaLogoHints(el, file);
    if (h.logo || h.home) { out.logos++; return; }
    var sel = __eaPath(el);
    if (skipped.has(sel)) return;
    found.push({el: el, kind: kind, src: src, shown: shown, width: Math.round(r.width), height: Math.round(r.height)});
  }
  var imgs = document.querySelectorAll('img, input[type=image], object[data], svg image');
  for (var i = 0; i < imgs.length && i < SCAN; i++) {
    var el = imgs[i], name = el.localName;
    if (name === 'img') {
      if (el.complete && el.naturalWidth > 0) consider(el, 'img', el.currentSrc || el.src);
    } else if (name === 'input') {
      consider(el, 'button', el.src);
    } else if (name === 'object') {
      var data = el.data || el.getAttribute('data') || '';
      if (/^image\//i.test(el.type || '') || __eaIMAGE_FILE.test(__eaFileName(data))) consider(el, 'object', data);
    } else {
      var owner = el.ownerSVGElement;
      if (owner && owner.querySelector('text')) continue;  // text drawn by the SVG over its picture is real text
      consider(el, 'svg-image', el.href && el.href.baseVal || el.getAttribute('href') || el.getAttribute('xlink:href'));
    }
  }
  var all = document.body ? document.body.getElementsByTagName('*') : [];
  var media = /^(img|input|object|embed|iframe|video|audio|canvas|svg|picture|select|textarea|script|style)$/;
  for (var j = 0; j < all.length && j < SCAN; j++) {
    var b = all[j];
    if (media.test(b.localName) || b.namespaceURI !== 'http://www.w3.org/1999/xhtml') continue;
    var url = __eaBackgroundUrl(getComputedStyle(b));
    if (url) consider(b, 'background', url);
  }
  if (!found.length) return out;
  // Page text over a candidate: its pixels would be read as words it does not hold (captions on a hero image).
  // Text in a fixed or sticky box stays in the viewport as the page scrolls: kept to test the pictures that must be
  // scrolled to for their screenshot.
  var texts = __eaTextElements(3000), pinnedMemo = new Map();
  function pinned(el) {
    var path = [], res = false;
    for (var n = el; n && n.nodeType === 1; n = n.parentElement) {
      if (pinnedMemo.has(n)) { res = pinnedMemo.get(n); break; }
      path.push(n);
      var pos = getComputedStyle(n).position;
      if (pos === 'fixed' || pos === 'sticky') { res = true; break; }
    }
    for (var i = 0; i < path.length; i++) pinnedMemo.set(path[i], res);
    return res;
  }
  for (var t = 0; t < texts.length; t++) {
    if (__eaSrOnly(texts[t]) || !__eaVisible(texts[t])) continue;
    var tr = __eaOwnTextRect(texts[t]);
    if (!tr) continue;
    if (pinned(texts[t]) && out.pinned.length < 50) out.pinned.push([tr.left, tr.top, tr.right, tr.bottom]);
    for (var k = 0; k < found.length; k++) {
      var s = found[k].shown;
      if (!found[k].covered && tr.left < s.right - 2 && tr.right > s.left + 2 && tr.top < s.bottom - 2 && tr.bottom > s.top + 2) {
        found[k].covered = true;
      }
    }
  }
  for (var q = 0; q < found.length; q++) {
    var c = found[q];
    if (c.covered) { out.covered++; continue; }
    if (out.items.length >= max) { out.more++; continue; }
    var abs = c.src;
    try { abs = new URL(c.src, location.href).href; } catch (e) { /* kept as written */ }
    var key = abs.length > 300 ? abs.length + ':' + abs.slice(0, 200) + abs.slice(-90) : abs;
    if (c.kind === 'background') {  // CSS sprites: one URL, many pictures: the cache key includes which part shows
      var cs = getComputedStyle(c.el);
      key += '#' + cs.backgroundPosition + '/' + cs.backgroundSize + '/' + cs.backgroundRepeat;
    }
    out.items.push(__eaItem(c.el, {kind: c.kind, src: abs.slice(0, 300), key: key,
      alt: c.el.getAttribute('alt'), near: __eaNearText(c.el), width: c.width, height: c.height, hidden_at: __eaHiddenAT(c.el),
      x: c.shown.left + window.scrollX, y: c.shown.top + window.scrollY, w: c.shown.right - c.shown.left,
      h: c.shown.bottom - c.shown.top}));
  }
  return out;
}
