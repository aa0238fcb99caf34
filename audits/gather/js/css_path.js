// Our selector format, computed in the page. Same algorithm as audits.artifacts.css_path: nearest ancestor with a
// unique CSS-ident id as "#id", then tag or tag:nth-of-type(k) steps; html/body/head plain. Shadow DOM and frame
// boundaries are written " >>> " (not CSS, but says where the element is). Helpers only: combined with the scripts
// that use them by audits.gather.scripts.
function __eaIdentOk(id) { return /^-?[_a-zA-Z][_a-zA-Z0-9-]*$/.test(id); }
function __eaPath(el) {
  var parts = [], node = el, last = el;
  while (node && node.nodeType === 1) {
    last = node;
    var id = node.getAttribute('id');
    if (id && __eaIdentOk(id)) {
      var root = node.getRootNode ? node.getRootNode() : document;
      if (root.querySelectorAll('[id="' + id + '"]').length === 1) { parts.push('#' + id); last = null; break; }
    }
    var name = node.localName.toLowerCase();
    var parent = node.parentElement;
    if (name === 'html' || name === 'body' || name === 'head' || !parent) {
      parts.push(name);
    } else {
      var same = 0, index = 0;
      for (var c = parent.firstElementChild; c; c = c.nextElementSibling) {
        if (c.localName.toLowerCase() === name) { same++; if (c === node) index = same; }
      }
      parts.push(same > 1 ? name + ':nth-of-type(' + index + ')' : name);
    }
    node = parent;
  }
  var path = parts.reverse().join(' > ');
  if (last && last.parentNode && last.parentNode.nodeType === 11 && last.parentNode.host) {
    path = __eaPath(last.parentNode.host) + ' >>> ' + path;
  }
  return path;
}
function __eaTarget(t) {
  return (t || []).map(function (s) { return Array.isArray(s) ? s.join(' >>> ') : String(s); }).join(' >>> ');
}
function __eaSelector(n) {
  try {
    if (n.element) return __eaPath(n.element);
    var t = n.target || [];
    if (t.length > 1 && typeof t[0] === 'string') {
      var frame = document.querySelector(t[0]);
      if (frame) return __eaPath(frame) + ' >>> ' + __eaTarget(t.slice(1));
    }
  } catch (e) {}
  return __eaTarget(n.target);
}
