// 4. Reflow at 320 CSS px (async): run after the viewport was narrowed.
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
