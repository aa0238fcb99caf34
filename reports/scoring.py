"""The impact model: ONE commented table of constants, and the small formulas that use them.

The model (../shared/design/IMPACT.md section 3.1) ranks *fixes* by blocked-visit equivalents (BVE):

    BVE(f)      = sum over pages p of f:  V(p) * J(p,f) * g(n_fp) * c_fp * X(f) * sum over personas k: pi_k * S_k(f)
    Affected(f) = sum over pages p of f:  V(p) * X(f) * sum over personas k with S_k(f) > 0: pi_k    ("up to")
    Priority(f) = BVE(f) / E(f)

V visits (analytics CSV, else the structural proxy of section 3.2), J key-journey multiplier, g occurrence factor,
c confidence, X exposure (share of a page's visits that meet the element at all; 1 except for a link deep in text),
pi persona share, S harm for the persona (0..1), E effort. Markers as in IMPACT.md: [V] checked against the primary
source, [S] secondary source, [U] assumption to calibrate. Change a constant here and MODEL_VERSION together: the
ordering test in tests/test_impact.py is computed by hand from this table and fails when it drifts.
"""

from __future__ import annotations

import math
from typing import Mapping

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.model import Persona, Severity
from empathy_audit.audits.registry import load_checks

MODEL_VERSION = "2025.1"  # printed in the report ("assumptions used") and report.json model.version

# ---------------------------------------------------------------------------------------------------------------
#  THE TABLE
# ---------------------------------------------------------------------------------------------------------------

# Severity as a fraction of a fully blocked visit: Lighthouse a11y weights 10/7/3/1 for axe impacts
# (lighthouse core/config/default-config.js v13.4.1) [V], divided by 10 (IMPACT.md 3.1) [U].
SEVERITY_HARM: dict[Severity, float] = {
    Severity.CRITICAL: 1.0,
    Severity.SERIOUS: 0.7,
    Severity.MODERATE: 0.3,
    Severity.MINOR: 0.1,
}

# S_k = min(severity harm, cap of the persona's role for the rule) (IMPACT.md 3.1; roles per rule in section 4,
# the table audits.browser.axe_map.AXE_PERSONAS) [U]: P primary = full harm, S secondary <= 0.3, M minor mention 0.1.
ROLE_CAP: dict[str, float] = {"P": 1.0, "S": 0.3, "M": 0.1}

# pi_k: default share of visits in each persona (IMPACT.md 1.11). Overridable: build_report(shares=...).
PERSONA_SHARES: dict[Persona, float] = {
    # 0.55 % blind (GBD 2020, Lancet Glob Health 2021) [V], +~23 % of screen-reader users not blind (WebAIM #10) [S]
    Persona.SCREEN_READER: 0.006,  # prior [U]
    Persona.LOW_VISION: 0.04,  # 3.8 % moderate-to-severe VI (GBD 2020) [V]; ~4 % Windows high contrast [S]
    Persona.COLOUR_VISION: 0.042,  # (8 % men + 0.4 % women) / 2, Birch 2012 JOSA A 29(3):313 [V]
    # non-pointer users on top of screen-reader users; WebAIM motor survey (list post) [V]
    Persona.KEYBOARD: 0.01,  # prior [U]
    Persona.SLOW_CONNECTION: 0.06,  # 3G-class or worse: CrUX 2019 world 5.7 % [S], dated
    # Not given by IMPACT.md ("outside the core personas"): small priors so their fixes stay on the scale [U].
    Persona.DEAF: 0.01,  # people relying on captions; WHO counts >5 % with disabling hearing loss [U, memory]
    Persona.COGNITIVE: 0.01,  # [U]
    Persona.MOTOR: 0.01,  # pointer users with tremor or limited reach (target size) [U]
    Persona.EVERYONE: 1.0,  # every visitor: a broken link, a dead page; includes every other persona
    Persona.PREPAID_DATA: 0.0,  # counted in money, not visits (IMPACT.md 1.11, 3.7)
}

# Affected(f) counts the personas a fix hurts at least moderately (harm >= 0.3), not the minor mentions: IMPACT.md's
# worked example counts image-alt's affected visits for screen-reader users only, though LV and SLOW are "M" [U].
AFFECTED_MIN_HARM = 0.3

# X: share of a page's visits that meet the element at all (IMPACT.md 3.1): 1 for everything on the page; a check
# that only some visitors meet declares its own (Check.exposure: a link inside the text, which only those who
# follow it meet) [U].
DEFAULT_EXPOSURE = 1.0

# J: key-journey multiplier (IMPACT.md 3.1) [U]: pages or forms of cart, checkout, payment, sign-in, registration,
# search, contact, apply, booking, donation (detection: reports.fixes.JOURNEYS).
JOURNEY_MULTIPLIER = 1.5

# g(n) = min(2, 1 + log10 n): more occurrences on one page hurt more, with diminishing returns (IMPACT.md 3.1) [U].
OCCURRENCE_CAP = 2.0

# c: confidence that the finding is a real barrier (IMPACT.md 3.1, 5.2) [U].
CONFIDENCE: dict[str, float] = {
    "confirmed": 1.0,  # a rendered-page engine (axe) reported it as a violation, alone or with the static check
    "page-level": 1.0,  # static check on <html>/<head> (lang, title, viewport, refresh): CSS and JS cannot overturn it
    "crawl": 1.0,  # an HTTP fact (a link answering 404)
    "media": 1.0,  # measured bytes
    "static": 0.5,  # element seen only in the served HTML: a stylesheet or script could name, hide or fix it
    "needs-review": 0.5,  # the engine could not decide (axe "incomplete"): a person has to look
}
# A family names the basis of its findings (audits.families.Family.confidence); the served-HTML basis becomes
# page-level for findings on <html> or <head> (reports.sources.confidence_basis).
HTML_BASIS = "static"
PAGE_LEVEL_BASIS = "page-level"

# E: effort (IMPACT.md 3.1) [U]. A fix in a shared template or component (the same element fingerprint on at least
# TEMPLATE_MIN_PAGES pages, an element inside header/nav/footer, or a page-level rule) is one change: E = 1.
# Otherwise every occurrence is its own edit: E = 1 + log2(occurrences).
# IMPACT.md says 3 pages; we use 2: the same selector path AND the same markup on two pages comes from one source
# in practice, and two copies are still edited in one change.
TEMPLATE_MIN_PAGES = 2

# Page importance without analytics (IMPACT.md 3.2) [U]: I(p) = 1/(1+depth) * (1 + log2(1 + inbound links)) * 2s,
# s = sitemap <priority>, 0.5 when absent (sitemaps.org default [S]), so 2s = 1 when unknown.
DEFAULT_SITEMAP_PRIORITY = 0.5
# Crawled pages missing from an analytics CSV get the proxy scaled to the CSV's visits per unit of importance, capped
# at the smallest visit count in the file (an export that stops at N rows means the missing pages got fewer) [U].
# IMPACT.md suggests half the smallest value: the calibrated proxy keeps the site's structure, the cap its spirit.

# Contrast (IMPACT.md 3.1 refinement) [U]: harm by how far below the required ratio the text is, from axe-core's
# contrastRatio / expectedContrastRatio: below 3:1 (fails even large text) 0.7; below the requirement by more than
# CONTRAST_NEAR 0.35; within CONTRAST_NEAR of it 0.1 (#999 on white = 2.85:1 -> 0.7; #777 = 4.48:1 -> 0.1).
CONTRAST_FLOOR = 3.0
CONTRAST_NEAR = 0.2
CONTRAST_HARM = (0.7, 0.35, 0.1)

# Blocker lane (IMPACT.md 3.1 "Fix first: blocks a key task"): a failing fix whose harm for some persona is 1.0
# (critical severity for a primary persona) on a key-journey page, listed before the ranked fixes whatever its
# score. IMPACT.md keys this on axe impact alone; we require harm 1.0 so that a critical rule with only a
# secondary role (duplicate-id-aria, SR:S) is not announced as "blocks".
BLOCKER_HARM = 1.0

# Verb of the one-line reason from the largest S (IMPACT.md 3.3), as a template around the task.
VERBS: tuple[tuple[float, str], ...] = ((1.0, "Blocks {task}"), (0.7, "Seriously hinders {task}"),
                                        (0.3, "Makes {task} harder"), (0.0, "Slightly hinders {task}"))

# Score bar (IMPACT.md 3.1): 100 * log10(1 + P) / log10(1 + max P), with P per BAR_VISITS visits so the bar does not
# depend on whether V is a share (proxy) or a count (analytics).
BAR_VISITS = 100_000

# Bandwidth fixes (media checks; HOOK for the media issue): they join the same scale through the time they cost a
# visitor on Slow 4G: S_SLOW = 0.7 * (1 - LHscore(dt)), dt = 8 * bytes_saved / 1,677,721.6 bit/s (IMPACT.md 3.6),
# computed by audits.media._network (the one table of bandwidth constants). Money (IMPACT.md 3.7) is reported, not
# scored: PREPAID_DATA has share 0 above.
BANDWIDTH_PERSONA = Persona.SLOW_CONNECTION

# ---------------------------------------------------------------------------------------------------------------
#  FORMULAS
# ---------------------------------------------------------------------------------------------------------------


def harm(severity: Severity, role: str) -> float:
    """S_k: the severity's harm capped by the persona's role (P/S/M)."""
    return min(SEVERITY_HARM[severity], ROLE_CAP.get(role, ROLE_CAP["S"]))


def contrast_harm(ratio: float, expected: float) -> float | None:
    """S for low-contrast text from its ratio and the ratio it needs; None when the numbers are unusable."""
    if not (ratio > 0 and expected > 0) or ratio >= expected:
        return None
    if ratio < CONTRAST_FLOOR:
        return CONTRAST_HARM[0]
    if expected - ratio > CONTRAST_NEAR:
        return CONTRAST_HARM[1]
    return CONTRAST_HARM[2]


def occurrence_factor(n: int) -> float:
    """g(n) = min(2, 1 + log10 n); 1 for a single occurrence."""
    return min(OCCURRENCE_CAP, 1.0 + math.log10(max(1, n)))


def importance(depth: int | None, inbound_links: int, sitemap_priority: float | None) -> float:
    """I(p) of IMPACT.md 3.2; an unknown depth counts as 1 click from the start page."""
    d = depth if depth is not None and depth >= 0 else 1
    s = DEFAULT_SITEMAP_PRIORITY
    if sitemap_priority is not None and 0.0 <= sitemap_priority <= 1.0:
        s = sitemap_priority
    return (1.0 / (1.0 + d)) * (1.0 + math.log2(1 + max(0, inbound_links))) * 2.0 * s


def effort(template: bool, occurrences: int) -> float:
    """E: 1 for one change in a shared template or component, else 1 + log2(occurrences)."""
    return 1.0 if template else 1.0 + math.log2(max(1, occurrences))


def persona_factor(harms: Mapping[Persona, float], shares: Mapping[Persona, float]) -> float:
    """sum pi_k * S_k; when EVERYONE is hurt, the other personas are part of it and not counted again."""
    if harms.get(Persona.EVERYONE, 0.0) > 0:
        return shares.get(Persona.EVERYONE, 0.0) * harms[Persona.EVERYONE]
    return sum(shares.get(k, 0.0) * s for k, s in harms.items())


def hurt(harms: Mapping[Persona, float], shares: Mapping[Persona, float]) -> list[Persona]:
    """The personas a fix really hurts: harm >= AFFECTED_MIN_HARM (else those with the largest harm); EVERYONE alone
    when it is hurt (it includes the others). Personas with no share of visits are left out."""
    present = {k: s for k, s in harms.items() if s > 0 and shares.get(k, 0.0) > 0}
    if not present:
        return []
    if Persona.EVERYONE in present:
        return [Persona.EVERYONE]
    top = max(present.values())
    return [k for k, s in present.items() if s >= min(AFFECTED_MIN_HARM, top) - 1e-9]


def affected_share(harms: Mapping[Persona, float], shares: Mapping[Persona, float]) -> float:
    """sum pi_k over the personas hurt (an upper bound: personas overlap)."""
    return sum(shares.get(k, 0.0) for k in hurt(harms, shares))


def exposures() -> dict[str, float]:
    """X of every registered check that declares one other than DEFAULT_EXPOSURE, by check id."""
    return {c.id: c.exposure for c in sorted(load_checks().values(), key=lambda c: c.id)
            if c.exposure != DEFAULT_EXPOSURE}


def verb(max_harm: float, task: str) -> str:
    """'Blocks buying', 'Makes navigating by headings harder'..."""
    for threshold, template in VERBS:
        if max_harm >= threshold - 1e-9:
            return template.format(task=task)
    return VERBS[-1][1].format(task=task)


def bar(priority: float, max_priority: float, total_visits: float) -> int:
    """0..100 on a log scale, comparable whatever the unit of V."""
    if priority <= 0 or max_priority <= 0 or total_visits <= 0:
        return 0
    k = BAR_VISITS / total_visits
    return max(1, round(100 * math.log10(1 + priority * k) / math.log10(1 + max_priority * k)))


def bandwidth_harm(bytes_saved: float) -> float:
    """S_SLOW of a saving (IMPACT.md 3.6), from the media family's constants."""
    return net.slow_harm(net.transfer_seconds(bytes_saved))


def constants() -> dict[str, object]:
    """The table as data, for report.json's model section and the report's "how fixes are ranked"."""
    return {
        "version": MODEL_VERSION,
        "severity_harm": {str(k): v for k, v in SEVERITY_HARM.items()},
        "role_cap": dict(ROLE_CAP),
        "exposure": exposures(),
        "journey_multiplier": JOURNEY_MULTIPLIER,
        "occurrence_cap": OCCURRENCE_CAP,
        "confidence": dict(CONFIDENCE),
        "template_min_pages": TEMPLATE_MIN_PAGES,
        "default_sitemap_priority": DEFAULT_SITEMAP_PRIORITY,
        "blocker_harm": BLOCKER_HARM,
        "affected_min_harm": AFFECTED_MIN_HARM,
        "contrast": {"floor": CONTRAST_FLOOR, "near": CONTRAST_NEAR, "harm": list(CONTRAST_HARM)},
    }
