// Focus helpers shared by the keyboard walk (keyboard.js) and the render probe (render_focus.js). They work on
// elements of any same-origin document (an iframe's too): the element's own document and window are used.
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
    return !!(m && m.name && el.ownerDocument.querySelector('img[usemap="#' + CSS.escape(m.name) + '"]'));
  }
  if (el.checkVisibility) return el.checkVisibility({visibilityProperty: true});
  return el.getClientRects().length > 0 && el.ownerDocument.defaultView.getComputedStyle(el).visibility !== 'hidden';
}
function inert(el) { return !!(el.closest && el.closest('[inert]')); }
function tabbable(el) {
  if (!focusable(el)) return false;
  var ti = tabAttr(el);
  if (ti !== null && ti < 0) return false;
  return rendered(el) && !inert(el);
}
function blocked(el) {
  // Inert: an inert attribute on it or an ancestor, or a modal <dialog> open in its document that does not hold it
  // (everything outside the top-most modal dialog is inert), or the same for the frame element its document is in.
  for (var n = el; n && n.nodeType === 1; ) {
    if (inert(n)) return true;
    var modal = null;
    try { modal = n.ownerDocument.querySelector('dialog:modal'); } catch (e) { modal = null; }
    if (modal && !modal.contains(n)) return true;
    var win = n.ownerDocument.defaultView;
    try { n = win && win.frameElement; } catch (e) { n = null; }
  }
  return false;
}
