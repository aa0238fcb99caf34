"""BrowserAuditPipeline: settings, NotConfigured, and a real Scrapy crawl on the asyncio reactor (in a subprocess)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings

from empathy_audit.audits.model import Finding, Severity
from empathy_audit.crawler.browser import BrowserConfig
from empathy_audit.crawler.browser_pipeline import BrowserAuditPipeline
from empathy_audit.crawler.items import PageItem

ROOT = Path(__file__).resolve().parents[2]
SITE = Path(__file__).parent / "site"
LOOPBACK = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1"]


class _Stats:
    def __init__(self) -> None:
        self.values: dict = {}

    def set_value(self, k, v):
        self.values[k] = v

    def inc_value(self, k, n=1):
        self.values[k] = self.values.get(k, 0) + n

    def get_value(self, k, default=None):
        return self.values.get(k, default)


def _crawler(**settings):
    base = {"AUDIT_BROWSERS": 1, "AUDIT_BROWSER_ARGS": LOOPBACK, "AUDIT_SCREENSHOTS": False, "AUDIT_PAGE_TIMEOUT": 5}
    base.update(settings)
    return SimpleNamespace(settings=Settings(base), stats=_Stats(), spider=SimpleNamespace(hosts={"127.0.0.1"}))


def test_config_from_settings(tmp_path):
    cfg = BrowserConfig.from_settings(Settings({
        "AUDIT_BROWSERS": "2", "AUDIT_BROWSER_ARGS": "--a,--b", "AUDIT_STANDARD": "WCAG21AA",
        "AUDIT_BEST_PRACTICES": "true", "AUDIT_SCREENSHOTS": False, "AUDIT_OUT_DIR": str(tmp_path),
        "AUDIT_PAGE_TIMEOUT": "12.5",
    }))
    assert (cfg.browsers, cfg.browser_args, cfg.standard, cfg.best_practices, cfg.screenshots) == (
        2, ("--a", "--b"), "wcag21aa", True, False)
    assert cfg.out_dir == tmp_path and cfg.page_timeout == 12.5 and cfg.webdriver_url is None
    assert cfg.axe_options["runOnly"]["values"][-1] == "best-practice"
    with pytest.raises(ValueError):
        BrowserConfig.from_settings({"AUDIT_STANDARD": "wcag3"})
    with pytest.raises(ValueError):
        BrowserConfig.from_settings({"AUDIT_PAGE_TIMEOUT": 0})


def test_the_number_of_browsers_defaults_to_the_project_setting():
    from empathy_audit.crawler import settings as defaults

    assert BrowserConfig.from_settings({}).browsers == defaults.AUDIT_BROWSERS


def test_not_configured_without_browsers():
    with pytest.raises(NotConfigured):
        BrowserAuditPipeline.from_crawler(_crawler(AUDIT_BROWSERS=0))
    with pytest.raises(NotConfigured, match="apt-get install chromium"):
        BrowserAuditPipeline.from_crawler(_crawler(AUDIT_CHROMEDRIVER_PATH="/nonexistent/chromedriver"))


@pytest.mark.browser
def test_pipeline_merges_and_records(site):
    crawler = _crawler()
    pipeline = BrowserAuditPipeline.from_crawler(crawler)
    url = site.url("table.html")
    static = Finding("image-alt", url, "html > body > main > p > img",
                     '<img class="logo" height="10" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10"/>',
                     "Image has no alt attribute", Severity.CRITICAL)
    page = PageItem(url=url, final_url=url, status=200, html=(SITE / "table.html").read_text(), findings=[static])
    hang = PageItem(url=site.url("hang/p"), final_url=site.url("hang/p"), status=200, html="<html></html>")
    not_html = PageItem(url=site.url("x.pdf"), status=200, html=None)

    async def run():
        await pipeline.open_spider()
        items = await asyncio.gather(*(pipeline.process_item(i) for i in (page, hang, not_html)))
        await pipeline.close_spider()
        return items

    page, hang, not_html = asyncio.run(run())
    assert page.browser["audited"] is True and page.browser["error"] is None
    assert page.browser["axe_version"].startswith("4.")
    image_alt = [f for f in page.findings if f.check_id == "image-alt"]
    assert len(image_alt) == 2 and image_alt[0] is static and static.sources == ("static", "axe")
    assert all(f.url == url for f in page.findings)
    assert hang.browser == {"audited": False, "axe_version": None, "final_url": "", "attempts": 1,
                            "error": "audit failed: the page did not finish loading within 5 s"}
    assert hang.findings == []
    assert not_html.browser is None
    stats = crawler.stats.values
    assert stats["audit/axe_version"].startswith("4.") and stats["audit/chromium_version"]
    assert stats["audit/browser_pages"] == 1 and stats["audit/browser_failed"] == 1


_CRAWL = textwrap.dedent(
    """
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from empathy_audit.crawler.items import PageItem

    base, loopback = sys.argv[1], json.loads(sys.argv[2])
    items = []

    class Tiny(scrapy.Spider):
        name = "tiny"
        hosts = {"127.0.0.1"}
        start_urls = [base + "issues.html", base + "clean.html", base + "offsite"]

        def parse(self, response):
            yield PageItem(url=response.url, final_url=response.url, status=response.status, html=response.text)

    process = CrawlerProcess({
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "ITEM_PIPELINES": {"empathy_audit.crawler.browser_pipeline.BrowserAuditPipeline": 500},
        "AUDIT_BROWSERS": 2, "AUDIT_BROWSER_ARGS": loopback, "AUDIT_SCREENSHOTS": False,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": False,
    })
    crawler = process.create_crawler(Tiny)
    def collect(item, **kw):
        items.append(item)

    crawler.signals.connect(collect, signal=scrapy.signals.item_scraped)
    process.crawl(crawler)
    process.start()
    print("RESULT " + json.dumps({
        "items": [{"url": i.url, "browser": i.browser, "checks": sorted({f.check_id for f in i.findings})} for i in items],
        "stats": {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("audit/")},
    }))
    """
)


@pytest.mark.browser
def test_real_scrapy_crawl(site):
    proc = subprocess.run(
        [sys.executable, "-W", "always", "-c", _CRAWL,
         site.url(""), json.dumps(LOOPBACK)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")), None)
    assert proc.returncode == 0 and line, proc.stderr[-3000:]
    assert "BrowserAuditPipeline" not in proc.stderr.replace("browser audit failed", "")  # no deprecation warning
    out = json.loads(line[len("RESULT "):])
    by_url = {i["url"].rsplit("/", 1)[-1]: i for i in out["items"] if i["url"].startswith("http://127.0.0.1:")}
    assert by_url["issues.html"]["browser"]["audited"] is True
    assert {"color-contrast", "label", "button-name"} <= set(by_url["issues.html"]["checks"])
    assert by_url["clean.html"]["browser"]["audited"] is True and by_url["clean.html"]["checks"] == []
    # Scrapy followed /offsite to localhost itself; the browser refuses to audit outside spider.hosts
    offsite = [i for i in out["items"] if i["url"].startswith("http://localhost:")]
    assert len(offsite) == 1 and offsite[0]["browser"]["audited"] is False
    assert offsite[0]["browser"]["error"].startswith("audit failed: the browser ended up at http://localhost:")
    assert out["stats"]["audit/browser_pages"] == 2 and out["stats"]["audit/browser_failed"] == 1
    assert out["stats"]["audit/axe_version"].startswith("4.")
    assert out["stats"]["audit/chromium_version"]


@pytest.mark.browser
def test_browser_that_cannot_start_marks_pages_not_audited(site, tmp_path):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    crawler = _crawler(AUDIT_CHROMIUM_PATH=str(fake))
    pipeline = BrowserAuditPipeline.from_crawler(crawler)
    item = PageItem(url=site.url("clean.html"), status=200, html="<html></html>")

    async def run():
        await pipeline.open_spider()
        await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(run())
    assert item.browser["audited"] is False
    assert item.browser["error"].startswith("audit failed: the browser could not start")
    assert crawler.stats.values["audit/browser_failed"] == 1
