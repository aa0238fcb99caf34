"""--format sarif|junit|markdown: SARIF 2.1.0 valid against the official schema, JUnit that fails as the gate says,
and a Markdown summary that is small and cannot be hijacked by crawled text."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from empathy_audit.audits.model import Severity
from empathy_audit.reports import baseline as bl
from empathy_audit.reports import gates
from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.writers import FORMATS, junit, markdown, sarif, write_all
from tests.reports.report_factories import CHECKS, make_finding, make_page, make_run

# --- the official SARIF 2.1.0 schema, from the npm package @microsoft/jest-sarif, fetched once ---------------------

SARIF_PACKAGE = "@microsoft/jest-sarif@1.0.0-beta.0"
SARIF_SCHEMA_MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "empathy-audit" / "sarif"


def official_sarif_schema() -> dict:
    """The schema file of `npm pack @microsoft/jest-sarif`, kept in ~/.cache/empathy-audit/sarif/ (outside git)."""
    target = _cache_dir() / os.path.basename(SARIF_SCHEMA_MEMBER)
    if not target.is_file():
        npm = shutil.which("npm")
        problem = None
        if npm is None:
            problem = "npm is not installed (Debian: apt-get install npm)"
        else:
            with tempfile.TemporaryDirectory() as tmp:
                proc = subprocess.run([npm, "pack", SARIF_PACKAGE, "--pack-destination", tmp, "--silent"],
                                      capture_output=True, text=True, timeout=300, cwd=tmp)
                packs = list(Path(tmp).glob("*.tgz"))
                if proc.returncode != 0 or not packs:
                    problem = f"npm pack {SARIF_PACKAGE} failed: {(proc.stderr or proc.stdout).strip()[-300:]}"
                else:
                    with tarfile.open(packs[0]) as tf:
                        member = tf.extractfile(SARIF_SCHEMA_MEMBER)
                        data = member.read() if member else b""
                    json.loads(data)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    part = target.with_suffix(".part")
                    part.write_bytes(data)
                    part.replace(target)
        if problem:
            message = f"cannot fetch the official SARIF schema: {problem}"
            if os.geteuid() == 0 or os.environ.get("CI"):
                pytest.fail(message, pytrace=False)
            pytest.skip(message)
    return json.loads(target.read_text(encoding="utf-8"))


def sarif_errors(doc: dict) -> list[str]:
    """Every way `doc` breaks the official schema, read as draft-07 (and as draft-04, which it declares), formats
    (uri, uri-reference, date-time) checked."""
    from jsonschema import Draft4Validator, Draft7Validator

    schema = official_sarif_schema()
    errors = []
    for cls in (Draft7Validator, Draft4Validator):
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        errors += [f"{cls.__name__}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                   for e in validator.iter_errors(doc)]
    return errors


# --- a run to write ---------------------------------------------------------------------------------------------

EVIL = '<img src=x onerror=alert(1)> [click](https://evil.example) @octocat #1 | `x` ** _ <!--'


def _inputs():
    pages = [make_page("/", depth=0, found_via="start", title="Home"), make_page("/a"),
             make_page("/shop/item-1"), make_page("/shop/item-2")]
    findings = [
        make_finding("image-alt", "/", "main > img", snippet='<img src="hero.png">', severity="critical"),
        make_finding("image-alt", "/a", "main > img", snippet='<img src="hero.png">', severity="critical"),
        make_finding("link-name", "/a", "nav > a.icon", snippet="<a class=icon href=/x>", severity="serious"),
        make_finding("heading-order", "/", "main > h4", snippet="<h4>Deals</h4>", severity="moderate"),
        make_finding("heading-order", "/a", "main > h3", severity="moderate", outcome="needs-review"),
        # an axe rule outside the registry, with crawled text that tries to break out of every format
        make_finding("aria-evil-rule", "/shop/item-1", "div.card > span", snippet=f"<span>{EVIL}</span>",
                     severity="minor", sources=["axe"], message=EVIL,
                     data={"help": f"Evil rule {EVIL}", "help_url": "https://dequeuniversity.com/rules/axe/4.10/x",
                           "wcag": ["4.1.2"], "axe_impact": "minor"}),
        make_finding("page-weight", "/shop/item-2", "html", severity="serious", sources=["media"],
                     data={"bytes_saved": 900_000}),
    ]
    return make_run(), pages, findings


def _lookup(check_id):
    from empathy_audit.audits.registry import get

    return CHECKS.get(check_id) or get(check_id)


def _report(policy: gates.Policy | None = None):
    report = build_report(*_inputs(), lookup=_lookup)
    if policy is not None:
        gates.attach(report, gates.evaluate(report, policy, "https://ci.example/runs/7"))
    return report


def _by_check(report, check_id):
    return next(f for f in report.fixes if f.check_id == check_id)


# --- SARIF ----------------------------------------------------------------------------------------------------------


def test_sarif_is_valid_against_the_official_schema_with_and_without_a_baseline(tmp_path):
    plain = sarif.to_dict(_report())
    assert sarif_errors(plain) == []
    report = build_report(*_inputs(), lookup=_lookup)
    base = bl.from_report(report).baseline
    del base.entries[_by_check(report, "link-name").id]
    base.entries["gone-check:000000000000"] = bl.Entry("gone-check:000000000000", "gone-check", "minor", "x",
                                                       "Gone", ["/a"], 1)
    gates.attach(report, gates.evaluate(report, gates.Policy(fail_on=Severity.SERIOUS, baseline=base)))
    doc = sarif.to_dict(report)
    assert sarif_errors(doc) == []
    states = {r["properties"]["fingerprint"]: r.get("baselineState") for r in doc["runs"][0]["results"]}
    assert states[_by_check(report, "link-name").id] == "new"
    assert states[_by_check(report, "image-alt").id] == "unchanged"
    assert doc["runs"][0]["properties"]["baseline"]["gone"][0]["fingerprint"] == "gone-check:000000000000"
    # A broken document is caught (the validator really checks).
    broken = json.loads(json.dumps(doc))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b\\c"
    assert len(sarif_errors(broken)) >= 2


def test_sarif_rules_come_from_the_registry_plus_the_axe_rules_seen():
    from empathy_audit.audits.registry import select

    doc = sarif.to_dict(_report())
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [r["id"] for r in rules]
    assert ids == sorted(ids) and {c.id for c in select()} <= set(ids) and "aria-evil-rule" in ids
    alt = rules[ids.index("image-alt")]
    assert alt["defaultConfiguration"]["level"] == "error"
    assert alt["helpUri"].startswith("https://www.w3.org/WAI/WCAG22/Understanding/")
    assert "wcag1.1.1" in alt["properties"]["tags"]
    evil = rules[ids.index("aria-evil-rule")]
    assert evil["helpUri"] == "https://dequeuniversity.com/rules/axe/4.10/x"
    assert evil["defaultConfiguration"]["level"] == "note"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_has_one_result_per_fix_with_all_its_locations():
    report = _report()
    run = sarif.to_dict(report)["runs"][0]
    assert len(run["results"]) == len(report.fixes)
    for fix, result in zip(report.fixes, run["results"]):
        assert result["partialFingerprints"] == {sarif.FINGERPRINT_KEY: fix.id}
        assert len(result["locations"]) == fix.elements
        urls = {loc["properties"]["url"] for loc in result["locations"]}
        assert urls == {p.url for p in fix.pages}
        for loc in result["locations"]:
            art = loc["physicalLocation"]["artifactLocation"]
            assert art["uriBaseId"] == "SITE" and not art["uri"].startswith(("http", "/"))
            assert run["originalUriBaseIds"]["SITE"]["uri"] + art["uri"].removeprefix("./") == loc["properties"]["url"]
            assert loc["logicalLocations"][0]["kind"] == "element"
            assert loc["logicalLocations"][0]["fullyQualifiedName"] == loc["properties"]["selector"]
    img = next(r for r in run["results"] if r["ruleId"] == "image-alt")
    assert img["level"] == "error" and img["kind"] == "fail" and len(img["locations"]) == 2
    assert img["locations"][0]["properties"]["snippet"] == '<img src="hero.png">'
    review = [r for r in run["results"] if r["kind"] == "review"]
    assert review and all(r["level"] == "none" for r in review)
    assert "baselineState" not in img  # no baseline, no state


def test_one_severity_to_level_mapping():
    assert [sarif.level(s) for s in (Severity.CRITICAL, Severity.SERIOUS, Severity.MODERATE, Severity.MINOR)] == \
        ["error", "error", "warning", "note"]
    run = sarif.to_dict(_report())["runs"][0]
    for r in run["results"]:
        if r["kind"] == "fail":
            assert r["level"] == sarif.level(Severity(r["properties"]["severity"]))


# --- JUnit ----------------------------------------------------------------------------------------------------------


def _cases(xml_text: str) -> dict[str, ET.Element]:
    root = ET.fromstring(xml_text)
    return {c.find("properties/property[@name='fingerprint']").get("value"): c
            for c in root.iter("testcase") if c.find("properties") is not None}


def test_junit_fails_exactly_what_the_gate_fails_and_skips_the_baseline():
    report = build_report(*_inputs(), lookup=_lookup)
    base = bl.Baseline("b.json")
    base.entries[_by_check(report, "image-alt").id] = bl.entry_of(_by_check(report, "image-alt"))
    gates.attach(report, gates.evaluate(report, gates.Policy(fail_on=Severity.SERIOUS, baseline=base, max_score=0)))
    text = junit.dumps(report)
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"empathy-audit", *{f.check_id for f in report.fixes}}  # one suite per check
    cases = _cases(text)
    assert set(cases) == {f.id for f in report.fixes}  # one case per fix
    failed = {fp for fp, c in cases.items() if c.find("failure") is not None}
    assert failed == {_by_check(report, "link-name").id, _by_check(report, "page-weight").id}
    assert "accepted in the baseline" in cases[_by_check(report, "image-alt").id].find("skipped").get("message")
    assert cases[_by_check(report, "aria-evil-rule").id].find("skipped") is not None  # minor: below serious
    score_case = [c for c in suites["empathy-audit"].findall("testcase") if "impact score" in c.get("name")]
    assert score_case[0].find("failure") is not None  # max-score 0
    assert int(root.get("tests")) == sum(int(s.get("tests")) for s in suites.values())
    assert int(root.get("failures")) == 3
    evil = cases[_by_check(report, "aria-evil-rule").id]
    assert EVIL in evil.get("name")  # crawled text survives the round trip as text, not markup


def test_junit_without_a_gate_fails_every_failing_fix_and_survives_control_characters():
    run, pages, findings = _inputs()
    findings.append(make_finding("link-name", "/", "footer > a", snippet="<a>\x00\x1b[31m</a>", message="bell\x07"))
    report = build_report(run, pages, findings, lookup=_lookup)
    cases = _cases(junit.dumps(report))  # parses: no character XML 1.0 forbids
    failing = {f.id for f in report.fixes if str(f.outcome) == "fail"}
    assert {fp for fp, c in cases.items() if c.find("failure") is not None} == failing


# --- Markdown ---------------------------------------------------------------------------------------------------


def test_markdown_summary_has_verdict_counts_top_fixes_and_link():
    report = build_report(*_inputs(), lookup=_lookup)
    base = bl.from_report(report).baseline
    del base.entries[_by_check(report, "link-name").id]
    base.entries["gone-check:000000000000"] = bl.Entry("gone-check:000000000000", "gone-check", "minor", "x",
                                                       "Gone heading", ["/a"], 1)
    gates.attach(report, gates.evaluate(report, gates.Policy(fail_on=Severity.SERIOUS, baseline=base),
                                        "https://ci.example/runs/7"))
    text = markdown.dumps(report)
    assert text.startswith("## Accessibility audit: ")
    assert "❌ **Gate failed**: 1 new fix failed it." in text
    assert "| New | 0 | 1 | 0 | 0 | **1** |" in text
    assert "### Fixes that failed the gate \\(1\\)" in text and "**new**" in text
    assert "### Baseline entries gone \\(1\\)" in text and "gone\\-check\\:000000000000" in text
    assert "[the full report](<https://ci.example/runs/7>)" in text


def test_markdown_escapes_crawled_text():
    text = markdown.dumps(_report(gates.Policy(fail_on=Severity.MINOR)))
    row = next(line for line in text.splitlines() if "Evil rule" in line)
    assert len(re.findall(r"(?<!\\)\|", row)) == 6  # 5 cells: the crawled "|" did not add one
    cell = row.split(" | ")[2]
    for mark in "<>[]()`*_!|#":  # every Markdown/HTML mark from the page is backslash-escaped
        assert all(cell[i - 1] == "\\" for i, c in enumerate(cell) if c == mark), mark
    assert "@octocat" not in row and "@\u200boctocat" in row and "#\u200b1" in row  # no mention, no issue link
    assert markdown.md("a\nb\r\n## c") == "a b \\#\u200b\\#\u200b c"


def test_markdown_stays_under_60_kb_with_thousands_of_fixes():
    pages = [make_page("/", depth=0, found_via="start")] + [make_page(f"/p{i}") for i in range(300)]
    def name(i: int, j: int) -> str:  # letters only: digits are normalised away by the fingerprint
        return "c" + "".join(chr(97 + int(d)) for d in f"{i:03d}{j}")

    findings = [make_finding("link-name", f"/p{i}", f"main > a.{name(i, j)}",
                             snippet=f"<a class='{name(i, j)} " + "y" * 300 + "'>", severity="serious")
                for i in range(300) for j in range(10)]
    report = build_report(make_run(), pages, findings, lookup=_lookup)
    gates.attach(report, gates.evaluate(report, gates.Policy(fail_on=Severity.MINOR)))
    assert len(report.fixes) > 100
    text = markdown.dumps(report)
    assert len(text.encode()) < markdown.MAX_BYTES and "❌ **Gate failed**" in text
    assert "more in the full report" in text


def test_ci_report_url_from_the_ci_environment():
    gh = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop", "GITHUB_RUN_ID": "42"}
    assert markdown.ci_report_url(gh) == "https://github.com/acme/shop/actions/runs/42"
    assert markdown.ci_report_url({"CI_JOB_URL": "https://gitlab.com/acme/shop/-/jobs/9"}) == \
        "https://gitlab.com/acme/shop/-/jobs/9/artifacts/browse"
    assert markdown.ci_report_url({}) is None
    assert markdown.safe_link("javascript:alert(1)") is None


# --- all formats, beside report.html -----------------------------------------------------------------------------


def test_every_format_is_written_beside_report_html(tmp_path):
    report = _report(gates.Policy(fail_on=Severity.CRITICAL))
    written = write_all(report, tmp_path, FORMATS)
    assert {p.name for p in written.values()} == {"report.html", "report.json", "report.sarif", "report.junit.xml",
                                                  "summary.md"}
    assert all(p.parent == tmp_path for p in written.values())
    assert sarif_errors(json.loads((tmp_path / "report.sarif").read_text())) == []
    ET.parse(tmp_path / "report.junit.xml")
    assert re.search(r"Gate (passed|failed)", (tmp_path / "summary.md").read_text())
