"""Benchmark: seconds of the keyboard walk (audits.gather.keyboard) per page of the bundled demo site.

Usage: python bench/bench_keyboard.py [--budget 3.0] [--repeat 1] [--channel socket|cdp|actions] [--json PATH]

Serves crawler/demo_site on 127.0.0.1 (crawler.devserver), starts one loopback-only Chromium the way the crawler
does (crawler.browser.PooledDriver: same flags, dead proxy, every host name mapped to 127.0.0.1), loads every HTML
page of the site and times `gather(driver, budget)` on it: the inventory script, the Tab walk, the reverse and
skip-link tests and the re-checks. Prints one row per page (stops, how the walk ended, seconds per phase) and the
mean and max against the 3 s target. --channel forces the slower key channels a remote Grid would use.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from empathy_audit.audits.gather import keyboard  # noqa: E402
from empathy_audit.crawler.browser import BrowserConfig, PooledDriver  # noqa: E402
from empathy_audit.crawler.devserver import serve  # noqa: E402

LOOPBACK = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")
TARGET = 3.0
SITE = ROOT / "crawler" / "demo_site"


def pages() -> list[str]:
    skip = {"private"}
    out = []
    for path in sorted(SITE.rglob("*.html")):
        rel = path.relative_to(SITE)
        if rel.parts[0] in skip:
            continue
        out.append(rel.as_posix())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget", type=float, default=3.0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--channel", choices=("socket", "cdp", "actions"), default="socket")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    if args.channel != "socket":
        keyboard.local_devtools_url = lambda driver: None  # type: ignore[assignment]
    slot = PooledDriver(0, BrowserConfig(browsers=1, browser_args=LOOPBACK, screenshots=False))
    slot.start()
    rows: list[dict] = []
    try:
        driver = slot.driver
        if args.channel == "actions":
            from empathy_audit.crawler.browser.screenshots import WithoutCdp

            driver = WithoutCdp(driver)
        with serve(str(SITE), "127.0.0.1", 0) as server:
            for _ in range(args.repeat):
                for rel in pages():
                    slot.driver.get(f"{server.base_url}/{rel}")
                    t0 = time.monotonic()
                    data = keyboard.gather(driver, budget=args.budget)
                    seconds = time.monotonic() - t0
                    t = data.get("timings") or {}
                    rows.append({"page": rel, "seconds": round(seconds, 3), "stops": len(data.get("stops") or []),
                                 "tabbables": data.get("tabbable_count"), "end": data.get("end"),
                                 "method": data.get("method"), "inventory": data.get("inventory_seconds"),
                                 "walk": t.get("walk"), "skip": t.get("skip"), "verify": t.get("verify"),
                                 "error": data.get("error")})
    finally:
        slot.quit()

    width = max(len(r["page"]) for r in rows)
    print(f"keyboard walk per page, budget {args.budget:g} s, channel {rows[0]['method'] if rows else '-'}")
    print(f"{'page':<{width}}  stops  tabbables  end                 inventory  walk   +skip  +checks  total")
    for r in rows:
        print(f"{r['page']:<{width}}  {r['stops']:>5}  {r['tabbables'] or 0:>9}  {str(r['end']):<18}  "
              f"{r['inventory'] or 0:>9.3f}  {r['walk'] or 0:>5.2f}  {r['skip'] or 0:>5.2f}  {r['verify'] or 0:>7.2f}  "
              f"{r['seconds']:>5.2f}")
    secs = [r["seconds"] for r in rows]
    over = sum(1 for s in secs if s > TARGET)
    print(f"{len(rows)} pages: mean {statistics.mean(secs):.2f} s, max {max(secs):.2f} s per page "
          f"(target: under {TARGET:g} s; {over} over)")
    if args.json:
        args.json.write_text(json.dumps({"budget": args.budget, "rows": rows}, indent=2), "utf-8")
    return 0 if over == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
