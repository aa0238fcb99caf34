// Scroll the element (arguments[0], a CSS selector) into view and outline it in red; its page rect, or null.
var el = document.querySelector(arguments[0]);
if (!el) return null;
el.scrollIntoView({block: 'center', inline: 'nearest'});
var r = el.getBoundingClientRect();
if (r.width < 1 || r.height < 1) return null;
var prev = [el.style.outline, el.style.outlineOffset];
el.setAttribute('data-ea-prev-outline', JSON.stringify(prev));
el.style.outline = '3px solid #d0021b';
el.style.outlineOffset = '2px';
return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height};
