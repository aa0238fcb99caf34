// Inside a frame: our selector for each of axe's CSS selectors (arguments[0]), null when it matches nothing.
return arguments[0].map(function (s) {
  try { var e = document.querySelector(s); return e ? __eaPath(e) : null; } catch (err) { return null; }
});
