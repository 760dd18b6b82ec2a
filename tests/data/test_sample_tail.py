"""The sample's long tail: the committed snapshot is the uncut synthetic market
(``tokenshare.data.sample.market.uncut_market``) cut as the Data API cuts it.

Every check is computed here with pandas from the uncut table and the committed files
(tests/data/test_sample.py proves they equal a fresh generation), never with the
generator's own ranking. Each check is a function returning its problems, and each test
also plants the bug the check is for and asserts the check finds it."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tokenshare.data.published.locate import SAMPLE_DIR
from tokenshare.data.sample.market import uncut_market
from tokenshare.data.snapshot.layout import SEGMENT_FILE, USAGE_FILE

ROOT = Path(__file__).resolve().parents[2]
LATEST_WEEK = (dt.date(2026, 11, 16), dt.date(2026, 11, 22))  # the sample's last complete ISO week


@pytest.fixture(scope="module")
def market():
    m = uncut_market()
    return m.usage.to_pandas(), m.catalogue.to_pandas()


@pytest.fixture(scope="module")
def usage():
    return pd.read_parquet(SAMPLE_DIR / USAGE_FILE)


# ---------------------------------------------------------------- the checks


def other_problems(usage: pd.DataFrame, uncut: pd.DataFrame) -> list:
    """Days whose `other` is not the uncut tokens of the entries absent that day, and
    named rows whose tokens are not the uncut market's."""
    named = usage[usage["model_permaslug"] != "other"]
    j = uncut.merge(named[["date", "model_permaslug"]].assign(named=True), on=["date", "model_permaslug"], how="left")
    absent = j[j["named"].isna()].groupby("date")["total_tokens"].sum()
    other = usage[usage["model_permaslug"] == "other"].set_index("date")["total_tokens"]
    both = pd.concat([absent.rename("absent"), other.rename("other")], axis=1).fillna(0)
    problems = [("other", d) for d, r in both.iterrows() if r["absent"] != r["other"]]
    k = named.merge(uncut, on=["date", "model_permaslug"], how="left", suffixes=("", "_uncut"))
    problems += [("named", r.date, r.model_permaslug) for r in k.itertuples()
                 if r.total_tokens != r.total_tokens_uncut]
    return problems


def top50_problems(usage: pd.DataFrame, uncut: pd.DataFrame) -> list:
    """Days without exactly 50 named rows (where 50 entries are live; a `:free` variant
    is an entry of its own, as the API ranks it), and absent entries with more tokens
    than the day's smallest named row."""
    named = usage[usage["model_permaslug"] != "other"]
    live = uncut.groupby("date")["model_permaslug"].count()
    n_named = named.groupby("date")["model_permaslug"].count().reindex(live.index, fill_value=0)
    problems = [("rows", d, n) for d, n in n_named.items() if n != min(50, live[d])]
    cut = named.groupby("date")["total_tokens"].min()
    j = uncut.merge(named[["date", "model_permaslug"]].assign(named=True), on=["date", "model_permaslug"], how="left")
    out = j[j["named"].isna()].join(cut.rename("cut"), on="date")
    problems += [("above the cut", r.date, r.model_permaslug) for r in out.itertuples() if r.total_tokens > r.cut]
    return problems


def other_share(usage: pd.DataFrame) -> pd.Series:
    day = usage.groupby("date")["total_tokens"].sum()
    other = usage[usage["model_permaslug"] == "other"].set_index("date")["total_tokens"]
    return (other.reindex(day.index, fill_value=0) / day).rename("share")


def share_problems(usage: pd.DataFrame, lo: float = 0.03, hi: float = 0.15) -> list:
    """Days with `other` outside [lo, hi] of all tokens, and a tail that does not grow
    (the last two months' mean share not above twice the first month's)."""
    s = other_share(usage)
    problems = [("band", d, round(v, 4)) for d, v in s.items() if not lo <= v <= hi]
    idx = pd.to_datetime(s.index)
    first, last = s[idx < "2025-02-01"].mean(), s[idx >= "2026-10-01"].mean()
    if not last > 2 * first:
        problems.append(("growth", first, last))
    return problems


def below_cut_labs(usage: pd.DataFrame, uncut: pd.DataFrame, catalogue: pd.DataFrame) -> set:
    """Labs with tokens in the uncut market on every day of the latest complete week and
    no named row in it."""
    lo, hi = LATEST_WEEK
    wk = uncut[(uncut["date"] >= lo) & (uncut["date"] <= hi)].merge(catalogue[["model_permaslug", "author"]])
    every_day = wk.groupby("author")["date"].nunique()
    live = set(every_day[every_day == 7].index)
    named = usage[(usage["date"] >= lo) & (usage["date"] <= hi) & (usage["model_permaslug"] != "other")]
    return live - set(named["model_permaslug"].str.split("/").str[0])


# ---------------------------------------------------------------- the tests


def test_uncut_market_is_deterministic_and_full(market):
    uncut, catalogue = market
    again = uncut_market(42)
    assert again.usage.to_pandas().equals(uncut)
    assert again.catalogue.to_pandas().equals(catalogue)
    assert not uncut_market(7).usage.to_pandas().equals(uncut)
    assert (uncut["total_tokens"] > 0).all()
    assert set(uncut["model_permaslug"]) <= set(catalogue["model_permaslug"])
    # a fuller market: a few hundred models, most of them small
    bases = catalogue[~catalogue["model_permaslug"].str.contains(":")]
    assert 300 <= len(bases) <= 800 and catalogue["author"].nunique() >= 50
    last = uncut[uncut["date"] >= LATEST_WEEK[0]].groupby("model_permaslug")["total_tokens"].sum()
    assert (last < last.sum() * 0.001).sum() > len(last) / 2  # most live models hold under 0.1% each
    assert last.sort_values(ascending=False).head(10).sum() > 0.4 * last.sum()  # heavy-tailed


def test_other_is_exactly_the_absent_entries(market, usage):
    uncut, _ = market
    assert other_problems(usage, uncut) == []
    # planted: the old sample's unnamed tail (tokens in `other` that no model has)
    planted = usage.copy()
    row = planted.index[(planted["model_permaslug"] == "other")][100]
    planted.loc[row, "total_tokens"] += 10**9
    assert [p[0] for p in other_problems(planted, uncut)] == ["other"]
    # planted: a named row with a base model's whole tokens (its `:free` part not split off)
    frees = usage[usage["model_permaslug"].str.endswith(":free")].assign(
        model_permaslug=lambda f: f["model_permaslug"].str.removesuffix(":free"))
    free = frees.merge(usage, on=["date", "model_permaslug"]).iloc[0]  # a free row whose base is named too
    base = (usage["date"] == free["date"]) & (usage["model_permaslug"] == free["model_permaslug"])
    planted = usage.copy()
    planted.loc[base, "total_tokens"] += free["total_tokens_x"]
    assert [p[0] for p in other_problems(planted, uncut)] == ["named"]


def test_exactly_the_top_50_entries_each_day(market, usage):
    uncut, _ = market
    assert uncut.groupby("date")["model_permaslug"].count().min() >= 50
    assert top50_problems(usage, uncut) == []
    free_days = usage[usage["model_permaslug"].str.endswith(":free")]["date"].nunique()
    assert free_days == usage["date"].nunique()  # :free rows take places in the 50 every day
    # planted: rank base models only and list their `:free` rows beside them (the old
    # sample's way): more than 50 rows a day
    named = usage[usage["model_permaslug"] != "other"]
    d = named["date"].iloc[0]
    extra = uncut[(uncut["date"] == d) & ~uncut["model_permaslug"].isin(named.loc[named["date"] == d, "model_permaslug"])]
    planted = pd.concat([usage, extra.nsmallest(1, "total_tokens")])
    assert ("rows", d, 51) in top50_problems(planted, uncut)
    # planted: a day's smallest named entry swapped for the largest absent one's place
    day = named[named["date"] == d]
    smallest = day.nsmallest(1, "total_tokens").index
    absent = extra.nlargest(2, "total_tokens").iloc[1]
    planted = usage.drop(smallest)
    planted = pd.concat([planted, pd.DataFrame([absent])])
    found = top50_problems(planted, uncut)
    assert found and {p[0] for p in found} == {"above the cut"}


def test_other_share_is_realistic_and_grows(usage):
    assert share_problems(usage) == []
    s = other_share(usage)
    monthly = s.groupby(pd.to_datetime(s.index).to_period("M")).mean()
    assert monthly.iloc[0] < 0.06 and monthly.iloc[-1] > 0.09
    # planted: a sample with almost no tail (the top 50 hold everything but 1%)
    planted = usage.copy()
    o = planted["model_permaslug"] == "other"
    planted.loc[o, "total_tokens"] = planted.loc[o, "total_tokens"] // 20
    assert "band" in {p[0] for p in share_problems(planted)}
    # planted: a tail that does not grow (the last months' `other` at a third)
    planted = usage.copy()
    late = o & (pd.to_datetime(planted["date"]) >= "2026-10-01")
    planted.loc[late, "total_tokens"] = planted.loc[late, "total_tokens"] // 3
    assert {p[0] for p in share_problems(planted)} == {"growth"}


def test_a_small_lab_is_below_the_cut_in_the_latest_complete_week(market, usage):
    uncut, catalogue = market
    below = below_cut_labs(usage, uncut, catalogue)
    assert "arcee-ai" in below
    # Arcee AI: first top-50 day some weeks after its first model's launch, in the top
    # 50 on some days, then below the cut again with live models
    arcee = uncut.merge(catalogue[["model_permaslug", "author"]])
    arcee = arcee[arcee["author"] == "arcee-ai"]
    ranked = usage[usage["model_permaslug"].str.startswith("arcee-ai/")]
    assert ranked["date"].min() - arcee["date"].min() >= dt.timedelta(weeks=4)
    assert ranked["date"].nunique() >= 60
    wk = arcee[arcee["date"] >= LATEST_WEEK[0]].groupby("date")["total_tokens"].sum()
    assert len(wk) == 7 and (wk > 0).all()
    # planted: one Arcee row named in the latest week
    top = arcee[arcee["date"] == LATEST_WEEK[1]].nlargest(1, "total_tokens")
    planted = pd.concat([usage, top[["date", "model_permaslug", "total_tokens"]]])
    assert "arcee-ai" not in below_cut_labs(planted, uncut, catalogue)


def segment_problems(s: pd.DataFrame, uncut: pd.DataFrame) -> list:
    """Daily segment rows of entries not live that day or above their uncut tokens, lists
    longer than 50, and days whose context buckets (other included) do not add up to the
    uncut day total (the sample's documented partition)."""
    daily = s[(s["dimension"] != "language") & (s["model_permaslug"] != "other")]
    j = daily.merge(uncut, on=["date", "model_permaslug"], how="left", suffixes=("", "_uncut"))
    problems = [("not live", r.date, r.model_permaslug) for r in j[j["total_tokens_uncut"].isna()].itertuples()]
    problems += [("above", r.date, r.model_permaslug) for r in j[j["total_tokens"] > j["total_tokens_uncut"]].itertuples()]
    n = daily.groupby(["dimension", "segment", "date"])["model_permaslug"].count()
    problems += [("list", k) for k, v in n.items() if v > 50]
    ctx = s[s["dimension"] == "context"].groupby("date")["total_tokens"].sum()
    day = uncut.groupby("date")["total_tokens"].sum().reindex(ctx.index)
    problems += [("partition", d) for d in ctx.index[ctx != day]]
    return problems


def test_segment_lists_are_cut_from_the_uncut_market(market):
    uncut, _ = market
    s = pd.read_parquet(SAMPLE_DIR / SEGMENT_FILE)
    assert segment_problems(s, uncut) == []
    daily = s[(s["dimension"] != "language") & (s["model_permaslug"] != "other")]
    assert daily.groupby(["dimension", "segment", "date"])["model_permaslug"].count().max() == 50
    # planted: a context bucket's `other` row left out (the buckets no longer partition the day)
    row = s.index[(s["dimension"] == "context") & (s["model_permaslug"] == "other")][0]
    assert {p[0] for p in segment_problems(s.drop(row), uncut)} == {"partition"}
    # planted: a listed entry with more tokens in a segment than it had that day
    planted = s.copy()
    first = daily.index[0]
    planted.loc[first, "total_tokens"] = uncut.loc[(uncut["date"] == s.loc[first, "date"])
                                                   & (uncut["model_permaslug"] == s.loc[first, "model_permaslug"]),
                                                   "total_tokens"].iloc[0] + 1
    assert "above" in {p[0] for p in segment_problems(planted, uncut)}


def _validate(folder: Path) -> int:
    return subprocess.run([sys.executable, "-m", "tokenshare", "validate", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300).returncode


def test_the_sample_stays_valid(tmp_path):
    assert _validate(SAMPLE_DIR) == 0
    # planted: a usage file that no longer matches the manifest
    bad = tmp_path / "bad"
    shutil.copytree(SAMPLE_DIR, bad, ignore=shutil.ignore_patterns("derived_*"))
    u = pd.read_parquet(bad / USAGE_FILE)
    u.loc[0, "total_tokens"] += 1
    u.to_parquet(bad / USAGE_FILE)
    assert _validate(bad) == 1
