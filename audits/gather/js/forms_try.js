// Try one form: snapshot, click submit, settle, blur, collect, undo. Async: (index, quietMs, maxMs, done).
var done = arguments[arguments.length - 1]; var formIndex = arguments[0], quietMs = arguments[1], maxMs = arguments[2];
var S = window.__eaForms;
var form = document.forms[formIndex];
if (!S || !form) { done({error: 'the form or the guards are gone'}); }
else {
var FILL = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),' +
           'select,textarea';
var STYLE = ['borderTopColor', 'borderRightColor', 'borderBottomColor', 'borderLeftColor', 'borderTopWidth',
             'borderBottomWidth', 'borderTopStyle', 'outlineColor', 'outlineStyle', 'outlineWidth', 'backgroundColor',
             'backgroundImage', 'boxShadow', 'color'];
var cur = S.cur = {submit_event: false, page_prevented: false, page_stopped: false, invalid_events: [], sent: [],
                   navs: [], alerts: []};
try {
function shown(el) {
  if (!el || el.nodeType !== 1) return false;
  if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
  var r = el.getBoundingClientRect(); return r.width >= 2 && r.height >= 2;
}
function styleOf(el) { var cs = getComputedStyle(el), o = {}; STYLE.forEach(function (p) { o[p] = cs[p]; }); return o; }
// Fields assistive technology knows about (a display:none native select behind a custom widget is not one).
var fields = Array.prototype.filter.call(form.elements, function (f) {
  return f.matches(FILL) && !f.disabled && (!f.checkVisibility || f.checkVisibility({checkVisibilityCSS: true}));
}).slice(0, 60);
var before = new WeakMap(), all = document.body ? document.body.getElementsByTagName('*') : [];
var limit = Math.min(all.length, 15000);
for (var i = 0; i < limit; i++) before.set(all[i], shown(all[i]));
var beforeStyle = fields.map(function (f) { return styleOf(f); });
var beforeInvalid = fields.map(function (f) { return f.getAttribute('aria-invalid'); });
var labelBefore = fields.map(function (f) { return f.labels && f.labels[0] ? styleOf(f.labels[0]).color : null; });
var liveBefore = new WeakSet();
var LIVE = '[aria-live],[role=alert],[role=status],[role=log],output';
document.querySelectorAll(LIVE).forEach(function (e) { liveBefore.add(e); });
var scroll = [window.scrollX, window.scrollY];
var records = [], lastMutation = Date.now();
var obs = new MutationObserver(function (list) {
  for (var q = 0; q < list.length; q++) records.push(list[q]);
  lastMutation = Date.now();
});
obs.observe(document.documentElement, {subtree: true, childList: true, attributes: true, attributeOldValue: true,
                                       characterData: true, characterDataOldValue: true});
var submitter = null;
for (var k = 0; k < form.elements.length; k++) {
  var c = form.elements[k];
  if (c.matches('button:not([type]), button[type=submit], input[type=submit], input[type=image]')) {
    submitter = c; break;
  }
}
var started = Date.now(), clickError = null;
try {
  if (submitter && !submitter.disabled) submitter.click();
  else if (!submitter) (S.saved.requestSubmit || HTMLFormElement.prototype.requestSubmit).call(form);
} catch (err) { clickError = String(err && err.message || err).slice(0, 200); }
var focusAfterSubmit = null;
function settle() {
  var now = Date.now();
  if (now - started < maxMs && (now - lastMutation < quietMs || now - started < quietMs)) {
    setTimeout(settle, 50); return;
  }
  focusAfterSubmit = document.activeElement;
  if (focusAfterSubmit && focusAfterSubmit !== document.body && focusAfterSubmit.blur) focusAfterSubmit.blur();
  setTimeout(collect, 250);
}
function refs(el, attr) {
  return (el.getAttribute(attr) || '').split(/\s+/).filter(Boolean).map(function (id) {
    return document.getElementById(id); }).filter(Boolean);
}
function related(a, b) { return a === b || a.contains(b) || b.contains(a); }
function fieldName(f) {
  var t = '';
  if (f.getAttribute('aria-labelledby')) t = refs(f, 'aria-labelledby').map(__eaText).join(' ');
  if (!t && f.getAttribute('aria-label')) t = f.getAttribute('aria-label');
  if (!t && f.labels && f.labels.length) t = Array.prototype.map.call(f.labels, __eaText).join(' ');
  if (!t && f.matches('fieldset')) { var lg = f.querySelector(':scope > legend'); t = lg ? __eaText(lg) : ''; }
  if (!t) t = f.getAttribute('placeholder') || f.getAttribute('title') || f.name || '';
  return String(t).replace(/\s+/g, ' ').trim().slice(0, 120);
}
function invalidOn(f) {
  var v = (f.getAttribute('aria-invalid') || '').trim().toLowerCase(); return v !== '' && v !== 'false';
}
function tie(f, m) {
  // How message m is tied to field f (or its group), or null.
  var groups = [f], g = f.parentElement;
  while (g && g !== document.body) {
    if (g.matches('fieldset, [role=group], [role=radiogroup]')) groups.push(g);
    if (g === form) break;
    g = g.parentElement;
  }
  for (var i = 0; i < groups.length; i++) {
    var x = groups[i];
    if (refs(x, 'aria-describedby').some(function (d) { return related(d, m); })) return 'aria-describedby';
    if (refs(x, 'aria-errormessage').some(function (d) { return related(d, m); }))
      return invalidOn(x) ? 'aria-errormessage' : 'aria-errormessage-unexposed';
    if (refs(x, 'aria-labelledby').some(function (d) { return related(d, m); })) return 'aria-labelledby';
    if (x.labels && Array.prototype.some.call(x.labels, function (l) { return l.contains(m); })) return 'label';
    if (x.matches('fieldset')) {
      var lg = x.querySelector(':scope > legend'); if (lg && lg.contains(m)) return 'legend';
    }
  }
  // The same words reach the field another way (a visually hidden copy in its description or name).
  var said = norm(__eaText(m));
  if (said.length < 2) return null;
  for (var j = 0; j < groups.length; j++) {
    var y = groups[j], parts = [y.getAttribute('aria-label') || '', y.getAttribute('aria-description') || ''];
    var linked = refs(y, 'aria-describedby').concat(refs(y, 'aria-labelledby'));
    if (invalidOn(y)) linked = linked.concat(refs(y, 'aria-errormessage'));
    linked.forEach(function (d) { parts.push(d.textContent || ''); });
    if (y.labels) Array.prototype.forEach.call(y.labels, function (l) { parts.push(l.textContent || ''); });
    if (norm(parts.join(' ')).indexOf(said) >= 0) return 'same-text';
  }
  return null;
}
function norm(t) { return String(t || '').replace(/\s+/g, ' ').trim().toLowerCase(); }
function fieldFor(m) {
  // The one field (or one radio/checkbox group) m sits next to: nearest ancestor holding fields, else previous sibling.
  var fieldSet = fields;
  function inside(a) { return fieldSet.filter(function (f) { return a.contains(f); }); }
  function one(list) {
    if (!list.length) return null;
    var name = list[0].name;
    var same = name && list.every(function (f) { return f.name === name && /^(radio|checkbox)$/.test(f.type); });
    if (list.length === 1 || same) return list[0];
    return false;
  }
  var a = m.parentElement;
  while (a && a !== document.documentElement) {
    var got = one(inside(a));
    if (got) return {el: got, by: 'group'};
    if (got === false) {
      // A fieldset or group of several fields (a date in three boxes): the message belongs to the group.
      if (a.matches('fieldset, [role=group], [role=radiogroup]') && form.contains(a)) return {el: a, by: 'group'};
      break;
    }
    a = a.parentElement;
  }
  var p = m.previousElementSibling;
  for (var n = 0; p && n < 2; n++, p = p.previousElementSibling) {
    var hit = p.matches(FILL) && fields.indexOf(p) >= 0 ? p : one(inside(p));
    if (hit) return {el: hit, by: 'sibling'};
    if (hit === false) break;
  }
  return null;
}
function groupOf(f) {
  var g = f.parentElement && f.parentElement.closest('fieldset, [role=group], [role=radiogroup]');
  return g && form.contains(g) ? __eaPath(g) : null;
}
function liveOf(m) {
  for (var e = m; e && e.nodeType === 1; e = e.parentElement) {
    var role = (e.getAttribute('role') || '').toLowerCase(), live = (e.getAttribute('aria-live') || '').toLowerCase();
    if (live === 'off') return null;
    if (role === 'alert' || role === 'alertdialog') return {kind: 'alert', existed: liveBefore.has(e)};
    if (live === 'assertive' || live === 'polite') return {kind: live, existed: liveBefore.has(e)};
    if (role === 'status' || role === 'log' || e.localName === 'output') {
      return {kind: role || 'status', existed: liveBefore.has(e)};
    }
  }
  return null;
}
function collect() {
  var recs = records.concat(obs.takeRecords()), result;
  obs.disconnect();
  try { result = read(recs); }
  catch (err) { result = {error: 'the form probe failed: ' + String(err && err.message || err).slice(0, 200)}; }
  undo(recs, result);
  S.cur = null;
  done(result);
}
function read(recs) {
  var roots = new Set(), textParents = new Set();
  recs.forEach(function (r) {
    if (r.type === 'childList') {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType === 1) roots.add(n); else if (n.parentElement) textParents.add(n.parentElement);
      });
      if (r.removedNodes.length && r.target.nodeType === 1) textParents.add(r.target);
    } else if (r.type === 'attributes') { roots.add(r.target); }
    else if (r.type === 'characterData' && r.target.parentElement) textParents.add(r.target.parentElement);
  });
  var fresh = new Set();
  function consider(el) { if (el.isConnected && shown(el) && !(before.get(el))) fresh.add(el); }
  roots.forEach(function (r) {
    if (!r.isConnected || r.nodeType !== 1) return;
    consider(r);
    var d = r.getElementsByTagName('*');
    for (var i = 0; i < d.length && i < 2000; i++) consider(d[i]);
  });
  var changed = new Set();
  textParents.forEach(function (el) {
    if (!el.isConnected) return;
    if (shown(el) && before.get(el)) changed.add(el); else consider(el);
  });
  function top(el, set) {
    for (var p = el.parentElement; p; p = p.parentElement) if (fresh.has(p) || (set && set.has(p))) return false;
    return true;
  }
  var candidates = [];
  fresh.forEach(function (el) { if (top(el)) candidates.push(el); });
  changed.forEach(function (el) { if (top(el, changed)) candidates.push(el); });
  var focus = focusAfterSubmit && focusAfterSubmit !== document.body ? focusAfterSubmit : null;
  var announced = [];  // text that reached assistive technology: live regions, alert(), the focused summary
  document.querySelectorAll(LIVE).forEach(function (e) {
    var l = liveOf(e), t = l && (l.existed || l.kind === 'alert') ? __eaText(e) : '';
    if (t) announced.push(t.slice(0, 2000));
  });
  cur.alerts.forEach(function (t) { announced.push(t); });
  var focusUsable = focus && fields.indexOf(focus) < 0 && !focus.matches(FILL) && !focus.querySelector(FILL) &&
                    __eaText(focus).length < 2000;
  if (focusUsable) announced.push(__eaText(focus));
  var messages = [];
  candidates = candidates.filter(function (m) {
    return !m.closest('button, [role=button], a[href], option, [role=option], [role=tab], [role=menuitem]');
  });
  function nearForm(m) {
    // m is (inside) one of the three elements before or after the form, or before or after one of its two nearest
    // ancestors holding no other form: where an error summary for the form sits.
    var a = form;
    for (var level = 0; level < 3 && a && a.parentElement && a.parentElement !== document.body &&
         a !== document.body; level++) {
      if (level > 0 && a.querySelectorAll('form').length > 1) break;
      var p = a.previousElementSibling, n = a.nextElementSibling;
      for (var i = 0; i < 3; i++) {
        if (p) { if (p.contains(m)) return true; p = p.previousElementSibling; }
        if (n) { if (n.contains(m)) return true; n = n.nextElementSibling; }
      }
      a = a.parentElement;
    }
    return false;
  }
  candidates.slice(0, 40).forEach(function (m) {
    var text = __eaText(m);
    var entry = {selector: __eaPath(m), snippet: __eaSnippet(m), text: text.slice(0, 200), length: text.length,
                 has_fields: !!m.querySelector(FILL) || m.matches(FILL), in_form: form.contains(m),
                 near_form: nearForm(m),
                 newly_inserted: !before.has(m), live: liveOf(m),
                 focused: !!(focusUsable && (focus.contains(m) || m.contains(focus))),
                 field: null, field_name: null, field_snippet: null, assigned_by: null, tie: null,
                 in_announcement: false};
    var hit = entry.has_fields ? null : fieldFor(m);
    if (hit) {
      var f = hit.el;
      entry.field = __eaPath(f); entry.tie = tie(f, m); entry.assigned_by = hit.by;
      entry.field_name = fieldName(f); entry.field_snippet = __eaSnippet(f);
    }
    var norm = text.toLowerCase();
    entry.in_announcement = !!norm && announced.some(function (a) { return a.toLowerCase().indexOf(norm) >= 0; });
    messages.push(entry);
  });
  var nativeBubble = {}, invalidFields = [];
  cur.invalid_events.forEach(function (e) {
    var p = __eaPath(e.target); invalidFields.push(p);
    // The browser's bubble: interactive validation stopped the submission (no submit event), page did not cancel it.
    if (!e.defaultPrevented && !cur.submit_event && !form.noValidate && !(submitter && submitter.formNoValidate))
      nativeBubble[p] = true;
  });
  function pseudoText(f) {
    // Words written by CSS (::before / ::after content) in the field's own container or its labels: an error
    // text like `.has-error label::after { content: "Required" }` is text, not only colour.
    var box = f, up = f.parentElement;
    while (up && up !== form.parentElement && fields.filter(function (x) { return up.contains(x); }).length === 1) {
      box = up; up = up.parentElement;
    }
    var els = [box].concat(Array.prototype.slice.call(box.getElementsByTagName('*'), 0, 40));
    if (f.labels) els = els.concat(Array.prototype.slice.call(f.labels));
    for (var i = 0; i < els.length; i++) {
      for (var k = 0; k < 2; k++) {
        var c = getComputedStyle(els[i], k ? '::after' : '::before').content || '';
        if (c === 'none' || c === 'normal') continue;
        var words = c.replace(/^["']|["']$/g, '');
        if (/[^\s\d*!•·:()\[\]"'-]{2,}/.test(words)) return words.slice(0, 100);
      }
    }
    return null;
  }
  var fieldInfo = fields.map(function (f, i) {
    var after = styleOf(f), diff = [];
    Object.keys(after).forEach(function (p) { if (after[p] !== beforeStyle[i][p]) diff.push(p); });
    var lab = f.labels && f.labels[0] ? styleOf(f.labels[0]).color : null;
    var pseudo = diff.length || lab !== labelBefore[i] ? pseudoText(f) : null;
    var cls = recs.some(function (r) {
      return r.type === 'attributes' && r.attributeName === 'class' && r.target === f &&
      /invalid|error|danger|fail/i.test(f.className || ''); });
    return {selector: __eaPath(f), snippet: __eaSnippet(f), name: fieldName(f), type: f.type || f.localName,
            required: !!f.required || f.getAttribute('aria-required') === 'true',
            valid: f.validity ? f.validity.valid : true, aria_invalid_before: beforeInvalid[i],
            aria_invalid: f.getAttribute('aria-invalid'), style_changed: diff,
            label_color_changed: lab !== labelBefore[i],
            error_class: cls, native_bubble: !!nativeBubble[__eaPath(f)], visible: shown(f), group: groupOf(f),
            css_text: pseudo};
  });
  var result = {submitter: submitter ? __eaPath(submitter) : null,
                submitter_disabled: !!(submitter && submitter.disabled), click_error: clickError,
                submit_event: cur.submit_event, page_prevented: cur.page_prevented, page_stopped: cur.page_stopped,
                invalid_fields: invalidFields, native_bubble: Object.keys(nativeBubble).length > 0,
                sent: cur.sent, navs: cur.navs, alerts: cur.alerts, focus: focus ? __eaPath(focus) : null,
                focus_text: focusUsable ? __eaText(focus).slice(0, 300) : null,
                messages: messages, message_count: candidates.length, fields: fieldInfo, mutations: recs.length,
                announced: announced.map(function (a) { return a.slice(0, 300); }).slice(0, 10)};
  return result;
}
function undo(recs, result) {
  // Put the page back: undo the DOM changes (newest first), blur, scroll back. Field values are left alone: the
  // probe never types, and form.reset() would wipe values the page's own scripts filled in.
  for (var j = recs.length - 1; j >= 0; j--) {
    var r = recs[j];
    try {
      if (r.type === 'attributes') {
        if (r.oldValue === null) r.target.removeAttribute(r.attributeName);
        else r.target.setAttribute(r.attributeName, r.oldValue);
      } else if (r.type === 'characterData') { r.target.data = r.oldValue; }
      else {
        r.addedNodes.forEach(function (n) { if (n.parentNode === r.target) r.target.removeChild(n); });
        var next = r.nextSibling && r.nextSibling.parentNode === r.target ? r.nextSibling : null;
        r.removedNodes.forEach(function (n) { r.target.insertBefore(n, next); });
      }
    } catch (err) { result.undo_error = String(err).slice(0, 200); }
  }
  try { if (document.activeElement && document.activeElement.blur) document.activeElement.blur(); } catch (err) {}
  window.scrollTo(scroll[0], scroll[1]);
}
setTimeout(settle, 50);
} catch (err) {
  try { obs.disconnect(); } catch (e2) {}
  S.cur = null;
  done({error: 'the form probe failed: ' + String(err && err.message || err).slice(0, 200)});
}
}
