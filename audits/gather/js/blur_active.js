// Blur the focused element; whether there was one.
var a = document.activeElement;
if (a && a !== document.body && a !== document.documentElement && a.blur) { a.blur(); return true; }
return false;
