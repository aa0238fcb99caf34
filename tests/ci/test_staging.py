"""Staging access as a CI job uses it: basic auth + token header + login form, from a config file with ${VAR}
secrets; credentials reach only the staging host (never 127.0.0.2, from Scrapy or Chromium) and no output file,
log or database row holds a secret."""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
import ssl
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from empathy_audit.crawler.auth import AuthSession, StagingAccess
from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.middlewares import StagingAccessMiddleware
from empathy_audit.crawler.secrets import install_log_masking, mask, redact_url, register_secret
from tests.ci.staging import ENV, LOGIN_EMAIL, SECRETS, USER, StagingSite, send
from tests.helpers import run_cli

# Chromium stays on loopback; 127.0.0.2 keeps its own address so the second host is really a second host.
BROWSER_ARGS = ["--browser-arg=--proxy-server=http://127.0.0.1:9",
                "--browser-arg=--host-resolver-rules=MAP * 127.0.0.1, EXCLUDE 127.0.0.2"]


@pytest.fixture
def staging():
    site = StagingSite()
    yield site
    site.close()


def _config(tmp_path: Path, site: StagingSite, **extra: str) -> Path:
    lines = [
        f'url = "{site.url}/"',
        f'basic-auth = "{USER}:${{STAGING_PASSWORD}}"',
        'header = { "X-Staging-Token" = "${STAGING_TOKEN}" }',
        f'login-url = "{site.url}/login"',
        f'login-field = {{ email = "{LOGIN_EMAIL}", password = "${{STAGING_LOGIN_PASSWORD}}" }}',
        f'db = "{tmp_path / "history.db"}"',
        f'out = "{tmp_path / "out"}"',
        "ignore-robots = true",
    ]
    lines += [f"{k.replace('_', '-')} = {v}" for k, v in extra.items()]
    path = tmp_path / "empathy-audit.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def _files_without_secrets(tmp_path: Path, *texts: str, extra_secrets: tuple[str, ...] = ()) -> None:
    secrets = [s.encode() for s in (*SECRETS, *extra_secrets)]
    secrets.append(base64.b64encode(f"{USER}:{SECRETS[0]}".encode()))
    for path in tmp_path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for s in secrets:
                assert s not in data, f"a secret is in {path}"
    for text in texts:
        for s in secrets:
            assert s.decode() not in text


def _check_run(tmp_path: Path, site: StagingSite, res) -> dict:
    assert res.code == 0, res.stderr
    assert site.leaked() == []
    staging = site.log.all()
    assert staging and all("authorization" in h for _, _, h, _ in staging)  # basic auth on every request
    assert [p for m, p, _, _ in staging if m == "POST"] == ["/login"]  # logged in once
    assert {p for _, p, _, _ in site.other_log.all()} >= {"/landing-302", "/landing-307"}  # redirects followed
    db = sqlite3.connect(tmp_path / "history.db")
    pages = {u.split("/", 3)[-1]: (s, t) for u, s, t in db.execute("SELECT url, status, title FROM pages")}
    assert pages["account"] == (200, "Your account")  # behind the login: the session was used
    settings = json.loads(db.execute("SELECT settings FROM runs").fetchone()[0])
    summary = json.loads(settings["AUDIT_AUTH_SUMMARY"])
    assert summary["origins"] == [site.url] and summary["basic_auth_user"] == USER and summary["headers"] == ["X-Staging-Token"]
    assert summary["login_fields"] == ["email", "password"]
    db.close()
    _files_without_secrets(tmp_path, res.stdout, res.stderr, extra_secrets=tuple(site.sessions))
    return pages


def test_staging_crawl_with_basic_auth_header_and_login_form(tmp_path, staging):
    cfg = _config(tmp_path, staging)
    res = run_cli("crawl", "--config", str(cfg), "--no-browser", "-v", env=ENV)
    _check_run(tmp_path, staging, res)
    assert "logged in at" in res.stderr  # the -v log was written, masked


@pytest.mark.browser
def test_chromium_gets_the_session_and_credentials_only_for_staging(tmp_path, staging):
    cfg = _config(tmp_path, staging)
    res = run_cli("crawl", "--config", str(cfg), "--browsers", "1", "--no-screenshots", *BROWSER_ARGS, env=ENV)
    _check_run(tmp_path, staging, res)
    chrome = [(p, h) for _, p, h, _ in staging.log.all() if "HeadlessChrome" in h.get("user-agent", "")
              or "Mozilla" in h.get("user-agent", "")]
    assert {"/", "/account", "/about"} <= {p for p, _ in chrome}
    for path, headers in chrome:
        assert headers.get("x-staging-token") == SECRETS[2]
        assert "session=" in headers.get("cookie", ""), path  # the login's session, shared with the browser
    other_chrome = [p for _, p, h, _ in staging.other_log.all() if "Mozilla" in h.get("user-agent", "")]
    assert {"/pixel.png", "/frame", "/api"} <= set(other_chrome)  # the browser did load the other host: clean
    db = sqlite3.connect(tmp_path / "history.db")
    browser = {u.rsplit("/", 1)[-1]: json.loads(b) for u, b in db.execute("SELECT url, browser FROM pages")
               if b}
    assert browser["account"]["audited"] and browser["account"]["title"] == "Your account"


def test_a_refused_login_is_one_sentence_and_exit_2(tmp_path, staging):
    cfg = _config(tmp_path, staging)
    res = run_cli("crawl", "--config", str(cfg), "--no-browser",
                  env={**ENV, "STAGING_LOGIN_PASSWORD": "wrong-password-123"})
    assert res.code == 2
    assert res.stderr.strip().splitlines()[-1] == (
        f"empathy-audit: the login at {staging.url}/login did not succeed (the login form came back): check the "
        f"login-field values.")
    assert "wrong-password-123" not in res.stderr
    res = run_cli("crawl", "--config", str(cfg), "--no-browser", env={**ENV, "STAGING_PASSWORD": "nope-nope"})
    assert res.code == 2 and "answered HTTP 401 (check basic-auth)" in res.stderr
    assert staging.leaked() == []


def test_login_url_off_the_site_is_refused_before_anything_is_sent(tmp_path, staging):
    cfg = _config(tmp_path, staging)
    res = run_cli("crawl", "--config", str(cfg), "--no-browser", "--login-url", staging.other_url + "/login",
                  env=ENV)
    assert res.code == 2 and "is not on the audited site" in res.stderr
    assert staging.other_log.all() == [] and staging.log.all() == []


# --- units -----------------------------------------------------------------------------------------------------


def _access(start="https://staging.example.com/", **kw) -> StagingAccess:
    args = SimpleNamespace(basic_auth="ci:pw-S3cret", header=["X-Token: tok-S3cret"], cookie=["consent=yes"],
                           login_url=None, login_field=[], login_form=None, login_hook=None, insecure=False)
    for k, v in kw.items():
        setattr(args, k, v)
    return StagingAccess.from_args(args, start)


def test_scope_is_the_start_origin_and_its_twin_and_never_a_downgrade():
    a = _access()
    assert a.origins == {"https://staging.example.com", "https://www.staging.example.com"}
    assert a.in_scope("https://staging.example.com/x") and a.in_scope("https://www.staging.example.com:443/")
    assert not a.in_scope("https://staging.example.com:8443/x")  # another port is another origin
    assert not a.in_scope("http://staging.example.com/")  # the site is https: no password over plain http
    assert not a.in_scope("https://example.com/") and not a.in_scope("https://staging.example.com.evil.io/")
    assert not a.in_scope("https://u:p@staging.example.com/") and not a.in_scope("ftp://staging.example.com/")
    http = _access("http://127.0.0.1:8000/")
    assert http.in_scope("http://127.0.0.1:8000/a") and not http.in_scope("http://127.0.0.1:9/")
    assert not http.in_scope("http://127.0.0.10:8000/") and not http.in_scope("https://127.0.0.1:8000/")
    assert AuthSession(http).url_patterns() == ["http://127.0.0.1:8000/*"]
    # The start URL's redirect widens the scope to another origin of its host, never to another host or to http.
    assert http.may_widen("https://127.0.0.1/") and not http.may_widen("http://127.0.0.2:8000/")
    assert not a.may_widen("http://staging.example.com/") and a.may_widen("https://staging.example.com:8443/")
    for bad, says in [({"basic_auth": "nocolon"}, "basic-auth must look like USER:PASSWORD"),
                      ({"header": ["no colon"]}, "header 'no colon' must look like 'Name: value'"),
                      ({"header": ["Host: x"]}, "header 'Host' cannot be set"),
                      ({"login_field": ["a=b"]}, "need login-url"),
                      ({"login_url": "https://sso.example.net/", "login_field": ["a=b"]}, "not on the audited site"),
                      ({"login_hook": "not a hook"}, "must look like 'module:function'")]:
        with pytest.raises(ValueError, match=says):
            _access(**bad)


def _middleware(access: StagingAccess):
    stats = SimpleNamespace(values={}, inc_value=lambda k, n=1: stats.values.__setitem__(k, stats.values.get(k, 0) + n))
    crawler = SimpleNamespace(stats=stats)
    return StagingAccessMiddleware(crawler, AuthSession(access)), stats


def test_middleware_adds_credentials_in_scope_and_strips_them_everywhere_else():
    mw, stats = _middleware(_access())
    req = Request("https://staging.example.com/a")
    mw.process_request(req)
    assert req.headers[b"Authorization"] == b"Basic " + base64.b64encode(b"ci:pw-S3cret")
    assert req.headers[b"X-Token"] == b"tok-S3cret"
    # A redirect elsewhere copies the headers; whoever added them (us, cookies middleware), they are removed.
    away = req.replace(url="https://cdn.example.net/b")
    away.headers[b"Cookie"] = b"session=abc"
    mw.process_request(away)
    assert not {b"Authorization", b"X-Token", b"Cookie"} & set(away.headers.keys())
    assert stats.values["audit/credentials_withheld"] == 1
    login = Request("https://evil.example.net/login", method="POST", body=b"password=x", meta={"audit_login": True})
    with pytest.raises(IgnoreRequest):
        mw.process_request(login)
    plain = Request("http://staging.example.com/")  # downgrade: nothing added
    mw.process_request(plain)
    assert b"Authorization" not in plain.headers


def test_secrets_are_masked_in_text_logs_and_urls(caplog):
    register_secret("pa55-w0rd/+")
    assert mask("x pa55-w0rd/+ y pa55-w0rd%2F%2B z") == "x ******** y ******** z"
    assert redact_url("postgresql://u:pa55@db.example/x") == "postgresql://u:********@db.example/x"
    install_log_masking()
    with caplog.at_level(logging.INFO):
        logging.getLogger("empathy.test").info("login with %s", "pa55-w0rd/+")
    assert "pa55-w0rd/+" not in caplog.text and "********" in caplog.text


def _self_signed(tmp_path: Path) -> tuple[str, str]:
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@pytest.fixture
def tls_staging(tmp_path):
    """One page over https with a self-signed certificate, behind basic auth."""
    def page(req):
        if req.headers.get("Authorization") != "Basic " + base64.b64encode(b"ci:tls-S3cret").decode():
            send(req, 401, headers={"WWW-Authenticate": 'Basic realm="tls"'}, ctype="text/html")
            return
        send(req, 200, b"<!doctype html><html lang=en><title>TLS staging</title><main><h1>Hi</h1></main></html>",
             "text/html")

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*_self_signed(tmp_path))
    with serve(None, routes={"*": page}, ssl_context=ctx) as server:
        yield server.base_url + "/"


@pytest.mark.browser
def test_insecure_accepts_a_self_signed_staging_certificate_in_scrapy_and_chromium(tmp_path, tls_staging):
    common = ("crawl", tls_staging, "--basic-auth", "ci:${TLS_PW}", "--db", str(tmp_path / "h.db"),
              "--out", str(tmp_path / "out"), "--browsers", "1", "--no-screenshots", *BROWSER_ARGS)
    res = run_cli(*common, env={"TLS_PW": "tls-S3cret"})
    assert res.code == 2 and "certificate verify failed" in res.stderr  # credentials wait for --insecure
    res = run_cli(*common, "--insecure", env={"TLS_PW": "tls-S3cret"})
    assert res.code == 0, res.stderr
    db = sqlite3.connect(tmp_path / "h.db")
    browser = json.loads(db.execute("SELECT browser FROM pages ORDER BY run_id DESC LIMIT 1").fetchone()[0])
    assert browser["audited"] and browser["title"] == "TLS staging"


def test_login_hook_returns_the_session_cookies(tmp_path, staging):
    staging.sessions.add("hook-session-S3cret-token")
    (tmp_path / "ci_hook.py").write_text(
        "def login(ctx):\n"
        "    assert ctx.basic_auth[0] == 'ci-bot' and ctx.start_url.endswith('/')\n"
        "    return {'session': ctx.env['HOOK_SESSION']}\n")
    cfg = tmp_path / "empathy-audit.toml"
    cfg.write_text(f'url = "{staging.url}/"\nbasic-auth = "{USER}:${{STAGING_PASSWORD}}"\n'
                   f'header = {{ "X-Staging-Token" = "${{STAGING_TOKEN}}" }}\nlogin-hook = "ci_hook:login"\n'
                   f'db = "h.db"\nout = "out"\nignore-robots = true\nno-browser = true\n')
    res = run_cli("crawl", cwd=tmp_path, env={**ENV, "HOOK_SESSION": "hook-session-S3cret-token"})
    assert res.code == 0, res.stderr
    db = sqlite3.connect(tmp_path / "h.db")
    titles = {u.rsplit("/", 1)[-1]: t for u, t in db.execute("SELECT url, title FROM pages")}
    db.close()
    assert titles["account"] == "Your account" and staging.leaked() == []
    assert not [p for m, p, _, _ in staging.log.all() if m == "POST"]  # the hook logged in, not a form
    _files_without_secrets(tmp_path, res.stdout, res.stderr, extra_secrets=("hook-session-S3cret-token",))
