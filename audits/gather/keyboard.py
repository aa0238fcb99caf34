"""The "keyboard" probe: walk the page with real Tab / Shift+Tab presses in Chromium and record every focus stop.

`gather(driver, budget)` returns a JSON-safe dict (never decides findings; the checks in audits/browser do):

- one inventory script first: the tabbable elements in DOM order, elements that look interactive but cannot take
  focus (onclick-style attributes, widget ARIA roles, <a> without href, pointer cursor; with DevTools, their own
  pointer event listeners through getEventListeners), each tabbable's unfocused styles (kept in the page, compared
  at each stop) and where the main content starts;
- the walk: Tab presses, each followed by one in-page measurement of the focused element (path in our selector
  format, rect, visibility when focused, which focus-indicator styles changed). Stops at the end of the page (focus
  back on <body> or on the first stop), when a cycle or a stuck focus is confirmed, or at the budget;
- a few Shift+Tab presses (reverse movement), an escape test when focus is trapped, the skip-link activation test,
  and re-checks of the suspicious stops (re-focused after a pause; an element screenshot focused and unfocused when
  no style changed), all bounded by the clock;
- clean-up: the focused element is blurred, the scroll position and URL (hash) restored.

Key presses go, fastest first, over Chromium's own DevTools socket (a local chromedriver's debuggerAddress: about
5 ms a press and measurement), through chromedriver's execute_cdp_cmd (about 35 ms: chromedriver waits after each
input command), or Selenium ActionChains (any WebDriver, a remote Grid). The walk stops early enough to leave time
for the re-checks of what it found.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import Any
from urllib.parse import urlsplit

from audits.gather.axe import _PATH_JS

log = logging.getLogger(__name__)

MAX_STOPS = 1500  # presses in the forward walk, whatever the budget
STUCK_PRESSES = 3  # the same element after this many Tab presses in a row: focus does not move
CONTAINER_PRESSES = 30  # the same iframe / media / date field after this many presses: focus stays inside it
REVERSE_PRESSES = 6
MAX_VERIFY = 8  # stops without a focus style change given the screenshot test, per page
MAX_HIDDEN = 8  # stops hidden when focused re-checked, per page
SETTLE = 0.12  # seconds a re-focused element is given for scripts and transitions before it is measured
SETTLE_HIDDEN = 0.15  # the same for an element that was hidden when focused (its transitions were already ended)

_KB_JS = r"""
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
function tabAttr(el) {
  var v = el.getAttribute && el.getAttribute('tabindex');
  if (v === null || v === undefined) return null;
  var n = parseInt(v, 10);
  return isNaN(n) ? null : n;
}
function isDisabled(el) {
  if (!('disabled' in el)) return false;
  if (el.disabled) return true;
  try { return el.matches(':disabled'); } catch (e) { return false; }
}
function focusable(el) {
  // Can take focus at all (by script or click), whatever its tabindex.
  if (!el || el.nodeType !== 1) return false;
  var t = el.localName;
  if (t === 'input' && el.type === 'hidden') return false;
  if (isDisabled(el)) return false;
  if (tabAttr(el) !== null) return true;
  if (el.isContentEditable && !(el.parentElement && el.parentElement.isContentEditable)) return true;
  if (t === 'a' || t === 'area') return el.hasAttribute('href');
  if (t === 'button' || t === 'input' || t === 'select' || t === 'textarea') return true;
  if (t === 'summary') {
    var d = el.parentElement;
    return !!d && d.localName === 'details' && d.querySelector(':scope > summary') === el;
  }
  if (t === 'iframe' || t === 'frame' || t === 'object' || t === 'embed') return true;
  if ((t === 'audio' || t === 'video') && el.hasAttribute('controls')) return true;
  if (el.namespaceURI === 'http://www.w3.org/2000/svg' && t === 'a') return el.hasAttribute('href') ||
      el.hasAttribute('xlink:href');
  return false;
}
function rendered(el) {
  if (el.localName === 'area') {
    var m = el.closest('map');
    return !!(m && m.name && document.querySelector('img[usemap="#' + CSS.escape(m.name) + '"]'));
  }
  if (el.checkVisibility) return el.checkVisibility({visibilityProperty: true});
  return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
}
function inert(el) { return !!(el.closest && el.closest('[inert]')); }
function tabbable(el) {
  if (!focusable(el)) return false;
  var ti = tabAttr(el);
  if (ti !== null && ti < 0) return false;
  return rendered(el) && !inert(el);
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
"""

_INSTALL_JS = _PATH_JS + _KB_JS + "\nreturn KB.inventory(arguments[0]);"

_INVENTORY_OPTS = {"maxElements": 12000, "maxBase": 600, "maxCursor": 4000, "maxCandidates": 60,
                   "maxTabbables": 800}

_TAB = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9}
_KEYS = {
    "Tab": _TAB,
    "Escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27, "nativeVirtualKeyCode": 27},
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
              "text": "\r", "unmodifiedText": "\r"},
}
_SHIFT = 8


class _Budget(Exception):
    """The probe's time is up."""


def _key_events(key: str, shift: bool) -> list[dict[str, Any]]:
    spec = _KEYS[key]
    mods = _SHIFT if shift else 0
    down = {"type": "keyDown" if "text" in spec else "rawKeyDown", "modifiers": mods, **spec}
    up = {"type": "keyUp", "modifiers": mods, **{k: v for k, v in spec.items() if k not in ("text", "unmodifiedText")}}
    return [down, up]


class _Keyboard:
    """Presses keys and measures the focused element; the fastest channel the driver offers."""

    method = "none"

    def __init__(self, driver: Any, deadline: float) -> None:
        self.driver = driver
        self.deadline = deadline

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise _Budget()

    # Overridden per channel
    def press(self, key: str, shift: bool = False) -> None:
        raise NotImplementedError

    def js(self, expr: str) -> Any:
        """Evaluate `expr` (an expression using KB) in the page."""
        self.check()
        return self.driver.execute_script("var KB = window.__eaKb; if (!KB) return null; return " + expr + ";")

    def tabs(self, n: int, shift: bool = False) -> list[dict[str, Any]]:
        """Press Tab n times; the measured stop after each press."""
        out = []
        for _ in range(n):
            self.check()
            self.press("Tab", shift)
            out.append(self.js("KB.stop()") or {"p": None, "i": -1})
        return out

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        return None

    def devtools_eval(self, expr: str) -> Any:
        """Runtime.evaluate with DevTools' command-line API (getEventListeners); None without DevTools."""
        return None

    def close(self) -> None:
        pass


class _Actions(_Keyboard):
    method = "webdriver-actions"

    def press(self, key: str, shift: bool = False) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        self.check()
        k = {"Tab": Keys.TAB, "Escape": Keys.ESCAPE, "Enter": Keys.ENTER}[key]
        chain = ActionChains(self.driver)
        if shift:
            chain = chain.key_down(Keys.SHIFT).send_keys(k).key_up(Keys.SHIFT)
        else:
            chain = chain.send_keys(k)
        chain.perform()


class _DriverCdp(_Keyboard):
    method = "chromedriver-cdp"

    def press(self, key: str, shift: bool = False) -> None:
        for ev in _key_events(key, shift):
            self.check()
            self.driver.execute_cdp_cmd("Input.dispatchKeyEvent", ev)

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        self.check()
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", _shot_params(rect))
        return shot.get("data")

    def devtools_eval(self, expr: str) -> Any:
        self.check()
        res = self.driver.execute_cdp_cmd("Runtime.evaluate", _devtools_params(expr))
        if res.get("exceptionDetails"):
            return None
        return (res.get("result") or {}).get("value")


def _devtools_params(expr: str) -> dict[str, Any]:
    return {"expression": "(function(){var KB = window.__eaKb; if (!KB) return null; return " + expr + ";})()",
            "returnByValue": True, "includeCommandLineAPI": True}


def _shot_params(rect: dict[str, Any]) -> dict[str, Any]:
    # Page coordinates (the viewport's rect plus the scroll offset), as audits.gather.axe.capture_element does.
    return {"format": "png", "fromSurface": True, "captureBeyondViewport": False,
            "clip": {"x": rect["x"] + rect["sx"], "y": rect["y"] + rect["sy"], "width": rect["w"],
                     "height": rect["h"], "scale": 1}}


class _Socket(_Keyboard):
    """Chromium's DevTools WebSocket, next to chromedriver's own connection: commands are pipelined."""

    method = "devtools-socket"

    def __init__(self, driver: Any, deadline: float, url: str) -> None:
        super().__init__(driver, deadline)
        import websocket  # websocket-client, a Selenium dependency

        self.ws = websocket.create_connection(url, timeout=min(1.0, max(0.2, self.left())), suppress_origin=True)
        self.next_id = 0

    def _send(self, method: str, params: dict[str, Any]) -> int:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        return self.next_id

    def _wait(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        wanted, got = set(ids), {}
        while wanted:
            left = self.left()
            if left <= 0:
                raise _Budget()
            self.ws.settimeout(max(0.05, left))
            try:
                msg = json.loads(self.ws.recv())
            except Exception as exc:  # noqa: BLE001 - timeout or closed socket: the budget decides
                if self.left() <= 0:
                    raise _Budget() from exc
                raise
            mid = msg.get("id")
            if mid in wanted:
                wanted.discard(mid)
                got[mid] = msg
        return got

    @staticmethod
    def _value(msg: dict[str, Any]) -> Any:
        if "error" in msg:
            raise RuntimeError(msg["error"].get("message", "DevTools error"))
        res = msg.get("result") or {}
        if res.get("exceptionDetails"):
            raise RuntimeError(str(res["exceptionDetails"].get("text", "script error"))[:200])
        return (res.get("result") or {}).get("value")

    def _eval_params(self, expr: str) -> dict[str, Any]:
        return {"expression": "(function(){var KB = window.__eaKb; if (!KB) return null; return " + expr + ";})()",
                "returnByValue": True}

    def press(self, key: str, shift: bool = False) -> None:
        self.check()
        ids = [self._send("Input.dispatchKeyEvent", ev) for ev in _key_events(key, shift)]
        self._wait(ids)

    def js(self, expr: str) -> Any:
        self.check()
        mid = self._send("Runtime.evaluate", self._eval_params(expr))
        return self._value(self._wait([mid])[mid])

    def tabs(self, n: int, shift: bool = False) -> list[dict[str, Any]]:
        # Input events reach the renderer through the browser process, Runtime.evaluate directly: each press is
        # acknowledged (the renderer handled it) before the measurement is sent, or the two could cross.
        out = []
        for _ in range(n):
            self.check()
            ids = [self._send("Input.dispatchKeyEvent", ev) for ev in _key_events("Tab", shift)]
            self._wait(ids)
            mid = self._send("Runtime.evaluate", self._eval_params("KB.stop()"))
            out.append(self._value(self._wait([mid])[mid]) or {"p": None, "i": -1})
        return out

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        self.check()
        mid = self._send("Page.captureScreenshot", _shot_params(rect))
        msg = self._wait([mid])[mid]
        if "error" in msg:
            return None
        return (msg.get("result") or {}).get("data")

    def devtools_eval(self, expr: str) -> Any:
        self.check()
        mid = self._send("Runtime.evaluate", _devtools_params(expr))
        try:
            return self._value(self._wait([mid])[mid])
        except RuntimeError:
            return None

    def close(self) -> None:
        try:
            self.ws.close()
        except Exception:  # noqa: BLE001
            pass


def _local_devtools_url(driver: Any) -> str | None:
    """ws:// URL of the current tab on a local chromedriver's Chromium, or None (remote Grid, other browsers)."""
    try:
        caps = driver.capabilities or {}
        opts = caps.get("goog:chromeOptions") or caps.get("ms:edgeOptions") or {}
        addr = opts.get("debuggerAddress")
        executor = getattr(driver, "command_executor", None)
        config = getattr(executor, "client_config", None) or getattr(executor, "_client_config", None)
        executor = getattr(config, "remote_server_addr", None) or getattr(executor, "_url", "") or ""
        if not addr or urlsplit(executor).hostname not in ("127.0.0.1", "localhost", "::1"):
            return None
        host = addr.split(":")[0]
        if host not in ("127.0.0.1", "localhost"):
            return None
        handle = driver.current_window_handle
        return f"ws://{addr}/devtools/page/{handle}"
    except Exception:  # noqa: BLE001
        return None


def _open_keyboard(driver: Any, deadline: float) -> _Keyboard:
    url = _local_devtools_url(driver)
    if url:
        try:
            return _Socket(driver, deadline, url)
        except Exception as exc:  # noqa: BLE001
            log.debug("no DevTools socket (%s): falling back to chromedriver", exc)
    if hasattr(driver, "execute_cdp_cmd"):
        try:
            driver.execute_cdp_cmd("Browser.getVersion", {})
            return _DriverCdp(driver, deadline)
        except Exception:  # noqa: BLE001
            pass
    return _Actions(driver, deadline)


# --- the walk ------------------------------------------------------------------------------------------------------


def _walk(kb: _Keyboard, data: dict[str, Any], end_by: float) -> None:
    """Forward Tab walk: fills data["stops"], data["end"] and, when focus cannot get out of something, data["trap"].

    It walks until `end_by` minus the time the re-checks of what it found so far will need."""
    stops: list[dict[str, Any]] = data["stops"]
    first_seen: dict[str, int] = {}
    presses = empty = 0
    revisits: list[str] = []  # consecutive stops on elements already visited
    suspicious, groups = 0, set()
    while presses < MAX_STOPS:
        reserve = min(suspicious, MAX_HIDDEN) * (SETTLE_HIDDEN + 0.03) + min(len(groups), MAX_VERIFY) * (
            2 * SETTLE + 0.15)
        if time.monotonic() >= end_by - reserve:
            data["end"] = "budget"
            return
        for stop in kb.tabs(1):
            presses += 1
            path = stop.get("p")
            if stop.get("hid") or stop.get("obs"):
                suspicious += 1
            elif stop.get("ch") == [] and not stop.get("te") and not stop.get("c") and not stop.get("fr"):
                groups.add(stop.get("g") or path)
            if path is None:
                if stops:
                    # Past the last element; or focus was lost mid-page (an element hid itself): then Tab goes on
                    # from where it was, so one more press tells which.
                    empty += 1
                    if empty >= 2 or not _unvisited(data):
                        data["end"] = "body"
                        return
                    continue
                empty += 1
                if empty >= 2:
                    data["end"] = "nothing-focusable"
                    return
                continue
            empty = 0 if stops else empty
            idx = len(stops)
            stop["seq"] = idx
            if idx > 0 and path == stops[0]["p"] and not stops[0].get("c"):
                data["end"] = "wrapped"
                return
            stops.append(stop)
            if idx > 0 and stops[idx - 1]["p"] == path:
                run = 1
                while run < idx and stops[idx - run - 1]["p"] == path:
                    run += 1
                if run >= (CONTAINER_PRESSES if stop.get("c") else STUCK_PRESSES):
                    data["end"] = "stuck"
                    data["trap"] = {"kind": "stuck", "paths": [path], "presses": run + 1, "from": idx - run,
                                    "exit": path}
                    return
                continue
            if path in first_seen:
                if not revisits:
                    data["cycle_exit"] = stops[idx - 1]["p"]  # the element Tab did not leave forwards
                revisits.append(path)
                if len(revisits) == 3 and not _unvisited(data):
                    data["end"] = "wrapped"  # a script sent focus back to the top after the last element
                    return
                distinct = list(dict.fromkeys(revisits))
                if len(revisits) >= max(2 * len(distinct), 4):
                    data["end"] = "cycle"
                    data["trap"] = {"kind": "cycle", "paths": distinct, "presses": len(revisits),
                                    "exit": data.get("cycle_exit"),
                                    "from": min(first_seen[p] for p in distinct)}
                    return
            else:
                revisits = []
                data.pop("cycle_exit", None)
                first_seen[path] = idx
    data["end"] = "limit"


def _unvisited(data: dict[str, Any]) -> list[dict[str, Any]]:
    seen = {s.get("k") for s in data["stops"]} | {s.get("p") for s in data["stops"]}
    out, keys = [], set()
    for t in data.get("tabbables", []):
        k = t.get("k") or t["p"]
        if k in seen or k in keys:
            continue
        keys.add(k)
        out.append(t)
    return out


def _escape_test(kb: _Keyboard, data: dict[str, Any]) -> None:
    """A confirmed cycle or stuck focus: can Shift+Tab or Escape then Tab get out?"""
    trap = data["trap"]
    inside = set(trap["paths"])
    back = kb.tabs(len(inside) + 2, shift=True)
    trap["reverse_escapes"] = any(s.get("p") is not None and s.get("p") not in inside for s in back)
    trap["reverse"] = [s.get("p") for s in back]
    kb.press("Escape")
    after = kb.tabs(len(inside) + 2)
    trap["escape_key_escapes"] = any(s.get("p") is not None and s.get("p") not in inside for s in after)


def _listeners(kb: _Keyboard, data: dict[str, Any]) -> None:
    """Pointer event listeners on the elements that look interactive but cannot take focus (DevTools only)."""
    items = data.get("unfocusable") or []
    if not items:
        return
    found = kb.devtools_eval("KB.listeners(getEventListeners)")
    if not isinstance(found, list):
        return
    data["listeners_checked"] = True
    for item, kinds in zip(items, found):
        if kinds:
            item["listeners"] = kinds


def _reverse(kb: _Keyboard, data: dict[str, Any]) -> None:
    """A few Shift+Tab presses from where the walk ended; recorded as paths."""
    back = kb.tabs(REVERSE_PRESSES, shift=True)
    data["reverse"] = [{"p": s.get("p"), "c": bool(s.get("c"))} for s in back]


def _skip_link(kb: _Keyboard, data: dict[str, Any]) -> None:
    stops = data["stops"]
    for stop in stops[:3]:
        if stop.get("t") != "a":
            continue
        info = kb.js(f"KB.skip({int(stop['i'])})")
        if not info or not info.get("frag") or str(info["frag"]).lower() == "top":
            continue
        data["skip"] = info
        if not info.get("target") or info.get("widget") or not info.get("after"):
            return
        # Activate it from the keyboard, then Tab once: focus must land at or after the target.
        if not kb.js(f"KB.refocus({int(stop['i'])})"):
            return
        kb.press("Enter")
        time.sleep(0.05)
        before = kb.js("location.href")
        kb.press("Tab")
        res = kb.js("KB.skipResult()")
        if isinstance(res, dict):
            res["href_after_enter"] = before
            info["result"] = res
        return


def _verify(kb: _Keyboard, data: dict[str, Any], deadline: float) -> None:
    """Re-check suspicious stops: re-focused after a pause (hidden?), screenshots focused vs not (no indicator?)."""
    stops = data["stops"]
    hidden = [s for s in stops if (s.get("hid") and not s.get("lbl") and not _nearby(s)) or s.get("obs")]
    plain = [s for s in stops if s.get("ch") == [] and (not s.get("hid") or s.get("lbl")) and not s.get("obs")
             and not s.get("fr") and not s.get("te") and not s.get("c")]
    seen_groups: set[str] = set()
    todo: list[tuple[str, dict[str, Any]]] = [("hidden", s) for s in hidden[:MAX_HIDDEN]]
    for s in plain:
        group = _style_group(s)
        if group in seen_groups:
            continue
        seen_groups.add(group)
        todo.append(("indicator", s))
        if len(seen_groups) >= MAX_VERIFY:
            break
    results: dict[str, Any] = {}
    for kind, stop in todo:
        if time.monotonic() + 3 * SETTLE > deadline:
            data["verify_truncated"] = True
            break
        i = int(stop["i"])
        if not kb.js(f"KB.refocus({i})"):
            continue
        time.sleep(SETTLE if kind == "indicator" else SETTLE_HIDDEN)
        if kind == "hidden":
            again = kb.js(f"KB.remeasure({i})")
            if isinstance(again, dict):
                results[str(i)] = {"hid": again.get("hid"), "obs": again.get("obs")}
            continue
        rect = kb.js(f"KB.shotRect({i})")
        if not rect:
            continue
        focused = kb.screenshot(rect)
        above = kb.js(f"KB.ancestors({i})")
        kb.js("KB.blur()")
        time.sleep(SETTLE)
        kb.js(f"window.scrollTo({float(rect['sx'])}, {float(rect['sy'])})")
        plain_shot = kb.screenshot(rect)
        if above != kb.js(f"KB.ancestors({i})"):
            results[str(i)] = {"pixels": "differ", "why": "an ancestor's style changes", "group": _style_group(stop)}
        elif focused and plain_shot:
            results[str(i)] = {"pixels": "same" if _same_png(focused, plain_shot) else "differ",
                               "group": _style_group(stop)}
    data["verify"] = results


def _nearby(stop: dict[str, Any]) -> bool:
    """Focus changed the style of a parent, sibling or child (the indicator is drawn next to the element)."""
    return any(not str(c).startswith(("self:", "before:", "after:")) for c in stop.get("ch") or [])


def _style_group(stop: dict[str, Any]) -> str:
    """Stops that render focus alike (same tag, classes, inner structure, unfocused styles): one check for all."""
    return str(stop.get("g") or stop.get("p"))


def _same_png(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return base64.b64decode(a) == base64.b64decode(b)
    except Exception:  # noqa: BLE001
        return False


def gather(driver: Any, budget: float = 3.0) -> dict[str, Any]:
    """Walk the loaded page with the keyboard within `budget` seconds; see the module docstring for the data."""
    t0 = time.monotonic()
    deadline = t0 + budget
    data: dict[str, Any] = {"version": 1, "stops": [], "end": None, "trap": None, "reverse": [], "skip": None,
                            "verify": {}}
    inv = driver.execute_script(_INSTALL_JS, {**_INVENTORY_OPTS, "millis": int(budget * 250)})
    if not isinstance(inv, dict):
        return {"error": "the keyboard inventory script returned nothing"}
    data.update(inv)
    data["inventory_seconds"] = round(time.monotonic() - t0, 3)
    timings = data["timings"] = {}
    kb = _open_keyboard(driver, deadline - 0.15)
    data["method"] = kb.method
    try:
        try:
            _listeners(kb, data)
            kb.js("KB.start()")
            # What the walk leaves: reverse presses and the skip-link test (about 0.3 s), then the re-checks.
            _walk(kb, data, deadline - 0.35 - (0.0 if isinstance(kb, _Socket) else 0.4))
            timings["walk"] = round(time.monotonic() - t0, 3)
            if data.get("trap"):
                _escape_test(kb, data)
            elif data["stops"]:
                _reverse(kb, data)
            _skip_link(kb, data)
            timings["skip"] = round(time.monotonic() - t0, 3)
            _verify(kb, data, deadline - 0.2)
            timings["verify"] = round(time.monotonic() - t0, 3)
        except _Budget:
            data["truncated"] = True
            if data["end"] is None:
                data["end"] = "budget"
    finally:
        kb.close()
        try:
            after = driver.execute_script("var KB = window.__eaKb; if (KB) KB.cleanup(); return location.href;")
        except Exception as exc:  # noqa: BLE001
            log.debug("keyboard clean-up failed: %s", exc)
            after = None
    if isinstance(after, str) and after.split("#")[0] != str(inv.get("url") or "").split("#")[0]:
        return {"error": "the page navigated away during the keyboard walk", "url": after}
    unvisited = _unvisited(data)
    if data.get("trap"):
        data["trap"]["unvisited"] = [t["p"] for t in unvisited[:20]]
        data["trap"]["unvisited_count"] = len(unvisited)
    data["unvisited_count"] = len(unvisited)
    data["unvisited"] = [t["p"] for t in unvisited[:20]]
    tabbables = data.pop("tabbables", None) or []
    data["tabbables_before_main"] = sum(1 for t in tabbables if t.get("main") is False and not t.get("dlg"))
    data["stops"] = [_compact(s) for s in data["stops"]]
    data["walk_seconds"] = round(time.monotonic() - t0, 3)
    return data


def _compact(stop: dict[str, Any]) -> dict[str, Any]:
    """A stop without its empty fields (the probe's data is stored with every page): "ch" is kept, as [] (nothing
    changed) and None (no baseline) differ."""
    def empty(v: Any) -> bool:
        return v is None or v is False or (isinstance(v, (str, list, dict)) and not v)

    return {k: v for k, v in stop.items()
            if k in ("p", "ch", "i") or (k not in ("k", "x", "y", "seq") and not empty(v))}
