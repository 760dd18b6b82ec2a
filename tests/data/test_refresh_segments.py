"""``refresh --segments`` against the stand-in server on 127.0.0.1: the requests it
plans and makes, the rows it writes (equal to the stand-in's rows computed here from the
recorded daily bodies), incremental runs, and the bad inputs (a 400 for a segment, a
date outside the window, malformed rows): a clear message and nothing written."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.conftest_openrouter import refresh_with, _no_ambient_key, make_client, server, tree_digest  # noqa: F401
from tests.hostile import tried
from tests.openrouter_server import SEGMENT_PARAMS, load_fixture, segment_tokens
from tokenshare.data.refresh import cli as refresh_cli
from tokenshare.data.snapshot.layout import SEGMENT_FILE, SEGMENTS
from tokenshare.data.refresh.pipeline import RefreshOptions, run_refresh
from tokenshare.data.refresh.errors import RefreshError
from tokenshare.data.snapshot.validate import load_snapshot

D = dt.date
T0 = dt.datetime(2025, 1, 15, 3, 0, 0, tzinfo=dt.timezone.utc)
API_PARAM = {dim: param for dim, (param, _, _) in SEGMENTS.items()}


def refresh(server, out, *, today=D(2025, 1, 15), now=T0, **kw):
    kw.setdefault("window_days", 7)
    return refresh_with(out, today=today, now=now, client=make_client(server), **kw)


def seg_rows(path: Path) -> list[dict]:
    return pq.read_table(path / SEGMENT_FILE).to_pylist()


def expected_daily(dim: str, seg: str, first: D, last: D) -> dict:
    """(date, slug) -> tokens, computed from the recorded bodies (the later body wins a
    day, as the stand-in serves them) with the stand-in's fixed fractions."""
    daily = {}
    for name in ("rankings-daily-2025-01-01_2025-01-07.json", "rankings-daily-2025-01-08_2025-01-14.json"):
        for r in load_fixture(name)["data"]:
            daily.setdefault(D.fromisoformat(r["date"]), {})[r["model_permaslug"]] = int(r["total_tokens"])
    return {(d, slug): segment_tokens(t, slug, API_PARAM[dim], seg)
            for d, models in daily.items() if first <= d <= last for slug, t in models.items()}


def test_segments_planned_counted_and_written(server, tmp_path):
    out = tmp_path / "snapshots"
    messages = []
    result = refresh(server, out, segments=True, until=D(2025, 1, 14),
                     progress=lambda done, total, rows, msg: messages.append((done, total, msg)))
    seg_reqs = [r for r in server.data_requests() if any(k in r.params for k in SEGMENT_PARAMS)]
    # 10 daily segments x 2 windows of 7 days (01-01..07, 08..14); 2 language segments x
    # 1 request for the one whole ISO week (Mon 01-06 .. Sun 01-12)
    assert len(seg_reqs) == 10 * 2 + 2 == len(result.segment_windows)
    assert sorted((r.params["language_type"], r.params["start_date"], r.params["end_date"], r.params["period"])
                  for r in seg_reqs if "language_type" in r.params) == [
        ("natural", "2025-01-06", "2025-01-12", "week"), ("programming", "2025-01-06", "2025-01-12", "week")]
    assert all(r.params["period"] == "day" for r in seg_reqs if "language_type" not in r.params)
    assert all(sum(k in r.params for k in SEGMENT_PARAMS) == 1 for r in seg_reqs)  # never a combination
    # the plan is reported before the first request, with its count
    planned = next(m for _, _, m in messages if m.startswith("planned"))
    assert "22 segment request(s)" in planned and "24 Data API request(s) in all" in planned
    assert messages[0][1] == 1 + 2 + 22  # catalogue + usage windows + segment requests

    s = load_snapshot(result.path)
    assert s.has_segments and s.manifest["segments"] is True
    got = seg_rows(s.path)
    for dim, seg in (("modality", "tool_calling"), ("context", "100K")):
        mine = {(r["date"], r["model_permaslug"]): r["total_tokens"] for r in got
                if r["dimension"] == dim and r["segment"] == seg}
        assert mine == expected_daily(dim, seg, D(2025, 1, 1), D(2025, 1, 14))
        assert all(not r["is_estimate"] for r in got if r["dimension"] == dim)
    # language: the week 2025-01-06 summed from its 7 days, marked as an estimate
    week = expected_daily("language", "programming", D(2025, 1, 6), D(2025, 1, 12))
    by_slug: dict[str, int] = {}
    for (_, slug), t in week.items():
        by_slug[slug] = by_slug.get(slug, 0) + t
    lang = {r["model_permaslug"]: r["total_tokens"] for r in got
            if r["dimension"] == "language" and r["segment"] == "programming"}
    assert lang == by_slug
    assert {r["date"] for r in got if r["dimension"] == "language"} == {D(2025, 1, 6)}
    assert all(r["is_estimate"] for r in got if r["dimension"] == "language")
    # the segment permaslugs are classified like the usage's
    assert "Segments: 22 request(s)" in "\n".join(result.summary_lines())


def test_segments_incremental_and_carried_over(server, tmp_path):
    out = tmp_path / "snapshots"
    first = refresh(server, out, segments=True, until=D(2025, 1, 7), today=D(2025, 1, 8))
    n_first = len(server.data_requests())
    second = refresh(server, out, segments=True, now=T0 + dt.timedelta(hours=1))
    new_reqs = server.data_requests()[n_first:]
    daily = [r for r in new_reqs if "modality" in r.params or "context_bucket" in r.params]
    # incremental: each daily segment only from the re-fetched days (01-05) to 01-14
    assert {(r.params["start_date"], r.params["end_date"]) for r in daily} == {
        ("2025-01-05", "2025-01-11"), ("2025-01-12", "2025-01-14")}
    assert len(daily) == 10 * 2
    got = seg_rows(second.path)
    text = {(r["date"], r["model_permaslug"]): r["total_tokens"] for r in got
            if r["dimension"] == "modality" and r["segment"] == "text"}
    assert text == expected_daily("modality", "text", D(2025, 1, 1), D(2025, 1, 14))
    assert first.snapshot.has_segments
    # a later refresh without --segments carries them over unchanged
    third = refresh(server, out, today=D(2025, 1, 15), now=T0 + dt.timedelta(hours=2))
    assert seg_rows(third.path) == got
    assert third.snapshot.manifest["segments"] is False
    assert any("use --segments" in w for w in third.warnings)


def _assert_refused(server, out, before, **kw) -> str:
    with pytest.raises(RefreshError) as info:
        refresh(server, out, segments=True, now=T0 + dt.timedelta(hours=1), **kw)
    assert tree_digest(out) == before  # nothing written, nothing half
    return str(info.value)


@pytest.fixture()
def base(server, tmp_path):
    out = tmp_path / "snapshots"
    refresh(server, out, until=D(2025, 1, 7), today=D(2025, 1, 8))
    return out, tree_digest(out)


def test_a_400_for_a_segment_names_it(server, base):
    out, before = base
    server.fault("status", status=400, params={"context_bucket": "10M"},
                 body={"error": {"code": 400, "message": "context_bucket=10M is not available for this range"}})
    msg = _assert_refused(server, out, before)
    assert "context" in msg and "'10M'" in msg and "HTTP 400" in msg
    assert "is not available for this range" in msg and "No snapshot was written" in msg
    tried("refresh")


def test_a_segment_date_outside_the_window(server, base):
    out, before = base

    def shift(body):
        body["data"][0]["date"] = "2024-12-31"
        return body

    server.fault("mutate", mutate=shift, params={"modality": "audio"})
    msg = _assert_refused(server, out, before)
    assert "modality=audio" in msg and "2024-12-31 is outside the requested window" in msg
    tried("refresh")


@pytest.mark.parametrize("change, words", [
    (lambda r: r.update(total_tokens="-5") or r, "'-5' is not a non-negative integer"),
    (lambda r: r.update(total_tokens=5) or r, "total_tokens is a JSON int"),
    (lambda r: r.update(total_tokens="12.5") or r, "'12.5' is not a non-negative integer"),
    (lambda r: r.pop("model_permaslug") and r, "has no 'model_permaslug'"),
    (lambda r: r.update(date="2025-01-06T00:00") or r, "is not a YYYY-MM-DD date"),
    (lambda r: r.update(date="2025-01-07") or r, "is not a Monday"),
])
def test_malformed_segment_rows(server, base, change, words):
    out, before = base

    def spoil(body):
        body["data"][0] = change(dict(body["data"][0]))
        return body

    server.fault("mutate", mutate=spoil, params={"language_type": "natural"})
    msg = _assert_refused(server, out, before)
    assert "language_type=natural" in msg and words in msg
    tried("refresh")


def test_duplicate_segment_rows_are_refused(server, base):
    out, before = base
    server.fault("mutate", mutate=lambda b: {**b, "data": b["data"] + b["data"][:1]}, params={"modality": "text"})
    msg = _assert_refused(server, out, before)
    assert "appears twice" in msg
    tried("refresh")


def test_stand_in_refuses_what_the_api_refuses(server):
    from tokenshare.data.openrouter.errors import BadRequestError

    client = make_client(server)
    q = {"start_date": "2025-01-06", "end_date": "2025-01-12"}
    for extra in ({"modality": "text", "context_bucket": "1K"}, {"language_type": "natural", "period": "day"},
                  {"category": "programming", "period": "week", "modality": "text"}, {"modality": "video"}):
        with pytest.raises(BadRequestError, match="HTTP 400"):
            client.get_json("/datasets/rankings-daily", {**q, **extra}, where="segment filter", data_api=True)
    assert len(server.data_requests()) == 4  # one request each: a 400 is not retried
    client.close()


def test_cli_flag_and_budget(server, tmp_path, monkeypatch):
    out = tmp_path / "snapshots"
    # a budget below the planned requests stops before any request is made
    from tokenshare.data.refresh import fetch as refresh_fetch

    small = make_client(server, max_requests=10)
    with pytest.raises(RefreshError) as info:
        run_refresh(RefreshOptions(out, today=D(2025, 1, 15), now=T0, segments=True, window_days=7), client=small)
    assert "needs 24 Data API requests" in str(info.value)
    assert server.data_requests() == []
    assert refresh_fetch  # imported for the budget check it holds
    # --segments with --from-json is refused up front
    err = io.StringIO()
    args = refresh_cli.add_parser(__import__("argparse").ArgumentParser().add_subparsers()).parse_args(
        ["--segments", "--from-json", "x.json", "--out", str(out)])
    assert refresh_cli.run(args, stdout=io.StringIO(), stderr=err) == 1
    assert "--segments needs the Data API" in err.getvalue()
