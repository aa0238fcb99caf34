"""The baseline: a reviewed, committed file of accepted fixes, so CI gates fail only on new barriers.

`empathy-audit baseline save` writes `.empathy-audit-baseline.json` from a stored run: one entry per failing fix,
keyed by its fingerprint (reports.fixes: stable across runs and hosts), with the check, the component, a heading, the
severity, the pages (URL paths) and a `note` for the reviewer ("accepted until the redesign, ticket A11Y-12").
The file is sorted and indented so a change to it reads well in a pull request; saving again keeps the notes.

`crawl --baseline FILE` makes the gates (reports.gates) look only at fixes whose fingerprint is not in the file.
Entries whose fix was not found again while one of their pages was audited are *gone*: the report and stdout list
them, and `empathy-audit baseline prune` removes them so the file only shrinks as barriers are fixed. Entries none
of whose pages was audited (a partial crawl) are *not rechecked*: they stay.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from empathy_audit.audits.model import Outcome
from empathy_audit.reports import fixes as fx

if TYPE_CHECKING:
    from empathy_audit.reports.model import Fix, Report

BASELINE_FILE = ".empathy-audit-baseline.json"
SCHEMA = "empathy-audit/baseline"
VERSION = 1
MAX_PAGES = 20  # pages listed per entry (a template fix on 500 pages lists 20 and says how many there were)


class BaselineError(Exception):
    """A baseline file that cannot be read or is not a baseline: one sentence naming the file."""


@dataclass
class Entry:
    fingerprint: str  # "image-alt:0acb21509292"
    check: str
    severity: str
    component: str  # "product page template", "header", "page /about"
    heading: str  # what the fix is, as the report says it
    pages: list[str]  # URL paths, sorted, at most MAX_PAGES
    pages_total: int
    note: str = ""  # the reviewer's reason for accepting it; kept when the file is saved again
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keys a person added: kept as they are

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "fingerprint": self.fingerprint,
            "check": self.check,
            "severity": self.severity,
            "component": self.component,
            "heading": self.heading,
            "note": self.note,
            "pages_total": self.pages_total,
            "pages": self.pages,
        }
        out.update({k: self.extra[k] for k in sorted(self.extra) if k not in out})
        return out


@dataclass
class Baseline:
    path: str | None
    entries: dict[str, Entry] = field(default_factory=dict)  # fingerprint -> entry
    fingerprint_version: str = fx.FINGERPRINT_VERSION
    exists: bool = True  # False: the file was missing (every fix is new)

    def __contains__(self, fingerprint: object) -> bool:
        return fingerprint in self.entries

    @property
    def comparable(self) -> bool:
        """Saved with the fingerprints this version computes (else every fix reads as new)."""
        return self.fingerprint_version == fx.FINGERPRINT_VERSION

    def dumps(self) -> str:
        doc = {
            "schema": SCHEMA,
            "version": VERSION,
            "fingerprint_version": self.fingerprint_version,
            "about": "Accepted accessibility fixes: CI gates ignore them. Review each entry and say why in 'note'. "
                     "'empathy-audit baseline prune' removes entries that are fixed.",
            "fixes": [self.entries[k].to_json() for k in sorted(self.entries)],
        }
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"

    def save(self, path: str | None = None) -> str:
        path = path or self.path or BASELINE_FILE
        tmp = f"{path}.tmp"
        try:
            folder = os.path.dirname(os.path.abspath(path))
            os.makedirs(folder, exist_ok=True)
            with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(self.dumps())
            os.replace(tmp, path)
        except OSError as exc:
            raise BaselineError(f"cannot write the baseline file {path}: {exc.strerror or exc}.") from None
        self.path, self.exists = path, True
        return path


# --- reading ----------------------------------------------------------------------------------------------------


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def load(path: str, missing_ok: bool = True) -> Baseline:
    """Read a baseline file. A missing file is an empty baseline when `missing_ok` (exists=False), else an error."""
    name = path
    if not os.path.exists(path):
        if missing_ok:
            return Baseline(path, exists=False)
        raise BaselineError(f"there is no baseline file at {name}: 'empathy-audit baseline save' writes it.")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline file {name}: {exc.strerror or exc}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"the baseline file {name} is not valid JSON ({exc}).") from None
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise BaselineError(f"{name} is not an empathy-audit baseline file (its \"schema\" is not \"{SCHEMA}\").")
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise BaselineError(f"the baseline file {name} has version {doc.get('version')!r}; this empathy-audit reads "
                            f"version {VERSION}: upgrade empathy-audit.")
    items = doc.get("fixes")
    if not isinstance(items, list):
        raise BaselineError(f"the baseline file {name} has no \"fixes\" list.")
    base = Baseline(path, fingerprint_version=str(doc.get("fingerprint_version") or fx.FINGERPRINT_VERSION))
    known = {"fingerprint", "check", "severity", "component", "heading", "note", "pages_total", "pages"}
    for i, item in enumerate(items, start=1):
        fp = item.get("fingerprint") if isinstance(item, dict) else None
        if not isinstance(fp, str) or not fp.strip():
            raise BaselineError(f"entry {i} of the baseline file {name} has no \"fingerprint\".")
        pages = [p for p in item.get("pages") or [] if isinstance(p, str)]
        total = item.get("pages_total")
        base.entries[fp.strip()] = Entry(
            fingerprint=fp.strip(),
            check=_str(item.get("check")) or fp.partition(":")[0],
            severity=_str(item.get("severity")),
            component=_str(item.get("component")),
            heading=_str(item.get("heading")),
            pages=sorted(set(pages)),
            pages_total=total if isinstance(total, int) and total >= len(pages) else len(pages),
            note=_str(item.get("note")),
            extra={k: v for k, v in item.items() if k not in known},
        )
    return base


# --- comparing with a run -----------------------------------------------------------------------------------------


def entry_of(fix: "Fix", note: str = "") -> Entry:
    paths = sorted({fx.url_path(p.url) for p in fix.pages})
    return Entry(
        fingerprint=fix.id,
        check=fix.check_id,
        severity=str(fix.severity),
        component=fix.component.name,
        heading=fix.heading,
        pages=paths[:MAX_PAGES],
        pages_total=len(paths),
        note=note,
    )


def audited_paths(report: "Report") -> set[str]:
    return {fx.url_path(p.url) for p in report.pages if p.audited}


@dataclass
class Comparison:
    new: list["Fix"]  # failing fixes not in the baseline
    accepted: list["Fix"]  # failing fixes in the baseline
    gone: list[Entry]  # baseline entries not found again, with a page audited again: fixed
    not_rechecked: list[Entry]  # baseline entries none of whose pages was audited this run


def compare(report: "Report", baseline: Baseline) -> Comparison:
    failing = [f for f in report.fixes if f.outcome is Outcome.FAIL]
    found = {f.id for f in report.fixes}  # a fix now only "to review" is not gone
    audited = audited_paths(report)
    gone, not_rechecked = [], []
    for fp in sorted(baseline.entries):
        if fp in found:
            continue
        entry = baseline.entries[fp]
        rechecked = not entry.pages or any(p in audited for p in entry.pages)
        (gone if rechecked else not_rechecked).append(entry)
    return Comparison(
        new=[f for f in failing if f.id not in baseline],
        accepted=[f for f in failing if f.id in baseline],
        gone=gone,
        not_rechecked=not_rechecked,
    )


@dataclass
class Change:
    """What `save` or `prune` did to the file."""

    baseline: Baseline
    added: list[str]
    removed: list[str]
    kept: int


def from_report(report: "Report", previous: Baseline | None = None) -> Change:
    """`baseline save`: the run's failing fixes (notes kept from `previous`), plus `previous` entries the run did
    not recheck (their pages were not audited: nothing says they are fixed)."""
    if previous is None:
        previous = Baseline(None, exists=False)
    out = Baseline(previous.path)
    failing = [f for f in report.fixes if f.outcome is Outcome.FAIL]
    for f in failing:
        old = previous.entries.get(f.id)
        entry = entry_of(f, note=old.note if old else "")
        if old is not None:
            entry.extra = dict(old.extra)
        out.entries[f.id] = entry
    cmp = compare(report, previous) if previous.entries else None
    for entry in (cmp.not_rechecked if cmp else []):
        out.entries.setdefault(entry.fingerprint, entry)
    added = sorted(k for k in out.entries if k not in previous.entries)
    removed = sorted(k for k in previous.entries if k not in out.entries)
    return Change(out, added, removed, len(out.entries) - len(added))


def prune(report: "Report", baseline: Baseline) -> Change:
    """`baseline prune`: the file without the entries that are gone in the run; nothing is added."""
    gone = {e.fingerprint for e in compare(report, baseline).gone}
    out = Baseline(baseline.path, {k: v for k, v in baseline.entries.items() if k not in gone},
                   baseline.fingerprint_version)
    return Change(out, [], sorted(gone), len(out.entries))

