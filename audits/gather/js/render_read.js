// 1. Generated content, justified text, upper-case / italic runs, images of text: read-only.
var deadline = Date.now() + arguments[0] * 1000;
var out = {generated: [], justified: [], runs: [], images: [], truncated: false};
out.important = __eaImportantSpacing(deadline);  // render_important.js
out.frames = __eaNegativeFrames();  // render_focus.js
out.scrollers = __eaUnreachableScrollers(deadline);  // render_focus.js
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
// Image buttons (<input type=image>): a picture as a button, often of its words.
var buttons = document.querySelectorAll('input[type=image]');
for (var b = 0; b < buttons.length && b < 50; b++) {
  var ib = buttons[b];
  if (!__eaVisible(ib) || __eaUnseen(ib) || __eaHiddenAT(ib)) continue;
  var br = ib.getBoundingClientRect();
  out.images.push(__eaItem(ib, {kind: 'button', alt: ib.getAttribute('alt'), src: (ib.src || '').slice(0, 300),
    width: Math.round(br.width), height: Math.round(br.height)}));
}
return out;
