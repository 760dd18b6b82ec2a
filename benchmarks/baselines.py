"""The two workers beside the app: *prepare* (what the first open of a snapshot on a
machine costs) and *pandas* (the same core aggregations done the way most Streamlit apps
do them)."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.common import peak_mb, timed


def pandas_worker(snapshot_path: str, runs: int) -> dict:
    """The baseline: how most Streamlit apps do it. One DataFrame with the models and
    labs merged in, loaded once (st.cache_data would keep it), then on every rerun the
    date filter, the period column and a groupby."""
    import numpy as np
    import pandas as pd

    path = Path(snapshot_path)
    t = time.perf_counter()
    usage = pd.read_parquet(path / "usage.parquet")
    models = pd.read_parquet(path / "models.parquet", columns=["model_permaslug", "author", "open_weights"])
    labs = pd.read_csv(path / "labs.csv", dtype=str, keep_default_na=False)
    df = usage.merge(models, on="model_permaslug", how="left").merge(labs, on="author", how="left")
    df["lab_name"] = df["lab_name"].fillna(df["author"])
    df["country_name"] = df["country_name"].fillna("Unknown country")
    df["openness"] = np.select(
        [df["model_permaslug"].eq("other"), df["open_weights"].eq(True), df["open_weights"].eq(False)],
        ["other", "open", "closed"], "unclassified",
    )
    df["date"] = pd.to_datetime(df["date"])
    load_ms = round((time.perf_counter() - t) * 1000, 1)
    start, end = df["date"].min(), df["date"].max()

    def selected():
        sel = df[(df["date"] >= start) & (df["date"] <= end)]
        week = sel["date"] - pd.to_timedelta(sel["date"].dt.weekday, unit="D")
        return sel.assign(period=week)

    def open_share():
        sel = selected()
        g = sel.groupby(["period", "openness"])["total_tokens"].sum().unstack(fill_value=0)
        return g["open"] / (g["open"] + g["closed"])

    def lab_ranks():
        sel = selected()
        g = sel[sel["openness"] == "open"].groupby(["period", "lab_name"])["total_tokens"].sum().reset_index()
        g["share"] = g["total_tokens"] / g.groupby("period")["total_tokens"].transform("sum")
        g["rank"] = g.groupby("period")["total_tokens"].rank(method="first", ascending=False)
        return g.sort_values(["period", "rank"])

    def country_shares():
        sel = selected()
        g = sel[sel["openness"].isin(["open", "closed"])].groupby(["period", "country_name"])["total_tokens"].sum()
        return (g / g.groupby(level="period").transform("sum")).reset_index()

    out = {"load_ms": load_ms, "core": {}}
    for label, fn in (("open share by week", open_share), ("lab ranks by week", lab_ranks),
                      ("country shares by week", country_shares)):
        out["core"][label], _ = timed(fn, runs)
    out["peak_mb"] = peak_mb()
    return out


def prepare_worker(snapshot_path: str) -> dict:
    """First open of a snapshot on this machine: full validation, then the database
    (or its derived file) built from scratch, then the SQL workbench's copy."""
    try:
        from tokenshare.data.snapshot import stamps as stampmod, validate as validatemod
    except ImportError:  # an older checkout: one snapshot module
        from tokenshare.data import snapshot as stampmod
        validatemod = stampmod
    from tokenshare.engine import db as dbmod

    # (getattr: the harness also runs against older checkouts, for before/after figures)
    for forget in (getattr(dbmod, "forget_derived", None), getattr(stampmod, "forget_validation", None)):
        if forget is not None:
            forget(Path(snapshot_path))
    t = time.perf_counter()
    snapshot = validatemod.load_snapshot(snapshot_path)
    validate_ms = round((time.perf_counter() - t) * 1000, 1)
    validate_peak = peak_mb()
    t = time.perf_counter()
    db = dbmod.SnapshotDB(snapshot)
    open_ms = round((time.perf_counter() - t) * 1000, 1)
    rows = int(db.query("snapshot_summary").iloc[0]["usage_rows"])
    build_peak = peak_mb()
    workbench_ms = None
    try:
        from tokenshare.engine import workbench as wbmod
    except ImportError:  # an older checkout
        wbmod = None
    if wbmod is not None and hasattr(wbmod, "ensure_workbench_file"):
        # the SQL workbench's own copy of the tables, written at its first visit
        for f in Path(snapshot_path).glob(wbmod.WORKBENCH_PREFIX + "*"):
            f.unlink(missing_ok=True)
        t = time.perf_counter()
        if wbmod.ensure_workbench_file(db) is not None:
            workbench_ms = round((time.perf_counter() - t) * 1000, 1)
    db.close()
    return {"validate_ms": validate_ms, "validate_peak_mb": validate_peak, "build_ms": open_ms,
            "peak_mb": build_peak, "workbench_ms": workbench_ms, "workbench_peak_mb": peak_mb(),
            "usage_rows": rows}
