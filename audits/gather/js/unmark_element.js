// Put back the outline mark_element.js replaced.
var el = document.querySelector(arguments[0]);
if (!el) return;
var prev = JSON.parse(el.getAttribute('data-ea-prev-outline') || '["",""]');
el.style.outline = prev[0]; el.style.outlineOffset = prev[1]; el.removeAttribute('data-ea-prev-outline');
