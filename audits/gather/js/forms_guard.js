// Install the guards that stop every submission (idempotent). Returns whether they are in place.
if (window.__eaForms && window.__eaForms.installed) return true;
var S = window.__eaForms = {installed: true, active: true, cur: null, sent: [], navs: [], alerts: [], saved: {}};
function rec(kind, detail) { var e = {via: kind, detail: String(detail || '').slice(0, 200)};
  S.sent.push(e); if (S.cur) S.cur.sent.push(e); }
S.events = new WeakMap();
function pagePrevented() { if (S.cur) S.cur.page_prevented = true; }
function ourPrevent(e) {
  // Cancel the submission; a cancellation already there was the page's (inline `return false`, returnValue...).
  var st = S.events.get(e);
  if (!st) { e.preventDefault(); return; }
  if (e.defaultPrevented && !st.ours) pagePrevented();
  st.ours = true; st.pd.call(e);
}
S.onCapture = function (e) {
  if (!S.active) return;
  if (S.cur) { S.cur.submit_event = true; }
  var st = {ours: false, pd: e.preventDefault};
  S.events.set(e, st);
  var sp = e.stopPropagation, sip = e.stopImmediatePropagation;
  // The page's own preventDefault() means "I validate myself"; stopping propagation would skip our bubbling
  // listener, so it cancels the submission at that moment instead.
  e.preventDefault = function () { pagePrevented(); return st.pd.call(e); };
  e.stopPropagation = function () { ourPrevent(e); if (S.cur) S.cur.page_stopped = true; return sp.call(e); };
  e.stopImmediatePropagation = function () { ourPrevent(e); if (S.cur) S.cur.page_stopped = true;
    return sip.call(e); };
};
S.onBubble = function (e) { if (S.active) ourPrevent(e); };
S.onInvalid = function (e) { if (S.active && S.cur) S.cur.invalid_events.push(e); };
S.onNavigate = function (e) {
  if (!S.active || e.hashChange || e.navigationType === 'traverse') return;
  var n = {url: String((e.destination && e.destination.url) || '').slice(0, 200), form: !!e.formData,
           cancelled: !!e.cancelable};
  S.navs.push(n); if (S.cur) S.cur.navs.push(n);
  if (e.cancelable) e.preventDefault();
};
window.addEventListener('submit', S.onCapture, true);
window.addEventListener('submit', S.onBubble, false);
window.addEventListener('invalid', S.onInvalid, true);
if (window.navigation && window.navigation.addEventListener) {
  window.navigation.addEventListener('navigate', S.onNavigate);
}
var FP = HTMLFormElement.prototype, XP = XMLHttpRequest.prototype;
S.saved.submit = FP.submit; S.saved.requestSubmit = FP.requestSubmit; S.saved.fetch = window.fetch;
S.saved.xhrSend = XP.send; S.saved.open = window.open; S.saved.alert = window.alert; S.saved.confirm = window.confirm;
S.saved.prompt = window.prompt;
S.saved.beaconOwn = Object.prototype.hasOwnProperty.call(navigator, 'sendBeacon');
S.saved.beacon = navigator.sendBeacon;
S.saved.wsSend = window.WebSocket ? WebSocket.prototype.send : null;
FP.submit = function () { rec('form.submit', this.action); };
if (S.saved.requestSubmit) FP.requestSubmit = function () {
  rec('form.requestSubmit', this.action);  // the submit event it fires is cancelled by S.onBubble
  return S.saved.requestSubmit.apply(this, arguments);
};
window.fetch = function (input) { rec('fetch', (input && input.url) || input); return new Promise(function () {}); };
XP.send = function () { rec('xhr', ''); };
try { navigator.sendBeacon = function (url) { rec('sendBeacon', url); return false; }; } catch (err) {}
if (window.WebSocket) WebSocket.prototype.send = function () { rec('websocket', this.url); };
window.open = function (url) { rec('window.open', url); return null; };
window.alert = function (m) {
  S.alerts.push(String(m).slice(0, 300)); if (S.cur) S.cur.alerts.push(String(m).slice(0, 300));
};
window.confirm = function (m) { if (S.cur) S.cur.alerts.push(String(m).slice(0, 300)); return false; };
window.prompt = function () { return null; };
return true;
