"""CI gates: does this run pass? One verdict per fix, one impact score per run, the exit code's reason.

Gates (all optional; CLI flags and config keys of the same names):

- `fail-on SEVERITY` (critical | serious | moderate | minor): a failing fix of that severity or worse fails the gate.
- `max-score N`: the run's impact score above N fails the gate. The impact score is the sum, over the failing
  fixes the gate looks at, of their blocked-visit equivalents per 1,000 visits (`1000 * BVE / total visits`, the
  model of reports.scoring): "of every 1,000 visits, how many are as good as blocked". It is a total, not the
  worst fix, so many small barriers add up; it does not depend on whether visits come from analytics or the proxy.
- `fail-on-budget`: a failing `page-weight` fix (a page over `--page-weight-budget`) fails the gate, whatever
  `fail-on` says. `page-weight` is a serious fix, so `fail-on serious` (or moderate, minor) already includes it;
  this flag gates on the budget alone.
- `baseline FILE`: every gate looks only at failing fixes whose fingerprint is not in the file (reports.baseline).
  A baseline with no other gate fails on any new failing fix (as `fail-on minor`).

Things to check by a person (fixes whose every finding needs a person to decide: reports.counts) never fail a gate
and are not in the impact score; every gate counts confirmed failures only. Without any gate the run passes (exit 0); the
JUnit file then marks every failing fix as a failed test case, the way a report would.

The CLI attaches the result to the report (`attach`) so the SARIF, JUnit and Markdown writers can say which fixes
are new, which failed the gate and which baseline entries are gone (`gate_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from empathy_audit.audits.model import Outcome, Severity
from empathy_audit.reports import baseline as bl
from empathy_audit.reports import counts as cn
from empathy_audit.reports import fixes as fx

if TYPE_CHECKING:
    from empathy_audit.reports.model import Fix, Model, Report

SEVERITY_CHOICES = tuple(str(s) for s in sorted(Severity, key=lambda s: -s.rank))  # critical .. minor
SCORE_UNIT = cn.SCORE_UNIT
TO_CHECK_WHY = "to check by a person: never fails a gate"


def fix_score(fix: "Fix", model: "Model") -> float:
    """The fix's part of the impact score: blocked-visit equivalents per 1,000 visits (0 for a thing to check)."""
    if fix.to_check or model.total_visits <= 0:
        return 0.0
    if fix.score.impact is not None:
        return fix.score.impact
    return 1000.0 * fix.score.bve / model.total_visits


def impact_score(fixes: "list[Fix]", model: "Model") -> float:
    """The run's impact score over `fixes` (their failing ones)."""
    return sum(fix_score(f, model) for f in fixes if f.outcome is Outcome.FAIL)


@dataclass(frozen=True)
class Policy:
    fail_on: Severity | None = None
    max_score: float | None = None
    fail_on_budget: bool = False
    baseline: bl.Baseline | None = None

    @property
    def active(self) -> bool:
        """A gate is set: the exit code says whether it passed."""
        return (self.fail_on is not None or self.max_score is not None or self.fail_on_budget
                or self.baseline is not None)

    @property
    def threshold(self) -> Severity | None:
        """The severity at or above which a fix fails; a lone baseline fails on any new fix."""
        if self.fail_on is not None:
            return self.fail_on
        if self.baseline is not None and self.max_score is None and not self.fail_on_budget:
            return Severity.MINOR
        return None

    def describe(self) -> list[str]:
        """The gates in words, as they are given on the command line."""
        out = []
        if self.threshold is not None:
            out.append(f"--fail-on {self.threshold}" + ("" if self.fail_on else " (baseline)"))
        if self.max_score is not None:
            out.append(f"--max-score {_num(self.max_score)}")
        if self.fail_on_budget:
            out.append("--fail-on-budget")
        if self.baseline is not None:
            out.append(f"--baseline {self.baseline.path}")
        return out


@dataclass
class Verdict:
    fix: "Fix"
    score: float  # fix_score
    in_baseline: bool
    failed: bool  # fails the gate (or, without a gate, is a failing fix)
    why: str  # one phrase: "critical, at or above --fail-on serious", "in the baseline", "needs review", ...

    @property
    def baseline_state(self) -> str:
        return "unchanged" if self.in_baseline else "new"


@dataclass
class GateResult:
    policy: Policy
    verdicts: list[Verdict]  # in the report's order
    score: float  # impact score of every failing fix
    gated_score: float  # impact score of the failing fixes the gate looks at (not in the baseline)
    score_failed: bool
    gone: list[bl.Entry] = field(default_factory=list)
    not_rechecked: list[bl.Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    report_url: str | None = None  # where the full report is (a CI artifact), for the Markdown summary

    @property
    def active(self) -> bool:
        return self.policy.active

    @property
    def uses_baseline(self) -> bool:
        return self.policy.baseline is not None

    @property
    def failing(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.failed]

    @property
    def passed(self) -> bool:
        return not self.active or (not self.failing and not self.score_failed)

    @property
    def new(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.fix.outcome is Outcome.FAIL and not v.in_baseline]

    @property
    def accepted(self) -> list[Verdict]:
        return [v for v in self.verdicts if v.fix.outcome is Outcome.FAIL and v.in_baseline]

    def verdict(self, fix: "Fix") -> Verdict | None:
        return next((v for v in self.verdicts if v.fix is fix or v.fix.id == fix.id), None)

    def fix_line(self, v: Verdict) -> str:
        """One line for stderr: severity, fingerprint, heading, where, why."""
        f = v.fix
        pages = f"{f.pages_affected} page" + ("" if f.pages_affected == 1 else "s")
        first = fx.url_path(f.pages[0].url) if f.pages else ""
        where = f"{pages}: {first}" + (", ..." if f.pages_affected > 1 else "")
        state = ", new" if self.uses_baseline else ""
        return f"{f.severity} {f.id} {f.heading} ({where}; score {_num(v.score)}{state}): {v.why}"

    def summary(self) -> str:
        """One sentence: passed or failed, and why."""
        if not self.active:
            return f"no gate is set: {self.detail()}."
        gates = ", ".join(self.policy.describe())
        return f"the gate {'passed' if self.passed else 'failed'} ({gates}): {self.detail()}."

    def detail(self) -> str:
        """Why it passed or failed, in our own words only (no crawled text, no file names)."""
        new = "new " if self.uses_baseline else ""
        n = len(self.new)
        fixes = f"{n:,} {new}{cn.FIX_TO_MAKE[0] if n == 1 else cn.FIX_TO_MAKE[1]}"
        if not self.active:
            return f"{fixes}, impact score {_num(self.score)}"
        if self.passed:
            base = f"; {len(self.accepted)} accepted in the baseline" if self.uses_baseline else ""
            return f"{fixes}, impact score {_num(self.gated_score)}{base}"
        parts = []
        if self.failing:
            k = len(self.failing)
            parts.append(f"{k} {new}fix{'es' if k != 1 else ''} failed it")
        if self.score_failed:
            parts.append(f"the impact score {_num(self.gated_score)} is above --max-score "
                         f"{_num(self.policy.max_score or 0)} ({SCORE_UNIT}"
                         f"{', fixes not in the baseline' if self.uses_baseline else ''})")
        return " and ".join(parts)


_num = cn.number  # 2.31, 0.0042, 12: enough digits to compare with --max-score


def evaluate(report: "Report", policy: Policy, report_url: str | None = None) -> GateResult:
    base = policy.baseline
    threshold = policy.threshold
    verdicts: list[Verdict] = []
    for f in report.fixes:
        score = fix_score(f, report.model) if f.outcome is Outcome.FAIL else 0.0
        in_base = base is not None and f.id in base
        if f.to_check:
            failed, why = False, TO_CHECK_WHY
        elif in_base:
            failed, why = False, "accepted in the baseline"
        elif not policy.active:
            failed, why = True, "a failing fix (no gate is set)"
        else:
            reasons = []
            if threshold is not None and f.severity.rank >= threshold.rank:
                reasons.append(f"{f.severity}, at or above --fail-on {threshold}")
            if policy.fail_on_budget and f.budget:
                reasons.append("over the page-weight budget (--fail-on-budget)")
            failed = bool(reasons)
            if failed:
                why = "; ".join(reasons)
            elif threshold is not None:
                why = f"{f.severity}, below --fail-on {threshold}"
            else:
                why = "not gated by severity"
        verdicts.append(Verdict(f, score, in_base, failed, why))
    failing_all = [v for v in verdicts if v.fix.outcome is Outcome.FAIL]
    score = sum(v.score for v in failing_all)
    gated = sum(v.score for v in failing_all if not v.in_baseline)
    result = GateResult(
        policy=policy,
        verdicts=verdicts,
        score=score,
        gated_score=gated,
        score_failed=policy.max_score is not None and gated > policy.max_score,
        report_url=report_url,
    )
    if base is not None:
        cmp = bl.compare(report, base)
        result.gone, result.not_rechecked = cmp.gone, cmp.not_rechecked
        if not base.exists:
            result.warnings.append(f"there is no baseline file at {base.path}, so every fix counts as new: "
                                   f"'empathy-audit baseline save' writes it from this run.")
        elif not base.comparable:
            result.warnings.append(f"the baseline {base.path} was saved with fingerprint version "
                                   f"{base.fingerprint_version} and this empathy-audit computes version "
                                   f"{fx.FINGERPRINT_VERSION}, so every fix counts as new: save it again.")
    if report.run.partial and policy.active:  # without a gate there is no verdict to qualify
        result.warnings.append(f"the run is {report.run.status}: pages are missing, so the gate saw only part of "
                               f"the site.")
    return result


# --- the report carries its gate result to the writers ----------------------------------------------------------


def attach(report: "Report", result: GateResult) -> None:
    report.gate = result  # type: ignore[attr-defined]


def gate_of(report: "Report") -> GateResult:
    """The gate result the CLI attached, or the no-gate view (every failing fix counts, nothing is baselined)."""
    result = getattr(report, "gate", None)
    if isinstance(result, GateResult):
        return result
    return evaluate(report, Policy())
