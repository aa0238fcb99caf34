// Remove the guards; what tried to leave the page while they were on.
var S = window.__eaForms;
if (!S || !S.installed) return {sent: [], navs: []};
S.active = false;
window.removeEventListener('submit', S.onCapture, true);
window.removeEventListener('submit', S.onBubble, false);
window.removeEventListener('invalid', S.onInvalid, true);
if (window.navigation && window.navigation.removeEventListener) {
  window.navigation.removeEventListener('navigate', S.onNavigate);
}
var FP = HTMLFormElement.prototype;
FP.submit = S.saved.submit; if (S.saved.requestSubmit) FP.requestSubmit = S.saved.requestSubmit;
window.fetch = S.saved.fetch; XMLHttpRequest.prototype.send = S.saved.xhrSend; window.open = S.saved.open;
window.alert = S.saved.alert; window.confirm = S.saved.confirm; window.prompt = S.saved.prompt;
try { if (S.saved.beaconOwn) navigator.sendBeacon = S.saved.beacon; else delete navigator.sendBeacon; } catch (err) {}
if (window.WebSocket && S.saved.wsSend) WebSocket.prototype.send = S.saved.wsSend;
var out = {sent: S.sent, navs: S.navs};
delete window.__eaForms;
return out;
