"""Browser audits: pure functions of what the browser gathered (axe results -> findings, via one mapping table)."""
