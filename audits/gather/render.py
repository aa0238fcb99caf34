"""The "render" probe: what the rendered page looks like, read with computed styles and layout, never decided here.

`gather(driver, budget)` runs a few in-page scripts on the loaded page and returns a JSON-safe dict:

- "generated": CSS ::before / ::after content that is an icon-font glyph (Private Use Area code points or an icon
  font family) or that contains words, with whether the element (or its link / button) has a name of its own.
- "justified": blocks of text rendered with text-align: justify and how many lines they take.
- "runs": blocks whose text is mostly rendered upper-case (text-transform or source) or italic, with its length.
- "images": <img> elements that look like images of text (banner-shaped with a sentence for alt, or named so).
- "spacing": the WCAG 1.4.12 text-spacing style injected (line-height 1.5, letter-spacing .12em, word-spacing
  .16em, paragraph spacing 2em, all !important): text newly clipped by its box (overflow hidden / clip) or newly
  spilling out of a fixed-height box. The style is removed before the script returns.
- "text200": every text element's computed font size doubled (inline !important), same measures; restored.
- "reflow": the viewport emulated at 320 x 256 CSS px (DevTools Emulation.setDeviceMetricsOverride, else the
  window resized): whether the page scrolls sideways and the elements responsible, outside the content that may
  need two dimensions (data tables, code, maps, media, own scrollers). Restored (clearDeviceMetricsOverride).

Every step restores what it changed before the next one starts; a step that fails or runs out of the budget
records its own {"error": ...} and the others still run. Selectors come from the in-page __eaPath (the same as
audits.artifacts.css_path), snippets are shortened like audits.artifacts.snippet.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from audits.gather.axe import _PATH_JS

log = logging.getLogger(__name__)

REFLOW_WIDTH = 320  # CSS px: 1280 px at 400% zoom (WCAG 1.4.10)
REFLOW_HEIGHT = 256
MAX_ITEMS = 25  # per list in the probe's dict

_COMMON_JS = r"""
var MAX_ITEMS = %d;
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
  if (cs.clipPath && /inset\(\s*50%%|inset\(\s*100%%/.test(cs.clipPath)) return true;
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
""" % MAX_ITEMS

# 1. generated content, justified text, upper-case / italic runs, images of text: read-only.
_READ_JS = _PATH_JS + _COMMON_JS + r"""
var deadline = Date.now() + arguments[0] * 1000;
var out = {generated: [], justified: [], runs: [], images: [], truncated: false};
var PUA = /[\uE000-\uF8FF]|[\uDB80-\uDBFF][\uDC00-\uDFFF]/;
var INTERACTIVE = 'a[href], button, input[type=button], input[type=submit], input[type=reset], summary, ' +
  '[role=button], [role=link], [role=menuitem], [role=tab], [role=checkbox], [role=switch], [role=option]';

function splitAlt(value) {
  // content: <what is shown> / <alternative text>: the "/" outside quotes.
  var quote = null;
  for (var i = 0; i < value.length; i++) {
    var ch = value[i];
    if (quote) { if (ch === '\\') i++; else if (ch === quote) quote = null; }
    else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '/') return [value.slice(0, i), value.slice(i + 1)];
  }
  return [value, null];
}
function contentText(el, value) {
  // The strings of a computed `content` value, attr() resolved; counters and quotes give nothing.
  if (!value || value === 'none' || value === 'normal') return null;
  var text = '', m, re = /"((?:[^"\\]|\\.)*)"|attr\(\s*([^)\s]+)\s*\)/g, any = false;
  while ((m = re.exec(value))) {
    any = true;
    if (m[1] !== undefined) text += m[1].replace(/\\([0-9a-fA-F]{1,6})\s?/g, function (_, h) {
      return String.fromCodePoint(parseInt(h, 16)); }).replace(/\\(.)/g, '$1');
    else text += el.getAttribute(m[2]) || '';
  }
  return any ? text : null;
}
function nameOf(el) {
  // A name of el other than CSS-generated content: aria-labelledby, aria-label, text, img alt, svg title, title.
  var ids = (el.getAttribute('aria-labelledby') || '').split(/\s+/).filter(Boolean);
  var t = ids.map(function (id) { var n = document.getElementById(id); return n ? n.textContent : ''; }).join(' ');
  if (/\S/.test(t)) return t.trim();
  if (/\S/.test(el.getAttribute('aria-label') || '')) return el.getAttribute('aria-label').trim();
  if (el.localName === 'input' && /\S/.test(el.value || '')) return el.value.trim();
  var text = '';
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, null);
  var n;
  while ((n = walker.nextNode())) {
    if (n.nodeType === 1) {
      if (__eaHiddenAT(n)) continue;
      if ((n.localName === 'img' || n.getAttribute('role') === 'img') &&
          (/\S/.test(n.getAttribute('alt') || '') || /\S/.test(n.getAttribute('aria-label') || ''))) return 'img';
      if (n.localName === 'svg' && (n.querySelector('title') || /\S/.test(n.getAttribute('aria-label') || ''))
          && !__eaHiddenAT(n)) return 'svg';
      continue;
    }
    var p = n.parentElement;
    if (p && (__eaHiddenAT(p) || /^(script|style|template)$/.test(p.localName))) continue;
    text += n.data;
  }
  text = text.replace(/[\uE000-\uF8FF]/g, '');
  if (/[\p{L}\p{N}]/u.test(text)) return text.replace(/\s+/g, ' ').trim();
  if (/\S/.test(el.getAttribute('title') || '')) return el.getAttribute('title').trim();
  return '';
}
function isWords(text) {
  // Generated text that carries meaning: a word of two letters or more (not quotes, bullets, counters, arrows).
  return /\p{L}{2,}/u.test(text.replace(/[\uE000-\uF8FF]/g, ''));
}

var all = document.body ? document.body.getElementsByTagName('*') : [];
var limit = Math.min(all.length, 6000);
if (all.length > limit) out.truncated = true;
for (var i = 0; i < limit; i++) {
  if ((i & 127) === 0 && Date.now() > deadline) { out.truncated = true; break; }
  var el = all[i];
  if (/^(script|style|noscript|template|svg|math|head)$/.test(el.localName)) continue;
  ['::before', '::after'].forEach(function (pseudo) {
    var cs = getComputedStyle(el, pseudo);
    var parts = splitAlt(cs.content || '');
    var text = contentText(el, parts[0]);
    var alt = parts[1] === null ? null : (contentText(el, parts[1]) || '');
    if (!text || !/\S/.test(text)) return;
    if (cs.display === 'none' || cs.visibility === 'hidden') return;
    if (!el.getClientRects().length) return;
    var icon = PUA.test(text) || (ICON_FONT.test(cs.fontFamily) && text.replace(/\s/g, '').length <= 2);
    var words = !icon && isWords(text);
    // A pictograph or symbol (an emoji, a star) as the whole content of a control: kept for the control's sake.
    var symbol = !icon && !words && /[\p{So}\p{Extended_Pictographic}]/u.test(text) &&
      !/[\p{L}\p{N}]/u.test(text) && !!el.closest(INTERACTIVE);
    if (!icon && !words && !symbol) return;
    if (out.generated.length >= 4 * MAX_ITEMS) { out.truncated = true; return; }
    var hidden = __eaHiddenAT(el);
    var control = el.closest(INTERACTIVE);
    var item = __eaItem(el, {pseudo: pseudo, text: text.slice(0, 200), icon: icon, symbol: symbol,
                             font: cs.fontFamily.slice(0, 120),
                             hidden: hidden, own_name: (alt && /[\p{L}\p{N}]/u.test(alt) ? alt : nameOf(el)).slice(0, 120),
                             css_alt: alt, sr_only: __eaSrOnly(el)});
    if (control) {
      var cname = alt && /[\p{L}\p{N}]/u.test(alt) ? alt : nameOf(control);
      item.control = __eaItem(control, {name: cname.slice(0, 120), hidden: __eaHiddenAT(control)});
    }
    out.generated.push(item);
  });
}

// Blocks of text: justified, upper-case or italic.
function lineCount(els) {
  // Rendered lines of the direct text of these elements: distinct line positions of their text rectangles.
  var tops = [], range = document.createRange();
  for (var i = 0; i < els.length; i++) {
    for (var c = els[i].firstChild; c; c = c.nextSibling) {
      if (c.nodeType !== 3 || !/\S/.test(c.data)) continue;
      range.selectNodeContents(c);
      var rects = range.getClientRects();
      for (var k = 0; k < rects.length; k++) {
        var r = rects[k];
        if (r.width <= 0 || r.height <= 0) continue;
        var mid = (r.top + r.bottom) / 2, same = false;
        for (var t = 0; t < tops.length; t++) if (Math.abs(tops[t][0] - mid) < tops[t][1] / 2) { same = true; break; }
        if (!same) tops.push([mid, r.height]);
        if (tops.length > 200) return tops.length;
      }
    }
  }
  return tops.length;
}
var blocks = new Map();
var texts = __eaTextElements(4000);
function blockOf(el) {
  for (var n = el; n && n !== document.body; n = n.parentElement) {
    var d = getComputedStyle(n).display;
    if (d !== 'inline' && d !== 'contents') return n;
  }
  return document.body;
}
for (var j = 0; j < texts.length; j++) {
  if ((j & 63) === 0 && Date.now() > deadline) { out.truncated = true; break; }
  var te = texts[j];
  var tcs = getComputedStyle(te);
  var own = '';
  for (var c = te.firstChild; c; c = c.nextSibling) if (c.nodeType === 3) own += c.data;
  own = own.replace(/\s+/g, ' ').trim();
  if (!own || tcs.visibility === 'hidden' || !te.getClientRects().length) continue;
  var b = blockOf(te);
  var rec = blocks.get(b);
  if (!rec) { rec = {chars: 0, upper: 0, italic: 0, els: []}; blocks.set(b, rec); }
  rec.chars += own.length;
  if (rec.els.length < 50) rec.els.push(te);
  if (te.closest('pre, code, kbd, samp, var, textarea')) continue;  // code is written as it must be typed
  var letters = own.replace(/[^\p{L}]/gu, '');
  var cased = letters.replace(/[^\p{Lu}\p{Ll}]/gu, '');
  var upperText = tcs.textTransform === 'uppercase' ||
    (cased.length >= 20 && cased.replace(/[^\p{Lu}]/gu, '').length >= 0.9 * cased.length);
  if (upperText && cased.length) rec.upper += own.length;
  if (tcs.fontStyle === 'italic' || /^oblique/.test(tcs.fontStyle)) rec.italic += own.length;
}
blocks.forEach(function (rec, b) {
  if (b === document.body && rec.chars > 2000) return;  // a whole page of loose text: not a block
  if (__eaSrOnly(b) || !__eaVisible(b)) return;
  var cs = getComputedStyle(b);
  var r = b.getBoundingClientRect();
  var justify = cs.textAlign === 'justify' && rec.chars >= 80;
  if (!justify && !(rec.upper >= 120 || rec.italic >= 120)) return;
  var lines = lineCount(rec.els);
  if (justify && lines >= 3) {
    // Where the justification comes from: the outermost justified ancestor (text-align inherits).
    var origin = b;
    for (var n = b.parentElement; n && n !== document.documentElement; n = n.parentElement) {
      if (getComputedStyle(n).textAlign === 'justify') origin = n; else break;
    }
    var sample = (b.textContent || '').slice(0, 2000);
    var unspaced = (sample.match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu) || []).length;
    var letters = (sample.match(/\p{L}/gu) || []).length;
    if (out.justified.length < 4 * MAX_ITEMS) out.justified.push(__eaItem(b, {lines: lines, chars: rec.chars,
      unspaced_script: letters > 0 && unspaced >= 0.5 * letters,
      width: Math.round(r.width), sample: __eaTextOf(b, 120),
      origin: origin === b ? null : __eaItem(origin, {})}));
  }
  ['upper', 'italic'].forEach(function (kind) {
    if (rec[kind] >= 120 && rec[kind] >= 0.8 * rec.chars && (kind === 'upper' || lines >= 3) &&
        out.runs.length < 4 * MAX_ITEMS) {
      out.runs.push(__eaItem(b, {style: kind, chars: rec[kind], lines: lines, sample: __eaTextOf(b, 120),
        transform: cs.textTransform}));
    }
  });
});

// Images that may be images of text.
var imgs = document.images;
for (var k = 0; k < imgs.length && k < 400; k++) {
  var img = imgs[k];
  if (!img.getClientRects().length || __eaHiddenAT(img)) continue;
  var ir = img.getBoundingClientRect();
  if (ir.width < 2 || ir.height < 2) continue;
  var src = img.currentSrc || img.src || '';
  out.images.push(__eaItem(img, {alt: img.getAttribute('alt'), src: src.slice(0, 300), width: Math.round(ir.width),
    height: Math.round(ir.height), role: img.getAttribute('role'), in_link: !!img.closest('a[href], button'),
    loaded: img.complete && img.naturalWidth > 0, natural: [img.naturalWidth, img.naturalHeight],
    in_figure: !!img.closest('figure')}));
  if (out.images.length >= 4 * MAX_ITEMS) { out.truncated = true; break; }
}
return out;
"""

# 2 and 3. Text spacing (1.4.12) and 200% text (1.4.4): measure, change, measure, restore - in one script.
_MEASURE_JS = _PATH_JS + _COMMON_JS + r"""
var mode = arguments[0], deadline = Date.now() + arguments[1] * 1000;
var out = {clipped: [], spilled: [], candidates: 0, truncated: false};
var texts = __eaTextElements(3000);
// Boxes that may cut text off: every ancestor (up to 6 levels) of a text element with overflow other than visible,
// or with a fixed height (then text spills out and may overlap what follows).
var boxes = new Map();
function consider(box, textEl) {
  var rec = boxes.get(box);
  if (!rec) {
    var cs = getComputedStyle(box);
    var clips = cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
    var scrolls = /auto|scroll/.test(cs.overflowX + ' ' + cs.overflowY);
    var clamp = cs.webkitLineClamp && cs.webkitLineClamp !== 'none';
    rec = {clips: clips, scrolls: scrolls, texts: [], ellipsis: cs.textOverflow === 'ellipsis' || !!clamp};
    boxes.set(box, rec);
  }
  if (rec.texts.length < 20) rec.texts.push(textEl);
}
for (var i = 0; i < texts.length; i++) {
  var t = texts[i];
  if (!__eaVisible(t)) continue;
  // Icon-font ligatures and glyphs are pictures: letter-spacing breaks them apart, which is not text lost.
  if (ICON_FONT.test(getComputedStyle(t).fontFamily) || !/[^\s\uE000-\uF8FF]/.test(t.textContent)) continue;
  var depth = 0;
  for (var n = t; n && n !== document.body && n !== document.documentElement && depth < 6; n = n.parentElement, depth++) {
    consider(n, t);
  }
}
function measure(box, rec) {
  var r = box.getBoundingClientRect();
  var m = {sh: box.scrollHeight, ch: box.clientHeight, sw: box.scrollWidth, cw: box.clientWidth,
           bottom: r.bottom, right: r.right, top: r.top, left: r.left, spill: 0};
  // How far the text of its text elements reaches below / right of the box's padding box (where clipping starts).
  var padBottom = r.top + box.clientTop + box.clientHeight, padRight = r.left + box.clientLeft + box.clientWidth;
  for (var i = 0; i < rec.texts.length; i++) {
    var tr = __eaOwnTextRect(rec.texts[i]);
    if (!tr) continue;
    m.spill = Math.max(m.spill, tr.bottom - padBottom, tr.right - padRight);
  }
  return m;
}
var list = [];
boxes.forEach(function (rec, box) {
  if (__eaSrOnly(box)) return;
  var r = box.getBoundingClientRect();
  if (r.width < 8 || r.height < 8) return;
  list.push([box, rec]);
});
var before = [];
for (var q = 0; q < list.length; q++) {
  if ((q & 63) === 0 && Date.now() > deadline) { out.truncated = true; break; }
  before.push(measure(list[q][0], list[q][1]));
}
list = list.slice(0, before.length);
deadline = Date.now() + Math.max(50, arguments[1] * 1000);  // as long again to measure after the change
out.candidates = list.length;

// Change the page.
var undo;
if (mode === 'spacing') {
  var style = document.createElement('style');
  style.setAttribute('data-empathy-audit', 'text-spacing');
  style.textContent = '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; ' +
    'word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
  (document.head || document.documentElement).appendChild(style);
  undo = function () { style.remove(); };
} else {
  var sized = texts.map(function (el) { return [el, parseFloat(getComputedStyle(el).fontSize)]; });
  var saved = sized.map(function (p) {
    return [p[0], p[0].style.getPropertyValue('font-size'), p[0].style.getPropertyPriority('font-size'),
            p[0].getAttribute('style')];
  });
  sized.forEach(function (p) { if (p[1] > 0) p[0].style.setProperty('font-size', (2 * p[1]) + 'px', 'important'); });
  undo = function () {
    // Chromium serialises a CSSOM-modified inline style into the attribute lazily: read the attribute (which
    // flushes it) before removing or resetting it, or a later flush brings back style="".
    saved.forEach(function (s) {
      if (s[1]) s[0].style.setProperty('font-size', s[1], s[2]); else s[0].style.removeProperty('font-size');
      var now = s[0].getAttribute('style');
      if (s[3] === null) s[0].removeAttribute('style');
      else if (now !== s[3]) s[0].setAttribute('style', s[3]);
    });
  };
}
// Findings are described (selector, snippet) after the page is restored, so snippets show the page's own HTML.
function pending(el, extra) { return {_el: el, extra: extra}; }
try {
  for (var j = 0; j < list.length; j++) {
    if ((j & 63) === 0 && Date.now() > deadline) { out.truncated = true; break; }
    var box = list[j][0], rec = list[j][1], b = before[j];
    var a = measure(box, rec);
    var cs = getComputedStyle(box);
    if (rec.clips && !rec.scrolls) {
      // Clipped: content larger than the box now, not before, and its text really reaches past the box.
      var grewY = a.sh > a.ch + 2 && !(b.sh > b.ch + 2);
      var grewX = a.sw > a.cw + 2 && !(b.sw > b.cw + 2);
      if ((grewY || grewX) && a.spill > 1 && !(b.spill > 1) && !__eaUnseen(box)) {
        if (out.clipped.length < MAX_ITEMS) out.clipped.push(pending(box, {
          axis: grewY ? 'vertical' : 'horizontal', text: __eaTextOf(box, 120), ellipsis: rec.ellipsis,
          before: [b.sw, b.sh, b.cw, b.ch], after: [a.sw, a.sh, a.cw, a.ch], spill: Math.round(a.spill)}));
      }
    } else if (!rec.clips && a.spill > 4 && !(b.spill > 1)) {
      // Text now spills out of a box that kept its size: it may overlap what follows.
      var fixedH = Math.abs(a.bottom - a.top - (b.bottom - b.top)) < 1 && !__eaUnseen(box);
      if (fixedH && out.spilled.length < MAX_ITEMS) out.spilled.push(pending(box, {
        text: __eaTextOf(box, 120), spill: Math.round(a.spill), height: Math.round(a.bottom - a.top)}));
    }
  }
} finally {
  undo();
}
// Keep only the innermost of nested findings: the box that cuts the text off (or lets it spill) itself.
['clipped', 'spilled'].forEach(function (key) {
  var els = out[key].map(function (f) { return f._el; });
  out[key] = out[key].filter(function (f, i) {
    for (var k = 0; k < els.length; k++) if (k !== i && els[i] !== els[k] && els[i].contains(els[k])) return false;
    return true;
  }).map(function (f) { return __eaItem(f._el, f.extra); });
});
out.restored = !document.querySelector('style[data-empathy-audit]');
return out;
"""

# 4. Reflow at 320 CSS px: run after the viewport was narrowed.
_REFLOW_JS = _PATH_JS + _COMMON_JS + r"""
var done = arguments[arguments.length - 1];
var deadline = Date.now() + arguments[0] * 1000;
var finished = false;
function finish(out) { if (!finished) { finished = true; done(out); } }
function measureReflow() {
  if (finished) return;
  try { measureNow(); } catch (e) { finish({error: String(e && e.message || e).slice(0, 200)}); }
}
function measureNow() {
  var done = finish;
  // The layout viewport; a classic scrollbar takes its width off clientWidth, so the edge is the larger of the two.
  var vw = Math.max(document.documentElement.clientWidth, window.innerWidth);
  var root = document.scrollingElement || document.documentElement;
  var rtl = getComputedStyle(document.documentElement).direction === 'rtl' ||
            (document.body && getComputedStyle(document.body).direction === 'rtl');
  var out = {viewport: vw, inner_width: window.innerWidth, scroll_width: root.scrollWidth, culprits: [],
             truncated: false, rtl: rtl};
  if (root.scrollWidth <= vw + 1) { done(out); return; }
  // A viewport that clips sideways (overflow-x hidden on html, or on body propagated to it) cannot be scrolled:
  // what is past the edge is cut off instead, which may be deliberate (off-canvas panels): the checks weigh it.
  var hcs = getComputedStyle(document.documentElement), bcs = document.body ? getComputedStyle(document.body) : hcs;
  var vx = hcs.overflowX !== 'visible' ? hcs.overflowX : bcs.overflowX;
  out.viewport_clips = vx === 'hidden' || vx === 'clip';
  var TWO_D = 'table, pre, code, samp, kbd, var, svg, canvas, video, iframe, object, embed, map, math, ' +
    '[role=grid], [role=treegrid], [role=application], [role=img], [role=toolbar], [role=figure], [role=math]';
  function past(r) { return rtl ? r.left < -1 : r.right > vw + 1; }
  function allowed(el) {
    // Inside content that may need two dimensions, or inside a box that scrolls or clips on its own.
    if (el.closest(TWO_D)) return true;
    for (var n = el.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
      var cs = getComputedStyle(n);
      if (cs.overflowX !== 'visible') return true;
      if (cs.position === 'fixed') return true;
    }
    return false;
  }
  var culprits = new Map();
  function blame(el, text) {
    // The outermost element past the edge whose parent is not past it.
    var top = el;
    for (var n = el.parentElement; n && n !== document.body && n !== document.documentElement; n = n.parentElement) {
      if (past(n.getBoundingClientRect())) top = n; else break;
    }
    var rec = culprits.get(top);
    if (!rec) { rec = {text: false, media: false}; culprits.set(top, rec); }
    if (text) rec.text = true; else rec.media = true;
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, null);
  var range = document.createRange(), t, count = 0;
  while ((t = walker.nextNode())) {
    if ((++count & 255) === 0 && Date.now() > deadline) { out.truncated = true; break; }
    if (!/\S/.test(t.data)) continue;
    var p = t.parentElement;
    if (!p || /^(script|style|noscript|template|option)$/.test(p.localName)) continue;
    range.selectNodeContents(t);
    var rects = range.getClientRects(), hit = false;
    for (var i = 0; i < rects.length; i++) {
      var rr = rects[i];
      // Past the edge, but not thousands of pixels away (text hidden off-page on purpose).
      if (rr.width > 0 && past(rr) && (rtl ? rr.right > -999 : rr.left < vw + 999)) { hit = true; break; }
    }
    if (!hit) continue;
    var pcs = getComputedStyle(p);
    if (pcs.visibility === 'hidden' || __eaSrOnly(p) || allowed(p) || __eaUnseen(p)) continue;
    if (pcs.position === 'fixed') continue;
    blame(p, true);
  }
  var media = document.querySelectorAll('img, picture, video, canvas, svg, iframe, object, embed, input, select, textarea, button');
  for (var k = 0; k < media.length && k < 2000; k++) {
    var m = media[k];
    if (!m.getClientRects().length || !past(m.getBoundingClientRect())) continue;
    if (getComputedStyle(m).visibility === 'hidden' || __eaUnseen(m)) continue;
    var parent = m.parentElement;
    if (!parent || (parent.closest(TWO_D) && parent.closest(TWO_D) !== m) || allowed(m)) continue;
    blame(m, false);
  }
  culprits.forEach(function (rec, el) {
    if (out.culprits.length >= MAX_ITEMS) { out.truncated = true; return; }
    var r = el.getBoundingClientRect();
    out.culprits.push(__eaItem(el, {text: rec.text, media: rec.media, beyond: rtl ? r.right <= 1 : r.left >= document.documentElement.clientWidth - 1,
      left: Math.round(r.left),
      right: Math.round(r.right), width: Math.round(r.width), sample: __eaTextOf(el, 120)}));
  });
  done(out);
}
// Let the page lay itself out at the new size (and its resize handlers run): a frame and a little more, or at most
// 300 ms when frames do not come (a hidden tab).
requestAnimationFrame(function () { setTimeout(measureReflow, 60); });
setTimeout(measureReflow, 300);
"""


_FRAME_JS = """
var done = arguments[arguments.length - 1];
var t = setTimeout(done, 200);
requestAnimationFrame(function () { setTimeout(function () { clearTimeout(t); done(); }, 0); });
"""


def _step(out: dict[str, Any], name: str, started: float, budget: float, func: Any) -> None:
    """Run one step into out[name]; errors and a spent budget are recorded, never raised."""
    remaining = budget - (time.monotonic() - started)
    if remaining <= 0.05:
        out[name] = {"error": "skipped: the render probe's time budget was spent"}
        return
    t0 = time.monotonic()
    try:
        data = func(remaining)
        out[name] = data if isinstance(data, dict) else {"error": "the script returned nothing"}
    except Exception as exc:  # noqa: BLE001 - one step failing leaves the others
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        out[name] = {"error": f"{type(exc).__name__}: {text[:200]}"}
    out.setdefault("timings", {})[name] = round(time.monotonic() - t0, 3)


def _async_within(driver: Any, script: str, *args: Any, timeout: float) -> Any:
    """execute_async_script with the driver's script timeout lowered to `timeout` seconds for this call only."""
    previous = None
    try:
        previous = driver.timeouts.script
        driver.set_script_timeout(timeout)
    except Exception:  # noqa: BLE001 - a driver that cannot say: keep its own timeout
        previous = None
    try:
        return driver.execute_async_script(script, *args)
    finally:
        if previous is not None:
            driver.set_script_timeout(previous)


def _reflow(driver: Any, remaining: float) -> dict[str, Any]:
    """Narrow the viewport to 320 CSS px, measure, restore."""
    method = None
    size = None
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": REFLOW_WIDTH, "height": REFLOW_HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        method = "cdp"
    except Exception:  # noqa: BLE001 - no DevTools through this driver (a Grid): resize the window instead
        size = driver.get_window_size()
        inner = driver.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
        dx, dy = (inner or [0, 0])[:2]
        driver.set_window_size(REFLOW_WIDTH + int(dx or 0), REFLOW_HEIGHT + int(dy or 0))
        method = "window"
    try:
        data = _async_within(driver, _REFLOW_JS, max(0.2, remaining - 0.3), timeout=max(1.0, remaining))
    finally:
        if method == "cdp":
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        elif size:
            driver.set_window_size(size["width"], size["height"])
        try:  # one frame at the full size again, so the page's resize handlers run before the next step
            _async_within(driver, _FRAME_JS, timeout=1.0)
        except Exception:  # noqa: BLE001
            pass
    if not isinstance(data, dict):
        return {"error": "the reflow script returned nothing"}
    data["method"] = method
    data["width"] = REFLOW_WIDTH
    if method == "window" and abs(int(data.get("inner_width") or 0) - REFLOW_WIDTH) > 16:
        return {"error": f"the window could not be narrowed to {REFLOW_WIDTH} px (got {data.get('inner_width')})",
                "method": method}
    return data


def gather(driver: Any, budget: float = 3.0) -> dict[str, Any]:
    """The render probe's data for the loaded page (see the module docstring)."""
    started = time.monotonic()
    out: dict[str, Any] = {}
    # Reading: one script, at most 40% of the budget.
    _step(out, "read", started, budget,
          lambda rem: driver.execute_script(_READ_JS, min(rem, 0.4 * budget)))
    read = out.pop("read")
    if isinstance(read, dict) and "error" not in read:
        out.update(read)
    else:
        out["read_error"] = read.get("error") if isinstance(read, dict) else "no data"
    # Reflow first: it is quick (one layout at 320 px) and what most visitors who zoom meet.
    _step(out, "reflow", started, budget, lambda rem: _reflow(driver, min(rem, 0.3 * budget)))
    _step(out, "spacing", started, budget,
          lambda rem: driver.execute_script(_MEASURE_JS, "spacing", min(rem, 0.15 * budget)))
    _step(out, "text200", started, budget,
          lambda rem: driver.execute_script(_MEASURE_JS, "text200", min(rem, 0.15 * budget)))
    out["budget"] = budget
    return out
