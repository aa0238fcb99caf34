"""Adding a family of checks is one folder and one record: a throwaway "text" family, installed only as an entry
point in a temporary folder, is discovered, run on the served HTML and shown in report.json under its source name.

The hook is the `empathy_audit.families` entry point group (audits.registry.FAMILY_ENTRY_POINTS): a distribution
names a package whose __init__.py declares FAMILY. Here the distribution is a bare .dist-info folder beside the
package on PYTHONPATH, which importlib.metadata reads as any installed one.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from empathy_audit.audits.families import Family, Need
from empathy_audit.audits.registry import FAMILIES, load_checks
from empathy_audit.crawler.devserver import serve
from tests.helpers import run_cli

load_checks(plugins=False)

FAMILY_INIT = '''
"""Text checks: the words of the page as served."""

from empathy_audit.audits.families import Family, Need

FAMILY = Family(name="text", package=__name__, needs=Need.HTML, source="text", confidence="static",
                reads="the words of the page", order=50, task="reading the page")
'''

CHECK = '''
"""shouting-heading: headings are not written in capitals."""

from empathy_audit.audits.model import Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="shouting-heading",
    title="Headings are in sentence case",
    failure_title="A heading is written in capitals",
    severity=Severity.MINOR,
    best_practice=True,
    personas=(Persona.COGNITIVE,),
    how_to_fix="Write the heading in sentence case; let CSS make it look like capitals if it must.",
)
def shouting_heading(page):
    """What it checks: no heading is written all in capitals.
    Who it affects: readers with dyslexia read words by their shape, which capitals remove.
    How to fix: sentence case in the HTML.
    References: British Dyslexia Association style guide.
    """
    for h in page.soup.find_all(["h1", "h2", "h3"]):
        text = h.get_text(" ", strip=True)
        if len(text) > 3 and text.isupper():
            yield page.finding(h, f"This heading shouts: {text}.")
'''


def _plugin(root: Path) -> Path:
    """A package `textfam` declaring the text family, with one check, and its entry point."""
    pkg = root / "textfam"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(textwrap.dedent(FAMILY_INIT))
    (pkg / "shouting_heading.py").write_text(textwrap.dedent(CHECK))
    dist = root / "textfam-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: textfam\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[empathy_audit.families]\ntext = textfam\n")
    return root


def test_builtin_families_are_discovered_from_their_packages():
    assert {"static", "browser", "media", "crawl"} <= set(FAMILIES)
    for family in FAMILIES.values():
        assert family.package == f"empathy_audit.audits.{family.name}"


def test_a_family_record_is_validated():
    with pytest.raises(ValueError):
        Family(name="Text", package="x", needs=Need.HTML, source="text", confidence="static", reads="x", order=1)
    with pytest.raises(ValueError):
        Family(name="text", package="x", needs=Need.HTML, source="text", confidence="", reads="x", order=1)


def test_a_new_family_is_one_folder_and_one_record(tmp_path):
    plugin = _plugin(tmp_path / "plugin")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>Shop</title></head>'
        "<body><main><h1>WELCOME TO THE SHOP</h1><p>Hello.</p></main></body></html>"
    )
    out = tmp_path / "out"
    with serve(str(site)) as server:
        res = run_cli("crawl", server.base_url + "/", "--out", str(out), "--db", str(tmp_path / "h.db"), "--no-browser",
                      "--no-media", "--format", "json", "-q", env={"PYTHONPATH": str(plugin)}, timeout=300)
    assert res.code == 0, res.stderr
    report = json.loads((out / "report.json").read_text())
    (fix,) = [f for f in report["fixes"] if f["check_id"] == "shouting-heading"]
    assert fix["sources"] == ["text"]
    assert fix["kind"] == "text"
    assert fix["task"] == "reading the page"


@pytest.fixture
def rendered_family(monkeypatch):
    """A family reading the rendered page, registered for one test (as the registry would after discovery)."""
    from empathy_audit.audits import registry
    from empathy_audit.audits.model import Check, Finding, Persona, Severity

    family = Family(name="motion", package="tests.motion", needs=Need.RENDERED, source="motion",
                    confidence="confirmed", reads="the rendered page", order=60)

    def moving(page):
        if page.probes.get("render", {}).get("moving"):
            yield Finding(check_id="", url=page.url, selector="html", snippet="", message="Something moves.",
                          severity=Severity.MINOR)

    chk = Check(id="moving-content", title="Nothing moves by itself", failure_title="Content moves by itself",
                kind="motion", severity=Severity.MINOR, wcag=("2.2.2",), personas=(Persona.COGNITIVE,), func=moving)
    monkeypatch.setitem(registry.FAMILIES, "motion", family)
    monkeypatch.setitem(registry.REGISTRY, "moving-content", chk)
    return family


def test_each_need_is_run_by_one_crawler_component_for_every_family_declaring_it(rendered_family):
    from empathy_audit.audits.registry import by_need

    names = {need: [name for name, _ in by_need(need)] for need in Need}
    assert names[Need.HTML] == ["static"]
    assert names[Need.RENDERED] == ["browser", "motion"]  # family order
    assert names[Need.RESOURCES] == ["media"]
    assert names[Need.SITE] == ["crawl"]
    assert [c.id for name, checks in by_need(Need.RENDERED) if name == "motion" for c in checks] == ["moving-content"]


def test_a_new_rendered_family_runs_in_the_browser_audit_with_no_crawler_edit(rendered_family):
    from empathy_audit.audits.gather.axe import AxePage
    from empathy_audit.crawler.browser.page_audit import browser_check_findings

    page = AxePage(requested_url="http://127.0.0.1/p", final_url="http://127.0.0.1/p", probes={"render": {"moving": True}})
    found = [f for f in browser_check_findings(page, "http://127.0.0.1/p") if f.check_id == "moving-content"]
    assert [(f.message, f.sources, f.url) for f in found] == [("Something moves.", ("motion",), "http://127.0.0.1/p")]
