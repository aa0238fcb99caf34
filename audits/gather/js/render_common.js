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
