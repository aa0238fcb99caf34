// Keyboard reach without pressing a key (read-only): frames taken out of the tab order (ACT akn7bn).
var MIN_FRAME_PX = 8;  // a frame smaller than this shows nothing of what it holds (tracking pixels, hidden frames)

function __eaSeen(el) {
  // Rendered and not transparent (in its own document, whichever that is).
  if (el.checkVisibility) return el.checkVisibility({visibilityProperty: true, opacityProperty: true});
  return rendered(el);
}

function __eaTabbablesIn(doc, max) {
  // The visible elements of a document that are in its sequential focus navigation order (first `max`).
  var out = [], all = doc.body ? doc.body.getElementsByTagName('*') : doc.getElementsByTagName('*');
  for (var i = 0; i < all.length && i < 5000 && out.length < max; i++) {
    var el = all[i];
    if (tabbable(el) && !blocked(el) && __eaSeen(el)) out.push(el);
  }
  return out;
}

function __eaNegativeFrames() {
  // [{selector, snippet, tabindex, inert, shown, readable, tabbables, first}] for each iframe / frame of the page
  // whose tabindex attribute is a negative number.
  var out = [], frames = document.querySelectorAll('iframe, frame');
  for (var i = 0; i < frames.length && out.length < MAX_ITEMS; i++) {
    var f = frames[i], ti = tabAttr(f);
    if (ti === null || ti >= 0) continue;
    var r = f.getBoundingClientRect();
    var item = {tabindex: ti, inert: blocked(f), readable: false, tabbables: 0, first: null,
                shown: __eaSeen(f) && r.width >= MIN_FRAME_PX && r.height >= MIN_FRAME_PX && !__eaUnseen(f)};
    var doc = null;
    try { doc = f.contentDocument; } catch (e) { doc = null; }  // another origin's document cannot be read
    if (doc && doc.documentElement) {
      item.readable = true;
      var found = __eaTabbablesIn(doc, 20);
      item.tabbables = found.length;
      if (found.length) item.first = __eaSnip(found[0]);
    }
    out.push(__eaItem(f, item));
  }
  return out;
}

// Scrollable boxes nobody can reach with the Tab key (ACT 0ssw9k).
var MIN_HIDDEN_PX = 4;  // less than this hidden past the padding is rounding, not content
var MEDIA = /^(img|svg|video|canvas|picture|object|embed|iframe|input|select|textarea|button|audio|math)$/;

function __eaTabbableWithin(root, limit) {
  // root or an element inside it (open shadow roots included) is in the sequential focus navigation order.
  var stack = [root], seen = 0;
  while (stack.length && seen < limit) {
    var n = stack.pop();
    seen++;
    if (n.nodeType === 1 && tabbable(n)) return true;
    if (n.shadowRoot) stack.push(n.shadowRoot);
    for (var c = n.lastElementChild; c; c = c.previousElementSibling) stack.push(c);
  }
  return seen >= limit ? null : false;  // null: too large to tell
}

function __eaShowsContent(box) {
  // Something inside the box is seen: rendered text, or a picture, media or control with a size.
  var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, null);
  var range = document.createRange(), n, count = 0;
  while ((n = walker.nextNode()) && count++ < 2000) {
    if (n.nodeType === 3) {
      if (!/\S/.test(n.data)) continue;
      var p = n.parentElement;
      if (!p || /^(script|style|noscript|template)$/.test(p.localName) || !__eaSeen(p)) continue;
      range.selectNodeContents(n);
      var rects = range.getClientRects();
      for (var i = 0; i < rects.length; i++) if (rects[i].width > 0 && rects[i].height > 0) return true;
    } else if (MEDIA.test(n.localName) && __eaSeen(n)) {
      var r = n.getBoundingClientRect();
      if (r.width >= 2 && r.height >= 2) return true;
    }
  }
  return false;
}

function __eaUnreachableScrollers(deadline) {
  // [{selector, snippet, axis, distance [x, y], padding [x, y], tabindex, sample}] for each element whose content
  // scrolls (overflow auto or scroll) further than its padding, with content to see, and neither it nor anything
  // inside it in the tab order, nor inert. The page itself (html, body) and frames scroll their own documents.
  var out = [], all = document.body ? document.body.getElementsByTagName('*') : [];
  for (var i = 0; i < all.length && i < 8000; i++) {
    if ((i & 255) === 0 && Date.now() > deadline) break;
    var el = all[i];
    var dx = el.scrollWidth - el.clientWidth, dy = el.scrollHeight - el.clientHeight;
    if (dx < MIN_HIDDEN_PX && dy < MIN_HIDDEN_PX) continue;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml' || /^(iframe|frame|textarea|select)$/.test(el.localName)) continue;
    var cs = getComputedStyle(el);
    var px = Math.max(parseFloat(cs.paddingLeft) || 0, parseFloat(cs.paddingRight) || 0);
    var py = Math.max(parseFloat(cs.paddingTop) || 0, parseFloat(cs.paddingBottom) || 0);
    var sx = /^(auto|scroll)$/.test(cs.overflowX) && dx - px >= MIN_HIDDEN_PX;
    var sy = /^(auto|scroll)$/.test(cs.overflowY) && dy - py >= MIN_HIDDEN_PX;
    if (!sx && !sy) continue;
    var r = el.getBoundingClientRect();
    if (r.width < 8 || r.height < 8 || !__eaSeen(el) || __eaUnseen(el) || __eaSrOnly(el)) continue;
    if (blocked(el) || !__eaShowsContent(el)) continue;
    if (__eaTabbableWithin(el, 3000) !== false) continue;
    out.push(__eaItem(el, {axis: sx && sy ? 'both' : sx ? 'horizontal' : 'vertical', distance: [dx, dy],
      padding: [px, py], tabindex: tabAttr(el), sample: __eaTextOf(el, 120)}));
    if (out.length >= MAX_ITEMS) break;
  }
  return out;
}
