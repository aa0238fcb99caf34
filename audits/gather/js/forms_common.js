// Helpers shared by the forms probe's scripts (audits.gather.forms).
function __eaSnippet(el) {
  var html = (el.outerHTML || '').replace(/\s+/g, ' ').trim();
  if (html.length <= 300) return html;
  var start = '<' + el.localName;
  for (var i = 0; i < el.attributes.length; i++) {
    var a = el.attributes[i];
    start += ' ' + a.name + '="' + String(a.value).replace(/"/g, '&quot;') + '"';
  }
  start += '>';
  if (start.length > 300) return start.slice(0, 299) + '\u2026';
  return start + '\u2026';
}
function __eaText(el) {
  return ((el && (el.innerText || el.textContent)) || '').replace(/\s+/g, ' ').trim();
}
