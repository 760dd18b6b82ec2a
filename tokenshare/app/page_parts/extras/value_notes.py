"""The Value page's notes: whether the snapshot has benchmarks, the benchmark source line,
the focus's frontier sentence and what the daily top-50 cut hides (docs/tail.md)."""

from __future__ import annotations

import pandas as pd

from tokenshare.analysis import value
from tokenshare.app import cache
from tokenshare.app.state import Context
from tokenshare.app.text import md
from tokenshare.core.formatting import as_of_text, pct
from tokenshare.data.snapshot.extra_tables import BENCHMARK_CITATION, BENCHMARKS_FILE, has_table
from tokenshare.data.snapshot.layout import Snapshot


def has_benchmarks(snapshot: Snapshot) -> bool:
    return has_table(snapshot, BENCHMARKS_FILE)


def source_line(snapshot: Snapshot) -> str:
    """Where the scores come from, as the manifest records it."""
    rec = (snapshot.manifest.get("extras") or {}).get("benchmarks") or {}
    meta = rec.get("meta") if isinstance(rec.get("meta"), dict) else {}
    if snapshot.synthetic or rec.get("synthetic"):
        return ("Scores: synthetic, made by tokenshare for the sample and shaped after Artificial Analysis's "
                "published indices; not Artificial Analysis or OpenRouter figures.")
    cited = meta.get("citation") if isinstance(meta.get("citation"), str) else BENCHMARK_CITATION
    when = meta.get("as_of") if isinstance(meta.get("as_of"), str) else rec.get("fetched_on", "unknown")
    carried = f" Carried over from snapshot {rec['carried_from']}." if rec.get("carried_from") else ""
    return md(f"Scores: {cited} As of {as_of_text(when)}.{carried}")


def unplaced_words(marked: pd.DataFrame, index_title: str) -> str:
    """``analysis.value.unplaced_words`` with the model names escaped (they are data)."""
    return value.unplaced_words(marked.assign(model_name=marked["model_name"].map(md)), index_title)


def figures(models: pd.DataFrame, index_title: str) -> dict:
    """The page's figures from ``value_models``'s rows, worked out once per snapshot and query
    parameters and shared (``ctx.derive``): a rerun after a grain or top change, which the
    query does not take, reuses them instead of redoing the frontier and bands. Frames
    read-only; the words made safe."""
    marked = value.mark_frontier(models)
    shares, bands = value.frontier_shares(marked), value.band_shares(marked)
    return {"marked": cache.read_only(marked), "shares": cache.read_only(shares), "bands": cache.read_only(bands),
            "placed": cache.read_only(marked[marked["placed"]]), "line": cache.read_only(value.frontier_line(marked)),
            "frontier_words": value.frontier_words(shares), "band_words": value.band_words(bands),
            "unplaced_words": unplaced_words(marked, index_title)}


def focus_words(marked: pd.DataFrame, name: str) -> str:
    f = marked[marked["in_focus"].astype(bool) & marked["placed"]]
    tokens = float(f["tokens"].sum())
    if not tokens:
        return f"The focus, **{md(name)}**, has no model drawn here."
    near = float(f.loc[f["near_frontier"], "tokens"].sum())
    return (f"The focus, **{md(name)}**: {pct(near / tokens)} of its drawn tokens went to models on or near the "
            f"frontier ({int(f['on_frontier'].sum())} of its {len(f)} models drawn are on it).")


def cut_words(ctx: Context, marked: pd.DataFrame, index: str) -> str:
    """``analysis.value.cut_words`` with the range's share of tokens outside the top 50
    (coverage_by_period) and the benchmarked models never ranked (value_benchmarks_unranked)."""
    f = ctx.filters
    cov = ctx.query("coverage_by_period", start=f.start, end=f.end, grain="month")
    total = float(cov["total_tokens"].sum())
    other = float(cov["other_tokens"].sum()) / total if total else float("nan")
    unranked = ctx.query("value_benchmarks_unranked", start=f.start, end=f.end, index=index)
    return value.cut_words(marked, other, [md(n) for n in unranked["display_name"]])  # names are data: escaped
