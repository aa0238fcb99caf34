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
