"""The "forms" probe (--try-forms) never lets a request reach the server, and puts the page back afterwards.

Every form on these pages tries a different way to send its data; a server on 127.0.0.1 counts what reaches it.
Only the GET of the page itself may arrive.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser.form_error_colour_only import form_error_colour_only
from empathy_audit.audits.browser.form_error_not_associated import form_error_not_associated
from empathy_audit.audits.gather import forms as forms_probe
from empathy_audit.audits.model import Outcome
from empathy_audit.crawler.browser import DriverPool
from empathy_audit.crawler.devserver import serve

from .conftest import make_config

HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="icon" href="data:,"></head><body><main><h1>{title}</h1>"""
TAIL = "</main></body></html>"

# Five forms, each sending its data another way once its submit is not stopped by our guards.
LEAKY = HEAD.format(title="Leaky forms") + """
<form id="plain" action="/plain" method="post">
  <label for="a">A</label><input id="a" name="a"><button>Send plain</button>
</form>
<form id="fetcher" action="/ignored" method="post">
  <label for="b">B</label><input id="b" name="b"><button>Send with fetch</button>
</form>
<form id="submitter" action="/submitted" method="post">
  <label for="c">C</label><input id="c" name="c"><button>Send with submit()</button>
</form>
<form id="stopper" action="/stopped" method="post">
  <label for="d">D</label><input id="d" name="d"><button>Send, stopping propagation</button>
</form>
<form id="beacons" action="/ignored2" method="post">
  <label for="e">E</label><input id="e" name="e"><button>Send with XHR, beacon, image, navigation</button>
</form>
<script>
document.getElementById('fetcher').addEventListener('submit', function (ev) {
  ev.preventDefault();
  fetch('/fetch', {method: 'POST', body: new FormData(ev.target)});
});
document.getElementById('submitter').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var f = ev.target; setTimeout(function () { f.submit(); }, 10);
});
document.getElementById('stopper').addEventListener('submit', function (ev) { ev.stopPropagation(); });
document.getElementById('beacons').addEventListener('submit', function (ev) {
  ev.preventDefault();
  var x = new XMLHttpRequest(); x.open('POST', '/xhr'); x.send('e=1');
  navigator.sendBeacon('/beacon', 'e=1');
  new Image().src = '/pixel.gif?e=1';
  setTimeout(function () { location.href = '/next?e=1'; }, 20);
});
</script>
""" + TAIL

# A form validated by the page: the probe sees the error, then removes it again.
VALIDATED = HEAD.format(title="Validated form") + """
<form id="v" action="/v" method="post" novalidate>
  <label for="email">Email</label><input id="email" name="email" required>
  <p id="email-msg" hidden>Enter your email.</p>
  <label for="name">Name</label><input id="name" name="name">
  <button>Sign up</button>
</form>
<form role="search" action="/search"><label for="q">Search</label><input id="q" name="q"><button>Go</button></form>
<script>
document.getElementById('v').addEventListener('submit', function (ev) {
  if (!document.getElementById('email').value) {
    ev.preventDefault();
    document.getElementById('email-msg').hidden = false;
    var p = document.createElement('p'); p.id = 'added'; p.textContent = 'Form has errors.';
    ev.target.prepend(p);
  }
});
</script>
""" + TAIL


# A handler that leaves for another origin (every host maps to 127.0.0.1 in tests: a leak would reach our server).
AWAY = HEAD.format(title="Away") + """
<form id="away" action="/ignored" method="post" novalidate>
  <label for="w">W</label><input id="w" name="w" required><button>Go</button>
</form>
<script>
document.getElementById('away').addEventListener('submit', function (ev) {
  ev.preventDefault();
  window.location.assign('http://elsewhere.test:' + location.port + '/away?w=');
});
</script>
""" + TAIL


@pytest.fixture(scope="module")
def counting_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list]]:
    """The pages served on 127.0.0.1, and the server's log of every request that reached it: (method, path)."""
    root: Path = tmp_path_factory.mktemp("forms-site")
    (root / "leaky.html").write_text(LEAKY, "utf-8")
    (root / "validated.html").write_text(VALIDATED, "utf-8")
    (root / "away.html").write_text(AWAY, "utf-8")
    with serve(str(root)) as server:
        yield server.base_url, server.requests


@pytest.fixture(scope="module")
def forms_pool() -> Iterator[DriverPool]:
    with DriverPool(make_config(probes=("forms",))) as pool:
        yield pool


def test_no_request_reaches_the_server(counting_site, forms_pool):
    base, seen = counting_site
    seen.clear()
    with forms_pool.leased() as slot:
        driver = slot.driver
        driver.get(f"{base}/leaky.html")
        assert seen == [("GET", "/leaky.html")]
        data = forms_probe.gather(driver, budget=8.0)
        time.sleep(0.5)  # anything late (timers, beacons) would have arrived by now
        assert seen == [("GET", "/leaky.html")], f"requests reached the server: {seen[1:]}"
        assert data["network_blocked"] is True
        assert not data.get("navigated")
        tried = {f["selector"]: f for f in data["forms"]}
        assert set(tried) == {"#plain", "#fetcher", "#submitter", "#stopper", "#beacons"}
        assert all(not f.get("error") for f in tried.values()), tried
        # The page's own handlers ran and what they tried to send was recorded.
        assert tried["#plain"]["submit_event"] and not tried["#plain"]["page_prevented"]
        assert [s["via"] for s in tried["#fetcher"]["sent"]] == ["fetch"]
        assert [s["via"] for s in tried["#submitter"]["sent"]] == ["form.submit"]
        # stopPropagation() would skip our bubbling listener: the submission is cancelled at that moment, and it
        # does not count as the page's own cancellation (that is preventDefault()).
        assert tried["#stopper"]["submit_event"] and not tried["#stopper"]["page_prevented"]
        assert tried["#fetcher"]["page_prevented"]
        assert {"xhr", "sendBeacon"} <= {s["via"] for s in tried["#beacons"]["sent"]}
        assert [n["url"].rsplit("/", 1)[-1] for n in tried["#beacons"]["navs"]] == ["next?e=1"]
        # The guards are gone, the script timeout is back and the page is still there.
        assert driver.timeouts.script == pytest.approx(10.0)
        assert driver.current_url == f"{base}/leaky.html"
        assert driver.execute_script(
            "return window.__eaForms === undefined && /native code/.test(String(window.fetch)) && "
            "/native code/.test(String(XMLHttpRequest.prototype.send)) && "
            "/native code/.test(String(HTMLFormElement.prototype.submit)) && "
            "/native code/.test(String(navigator.sendBeacon))"
        )
    # The network is open again once the probe is over.
    with forms_pool.leased() as slot:
        slot.driver.get(f"{base}/validated.html")
    assert seen[-1] == ("GET", "/validated.html")


def test_errors_are_read_and_the_page_is_put_back(counting_site, forms_pool):
    base, seen = counting_site
    with forms_pool.leased() as slot:
        driver = slot.driver
        driver.get(f"{base}/validated.html")
        n = len(seen)
        data = forms_probe.gather(driver, budget=5.0)
        assert len(seen) == n
        assert [f["selector"] for f in data["forms"]] == ["#v"]
        assert {"selector": "html > body > main > form:nth-of-type(2)", "why": "search"} in data["skipped"]
        form = data["forms"][0]
        assert form["submit_event"] and form["page_prevented"] and not form["sent"]
        texts = {m["text"]: m for m in form["messages"]}
        assert texts["Enter your email."]["field"] == "#email"
        assert texts["Enter your email."]["tie"] is None
        assert texts["Form has errors."]["field"] is None
        # DOM changes undone: the message is hidden again, the inserted paragraph is gone.
        assert driver.execute_script(
            "return document.getElementById('email-msg').hidden && !document.getElementById('added')"
        )


def test_full_audit_with_forms_probe_stays_within_budget(counting_site, forms_pool):
    base, seen = counting_site
    n = len(seen)
    result = forms_pool.audit(f"{base}/leaky.html")
    assert result.audited, result.error
    probe = result.artifact.probes["forms"]
    assert "error" not in probe, probe
    assert probe["seconds"] < forms_probe.MAX_FORMS * 1.5
    assert [p for p in seen[n:] if p != ("GET", "/leaky.html")] == []


class _NoDevTools:
    """A driver without execute_cdp_cmd (a Grid node, a cloud service): only the in-page guards stop requests."""

    def __init__(self, driver: object) -> None:
        self._driver = driver

    def __getattr__(self, name: str) -> object:
        if name == "execute_cdp_cmd":
            raise AttributeError(name)
        return getattr(self._driver, name)


def test_without_devtools_the_page_guards_still_stop_every_submission(counting_site, forms_pool):
    base, seen = counting_site
    with forms_pool.leased() as slot:
        slot.driver.get(f"{base}/leaky.html")
        n = len(seen)
        data = forms_probe.gather(_NoDevTools(slot.driver), budget=8.0)
        time.sleep(0.5)
        assert data["network_blocked"] is False
        # Only DevTools stops an image beacon (new Image().src): documented limit of the JS-only mode.
        assert [r for r in seen[n:] if not r[1].startswith("/pixel.gif")] == []
        assert slot.driver.current_url == f"{base}/leaky.html"


# --- the checks, over hand-written probe data (no browser) ---------------------------------------------------------


def _page(**form: object) -> RenderedPage:
    base = {"selector": "#f", "submit_event": True, "page_prevented": True, "sent": [], "navs": [], "alerts": [],
            "messages": [], "fields": [], "announced": []}
    base.update(form)
    return RenderedPage(url="https://example.test/", probes={"forms": {"forms": [base]}})


def _msg(text: str, field: str | None = "#email", **kw: object) -> dict:
    m = {"selector": "#msg", "snippet": "<p>", "text": text, "length": len(text), "has_fields": False,
         "in_form": True, "near_form": True, "live": None, "focused": False, "field": field,
         "field_name": None, "assigned_by": "group" if field else None, "tie": None, "in_announcement": False}
    m.update(kw)
    return m


def _field(sel: str = "#email", **kw: object) -> dict:
    f = {"selector": sel, "snippet": "<input>", "name": "Email", "visible": True, "valid": False,
         "aria_invalid": None, "style_changed": [], "label_color_changed": False, "error_class": False,
         "native_bubble": False, "group": None}
    f.update(kw)
    return f


def _outcomes(findings) -> list[tuple[str, Outcome]]:
    return [(f.selector, f.outcome) for f in findings]


def test_untied_message_fails_tied_or_announced_passes():
    assert _outcomes(form_error_not_associated(_page(messages=[_msg("Enter your email.")], fields=[_field()]))) == [
        ("#email", Outcome.FAIL)]
    for kw in ({"tie": "aria-describedby"}, {"tie": "label"}, {"live": {"kind": "alert", "existed": False}},
               {"live": {"kind": "polite", "existed": True}}, {"focused": True}, {"in_announcement": True}):
        page = _page(messages=[_msg("Enter your email.", **kw)], fields=[_field()])
        assert list(form_error_not_associated(page)) == [], kw


def test_ambiguous_messages_are_left_for_review():
    cases = [
        {"live": {"kind": "polite", "existed": False}},  # a live region created with its text
        {"assigned_by": "sibling"},  # only follows the field: may be about the whole form
    ]
    for kw in cases:
        page = _page(messages=[_msg("Enter your email.", **kw)], fields=[_field()])
        assert _outcomes(form_error_not_associated(page)) == [("#email", Outcome.REVIEW)], kw
    page = _page(messages=[_msg("Enter your email.")], fields=[_field()], announced=["There is a problem: Email"])
    assert _outcomes(form_error_not_associated(page)) == [("#email", Outcome.REVIEW)]
    page = _page(messages=[_msg("Please fix the errors.", field=None)], fields=[_field()])
    assert _outcomes(form_error_not_associated(page)) == [("#msg", Outcome.REVIEW)]


def test_forms_the_page_lets_through_are_not_judged():
    msgs, fields = [_msg("Sending...")], [_field(style_changed=["borderTopColor"], aria_invalid="true")]
    for kw in ({"page_prevented": False}, {"sent": [{"via": "fetch"}]}, {"navs": [{"url": "/next"}]},
               {"error": "boom"}, {"submitter_disabled": True}):
        page = _page(messages=msgs, fields=fields, **kw)
        assert list(form_error_not_associated(page)) == [] and list(form_error_colour_only(page)) == [], kw
    assert list(form_error_colour_only(RenderedPage(url="u", probes={"forms": {"error": "x"}}))) == []


def test_colour_only():
    red = {"style_changed": ["borderTopColor"], "aria_invalid": "true"}
    assert _outcomes(form_error_colour_only(_page(fields=[_field(**red)]))) == [("#email", Outcome.FAIL)]
    # A text anywhere that does not name the field: review; one that names it: fine.
    page = _page(fields=[_field(**red)], messages=[_msg("Please fix the fields in red.", field=None)])
    assert _outcomes(form_error_colour_only(page)) == [("#email", Outcome.REVIEW)]
    page = _page(fields=[_field(**red)], alerts=["Email is required"])
    assert list(form_error_colour_only(page)) == []
    # Its own message, the browser's bubble, a "valid" green border, an unchanged look: nothing.
    for kw in ({"native_bubble": True}, {"valid": True, "aria_invalid": None}, {"style_changed": []}):
        assert list(form_error_colour_only(_page(fields=[_field(**{**red, **kw})]))) == [], kw
    page = _page(fields=[_field(**red)], messages=[_msg("Enter your email.", tie="aria-describedby")])
    assert list(form_error_colour_only(page)) == []
    # Words written by CSS next to the field (label::after { content: "required" }): review, not a failure.
    page = _page(fields=[_field(**red, css_text="(required)")])
    assert _outcomes(form_error_colour_only(page)) == [("#email", Outcome.REVIEW)]


def test_a_navigation_to_another_origin_is_stopped(counting_site, forms_pool):
    base, seen = counting_site
    with forms_pool.leased() as slot:
        slot.driver.get(f"{base}/away.html")
        n = len(seen)
        data = forms_probe.gather(slot.driver, budget=5.0)
        time.sleep(0.5)
        assert seen[n:] == [] and not data.get("navigated")  # cancelled through the Navigation API
        assert slot.driver.current_url == f"{base}/away.html"
        assert [n["url"].split("/")[-1] for n in data["forms"][0]["navs"]] == ["away?w="]
