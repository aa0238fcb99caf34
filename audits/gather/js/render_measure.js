// 2 and 3. Text spacing (1.4.12) and 200% text (1.4.4): measure, change, measure, restore - in one script.
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
