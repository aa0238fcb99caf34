"""The one table of bandwidth constants: Slow 4G link, load-time formula, check thresholds, data prices.

Every number a media check or the low-bandwidth report uses is here, with its source and how sure we are of it:
[V] checked against the primary source, [S] from a secondary source, [U] an assumption to calibrate.
The research note behind them is ../shared/design/IMPACT.md (sections 1.6-1.9, 2.3, 2.4, 3.5-3.7, 5.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

KIB = 1024  # HTTP Archive's "KB" is bytes/1024 (IMPACT.md 1.9) [S]; we write it KB in the report
GB = 10**9  # price tables do not say 10^9 or 2^30; we use 10^9 and say so (IMPACT.md 3.7) [U]

# --- the link: Lighthouse's default mobile throttling ("Slow 4G", formerly "Fast 3G") -------------------------
#  name                    value                   source                                                     status
SLOW4G_RTT_S = 0.150  #    150 ms round trip       lighthouse core/config/constants.js v13.4.1, mobileSlow4G   [V]
SLOW4G_BITS_PER_S = 1.6 * 1024 * 1024  # 1,677,721.6 bit/s: throughputKbps 1.6*1024, x1024 in simulation
#                                                   (core/computed/load-simulator.js); 1 MiB costs 5.0 s       [V]
SETUP_RTTS = 5.0  #        DNS 2 + TCP 1.5 + TLS 1 + first byte 0.5 round trips (Lantern simulator v11.7.1)      [V]
EXTRA_ORIGIN_RTTS = 4.5  # each other origin serving render-blocking CSS/JS: its own DNS+TCP+TLS+TTFB          [U]
DEFAULT_CHAIN_DEPTH = 3  # HTML -> CSS/JS/img -> fonts/backgrounds when the page gives no better figure        [U]

# --- the phone the inventory imagines (srcset choice, "needed" image width) -----------------------------------
PHONE_WIDTH_CSS_PX = 412  # Lighthouse mobile emulation (Moto G Power): 412 x 823 CSS px              [U, memory]
PHONE_HEIGHT_CSS_PX = 823  #                                                                           [U, memory]
PHONE_DPR = 1.75  #         device pixel ratio of the same emulation                                   [U, memory]

# --- page weight budget ---------------------------------------------------------------------------------------
# Lighthouse total-byte-weight scores 0.9 ("good") at 2,667 KiB (p10; median 4,000 KiB) (IMPACT.md 2.3)       [V]
PAGE_WEIGHT_BUDGET_KIB = 2667

# --- check thresholds -----------------------------------------------------------------------------------------
IMAGE_MIN_SAVING = 4096  # image-delivery insight lists a saving only above 4,096 B (devtools ImageDelivery.ts)  [V]
MODERN_FORMAT_MIN_SAVING = 8192  # modern-image-formats ignores savings < 8,192 B (lighthouse v12.8.2)           [V]
AVIF_BYTES_PER_PIXEL = 2 / 12  # AVIF target: 2 bytes/px / 12 ~ 0.167 B/px (ImageDelivery.ts)                    [V]
OVERSIZED_MIN_RATIO = 1.5  # served width at least 1.5 x the width needed before we call it "far larger"        [U]
OFFSCREEN_MIN_SAVING = 2048  # offscreen-images flags waste >= 2,048 B (lighthouse v12.8.2)                      [V]
LAZY_SKIP_FIRST_IMAGES = 5  # without layout, the first 5 images in document order may be in the first screen   [U]
GIF_MIN_BYTES = 100 * KIB  # efficient-animated-content: GIFs > 100 KiB (lighthouse v12.8.2)                     [V]
TEXT_COMPRESSION_MIN_SAVING = 1400  # uses-text-compression: gzip must save >= 1,400 B ...                        [V]
TEXT_COMPRESSION_MIN_RATIO = 0.10  # ... and, below 20,000 B saved, at least 10 % of the file (v12.8.2)          [V]
TEXT_COMPRESSION_ALWAYS = 20_000  #                                                                              [V]
HEAVY_FONT_BYTES = 100 * KIB  # one font file above 100 KB: the median page's fonts weigh 131 KB in all
#                               (Web Almanac 2024, desktop) [S]; the threshold itself is ours                   [U]
FONT_SUBSET_TARGET = 30 * KIB  # what a Latin subset in WOFF2 typically weighs: the saving's target              [U]
LARGE_SCRIPT_BYTES = 500 * KIB  # one script above 500 KB compressed: most of a median page's 632 KB of JS
#                                 (Web Almanac 2025, mobile home pages) [V]; the threshold itself is ours        [U]
SAVING_P10_MS, SAVING_MEDIAN_MS = 150.0, 935.0  # Lighthouse byte-efficiency wasted-ms curve (v12.8.2)           [V]

# --- measuring -----------------------------------------------------------------------------------------------
HEAD_BYTES = 64 * KIB  # first bytes of an image read for its format and pixel size                           [U]
TEXT_BODY_MAX = 2 * 1024 * KIB  # text bodies read to parse CSS or estimate gzip, at most                     [U]


# --- data prices: USD per GB of mobile data, Cable.co.uk "Worldwide mobile data pricing" -------------------------
@dataclass(frozen=True)
class DataPrice:
    country: str
    usd_per_gb: float
    year: int  # edition of the study
    source: str
    status: str  # [V] / [S] / [U], as above


_CABLE_2023 = "Cable.co.uk, Worldwide mobile data pricing 2023 (5,603 plans, collected 5 Jul-6 Sep 2023)"
_CABLE_2022 = "Cable.co.uk, Worldwide mobile data pricing 2022 (5,292 plans, collected 16 Mar-2 Jun 2022)"
DATA_PRICES: tuple[DataPrice, ...] = (
    DataPrice("India", 0.17, 2022, _CABLE_2022 + "; via businessghana.com, gfmreview", "[S]"),
    DataPrice("Nigeria", 0.71, 2022, _CABLE_2022 + ", Africa chart; via Statista", "[S]"),
    DataPrice("United Kingdom", 0.62, 2023, _CABLE_2023 + "; press release copy, gfmreview", "[S]"),
    DataPrice("United States", 6.00, 2023, _CABLE_2023 + "; press release copy, gfmreview", "[S]"),
    DataPrice("Botswana", 15.55, 2022, _CABLE_2022 + ", Africa chart; via Statista", "[S]"),
    DataPrice("Zimbabwe", 43.75, 2023, _CABLE_2023 + " (most expensive); press release copy", "[S]"),
)


# --- formulas ------------------------------------------------------------------------------------------------


def transfer_seconds(nbytes: float, bits_per_s: float = SLOW4G_BITS_PER_S) -> float:
    """8*B/R: what Lighthouse's Simulator.computeWastedMsFromWastedBytes computes (in seconds)."""
    return 8.0 * max(0.0, nbytes) / bits_per_s


def load_seconds(nbytes: float, extra_origins: int = 0, chain_depth: int = DEFAULT_CHAIN_DEPTH,
                 rtt_s: float = SLOW4G_RTT_S, bits_per_s: float = SLOW4G_BITS_PER_S) -> float:
    """T = RTT*(5 + 4.5*O_rb + (D-1)) + 8*B/R (IMPACT.md 3.5): a network-only floor, no CPU, no server time."""
    depth = max(1, chain_depth)
    return rtt_s * (SETUP_RTTS + EXTRA_ORIGIN_RTTS * max(0, extra_origins) + (depth - 1)) + transfer_seconds(
        nbytes, bits_per_s
    )


def cost_usd(nbytes: float, usd_per_gb: float) -> float:
    """cost_visit = B / 10^9 * price per GB (IMPACT.md 3.7)."""
    return max(0.0, nbytes) / GB * usd_per_gb


def log_normal_score(value: float, p10: float = SAVING_P10_MS, median: float = SAVING_MEDIAN_MS) -> float:
    """Lighthouse's getLogNormalScore (shared/statistics.js): 1 at 0, 0.9 at p10, 0.5 at the median."""
    if value <= 0:
        return 1.0
    inverse_erfc_one_fifth = 0.9061938024368232
    x_log_ratio = math.log(max(value / median, 1e-300))
    p10_log_ratio = -math.log(max(p10 / median, 1e-300))
    standardized = x_log_ratio * inverse_erfc_one_fifth / p10_log_ratio
    percentile = math.erfc(standardized) / 2
    if value <= p10:
        return max(0.9, min(1.0, percentile))
    if value <= median:
        return max(0.5, min(0.8999999999999999, percentile))
    return max(0.0, min(0.49999999999999994, percentile))


def slow_harm(seconds_saved: float) -> float:
    """S_SLOW = 0.7 * (1 - LHscore(dt)) (IMPACT.md 3.6): how much a saving matters, 0..0.7."""
    return 0.7 * (1.0 - log_normal_score(seconds_saved * 1000.0))


def size_label(nbytes: float | None) -> str:
    """'3.2 MB', '180 KB', '950 B' (KB = 1,024 bytes, as the HTTP Archive writes it)."""
    if nbytes is None:
        return "unknown"
    n = float(nbytes)
    if n < KIB:
        return f"{int(n)} B"
    if n < KIB * KIB:
        return f"{n / KIB:,.0f} KB" if n >= 10 * KIB else f"{n / KIB:,.1f} KB"
    return f"{n / KIB / KIB:,.1f} MB"


def seconds_label(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds >= 0.1 else f"{seconds * 1000:,.0f} ms"
