"""docs/checks.md is generated from the registry (python -m empathy_audit.audits.docs) and never stale."""

from __future__ import annotations

from empathy_audit.audits.docs import CHECKS_MD, README, checks, render, render_readme


def test_docs_checks_md_is_up_to_date():
    assert CHECKS_MD.is_file(), "docs/checks.md is missing: run python -m empathy_audit.audits.docs"
    assert CHECKS_MD.read_text("utf-8") == render(), "docs/checks.md is stale: run python -m empathy_audit.audits.docs"


def test_every_check_has_a_row_with_its_metadata():
    text = render()
    for chk in checks():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{chk.id}` |"))
        assert f"| {chk.kind} | {chk.severity} |" in row
        for sc in chk.wcag:
            assert sc in row
        for persona in chk.personas:
            assert str(persona) in row
        assert chk.title.replace("|", "\\|") in row


def test_readme_check_table_is_up_to_date_and_lists_every_check():
    text = README.read_text("utf-8")
    assert text == render_readme(text), "README.md's check table is stale: run python -m empathy_audit.audits.docs"
    for chk in checks():
        row = next(line for line in text.splitlines() if line.startswith(f"| `{chk.id}` |"))
        for sc in chk.wcag:
            assert sc in row
        for persona in chk.personas:
            assert str(persona) in row
