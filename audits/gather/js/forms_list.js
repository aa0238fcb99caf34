// Which forms to try, in order: [{index, selector, snippet, constraints}], and those skipped with why.
var max = arguments[0];
var FILL = 'input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]),' +
           'select,textarea';
function visible(el) {
  if (el.checkVisibility && !el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})) return false;
  var r = el.getBoundingClientRect(); return r.width >= 2 && r.height >= 2;
}
function isSearch(form, fields) {
  if (form.closest('[role=search], search')) return true;
  if ((form.getAttribute('role') || '').toLowerCase() === 'search') return true;
  var typed = fields.filter(function (f) { return f.type !== 'checkbox' && f.type !== 'radio'; });
  if (typed.length === 1) {
    var f = typed[0], n = (f.name || '').toLowerCase();
    if (f.type === 'search') return true;
    if (['q', 's', 'query', 'search', 'keyword', 'keywords', 'k', 'term'].indexOf(n) >= 0) return true;
  }
  return false;
}
var cands = [], skipped = [];
Array.prototype.forEach.call(document.forms, function (form, index) {
  var sel = __eaPath(form);
  if ((form.getAttribute('method') || '').toLowerCase() === 'dialog') {
    skipped.push({selector: sel, why: 'dialog'}); return;
  }
  var fields = Array.prototype.filter.call(form.elements, function (f) {
    return f.matches(FILL) && !f.disabled && visible(f);
  });
  if (!fields.length) { skipped.push({selector: sel, why: 'no visible fields'}); return; }
  if (isSearch(form, fields)) { skipped.push({selector: sel, why: 'search'}); return; }
  var constraints = fields.some(function (f) {
    return f.required || f.hasAttribute('pattern') || f.hasAttribute('min') || f.hasAttribute('max') ||
      f.hasAttribute('minlength') || f.getAttribute('aria-required') === 'true' ||
      ['email', 'url', 'number', 'tel', 'date'].indexOf(f.type) >= 0;
  }) || form.noValidate || form.hasAttribute('onsubmit');
  cands.push({index: index, selector: sel, snippet: __eaSnippet(form), constraints: !!constraints,
              fields: fields.length});
});
cands.sort(function (a, b) { return (b.constraints ? 1 : 0) - (a.constraints ? 1 : 0) || a.index - b.index; });
cands.slice(max).forEach(function (c) { skipped.push({selector: c.selector, why: 'limit'}); });
return {candidates: cands.slice(0, max), skipped: skipped, forms: document.forms.length};
