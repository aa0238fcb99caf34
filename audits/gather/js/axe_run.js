// Run the injected axe-core (async: arguments = options, max nodes per rule, done) and reduce its results.
var done = arguments[arguments.length - 1]; var options = arguments[0]; var maxNodes = arguments[1];
function __eaChecks(checks) {
  // The "any" checks with their data, when it is flat (color-contrast: fgColor, bgColor, contrastRatio...).
  return (checks || []).map(function (c) {
    var data = null;
    if (c.data && typeof c.data === 'object' && !Array.isArray(c.data)) {
      data = {};
      Object.keys(c.data).forEach(function (k) {
        var v = c.data[k];
        if (v === null || ['string', 'number', 'boolean'].indexOf(typeof v) >= 0) data[k] = v;
      });
    }
    return {id: c.id, data: data};
  });
}
function __eaRule(r) {
  return {
    id: r.id, impact: r.impact, tags: r.tags, help: r.help, description: r.description, helpUrl: r.helpUrl,
    node_count: r.nodes.length,
    nodes: r.nodes.slice(0, maxNodes).map(function (n) {
      var out = {selector: __eaSelector(n), html: n.html, impact: n.impact, failureSummary: n.failureSummary,
                 target: __eaTarget(n.target), any: __eaChecks(n.any)};
      var t = n.target || [];
      if (!n.element && t.length === 2 && typeof t[0] === 'string' && typeof t[1] === 'string') {
        out.frame = t[0]; out.inner = t[1];  // resolved to our format inside the frame by gather()
      }
      return out;
    })
  };
}
if (typeof axe === 'undefined') { done({ok: false, error: 'axe-core was not injected'}); }
else {
  axe.run(document, options).then(function (r) {
    done({ok: true, version: r.testEngine && r.testEngine.version, url: r.url, userAgent: r.testEnvironment &&
          r.testEnvironment.userAgent, violations: r.violations.map(__eaRule), incomplete: r.incomplete.map(__eaRule)});
  }, function (e) { done({ok: false, error: String((e && e.message) || e)}); });
}
