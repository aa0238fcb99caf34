// Async: done after the next frame is drawn, or after 200 ms when frames do not come (a hidden tab).
var done = arguments[arguments.length - 1];
var t = setTimeout(done, 200);
requestAnimationFrame(function () { setTimeout(function () { clearTimeout(t); done(); }, 0); });
