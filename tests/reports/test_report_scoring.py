"""empathy_audit.reports.scoring: the constants table (one place, with sources) and its formulas; reports.traffic: the CSV."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from empathy_audit.audits.model import Persona, Severity
from empathy_audit.reports import scoring
from empathy_audit.reports.traffic import TrafficError, load, parse

SCORING = Path(scoring.__file__)


def test_the_defaults_are_impact_md_section_1_11():
    s = scoring.PERSONA_SHARES
    assert (s[Persona.SCREEN_READER], s[Persona.LOW_VISION], s[Persona.COLOUR_VISION]) == (0.006, 0.04, 0.042)
    assert (s[Persona.KEYBOARD], s[Persona.SLOW_CONNECTION]) == (0.01, 0.06)
    assert [scoring.SEVERITY_HARM[x] for x in (Severity.CRITICAL, Severity.SERIOUS, Severity.MODERATE,
                                               Severity.MINOR)] == [1.0, 0.7, 0.3, 0.1]
    assert scoring.JOURNEY_MULTIPLIER == 1.5 and scoring.OCCURRENCE_CAP == 2.0
    assert scoring.CONFIDENCE["static"] == scoring.CONFIDENCE["needs-review"] == 0.5
    assert scoring.CONFIDENCE["confirmed"] == 1.0


def test_every_constant_of_the_table_says_where_it_comes_from():
    """Each assignment in the table section carries a source marker ([V], [S], [U]) or a comment block above it."""
    text = SCORING.read_text(encoding="utf-8")
    table = text.split("#  THE TABLE")[1].split("#  FORMULAS")[0]
    blocks = re.split(r"\n\s*\n", table)
    for block in blocks:
        if re.search(r"^[A-Z_]+(: [^=]+)? = ", block, re.MULTILINE):
            assert re.search(r"\[(V|S|U)[^\]]*\]|IMPACT\.md", block), block
    # per persona share, a source on its own line
    shares = text.split("PERSONA_SHARES: dict")[1].split("}")[0]
    for line in shares.strip().splitlines()[1:]:
        if line.strip().startswith("Persona."):
            assert "#" in line, line


@pytest.mark.parametrize(
    ("severity", "role", "harm"),
    [
        (Severity.CRITICAL, "P", 1.0),
        (Severity.CRITICAL, "S", 0.3),
        (Severity.CRITICAL, "M", 0.1),
        (Severity.SERIOUS, "P", 0.7),
        (Severity.MODERATE, "S", 0.3),
        (Severity.MINOR, "S", 0.1),
        (Severity.MINOR, "M", 0.1),
    ],
)
def test_harm_is_severity_capped_by_role(severity, role, harm):
    assert scoring.harm(severity, role) == harm


def test_occurrence_factor_saturates():
    assert scoring.occurrence_factor(1) == 1.0
    assert scoring.occurrence_factor(8) == pytest.approx(1.9031, abs=1e-4)
    assert scoring.occurrence_factor(10) == scoring.occurrence_factor(500) == 2.0
    assert scoring.occurrence_factor(0) == 1.0


def test_importance_matches_impact_md_examples():
    # IMPACT.md 3.2 table: home 19.94, checkout 2.54, product page 1.57, blog post 0.65
    assert scoring.importance(0, 500, 1.0) == pytest.approx(19.94, abs=0.01)
    assert scoring.importance(3, 40, 0.8) == pytest.approx(2.54, abs=0.01)
    assert scoring.importance(2, 12, 0.5) == pytest.approx(1.57, abs=0.01)
    assert scoring.importance(3, 2, 0.5) == pytest.approx(0.65, abs=0.01)
    # unknown sitemap priority is the protocol's default 0.5 (factor 1); unknown depth counts as 1
    assert scoring.importance(1, 0, None) == 0.5
    assert scoring.importance(None, 0, None) == 0.5


def test_effort_rewards_one_template_change():
    assert scoring.effort(True, 40) == 1.0
    assert scoring.effort(False, 1) == 1.0
    assert scoring.effort(False, 4) == 3.0
    assert scoring.effort(False, 80) == pytest.approx(1 + math.log2(80))


def test_persona_factor_and_affected():
    shares = scoring.PERSONA_SHARES
    harms = {Persona.SCREEN_READER: 1.0, Persona.KEYBOARD: 0.3, Persona.LOW_VISION: 0.1}
    assert scoring.persona_factor(harms, shares) == pytest.approx(0.006 + 0.003 + 0.004)
    # "up to" counts the personas really hurt (harm >= 0.3), not the minor mentions
    assert scoring.affected_share(harms, shares) == pytest.approx(0.016)
    assert scoring.hurt(harms, shares) == [Persona.SCREEN_READER, Persona.KEYBOARD]
    # a minor-only fix still names its persona
    assert scoring.hurt({Persona.SCREEN_READER: 0.1}, shares) == [Persona.SCREEN_READER]
    # everyone includes every other persona: not counted twice
    broken = {Persona.EVERYONE: 0.7, Persona.SCREEN_READER: 0.3, Persona.COGNITIVE: 0.3}
    assert scoring.persona_factor(broken, shares) == pytest.approx(0.7)
    assert scoring.hurt(broken, shares) == [Persona.EVERYONE]
    assert scoring.exposures() == {"broken-link": 0.02}  # declared by the check (Check.exposure)


def test_verbs_and_bar():
    assert scoring.verb(1.0, "buying") == "Blocks buying"
    assert scoring.verb(0.7, "reading text") == "Seriously hinders reading text"
    assert scoring.verb(0.3, "navigating by headings") == "Makes navigating by headings harder"
    assert scoring.verb(0.1, "reading tables") == "Slightly hinders reading tables"
    assert scoring.bar(1.0, 1.0, 1.0) == 100
    assert scoring.bar(0, 1.0, 1.0) == 0
    # the same priorities as a share (proxy) or as visits (analytics) give the same bar
    assert scoring.bar(0.001, 0.01, 1.0) == scoring.bar(100, 1000, 100_000)


def test_contrast_harm_by_distance_to_the_threshold():
    assert scoring.contrast_harm(2.85, 4.5) == 0.7  # #999 on white
    assert scoring.contrast_harm(3.9, 4.5) == 0.35
    assert scoring.contrast_harm(4.48, 4.5) == 0.1  # #777 on white
    assert scoring.contrast_harm(4.6, 4.5) is None


def test_bandwidth_harm_follows_impact_md_3_6():
    pytest.importorskip("empathy_audit.audits.media._network")
    one_mib = 1024 * 1024  # 5.0 s on Slow 4G
    assert scoring.bandwidth_harm(one_mib) == pytest.approx(0.62, abs=0.01)
    assert scoring.bandwidth_harm(0) == 0.0


# --- traffic CSV ------------------------------------------------------------------------------------------------


def test_traffic_csv_with_header_paths_and_tracking_parameters():
    t = parse(
        "Page,Pageviews\n"
        "/,1200\n"
        "/products/?utm_source=mail,300\n"
        "https://WWW.Example.com/products/,200\n"
        "/contact.html#form,\"1,000\"\n"
        "not a url,5\n"
        "/x,many\n",
        "ga.csv",
    )
    assert t.visits == {"/": 1200.0, "/products/": 500.0, "/contact.html": 1000.0}
    assert (t.rows, t.skipped, t.source) == (6, 2, "ga.csv")


def test_traffic_csv_without_header():
    assert parse("https://example.com/a,10\n/b,5\n").visits == {"/a": 10.0, "/b": 5.0}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "has no rows"),
        ("name,colour\na,b\n", "needs a url column and a visits column"),
        ("url,visits\nnot a url,x\n", "has no usable row"),
    ],
)
def test_bad_traffic_files_say_what_is_wrong(text, message):
    with pytest.raises(TrafficError, match=message):
        parse(text, "t.csv")


def test_traffic_file_errors(tmp_path):
    with pytest.raises(TrafficError, match="cannot read the traffic file"):
        load(tmp_path / "missing.csv")
    bad = tmp_path / "bin.csv"
    bad.write_bytes(b"\xff\xfe\x00u")
    with pytest.raises(TrafficError, match="not UTF-8"):
        load(bad)
    good = tmp_path / "ok.csv"
    good.write_text("\ufeffurl,visits\n/,3\n", encoding="utf-8")
    assert load(good).visits == {"/": 3.0}
