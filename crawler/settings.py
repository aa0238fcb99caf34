"""Scrapy settings for empathy-audit: polite crawl defaults and the AUDIT_* settings the pipelines read."""

from __future__ import annotations

import os

BOT_NAME = "empathy-audit"
SPIDER_MODULES = ["empathy_audit.crawler.spiders"]
NEWSPIDER_MODULE = "empathy_audit.crawler.spiders"

USER_AGENT = "empathy-audit/0.1 (+accessibility audit; https://pypi.org/project/empathy-audit/)"

# Politeness: obey robots.txt, a per-host cap, AutoThrottle adapting to the server's latency.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.25
AUTOTHROTTLE_MAX_DELAY = 10.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 4.0
DOWNLOAD_TIMEOUT = 20
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 10
# A page's <meta http-equiv="refresh"> is something to audit (WCAG 2.2.1, meta-refresh), not an HTTP redirect: the
# page itself is audited, and its target is only a link. (Scrapy's MetaRefreshMiddleware would replace the page
# by its target, which may be off-site.)
METAREFRESH_ENABLED = False
# A page is audited from its HTML; never hold more than this per response (a site that streams forever ends here).
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 0
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Every status reaches the spider: a 404 is itself a finding.
HTTPERROR_ALLOW_ALL = True
# Depth and page caps are enforced by the spider itself (sitemap seeds count as depth 1).
DEPTH_LIMIT = 0
DEPTH_PRIORITY = 1  # breadth-first: the pages closest to home are audited first when a cap stops the crawl
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"
LOG_LEVEL = os.environ.get("EMPATHY_AUDIT_LOG_LEVEL", "WARNING")
# Items are scheduled a few at a time, so slow browser audits push back on fetching instead of piling up pages.
CONCURRENT_ITEMS = 8

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "empathy_audit.crawler.pipelines.StopGate": 10,  # after Ctrl-C, pages that have not started their audits are dropped
    "empathy_audit.crawler.pipelines.HtmlAuditPipeline": 100,  # every family that reads the served HTML (audits.families)
    "empathy_audit.crawler.link_pipeline.LinkIntegrityPipeline": 150,
    "empathy_audit.crawler.media_pipeline.MediaAuditPipeline": 200,  # what each page downloads; browser (300) runs after it
    "empathy_audit.crawler.media_pipeline.MediaBrowserPipeline": 350,  # adds the browser's Resource Timing (AUDIT_BROWSERS > 0)
    "empathy_audit.crawler.pipelines.ScopePipeline": 880,  # --ignore-check, --exclude-selector: whichever audit found it
    "empathy_audit.crawler.pipelines.StoppedPagesGate": 890,  # pages the Ctrl-C cut short are not stored
    "empathy_audit.crawler.storage_pipeline.StoragePipeline": 900,
}

# Staging access (crawler/middlewares.py): last before the wire, so what it strips from other hosts stays stripped.
DOWNLOADER_MIDDLEWARES = {"empathy_audit.crawler.middlewares.StagingAccessMiddleware": 990}
# Live progress on a terminal, periodic log lines otherwise (crawler/progress.py; crawler.run turns it on).
EXTENSIONS = {"empathy_audit.crawler.progress.Progress": 500}

# --- empathy-audit ---------------------------------------------------------------------------------------
# The one place for defaults: the CLI's options and their help texts read them from here.


def default_browsers() -> int:
    """Chromium instances when --browsers is not given: the number of CPU cores, at most 4 (each needs ~200 MB)."""
    return max(1, min(os.cpu_count() or 1, 4))


CLOSESPIDER_TIMEOUT = 0  # --max-time: seconds before the crawl stops and reports what it audited; 0 = no limit
AUDIT_DB = ".empathy-audit/history.db"  # SQLite file (every run is kept)
AUDIT_OUT_DIR = "out"  # report.html, report.json, screenshots/
AUDIT_MAX_PAGES = 500  # HTML and non-HTML URLs fetched as pages, at most (with --urls: the number of URLs listed)
AUDIT_URL_LIST = None  # --urls: where the list came from and its length, kept with the run (the spider gets the URLs)
AUDIT_MAX_DEPTH = 10  # clicks from the start page
AUDIT_INCLUDE: list[str] = []  # regexes; when given, only matching URLs are crawled (the start URL always is)
AUDIT_EXCLUDE: list[str] = []  # regexes; matching URLs are never crawled
AUDIT_SITEMAPS = True  # seed from robots.txt Sitemap: lines and /sitemap.xml
AUDIT_BROWSERS = default_browsers()  # Chromium instances for browser audits; 0 = static checks only
AUDIT_BROWSER_ARGS: list[str] = []
AUDIT_WEBDRIVER_URL = None
AUDIT_CHROMIUM_PATH = None  # --chromium / $EMPATHY_CHROMIUM; crawler.run sets the one found on PATH when not given
AUDIT_CHROMEDRIVER_PATH = None  # --chromedriver / $EMPATHY_CHROMEDRIVER; likewise
AUDIT_AXE_SCRIPT = None  # --axe-script: an axe.min.js to inject instead of the one axe-selenium-python bundles
AUDIT_IGNORE_CHECKS: list[str] = []  # --ignore-check: our check ids and axe rule ids neither run nor reported
AUDIT_EXCLUDE_SELECTORS: list[str] = []  # --exclude-selector: elements (and their descendants) not audited
AUDIT_STOP = None  # crawler.signals.Stop set by crawler.run: Ctrl-C stops auditing new pages
AUDIT_STANDARD = "wcag22aa"
AUDIT_BEST_PRACTICES = False
AUDIT_SCREENSHOTS = True
AUDIT_PAGE_TIMEOUT = 30
AUDIT_PROBES = None  # our own browser checks' probes (audits.gather.probes); None = render + keyboard
AUDIT_TRY_FORMS = False  # submit each form empty in the browser to see how errors are announced (staging only)
AUDIT_SAMPLE = "auto"  # browser sampling by page template: "auto", "off" (every page), or representatives per template
# (with --urls: "off" unless --sample is given, so every listed page is audited in the browser)
AUDIT_SAMPLE_MIN_PAGES = 300  # "auto" samples only above this many HTML pages (and when --max-pages allows more)
AUDIT_MEDIA = True  # measure what each page downloads (media checks, low-bandwidth report)
AUDIT_PAGE_WEIGHT_BUDGET = 2667  # KB (1,024 bytes): Lighthouse total-byte-weight scores 0.9 here
AUDIT_MEDIA_TIMEOUT = 10  # seconds per measuring request (never more than DOWNLOAD_TIMEOUT)
AUDIT_MEDIA_MAX_BYTES = 16 * 1024 * 1024  # a body without Content-Length is counted this far, then "unmeasured"
AUDIT_MEDIA_THIRD_PARTY = True  # also measure resources on other hosts (CDNs, font services)
AUDIT_AUTH = None  # crawler.auth.AuthSession set by crawler.run (--basic-auth, --header, --cookie, --login-*)
AUDIT_INSECURE = False  # accept self-signed certificates in Chromium too (--insecure)
AUDIT_PROGRESS = False  # progress display (crawler.run sets it unless --quiet)
AUDIT_PROGRESS_INTERVAL = 10.0  # seconds between plain progress lines when stderr is not a terminal
