"""The browser figures from the raw seconds: median, p90, multiples of the trivial app,
and the issue's targets. Pure: no browser, no server."""

from __future__ import annotations

import math
import statistics

# issue 25's "done when": every page's change median and first load within 1.5x the
# trivial app's, its change p90 within 2x.
TARGET_CHANGE_RATIO = 1.5
TARGET_LOAD_RATIO = 1.5
TARGET_P90_RATIO = 2.0


def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def p90(xs: list[float]) -> float | None:
    """The 90th percentile by linear interpolation between the closest ranks (numpy's
    default): position 0.9 * (n - 1) in the sorted values."""
    if not xs:
        return None
    s = sorted(xs)
    pos = 0.9 * (len(s) - 1)
    lo, hi = math.floor(pos), math.ceil(pos)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def ratio(value: float | None, base: float | None) -> float | None:
    """``value`` as a multiple of ``base``; None when either is missing or base is 0."""
    if value is None or not base:
        return None
    return value / base


def summarise(rec: dict) -> dict:
    """One page's figures from its raw seconds (``change_s``, ``load_s``) and those of
    the trivial app measured beside it (``trivial_change_s``, ``trivial_load_s``)."""
    change, t_change = rec.get("change_s") or [], rec.get("trivial_change_s") or []
    load, t_load = rec.get("load_s") or [], rec.get("trivial_load_s") or []
    out = {
        "change_median": median(change), "change_p90": p90(change),
        "trivial_change_median": median(t_change), "trivial_change_p90": p90(t_change),
        "load_median": median(load), "trivial_load_median": median(t_load),
    }
    out["change_ratio"] = ratio(out["change_median"], out["trivial_change_median"])
    out["p90_ratio"] = ratio(out["change_p90"], out["trivial_change_p90"])
    out["load_ratio"] = ratio(out["load_median"], out["trivial_load_median"])
    return out


def slowest(pages: dict) -> str | None:
    """The page (key of ``pages``) whose change median is the largest multiple of the
    trivial app's; None when no page has one."""
    ratios = {p: summarise(r)["change_ratio"] for p, r in pages.items()}
    ratios = {p: v for p, v in ratios.items() if v is not None}
    return max(ratios, key=ratios.get) if ratios else None


def targets(browser: dict) -> list[dict]:
    """The issue's three targets over every measured page, as evaluate_targets lists them."""
    pages = browser.get("pages") or {}
    if not pages:
        return []
    figs = {r.get("title", p): summarise(r) for p, r in pages.items()}
    out = []
    for key, limit, what in (("change_ratio", TARGET_CHANGE_RATIO, "change median"),
                             ("p90_ratio", TARGET_P90_RATIO, "change p90"),
                             ("load_ratio", TARGET_LOAD_RATIO, "first load")):
        got = {t: f[key] for t, f in figs.items()}
        ok = None not in got.values() and max(got.values()) <= limit
        out.append({"what": f"browser: every page's {what} within {limit:g}x the trivial app's",
                    "ok": ok, "got": ", ".join(f"{t} {v:.2f}x" if v is not None else f"{t} –"
                                               for t, v in got.items())})
    errors = sum(len(r.get("errors", [])) for r in pages.values())
    out.append({"what": "browser: no page failed to settle or showed an exception", "ok": errors == 0,
                "got": f"{errors} errors"})
    return out
