"""Meta-tests over every registered check: metadata, docs and fixtures hold to the project's rules."""

from __future__ import annotations

import re

import pytest

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import WCAG_SLUGS, Check, Outcome, Persona, Severity
from empathy_audit.audits.registry import FAMILIES, REGISTRY, load_checks
from empathy_audit.audits.runner import run_checks

load_checks(plugins=False)  # tests never load third-party plug-ins

CHECKS = sorted(REGISTRY.values(), key=lambda c: c.id)
IDS = [c.id for c in CHECKS]
SECTIONS = ("What it checks:", "Who it affects:", "How to fix:", "References:")
KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def test_checks_are_registered():
    assert CHECKS, "no check registered"


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_check_has_fail_and_pass_fixtures(chk: Check):
    """Every check of every family is proven on both sides by <its family's fixture root>/<id>/{fail,pass}.html
    (tests/fixtures/checks for the built-in families)."""
    for kind in ("fail", "pass"):
        path = FAMILIES[chk.kind].fixture_root / chk.id / f"{kind}.html"
        assert path.is_file(), f"missing fixture {path}"
        html = path.read_text("utf-8")
        assert "<html" in html.lower() and "</html>" in html.lower()


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_check_lives_in_its_family_in_a_file_named_after_it(chk: Check):
    family = FAMILIES[chk.kind]
    assert chk.func.__module__ == f"{family.package}.{chk.id.replace('-', '_')}"


def test_every_fixture_folder_belongs_to_a_check():
    for family in FAMILIES.values():
        for folder in family.fixture_root.iterdir():
            assert folder.name in REGISTRY, f"{folder} is the fixture of no check"


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_id_is_kebab_case(chk: Check):
    assert KEBAB.match(chk.id)


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_wcag_references_are_well_formed_and_known(chk: Check):
    for sc in chk.wcag:
        assert re.fullmatch(r"[1-4]\.[1-9]\.[1-9][0-9]?", sc), sc
        assert sc in WCAG_SLUGS, f"{sc} has no Understanding page slug in audits.model.WCAG_SLUGS"
    assert len(set(chk.wcag)) == len(chk.wcag)
    assert chk.wcag or chk.best_practice


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_docstring_has_the_four_sections_in_order(chk: Check):
    doc = chk.doc
    positions = [doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"{chk.id}: docstring lacks one of {SECTIONS}"
    assert positions == sorted(positions), f"{chk.id}: sections out of order"
    for section, start in zip(SECTIONS, positions):
        body = doc[start + len(section):].split("\n")[0].strip()
        assert body, f"{chk.id}: section {section!r} is empty"


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_titles(chk: Check):
    assert chk.title.strip() and chk.failure_title.strip()
    assert chk.title != chk.failure_title
    assert not chk.title.endswith(".") and not chk.failure_title.endswith(".")


@pytest.mark.parametrize("chk", CHECKS, ids=IDS)
def test_personas_and_fix(chk: Check):
    assert chk.personas
    assert all(isinstance(p, Persona) for p in chk.personas)
    assert len(set(chk.personas)) == len(chk.personas)
    assert isinstance(chk.severity, Severity)
    assert chk.how_to_fix.strip()


def test_a_check_that_raises_yields_an_error_finding_not_silence():
    def broken(page):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    chk = Check(
        id="always-breaks",
        title="Never breaks",
        failure_title="Breaks",
        kind="static",
        severity=Severity.SERIOUS,
        wcag=("1.1.1",),
        personas=(Persona.SCREEN_READER,),
        func=broken,
    )
    page = StaticPage(url="https://fixture.test/", html="<html lang='en'><body></body></html>")
    findings = run_checks("static", page, page.url, checks=[chk])
    assert len(findings) == 1
    (finding,) = findings
    assert finding.outcome == Outcome.ERROR
    assert finding.check_id == "always-breaks"
    assert finding.selector == "html"
    assert "RuntimeError" in finding.message and "boom" in finding.message
    assert finding.severity == Severity.SERIOUS


def test_an_error_in_one_check_does_not_stop_the_others():
    def broken(page):
        raise ValueError("bad")

    bad = Check(id="bad", title="a", failure_title="b", kind="static", severity=Severity.MINOR,
                wcag=(), personas=(Persona.EVERYONE,), func=broken, best_practice=True)
    good = REGISTRY["html-has-lang"]
    page = StaticPage(url="u", html="<html><body><h1>x</h1></body></html>")
    findings = run_checks("static", page, "u", checks=[bad, good])
    assert [(f.check_id, f.outcome) for f in findings] == [("bad", Outcome.ERROR), ("html-has-lang", Outcome.FAIL)]
