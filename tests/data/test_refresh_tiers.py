"""Free vs paid and open weights over time through the refresh, against the local
stand-in server (tests/openrouter_server.py), and the overrides' `since` column.

The server's recorded bodies get, for every day they hold (a `mutate` on every rankings
request):
    deepseek/deepseek-chat-v3:free          40000 (the catalogue lists deepseek/deepseek-chat:free)
    anthropic/claude-3.5-sonnet-20241022:extended 1000 (a known paid variant)
    newlab/mystery-model-7b:free              5000 (base model not in the catalogue)
    deepseek/deepseek-chat-v3:zzz-new         2000 (a suffix never seen before)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.conftest_openrouter import _no_ambient_key, make_client, server, tree_digest  # noqa: F401
from tests.hostile import tried
from tests.openrouter_server import DAILY_DAY_LATER, FIXTURES
from tokenshare.data.refresh.catalogue import load_overrides
from tokenshare.data.snapshot.layout import MODELS_FILE, USAGE_FILE
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB

D = dt.date
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)
EXTRA = {
    "deepseek/deepseek-chat-v3:free": 40000,
    "anthropic/claude-3.5-sonnet-20241022:extended": 1000,
    "newlab/mystery-model-7b:free": 5000,
    "deepseek/deepseek-chat-v3:zzz-new": 2000,
}
GPT_OSS = "openai/gpt-oss-120b"


def _with_variants(body):
    days = sorted({r["date"] for r in body["data"]})
    rows = [dict(r) for r in body["data"]]
    rows += [{"date": d, "model_permaslug": slug, "total_tokens": str(n)} for d in days for slug, n in EXTRA.items()]
    return {**body, "data": rows}


def _gpt_oss_closed(body):
    return {**body, "data": [{**m, "hugging_face_id": None} if m["id"] == GPT_OSS else m for m in body["data"]]}


def _files(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    return pq.read_table(path / USAGE_FILE).to_pandas(), pq.read_table(path / MODELS_FILE).to_pandas()


def _by_day(snap) -> pd.DataFrame:
    db = SnapshotDB(snap, derived=False)
    try:
        return db.query("open_share_by_period", start=snap.start_date, end=snap.end_date, grain="day",
                        countries=[], labs=[]).set_index("period")
    finally:
        db.close()


OVERRIDES = FIXTURES.parents[2] / "tokenshare/data/reference/open_weights_overrides.csv"


def test_free_rows_variants_and_a_model_that_opened_between_refreshes(server, tmp_path):
    out = tmp_path / "snapshots"
    # the committed overrides, less the gpt-oss line: the catalogue alone classifies it
    ov = tmp_path / "overrides.csv"
    ov.write_text("".join(line for line in OVERRIDES.read_text().splitlines(keepends=True) if "gpt-oss" not in line))
    server.fault("mutate", mutate=_with_variants, times=99)
    server.fault("mutate", endpoint="models", mutate=_gpt_oss_closed)
    first = run_refresh(RefreshOptions(out, today=D(2025, 1, 15), now=T0, window_days=7,
            overrides_path=ov), client=make_client(server))
    warnings = " | ".join(first.warnings)
    assert "1 `:free` variant(s) whose base model the catalogue does not list" in warnings
    assert "newlab/mystery-model-7b:free" in warnings
    assert "never seen before" in warnings and ":zzz-new" in warnings and ":extended" not in warnings
    tried("refresh", 2)  # an orphan `:free` row, an unseen variant suffix: kept, and said
    s1 = load_snapshot(first.path)
    usage, models = _files(s1.path)
    m = models.set_index("model_permaslug")
    assert m.loc["deepseek/deepseek-chat-v3:free", "open_weights"] == True  # noqa: E712
    assert pd.isna(m.loc["newlab/mystery-model-7b:free", "open_weights"])
    assert m.loc[GPT_OSS, "open_weights"] == False  # noqa: E712

    # the free share per week, by the engine and by plain pandas over the files
    u = usage[usage["model_permaslug"] != "other"].join(m["open_weights"], on="model_permaslug")
    u = u[u["open_weights"].notna()]
    wk = u[(u["date"] >= D(2025, 1, 6)) & (u["date"] <= D(2025, 1, 12))]
    is_free = wk["model_permaslug"].str.endswith(":free")
    opened = wk["open_weights"].astype(bool)
    want = wk[opened & is_free]["total_tokens"].sum() / wk[opened]["total_tokens"].sum()
    assert wk[opened & is_free]["total_tokens"].sum() == 40000 * 7
    db = SnapshotDB(s1, derived=False)
    got = db.query("free_share_by_period", start=D(2025, 1, 6), end=D(2025, 1, 12), grain="week", countries=[], labs=[])
    db.close()
    assert got["free_share_of_open"].iloc[0] == pytest.approx(want, rel=1e-12)
    assert got["free_share_of_closed"].iloc[0] == 0

    # a day later the catalogue lists gpt-oss with its weights: open from the day after
    # the first snapshot's last day, and the days that snapshot published stay as they were
    server.add_daily(DAILY_DAY_LATER)
    second = run_refresh(RefreshOptions(out, today=D(2025, 1, 16), now=T0 + dt.timedelta(days=1), window_days=7,
            overrides_path=ov), client=make_client(server))
    s2 = load_snapshot(second.path)
    m2 = _files(s2.path)[1].set_index("model_permaslug")
    assert m2.loc[GPT_OSS, "open_weights"] == True and m2.loc[GPT_OSS, "open_weights_since"] == D(2025, 1, 15)  # noqa: E712
    assert s2.manifest["open_weights_opened_since_previous"] == {GPT_OSS: "2025-01-15"}
    assert any("add a `since` override" in w for w in second.warnings)
    a, b = _by_day(s1), _by_day(s2)
    upto = a.index <= pd.Timestamp(2025, 1, 14)
    assert a.loc[upto, "open_tokens"].tolist() == b.loc[a.index[upto], "open_tokens"].tolist()
    # closed tokens too, but for the one restated figure (claude on 13 Jan: 600000 -> 650000)
    diff = (b.loc[a.index[upto], "closed_tokens"] - a.loc[upto, "closed_tokens"])
    assert diff[diff != 0].to_dict() == {pd.Timestamp(2025, 1, 13): 50000}
    # 15 Jan: gpt-oss (100000 a day) counts open
    assert int(b.loc[pd.Timestamp(2025, 1, 15), "open_tokens"]) == 450000 + 150000 + 100000 + 40000 + 2000


def test_an_override_since_reaches_the_snapshot(tmp_path):
    f = tmp_path / "overrides.csv"
    head, *rest = OVERRIDES.read_text().splitlines(keepends=True)  # first match wins: the test's line first
    f.write_text(head + 'openai/gpt-oss*,true,2025-01-10,"weights published on 10 January (test)"\n' + "".join(rest))
    body_a = FIXTURES / "rankings-daily-2025-01-01_2025-01-07.json"
    body_b = FIXTURES / "rankings-daily-2025-01-08_2025-01-14.json"
    result = run_refresh(RefreshOptions(tmp_path / "snaps",
            from_json=[body_a, body_b, FIXTURES / "models.json"], today=D(2025, 1, 15), now=T0,
            overrides_path=f))
    m = _files(result.path)[1].set_index("model_permaslug")
    assert (m.loc[GPT_OSS, "open_weights_basis"], m.loc[GPT_OSS, "open_weights_since"]) == ("override", D(2025, 1, 10))
    day = _by_day(load_snapshot(result.path))
    # gpt-oss-120b (100000 a day from 8 Jan) is closed on 8 and 9 Jan, open from 10 Jan
    assert int(day.loc[pd.Timestamp(2025, 1, 9), "open_tokens"]) == 450000 + 150000
    assert int(day.loc[pd.Timestamp(2025, 1, 10), "open_tokens"]) == 450000 + 150000 + 100000


HEADER = "model_pattern,open_weights,since,reason\n"
BAD_SINCE = [
    ("in the future", 'x/*,true,2025-02-01,"why"\n', "since 2025-02-01 is in the future (today is 2025-01-15)"),
    ("before the data", 'x/*,true,2024-12-31,"why"\n', "since 2024-12-31 is before 2025-01-01"),
    ("not a date", 'x/*,true,yesterday,"why"\n', "since 'yesterday' is not a date (YYYY-MM-DD)"),
    ("impossible day", 'x/*,true,2025-02-30,"why"\n', "since '2025-02-30' is not a date"),
    ("slashes", 'x/*,true,2025/01/10,"why"\n', "since '2025/01/10' is not a date"),
    ("no leading zero", 'x/*,true,2025-1-10,"why"\n', "since '2025-1-10' is not a date"),
    ("on a closed line", 'x/*,false,2025-01-10,"why"\n', "since 2025-01-10 needs open_weights true"),
    ("on an unknown line", 'x/*,unknown,2025-01-10,"why"\n', "since 2025-01-10 needs open_weights true"),
]


@pytest.mark.parametrize("name,line,message", BAD_SINCE, ids=[b[0] for b in BAD_SINCE])
def test_a_bad_since_stops_the_refresh_before_anything(server, tmp_path, name, line, message):
    f = tmp_path / "o.csv"
    f.write_text(HEADER + 'google/gemma*,true,,"published"\n' + line)
    with pytest.raises(RefreshError) as ei:
        load_overrides(f, today=D(2025, 1, 15))
    assert f"o.csv line 3: {message}" in str(ei.value)
    out = tmp_path / "snapshots"
    out.mkdir()
    before = tree_digest(out)
    with pytest.raises(RefreshError, match="line 3"):
        run_refresh(RefreshOptions(out, today=D(2025, 1, 15), now=T0, overrides_path=f), client=make_client(server))
    assert server.requests == [] and tree_digest(out) == before  # nothing fetched, nothing written
    tried("refresh")


def test_the_committed_overrides_have_the_since_column():
    assert all(o.since is None or o.open_weights for o in load_overrides())
    assert OVERRIDES.read_text().startswith(HEADER)
