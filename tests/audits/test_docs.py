"""docs/checks.md is generated from the registry (python -m audits.docs) and never stale."""

from __future__ import annotations

from audits.docs import CHECKS_MD, checks, render


def test_docs_checks_md_is_up_to_date():
    assert CHECKS_MD.is_file(), "docs/checks.md is missing: run python -m audits.docs"
    assert CHECKS_MD.read_text("utf-8") == render(), "docs/checks.md is stale: run python -m audits.docs"


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
