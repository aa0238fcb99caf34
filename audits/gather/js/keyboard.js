// The in-page half of the keyboard walk (audits.gather.keyboard): installs window.__eaKb and returns the
// inventory for the options in arguments[0].
var KB = window.__eaKb = {seen: [], base: new Map(), scroll: [window.scrollX, window.scrollY], href: location.href,
                          prev: null};
var WIDGET_ROLES = {button: 1, link: 1, checkbox: 1, radio: 1, 'switch': 1, tab: 1, menuitem: 1,
  menuitemcheckbox: 1, menuitemradio: 1, option: 1, treeitem: 1, slider: 1, spinbutton: 1, combobox: 1,
  textbox: 1, searchbox: 1};
var ITEM_ROLES = {option: 1, treeitem: 1, menuitem: 1, menuitemcheckbox: 1, menuitemradio: 1, tab: 1, radio: 1};
var CONTAINER_ROLES = 'listbox,tree,treegrid,grid,menu,menubar,tablist,radiogroup,combobox';
var CLICK_ATTRS = ['onclick', 'onmousedown', 'onmouseup', 'onpointerdown', 'onpointerup', 'ondblclick'];
var PROPS = ['outline-style', 'outline-width', 'outline-color', 'outline-offset', 'box-shadow',
  'border-top-style', 'border-top-width', 'border-top-color', 'border-right-style', 'border-right-width',
  'border-right-color', 'border-bottom-style', 'border-bottom-width', 'border-bottom-color', 'border-left-style',
  'border-left-width', 'border-left-color', 'background-color', 'background-image', 'color',
  'text-decoration-line', 'text-decoration-color', 'text-decoration-style', 'text-decoration-thickness',
  'text-underline-offset', 'transform', 'scale', 'opacity', 'filter', 'font-weight', 'text-shadow', 'fill',
  'stroke', 'stroke-width', 'visibility', 'display'];
var CONTAINER_TAGS = {iframe: 1, frame: 1, object: 1, embed: 1, video: 1, audio: 1};
var MULTI_FIELD_INPUTS = {date: 1, time: 1, 'datetime-local': 1, month: 1, week: 1};
var TEXT_INPUTS = {text: 1, search: 1, email: 1, url: 1, tel: 1, password: 1, number: 1, '': 1};

function snip(el) {
  var html = (el.outerHTML || '').replace(/\s+/g, ' ').trim();
  if (html.length <= 300) return html;
  var parts = ['<' + el.localName];
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i];
    parts.push(a.name + '="' + String(a.value).replace(/"/g, '&quot;') + '"');
  }
  var start = parts.join(' ') + '>';
  return start.length > 300 ? start.slice(0, 299) + '\u2026' : start + '\u2026';
}
function keyOf(el, path) {
  if (el.localName === 'input' && el.type === 'radio' && el.name) {
    var f = el.form;
    return 'radio:' + (f ? (f.id || Array.prototype.indexOf.call(document.forms, f)) : '-') + ':' + el.name;
  }
  return path;
}
function role(el) { return (el.getAttribute('role') || '').trim().split(/\s+/)[0].toLowerCase(); }
function nameOf(el) {
  var n = el.getAttribute('aria-label') || '';
  if (!n && el.getAttribute('aria-labelledby')) {
    n = el.getAttribute('aria-labelledby').split(/\s+/).map(function (id) {
      var r = document.getElementById(id); return r ? r.textContent : '';
    }).join(' ');
  }
  if (!n && el.labels && el.labels.length) n = el.labels[0].textContent;
  if (!n) n = el.innerText || el.textContent || '';
  if (!n.trim()) {
    var img = el.querySelector && el.querySelector('img[alt]');
    n = (img && img.getAttribute('alt')) || el.getAttribute('title') || el.getAttribute('placeholder') ||
        (el.value && typeof el.value === 'string' ? el.value : '') || '';
  }
  n = n.replace(/\s+/g, ' ').trim();
  return n.length > 60 ? n.slice(0, 57) + '...' : n;
}
function walkAll(fn, limit) {
  var count = 0;
  function walk(root) {
    for (var c = root.firstElementChild; c && count < limit; c = c.nextElementSibling) {
      count++;
      fn(c);
      if (c.shadowRoot) walk(c.shadowRoot);
      walk(c);
    }
  }
  walk(document.documentElement ? {firstElementChild: document.documentElement} : document);
  return count;
}
function fixedChain(el) {
  for (var n = el; n && n.nodeType === 1; n = n.parentElement || (n.getRootNode && n.getRootNode().host)) {
    var p = getComputedStyle(n).position;
    if (p === 'fixed' || p === 'sticky') return true;
  }
  return false;
}
function inDialog(el) {
  var n = el;
  while (n) {
    if (n.closest) {
      var d = n.closest('dialog[open], [role=dialog], [role=alertdialog], [aria-modal=true]');
      if (d) return true;
    }
    var root = n.getRootNode ? n.getRootNode() : null;
    n = root && root.host ? root.host : null;
  }
  return false;
}
function norm(cs, p) {
  return cs.getPropertyValue(p);
}
function sigOf(el, pseudo) {
  if (!el) return null;
  var cs = getComputedStyle(el, pseudo || null);
  if (pseudo && (cs.content === 'none' || cs.content === 'normal' || cs.display === 'none')) return 'none';
  var out = [];
  for (var i = 0; i < PROPS.length; i++) {
    var p = PROPS[i], v = cs.getPropertyValue(p);
    if (p === 'outline-style' && (v === 'none' || parseFloat(cs.outlineWidth) === 0 ||
                                  /^(transparent|rgba\(.*,\s*0\))$/.test(cs.outlineColor))) {
      // No outline, or an invisible one (outline: 2px solid transparent is only there for forced-colours mode).
      out.push('none'); out.push(''); out.push(''); out.push(''); i += 3; continue;
    }
    out.push(v);
  }
  if (pseudo) { out.push(cs.content); out.push(cs.width); out.push(cs.height); }
  return out.join('\u0001');
}
function related(el) {
  var p = el.parentElement, lab = el.labels && el.labels.length ? el.labels[0] : null;
  return [['self', el, null], ['before', el, '::before'], ['after', el, '::after'], ['parent', p, null],
          ['grandparent', p && p.parentElement, null], ['label', lab && !lab.contains(el) ? lab : null, null],
          ['next', el.nextElementSibling, null], ['next-after', el.nextElementSibling, '::after'],
          ['next-before', el.nextElementSibling, '::before'], ['child', el.firstElementChild, null]];
}
function sigs(el) {
  return related(el).map(function (r) { return r[1] ? sigOf(r[1], r[2]) : null; });
}
function finishAnimations(el) {
  try {
    var anims = document.getAnimations ? document.getAnimations() : [];
    for (var i = 0; i < anims.length; i++) {
      var a = anims[i], t = a.effect && a.effect.target;
      if (!t || a.playState === 'finished') continue;
      if (!(t === el || t.contains(el) || el.contains(t) || (el.parentElement && el.parentElement.contains(t))))
        continue;
      var end = a.effect.getComputedTiming().endTime;
      if (isFinite(end)) a.finish();
    }
  } catch (e) {}
}
function deepActive() {
  var el = document.activeElement, frame = null;
  while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
  if (el && (el.localName === 'iframe' || el.localName === 'frame')) {
    frame = 'cross-origin';
    try {
      var inner = el.contentDocument && el.contentDocument.activeElement;
      if (inner && inner !== el.contentDocument.body) return {el: inner, frameEl: el, frame: 'same-origin'};
      if (el.contentDocument) frame = 'same-origin';
    } catch (e) {}
  }
  return {el: el, frameEl: null, frame: frame};
}
function unionRect(el) {
  var r = el.getBoundingClientRect(), x1 = r.left, y1 = r.top, x2 = r.right, y2 = r.bottom;
  var cs = getComputedStyle(el);
  if (cs.overflowX === 'visible' && cs.overflowY === 'visible') {
    var kids = el.querySelectorAll('*');
    for (var i = 0; i < kids.length && i < 50; i++) {
      var k = kids[i].getBoundingClientRect();
      if (k.width < 1 && k.height < 1) continue;
      if (x2 - x1 < 1 || y2 - y1 < 1) { x1 = k.left; y1 = k.top; x2 = k.right; y2 = k.bottom; continue; }
      x1 = Math.min(x1, k.left); y1 = Math.min(y1, k.top); x2 = Math.max(x2, k.right); y2 = Math.max(y2, k.bottom);
    }
  }
  return {x: x1, y: y1, w: Math.max(0, x2 - x1), h: Math.max(0, y2 - y1)};
}
function pseudoContent(el) {
  for (var i = 0; i < 2; i++) {
    var cs = getComputedStyle(el, i ? '::after' : '::before');
    if (cs.content !== 'none' && cs.content !== 'normal' && cs.display !== 'none' &&
        (parseFloat(cs.width) > 2 || parseFloat(cs.height) > 2 || cs.content.length > 2)) return true;
  }
  return false;
}
function loadingMedia(el) {
  // An image still loading (lazy, below the fold until focus scrolled to it) has no size yet.
  var imgs = el.localName === 'img' ? [el] : el.querySelectorAll('img, picture, video, iframe');
  for (var i = 0; i < imgs.length; i++) {
    var m = imgs[i];
    if (m.localName !== 'img' || !m.complete || !m.naturalWidth) return true;
  }
  return false;
}
function hiddenReasons(el, rect) {
  // Why the focused element cannot be seen: [] when it can.
  var out = [], vw = window.innerWidth, vh = window.innerHeight;
  if (rect.w * rect.h <= 4 && !pseudoContent(el) && !loadingMedia(el)) out.push('tiny');
  // Off-screen: outside the area the page can scroll to (not merely outside the viewport: a smooth scroll to the
  // element may still be under way).
  var de = document.documentElement, sx = window.scrollX, sy = window.scrollY;
  var fixedEl = getComputedStyle(el).position === 'fixed';
  var areaW = fixedEl ? vw : Math.max(de.scrollWidth, vw), areaH = fixedEl ? vh : Math.max(de.scrollHeight, vh);
  var ox = fixedEl ? 0 : sx, oy = fixedEl ? 0 : sy;
  if (rect.w * rect.h > 0 && (rect.x + ox + rect.w <= 0 || rect.y + oy + rect.h <= 0 || rect.x + ox >= areaW ||
                              rect.y + oy >= areaH))
    out.push('offscreen');
  var opacity = 1, fading = false, clip = {x1: rect.x, y1: rect.y, x2: rect.x + rect.w, y2: rect.y + rect.h};
  var mode = getComputedStyle(el).position, n = el, first = true;
  if (mode !== 'absolute' && mode !== 'fixed') mode = 'static';
  while (n && n.nodeType === 1) {
    var cs = getComputedStyle(n);
    var op = parseFloat(cs.opacity);
    opacity *= op;
    // A transparent box that fades in by transition or animation (reveal-on-scroll scripts): may be on its way.
    if (op < 0.5 && ((/opacity|all/.test(cs.transitionProperty) && parseFloat(cs.transitionDuration) > 0) ||
                     (cs.animationName && cs.animationName !== 'none'))) fading = true;
    // visibility is inherited: the element's own value says it all (a visible child of a hidden parent shows)
    if (first && (cs.visibility === 'hidden' || cs.visibility === 'collapse')) out.push('invisible');
    if (cs.clip && /rect\(\s*0(px)?,?\s+0(px)?,?\s+0(px)?,?\s+0(px)?\s*\)/.test(cs.clip) && cs.position === 'absolute')
      out.push('clip');
    if (cs.clipPath && /inset\(\s*(50|100)%|circle\(\s*0(px)?\s*(at|\))/.test(cs.clipPath)) out.push('clip');
    if (!first) {
      // Only ancestors on the containing-block chain clip: an absolute element escapes static ancestors, a fixed
      // one every ancestor but those with a transform, filter or containment.
      var cb = cs.transform !== 'none' || cs.filter !== 'none' || /paint|layout|strict|content/.test(cs.contain || '');
      var clips = mode === 'absolute' ? (cs.position !== 'static' || cb) : mode === 'fixed' ? cb : true;
      if (clips && (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') && n !== document.documentElement &&
          n !== document.body) {
        var r = n.getBoundingClientRect();
        if (cs.overflowX !== 'visible') { clip.x1 = Math.max(clip.x1, r.left); clip.x2 = Math.min(clip.x2, r.right); }
        if (cs.overflowY !== 'visible') { clip.y1 = Math.max(clip.y1, r.top); clip.y2 = Math.min(clip.y2, r.bottom); }
      }
      if (clips) mode = cs.position === 'absolute' || cs.position === 'fixed' ? cs.position : 'static';
    }
    first = false;
    var parent = n.parentElement || (n.getRootNode && n.getRootNode().host) || null;
    n = parent;
  }
  if (opacity <= 0.05) out.push(fading ? 'fading' : 'transparent');
  if (rect.w * rect.h > 4 && (clip.x2 - clip.x1 < 1 || clip.y2 - clip.y1 < 1)) out.push('clipped');
  return {reasons: out, clip: clip};
}
function paintsNothing(cs) {
  if (cs.backgroundImage !== 'none' || !/^(transparent|rgba\(.*,\s*0\))$/.test(cs.backgroundColor)) return false;
  return !(parseFloat(cs.borderTopWidth) || parseFloat(cs.borderLeftWidth) || cs.boxShadow !== 'none');
}
function seeThrough(el, x, y) {
  // Paints nothing over what lies below at (x, y): a transparent box without text of its own, or a transparent
  // ::before / ::after stretched over a card (the "stretched link" pattern).
  var rects = el.getClientRects(), inside = false;
  for (var i = 0; i < rects.length; i++) {
    var r = rects[i];
    if (x >= r.left && x <= r.right && y >= r.top && y <= r.bottom) { inside = true; break; }
  }
  if (!inside) {
    var b = getComputedStyle(el, '::before'), a = getComputedStyle(el, '::after');
    return (b.content === 'none' || paintsNothing(b)) && (a.content === 'none' || paintsNothing(a));
  }
  if (!paintsNothing(getComputedStyle(el))) return false;
  for (var c = el.firstChild; c; c = c.nextSibling) if (c.nodeType === 3 && c.nodeValue.trim()) return false;
  return true;
}
function obscured(el, clip) {
  var vw = window.innerWidth, vh = window.innerHeight;
  var x1 = Math.max(clip.x1, 0), y1 = Math.max(clip.y1, 0), x2 = Math.min(clip.x2, vw), y2 = Math.min(clip.y2, vh);
  if (x2 - x1 < 2 || y2 - y1 < 2) return null;
  var pts = [[(x1 + x2) / 2, (y1 + y2) / 2], [x1 + 1, y1 + 1], [x2 - 1, y1 + 1], [x1 + 1, y2 - 1], [x2 - 1, y2 - 1]];
  var root = el.getRootNode ? el.getRootNode() : document;
  if (!root.elementFromPoint) root = document;
  var lab = el.labels && el.labels.length ? el.labels[0] : null, cover = null;
  for (var i = 0; i < pts.length; i++) {
    var hit = root.elementFromPoint(pts[i][0], pts[i][1]);
    if (!hit || hit === el || el.contains(hit) || hit.contains(el) || (lab && (lab === hit || lab.contains(hit))) ||
        seeThrough(hit, pts[i][0], pts[i][1]))
      return null;
    cover = cover || hit;
  }
  var cs = getComputedStyle(cover), r = cover.getBoundingClientRect();
  var bg = cs.backgroundColor, alpha = /rgba\(.*,\s*([\d.]+)\)$/.exec(bg);
  var opaque = bg !== 'transparent' && (!alpha || parseFloat(alpha[1]) >= 0.9) && parseFloat(cs.opacity) >= 0.9;
  return {path: __eaPath(cover), fixed: fixedChain(cover), opaque: opaque,
          full: r.left <= x1 && r.top <= y1 && r.right >= x2 && r.bottom >= y2, html: snip(cover)};
}
function labelVisible(el) {
  var lab = el.labels && el.labels.length ? el.labels[0] : (el.closest ? el.closest('label') : null);
  if (!lab) return false;
  var r = lab.getBoundingClientRect();
  return r.width * r.height > 16;
}
function groupKey(el, base) {
  // Elements that share this key (same tag, classes, inner structure and unfocused styles) render focus alike.
  var kids = el.querySelectorAll('*'), tags = [];
  for (var i = 0; i < kids.length && i < 12; i++) tags.push(kids[i].localName + '.' + kids[i].className);
  var text = [el.localName, el.getAttribute('class') || '', el.getAttribute('type') || '', role(el),
              tags.join(','), (base || []).join('\u0002')].join('\u0003');
  var h = 0;
  for (var j = 0; j < text.length; j++) h = (h * 31 + text.charCodeAt(j)) | 0;
  return el.localName + ':' + (h >>> 0).toString(16);
}
function textEntry(el) {
  if (el.localName === 'textarea' || el.isContentEditable) return true;
  return el.localName === 'input' && !!TEXT_INPUTS[(el.getAttribute('type') || '').toLowerCase()];
}
function containerLike(el) {
  // Focus moves inside it while the document sees one element: frames, media controls, date fields, and custom
  // elements, whose shadow root may be closed.
  if (CONTAINER_TAGS[el.localName] || el.localName.indexOf('-') > 0) return true;
  return el.localName === 'input' && !!MULTI_FIELD_INPUTS[(el.type || '').toLowerCase()];
}
KB.measure = function (el, frame, frameEl, withHtml) {
  finishAnimations(el);
  var path = frameEl ? __eaPath(frameEl) + ' >>> ' + __eaPath(el) : __eaPath(el);
  var area = el.localName === 'area';  // drawn on its image, where its shape is: measured as the image
  var img = area && el.closest('map') && el.closest('map').name ?
      document.querySelector('img[usemap="#' + CSS.escape(el.closest('map').name) + '"]') : null;
  var rect = unionRect(img || el);
  if (frameEl) { var fr = frameEl.getBoundingClientRect(); rect.x += fr.left; rect.y += fr.top; }
  var hid = frameEl || area ? {reasons: [], clip: {x1: rect.x, y1: rect.y, x2: rect.x + rect.w, y2: rect.y + rect.h}}
                    : hiddenReasons(el, rect);
  var base = area ? null : KB.base.get(el), changed = null;
  if (base) {
    var now = sigs(el), names = related(el);
    changed = [];
    for (var i = 0; i < now.length; i++) {
      if (now[i] === base[i]) continue;
      if (now[i] === null || base[i] === null) continue;
      var a = now[i].split('\u0001'), b = base[i].split('\u0001'), props = [];
      for (var j = 0; j < a.length; j++) if (a[j] !== b[j]) props.push(PROPS[j] || 'content/size');
      if (base[i] === 'none' || now[i] === 'none') props = ['content'];
      changed.push(names[i][0] + ':' + props[0]);
    }
  }
  var ti = tabAttr(el), doc = {x: rect.x + window.scrollX, y: rect.y + window.scrollY};
  var out = {p: path, k: frameEl ? __eaPath(frameEl) : keyOf(el, path), t: el.localName,
    ty: el.localName === 'input' ? (el.type || '') : '',
    r: role(el), n: nameOf(el), ti: ti, x: Math.round(rect.x), y: Math.round(rect.y), w: Math.round(rect.w),
    h: Math.round(rect.h), dx: Math.round(doc.x), dy: Math.round(doc.y), fx: fixedChain(el), dlg: inDialog(el),
    fr: frame, sh: !!(el.getRootNode && el.getRootNode().host), c: containerLike(el) || frame === 'cross-origin',
    te: textEntry(el), hid: hid.reasons, obs: hid.reasons.length ? null : obscured(el, hid.clip), ch: changed,
    lbl: labelVisible(el)};
  if (changed && !changed.length) out.g = groupKey(el, base);
  var prev = KB.prev;
  var jump = prev && (doc.y + rect.h < prev[1] - 150);
  if (withHtml || hid.reasons.length || out.obs || (changed && !changed.length) || jump || KB.seen.length < 6)
    out.html = snip(el);
  KB.prev = [doc.x, doc.y];
  return out;
};
KB.stop = function () {
  var a = deepActive();
  if (!a.el || a.el === document.body || a.el === document.documentElement) return {p: null, i: -1};
  var out;
  try { out = KB.measure(a.el, a.frame, a.frameEl, false); }
  catch (e) {  // an odd element: its place in the order still counts, its looks are not judged
    var path = __eaPath(a.el);
    out = {p: a.frameEl ? __eaPath(a.frameEl) + ' >>> ' + path : path, t: a.el.localName, ch: null,
           err: String(e && e.message || e).slice(0, 200), c: true};
  }
  out.i = KB.seen.length;
  KB.seen.push(a.el);
  return out;
};
KB.refocus = function (i) {
  var el = KB.seen[i];
  if (!el || !el.isConnected) return false;
  el.focus({preventScroll: true});
  try { el.scrollIntoView({block: 'nearest', inline: 'nearest', behavior: 'instant'}); } catch (e) {}
  return document.activeElement === el || (el.getRootNode && el.getRootNode().activeElement === el);
};
KB.remeasure = function (i) {
  var el = KB.seen[i];
  if (!el || !el.isConnected) return null;
  var a = deepActive();
  if (a.el !== el) return null;
  return KB.measure(el, a.frame, a.frameEl, true);
};
KB.shotRect = function (i) {
  var el = KB.seen[i];
  if (!el || !el.isConnected) return null;
  var r = unionRect(el);
  var lab = el.labels && el.labels.length ? el.labels[0].getBoundingClientRect() : null;
  var x1 = r.x, y1 = r.y, x2 = r.x + r.w, y2 = r.y + r.h;
  if (lab && lab.width * lab.height > 0) {
    x1 = Math.min(x1, lab.left); y1 = Math.min(y1, lab.top);
    x2 = Math.max(x2, lab.right); y2 = Math.max(y2, lab.bottom);
  }
  x1 = Math.max(0, x1 - 16); y1 = Math.max(0, y1 - 16);
  x2 = Math.min(window.innerWidth, x2 + 16); y2 = Math.min(window.innerHeight, y2 + 16);
  if (x2 - x1 < 2 || y2 - y1 < 2 || x2 - x1 > 900 || y2 - y1 > 500) return null;
  return {x: x1, y: y1, w: x2 - x1, h: y2 - y1, sx: window.scrollX, sy: window.scrollY};
};
KB.viewRect = function () {
  // The whole viewport, in the shape of shotRect.
  var w = document.documentElement.clientWidth || window.innerWidth;
  var h = document.documentElement.clientHeight || window.innerHeight;
  return w >= 2 && h >= 2 ? {x: 0, y: 0, w: w, h: h, sx: window.scrollX, sy: window.scrollY} : null;
};
KB.ancestors = function (i) {
  // Styles of the ancestors above the grandparent (a card's :focus-within outline), to compare focused / not.
  var el = KB.seen[i], out = [];
  var n = el && el.parentElement && el.parentElement.parentElement;
  for (var d = 0; n && n.parentElement && d < 12; d++) {
    n = n.parentElement;
    if (n === document.body || n === document.documentElement) break;
    out.push(sigOf(n, null), sigOf(n, '::before'), sigOf(n, '::after'));
  }
  return out.join('\u0004');
};
KB.blur = function () {
  var a = document.activeElement;
  while (a && a.shadowRoot && a.shadowRoot.activeElement) {
    var inner = a.shadowRoot.activeElement; if (inner.blur) inner.blur(); a = inner;
  }
  if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
};
KB.start = function () {
  // Put the sequential focus navigation starting point at the start of <body>, with nothing focused.
  KB.blur();
  window.scrollTo(0, 0);
  var s = document.createElement('span');
  s.setAttribute('tabindex', '-1');
  s.setAttribute('data-ea-start', '');
  var body = document.body || document.documentElement;
  body.insertBefore(s, body.firstChild);
  s.focus({preventScroll: true});
  s.remove();
  KB.blur();
  return true;
};
KB.skip = function (i) {
  // The first stops' in-page link: where it points and whether the target exists.
  var el = KB.seen[i];
  if (!el || el.localName !== 'a') return null;
  var raw = el.getAttribute('href') || '';
  var base = location.href.split('#')[0];
  var href = el.href || '';
  if (!(raw.charAt(0) === '#' || (href.split('#')[0] === base && raw.indexOf('#') >= 0))) return null;
  var frag = href.indexOf('#') >= 0 ? href.slice(href.indexOf('#') + 1) : '';
  var out = {i: i, p: __eaPath(el), html: snip(el), n: nameOf(el), frag: frag, target: null,
             widget: !!(el.getAttribute('role') || el.hasAttribute('aria-controls') ||
                        el.hasAttribute('aria-expanded') || el.hasAttribute('aria-haspopup') ||
                        el.hasAttribute('data-toggle') || el.hasAttribute('data-bs-toggle'))};
  if (!frag || frag.toLowerCase() === 'top') return out;
  if (/^[\/!]|[\/=&?]/.test(frag)) return null;  // a client-side route (#/shop, #!/home), not an in-page target
  out.hiddenUnfocused = document.activeElement !== el && hiddenReasons(el, unionRect(el)).reasons.length > 0;
  var id = frag;
  try { id = decodeURIComponent(frag); } catch (e) {}
  var t = document.getElementById(id) || document.getElementsByName(id)[0] || null;
  if (t) {
    out.target = __eaPath(t);
    out.after = !!(el.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING);
    out.rendered = t.getClientRects().length > 0 || !!t.querySelector('*');
    KB.skipTarget = t;
  }
  return out;
};
KB.skipResult = function () {
  // After the skip link was activated and Tab pressed once: did focus land at or after the target?
  var t = KB.skipTarget, d = deepActive(), a = d.el;
  var out = {href: location.href, scroll: [window.scrollX, window.scrollY], active: null, where: null};
  if (!t) return out;
  if (!a || a === document.body || a === document.documentElement) { out.where = 'body'; return out; }
  out.active = __eaPath(a);
  out.ti = tabAttr(a);
  out.n = nameOf(a);
  out.t = a.localName;
  // Compare positions in this document: focus inside a frame or a shadow tree counts where its frame/host is
  // (compareDocumentPosition across documents or trees is implementation-specific, i.e. random).
  if (d.frameEl) a = d.frameEl;
  while (a.getRootNode && a.getRootNode() !== document && a.getRootNode().host) a = a.getRootNode().host;
  if (!t.isConnected) { out.where = null; return out; }
  if (a === t || t.contains(a)) out.where = 'inside';
  else if (t.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) out.where = 'after';
  else out.where = 'before';
  return out;
};
KB.listeners = function (getEventListeners) {
  // DevTools' getEventListeners (Runtime.evaluate with the command-line API): pointer listeners on each candidate.
  var kinds = ['click', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'touchstart', 'touchend'];
  return KB.cands.map(function (el) {
    try {
      var l = getEventListeners(el) || {};
      return kinds.filter(function (k) { return l[k] && l[k].length; });
    } catch (e) { return []; }
  });
};
KB.cleanup = function () {
  KB.blur();
  try { if (location.href !== KB.href) history.replaceState(history.state, '', KB.href); } catch (e) {}
  window.scrollTo(KB.scroll[0], KB.scroll[1]);
  KB.base = new Map(); KB.seen = []; KB.cands = []; KB.skipTarget = null;
  try { delete window.__eaKb; } catch (e) { window.__eaKb = undefined; }
  return true;
};
KB.inventory = function (opts) {
  KB.blur();
  var tabbables = [], candidates = [], all = [], maxBase = opts.maxBase, cursorBudget = opts.maxCursor;
  var until = performance.now() + opts.millis, late = false;
  function overtime() { if (!late && performance.now() > until) late = true; return late; }
  var mainEl = document.querySelector('main, [role=main]') || document.querySelector('h1');
  var count = walkAll(function (el) { all.push(el); }, opts.maxElements);
  var focusables = [];
  for (var i = 0; i < all.length; i++) {
    var el = all[i];
    if (focusable(el)) focusables.push(el);
    if (tabbable(el)) {
      var path = __eaPath(el);
      var entry = {p: path, k: keyOf(el, path), t: el.localName, ti: tabAttr(el),
                   main: mainEl ? !!(mainEl === el || mainEl.contains(el) ||
                                     (mainEl.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) : null,
                   dlg: inDialog(el)};
      tabbables.push(entry);
      if (tabbables.length <= maxBase && !overtime()) KB.base.set(el, sigs(el));
    }
  }
  function insideFocusable(el) {
    for (var n = el.parentElement; n; n = n.parentElement) if (focusable(n)) return true;
    var host = el.getRootNode && el.getRootNode().host;
    return host ? (focusable(host) || insideFocusable(host)) : false;
  }
  function hasFocusableDescendant(el) {
    var q = el.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex], ' +
                                'summary, iframe, [contenteditable], audio[controls], video[controls], area[href]');
    for (var i = 0; i < q.length; i++) if (focusable(q[i])) return true;
    return false;
  }
  function visibleContent(el) {
    var r = el.getBoundingClientRect();
    if (r.width < 4 || r.height < 4) return false;
    if ((el.innerText || '').trim()) return true;
    if (el.querySelector('img, svg, canvas, picture, video')) return true;
    if (el.localName === 'img' || el.localName === 'svg' || el.localName === 'canvas') return true;
    var cs = getComputedStyle(el);
    if (cs.backgroundImage && cs.backgroundImage !== 'none') return true;
    return pseudoContent(el);
  }
  function trivialHandler(v) {
    v = (v || '').replace(/\s+/g, '');
    var noop = /^(javascript:)?((event|e)\.(stopPropagation|preventDefault)\(\);?|returnfalse;?|void\(0\);?)+$/i;
    return !v || noop.test(v);
  }
  function itemInWorkingContainer(el) {
    var c = el.parentElement && el.parentElement.closest('[role]');
    while (c && CONTAINER_ROLES.split(',').indexOf(role(c)) < 0)
      c = c.parentElement && c.parentElement.closest('[role]');
    if (!c) c = el.parentElement;
    if (!c) return false;
    if (focusable(c) || c.hasAttribute('aria-activedescendant')) return true;
    if (c.id && document.querySelector('[aria-controls~="' + CSS.escape(c.id) + '"], [aria-owns~="' +
                                       CSS.escape(c.id) + '"]')) return true;
    if (el.id && document.querySelector('[aria-activedescendant="' + CSS.escape(el.id) + '"]')) return true;
    var sibs = c.querySelectorAll('[role]');
    for (var i = 0; i < sibs.length; i++) if (sibs[i] !== el && focusable(sibs[i])) return true;
    return false;
  }
  var seenCursor = 0;
  for (var i = 0; i < all.length && !overtime(); i++) {
    var el = all[i], t = el.localName;
    if (t === 'html' || t === 'body' || t === 'head' || t === 'option' || t === 'optgroup' || t === 'label' &&
        el.control) continue;
    if (el.closest('head, template, noscript, select, datalist')) continue;
    var evidence = [];
    for (var a = 0; a < CLICK_ATTRS.length; a++) {
      if (el.hasAttribute(CLICK_ATTRS[a]) && !trivialHandler(el.getAttribute(CLICK_ATTRS[a]))) {
        evidence.push(CLICK_ATTRS[a]); break;
      }
    }
    var r = role(el);
    if (WIDGET_ROLES[r]) evidence.push('role=' + r);
    var cursor = false;
    if (!evidence.length && seenCursor < cursorBudget) {
      if (t === 'a' && !el.hasAttribute('href') || !focusable(el)) {
        seenCursor++;
        var cs = getComputedStyle(el);
        if (cs.cursor === 'pointer') {
          var p = el.parentElement;
          cursor = !p || getComputedStyle(p).cursor !== 'pointer';
        }
      }
    }
    if (!evidence.length && !cursor) continue;
    if (focusable(el) || isDisabled(el) || el.getAttribute('aria-disabled') === 'true') continue;
    if (!rendered(el) || inert(el) || el.closest('[aria-hidden=true]')) continue;
    if (insideFocusable(el) || hasFocusableDescendant(el)) continue;
    if (!visibleContent(el)) continue;
    if (ITEM_ROLES[r] && itemInWorkingContainer(el)) continue;
    if (el.localName === 'label' && el.control) continue;
    candidates.push({el: el, evidence: evidence, cursor: cursor, noHref: t === 'a'});
  }
  // Outermost only: a candidate inside another candidate is the same control.
  var out = [];
  KB.cands = [];
  for (var i = 0; i < candidates.length; i++) {
    var c = candidates[i], nested = false;
    for (var j = 0; j < candidates.length && !nested; j++) {
      if (i !== j && candidates[j].el.contains(c.el) && candidates[j].el !== c.el) nested = true;
    }
    if (nested) continue;
    var rr = c.el.getBoundingClientRect();
    KB.cands.push(c.el);
    out.push({p: __eaPath(c.el), html: snip(c.el), t: c.el.localName, r: role(c.el), n: nameOf(c.el),
              evidence: c.evidence, cursor: c.cursor, noHref: c.noHref,
              rect: [Math.round(rr.left + window.scrollX), Math.round(rr.top + window.scrollY), Math.round(rr.width),
                     Math.round(rr.height)]});
    if (out.length >= opts.maxCandidates) break;
  }
  return {tabbables: tabbables.slice(0, opts.maxTabbables), tabbable_count: tabbables.length,
          unfocusable: out, elements: count, focusable_count: focusables.length, inventory_truncated: late,
          main: mainEl ? {p: __eaPath(mainEl), t: mainEl.localName} : null,
          viewport: [window.innerWidth, window.innerHeight],
          doc: [document.documentElement.scrollWidth, document.documentElement.scrollHeight],
          url: location.href};
};
return KB.inventory(arguments[0]);
