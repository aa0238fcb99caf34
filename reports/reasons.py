"""The one-line reason of a fix: whom it hurts, how badly, how many visits meet it, and what one change repairs."""

from __future__ import annotations

from typing import Callable

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.model import Persona
from empathy_audit.reports import counts as cn
from empathy_audit.reports import fixes as fx
from empathy_audit.reports import scoring
from empathy_audit.reports import wording as w
from empathy_audit.reports.model import Fix, Model


def _where(fix: Fix, audited: int) -> str:
    n = fix.pages_affected
    c = fix.component
    if n == 1:
        path = fx.url_path(fix.pages[0].url)
        return "the home page" if path == "/" else f"the page {path}"
    if c.kind == "template":
        kind = c.name.removesuffix(" page template")
        return f"{n} {kind} pages (one template)"
    if c.kind == "layout":
        return f"all {n} pages (one layout)" if n >= audited else f"{n} pages (one layout)"
    if c.kind == "style":
        return f"{n} pages (one colour pair)"
    if c.kind == "text":
        return f"{n} pages (the same {c.name} in {fix.elements} places)"
    if c.kind in ("header", "navigation", "footer"):
        return f"{n} pages (the shared {c.kind})"
    return f"{n} pages (one shared component)"


def _scope(fix: Fix) -> str:
    c = fix.component
    if fix.bandwidth:
        saved = fix.bandwidth["bytes_saved_per_page"]
        if saved <= 0:
            return "the fixes listed for the files it loads save these bytes: do them first"
        return (f"it saves about {net.size_label(saved)} a visit, "
                f"{net.seconds_label(net.transfer_seconds(saved))} on a slow 4G phone")
    if fix.fingerprint.kind == "colour":
        if fix.contrast:
            c = fix.contrast
            return (f"one colour change ({fix.fingerprint.markup}: contrast {w.ratio_label(c['ratio'])}, "
                    f"needs {w.ratio_label(c['expected'])}) fixes every place")
        return f"one colour change ({fix.fingerprint.markup}) fixes every place"
    if c.template and fix.pages_affected > 1:
        return f"one fix in the {c.name} repairs every page"
    if c.kind == "text":
        return f"search for {c.name} to find every place it is set"
    if fix.fingerprint.kind == "page":
        return "one change in the page's head or layout fixes it"
    if fix.elements == 1:
        return "one element to fix"
    return f"{fix.elements} elements need editing"


def _persona_rank(fix: Fix) -> Callable[[Persona], int]:
    order = [h.persona for h in fix.personas]
    return lambda p: order.index(p) if p in order else len(order)


def reason(fix: Fix, model: Model, audited: int) -> str:
    hurt = scoring.hurt({h.persona: h.harm for h in fix.personas}, {h.persona: h.share for h in fix.personas})
    who = w.join_words([w.PERSONA_WORDS[p] for p in sorted(hurt, key=_persona_rank(fix))]) or "visitors"
    lead = scoring.verb(fix.max_harm, fix.task)
    if model.counts_visits:
        visits = (f"up to {w.number(fix.score.affected)} visits a month meet it "
                  f"(its pages get {w.percent(fix.score.visit_share)} of visits)")
    else:
        visits = (f"up to {w.per_visits(fix.score.affected / model.total_visits)} meet it "
                  f"(its pages get about {w.percent(fix.score.visit_share)} of visits, "
                  f"estimated from the site's links)")
    text = f"{lead} for {who} on {_where(fix, audited)}: {visits}; {_scope(fix)}."
    if fix.to_check:
        text = f"{cn.LANE_TO_CHECK}: " + text[0].lower() + text[1:]
    return text
