// Text spacing locked by a style attribute (WCAG 1.4.12; W3C ACT rules 24afc2, 9e45ec, 78fd32): read-only.
// A declaration in a style attribute with !important wins the cascade over every author style sheet, including the
// one a reader's extension injects to space text out. Only elements whose own visible text uses the declaration
// are listed: an ancestor's declaration reaches its descendants' text by inheritance, which a reader's `* {...}`
// rule overrides on each of them.
var SPACING_PROPS = ['letter-spacing', 'word-spacing', 'line-height'];
// Values that take the parent's computed value: the declaration is important, the value it gives is not.
var INHERITING = /^(inherit|unset|revert|revert-layer)$/i;

function __eaOwnTextVisible(el) {
  // One or more of el's own (direct) text nodes has rendered, seen text.
  var cs = getComputedStyle(el);
  if (cs.visibility !== 'visible' || __eaUnseen(el) || __eaSrOnly(el)) return false;
  var range = document.createRange();
  for (var c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType !== 3 || !/\S/.test(c.data)) continue;
    range.selectNodeContents(c);
    var rects = range.getClientRects();
    for (var i = 0; i < rects.length; i++) if (rects[i].width > 0 && rects[i].height > 0) return true;
  }
  return false;
}

function __eaSoftWrapped(el) {
  // Some text inside el is wrapped onto a new line by the layout (a soft wrap break), not only by <br> or a
  // preserved newline: one text node whose rendered rectangles sit on two or more lines.
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT, null);
  var range = document.createRange(), t, seen = 0;
  while ((t = walker.nextNode()) && seen < 200) {
    if (!/\S/.test(t.data)) continue;
    seen++;
    var ws = getComputedStyle(t.parentElement).whiteSpace;
    if (/^(pre|pre-wrap|pre-line|break-spaces)$/.test(ws) && /\n/.test(t.data.trim())) continue;
    range.selectNodeContents(t);
    var rects = range.getClientRects(), first = null;
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i];
      if (r.width <= 0 || r.height <= 0) continue;
      if (!first) first = r;
      else if (r.top >= first.bottom - 1) return true;
    }
  }
  return false;
}

var __eaNormalLH = new Map();
function __eaNormalLineHeight(cs) {
  // The used value of `line-height: normal` for this font (it comes from the font's own metrics): the height of
  // one line of a hidden element set in the same font, removed at once.
  var key = [cs.fontFamily, cs.fontSize, cs.fontWeight, cs.fontStyle, cs.fontStretch].join('|');
  if (__eaNormalLH.has(key)) return __eaNormalLH.get(key);
  var probe = document.createElement('span');
  probe.textContent = 'Ag';
  probe.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;display:block;white-space:nowrap;' +
    'padding:0;border:0;margin:0;line-height:normal;';
  ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle', 'fontStretch'].forEach(function (p) { probe.style[p] = cs[p]; });
  var host = document.body || document.documentElement, h = null;
  try {
    host.appendChild(probe);
    h = probe.getBoundingClientRect().height;
  } finally {
    probe.remove();
  }
  __eaNormalLH.set(key, h);
  return h;
}

function __eaImportantSpacing(deadline) {
  // [{selector, snippet, prop, declared, value (used px), font (px), wraps (line-height only), sample}]
  var out = [], els = document.body ? document.body.querySelectorAll('[style]') : [];
  for (var i = 0; i < els.length && i < 5000; i++) {
    if ((i & 127) === 0 && Date.now() > deadline) break;
    var el = els[i];
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || !el.style) continue;
    var props = SPACING_PROPS.filter(function (p) {
      return el.style.getPropertyPriority(p) === 'important' && !INHERITING.test(el.style.getPropertyValue(p).trim());
    });
    if (!props.length || !__eaOwnTextVisible(el)) continue;
    var cs = getComputedStyle(el);
    var font = parseFloat(cs.fontSize);
    if (!(font > 0)) continue;
    for (var k = 0; k < props.length; k++) {
      var p = props[k], computed = cs.getPropertyValue(p), value, wraps = null;
      if (p === 'line-height') {
        wraps = __eaSoftWrapped(el);
        value = computed === 'normal' ? __eaNormalLineHeight(cs) : parseFloat(computed);
      } else {
        value = computed === 'normal' ? 0 : parseFloat(computed);
      }
      if (value === null || isNaN(value)) continue;
      out.push(__eaItem(el, {prop: p, declared: el.style.getPropertyValue(p).trim().slice(0, 80),
        computed: computed, value: Math.round(value * 100) / 100, font: Math.round(font * 100) / 100,
        wraps: wraps, sample: __eaTextOf(el, 120)}));
      if (out.length >= 4 * MAX_ITEMS) return out;
    }
  }
  return out;
}
