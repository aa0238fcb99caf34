// 5. Images whose source is SVG markup that writes words with <text> (async): an <img> or image button shows the
// SVG as a picture, so its text cannot be re-fonted, re-spaced or recoloured by the reader (WCAG 1.4.5; ACT 0va7u6).
// The markup of a data: URI is read in place, an .svg file the page loads is fetched again (from the cache, with a
// time limit; another origin's file only when it allows it).
var done = arguments[arguments.length - 1];
var deadline = Date.now() + arguments[0] * 1000;
var MAX_SVG = 12;
var SVG_NS = 'http://www.w3.org/2000/svg';
var UNDRAWN = 'defs, symbol, clipPath, mask, pattern, marker, title, desc, metadata, linearGradient, radialGradient, filter';
var SHAPES = 'path, rect, circle, ellipse, line, polyline, polygon, image, use, foreignObject';
var out = {svg: [], truncated: false};
var finished = false;
function finish() { if (!finished) { finished = true; done(out); } }

function svgSource(src) {
  // {text} for a data: URI of SVG markup, {url} for an .svg file, null for anything else.
  if (/^data:image\/svg\+xml/i.test(src)) {
    var comma = src.indexOf(',');
    if (comma < 0) return null;
    var head = src.slice(0, comma), body = src.slice(comma + 1);
    try { return {text: /;base64/i.test(head) ? atob(body) : decodeURIComponent(body)}; }
    catch (e) { return {text: body}; }
  }
  try {
    var u = new URL(src, location.href);
    if (/^https?:$/.test(u.protocol) && /\.svgz?$/i.test(u.pathname)) return {url: u.href};
  } catch (e) { /* not a URL */ }
  return null;
}
function drawn(el) {
  for (var n = el; n && n.nodeType === 1; n = n.parentNode) {
    if (n.matches && n.matches(UNDRAWN)) return false;
    if (n.getAttribute && (n.getAttribute('display') === 'none' || n.getAttribute('visibility') === 'hidden')) return false;
  }
  return true;
}
function analyse(markup) {
  // The words the SVG writes with <text> and how many other shapes it draws; null when it is not SVG.
  var doc;
  try { doc = new DOMParser().parseFromString(markup, 'image/svg+xml'); } catch (e) { return null; }
  var root = doc && doc.documentElement;
  if (!root || root.localName !== 'svg' || root.namespaceURI !== SVG_NS || doc.getElementsByTagName('parsererror').length) return null;
  var words = [], shapes = 0;
  var texts = root.querySelectorAll('text');
  for (var i = 0; i < texts.length; i++) if (drawn(texts[i])) words.push(texts[i].textContent);
  var all = root.querySelectorAll(SHAPES);
  for (var j = 0; j < all.length; j++) if (drawn(all[j])) shapes++;
  return {text: words.join(' ').replace(/\s+/g, ' ').trim().slice(0, 300), texts: words.length, shapes: shapes};
}
var candidates = [];
var els = document.querySelectorAll('img, input[type=image]');
for (var i = 0; i < els.length && candidates.length < MAX_SVG; i++) {
  var el = els[i];
  var src = el.localName === 'img' ? (el.currentSrc || el.src || '') : (el.src || '');
  var source = src && svgSource(src);
  if (!source || !__eaVisible(el) || __eaUnseen(el)) continue;
  var r = el.getBoundingClientRect();
  if (r.width < 16 || r.height < 8) continue;
  if (el.localName === 'img' && !el.complete) continue;  // still loading: not seen yet
  candidates.push({el: el, source: source, width: Math.round(r.width), height: Math.round(r.height)});
}
if (els.length && candidates.length >= MAX_SVG) out.truncated = true;

function record(c, markup) {
  var a = markup ? analyse(markup) : null;
  if (!a || !a.texts) return;
  var h = __eaLogoHints(c.el, __eaFileName(c.el.currentSrc || c.el.src || ''));
  out.svg.push(__eaItem(c.el, {alt: c.el.getAttribute('alt'), src: (c.el.currentSrc || c.el.src || '').slice(0, 200),
    kind: c.el.localName === 'img' ? 'img' : 'button', text: a.text, texts: a.texts, shapes: a.shapes,
    logo: h.logo, home: h.home, width: c.width, height: c.height, hidden_at: __eaHiddenAT(c.el)}));
}
var pending = 0;
candidates.forEach(function (c) {
  if (c.source.text !== undefined) { record(c, c.source.text); return; }
  pending++;
  var ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
  var left = Math.max(50, deadline - Date.now() - 50);
  var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, left);
  fetch(c.source.url, {signal: ctrl ? ctrl.signal : undefined, cache: 'force-cache', credentials: 'same-origin'})
    .then(function (res) { return res.ok ? res.text() : null; })
    .then(function (text) { if (text && text.length < 2000000) record(c, text); })
    .catch(function () { /* another origin without CORS, a timeout: not known */ })
    .then(function () { clearTimeout(timer); if (--pending === 0) finish(); });
});
if (!pending) finish();
setTimeout(finish, Math.max(60, deadline - Date.now()));
