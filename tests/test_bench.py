"""The benchmark harness and the speed machinery it measures, at tiny sizes only:
the harness end to end on a scale-1 snapshot, the pre-aggregated weekly and monthly
sums (equal to the daily rows summed, for any date range), the on-disk query database
(built once, reused, rebuilt when the snapshot changes) and the validation stamp
(skips a second validation of unchanged files, never hides a changed one)."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.bench_results import bench_results
from tests.polling import wait_until
from tests.tiny import build_tiny_snapshot
from benchmarks import common, report, snapshots
from benchmarks.app_timing import filter_settings
from tokenshare.data.snapshot import stamps, validate
from tokenshare.engine.db import DERIVED_DB, SnapshotDB, build_key
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.snapshot.validate import load_snapshot

ROOT = Path(__file__).resolve().parent.parent


# --------------------------------------------------------------------------- harness


def test_pages_come_from_app_py():
    pages = common.discover_pages()
    paths = [p["path"] for p in pages]
    for page in ("views/share.py", "views/race.py", "views/countries.py", "views/data.py"):
        assert page in paths
    assert all((ROOT / p).is_file() for p in paths)


def test_a_page_with_a_query_string_is_measured_as_a_variant_of_its_own():
    pages = list({p["path"]: p for p in common.discover_pages()}.values())
    picked = common.select_pages(pages, ["value", "segments?dimension=task"])
    by_path = {p["path"]: p for p in picked}
    assert set(by_path) == {"views/value.py", "views/segments.py?dimension=task"}
    task = by_path["views/segments.py?dimension=task"]
    assert task["file"] == "views/segments.py" and task["query"] == {"dimension": "task"}
    assert task["url_path"].endswith("?dimension=task") and "dimension=task" in task["title"]
    assert common.select_pages(pages, None) == pages


def test_sizes_map_to_generator_scales():
    assert snapshots.scale_for_rows(1_000_000) == 29
    assert snapshots.scale_for_rows(10_000_000) == 289
    assert snapshots.rows_for_scale(289) == 9_985_641  # what `sample --scale 289` writes
    assert snapshots.scale_for_rows(10) == 1


def test_only_read_queries_are_timed():
    names = common.named_queries()
    assert "open_share_by_period" in names and "bench_floor" not in names
    assert not any(n.startswith(("setup_", "validate_", "parquet_")) for n in names)
    assert common.is_read_query("open_share_by_period")


def test_filter_settings_never_repeat():
    settings = filter_settings(12)
    keys = [(s["grain"], tuple(s["country"])) for s in settings]
    assert len(set(keys)) == 12


def test_harness_end_to_end_on_a_tiny_snapshot(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--rows", "1000", "--runs", "1", "--no-sample",
         "--pages", "share", "--out-dir", str(tmp_path), "--json", str(tmp_path / "r.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    text = out.stdout
    for heading in ("Pages (AppTest)", "Named queries", "Core aggregations", "Peak resident memory",
                    "App cache after the page runs", "Targets"):
        assert heading in text
    results = json.loads((tmp_path / "r.json").read_text())
    size = results["sizes"][0]
    assert size["rows"] == 35_241 and size["scale"] == 1  # 691 days x (50 entries, `:free` ones among them, + other)
    page = size["app"]["pages"]["views/share.py"]
    assert page["cold_ms"] > 0 and page["warm_ms"] > 0 and not page["errors"]
    assert size["app"]["queries"]["open_share_by_period"]["rows"] == 99
    assert set(size["pandas"]["core"]) == set(size["app"]["core"]) == set(common.CORE)
    assert size["app"]["floor_ms"] > 0 and size["app"]["peak_mb"] > 0
    kinds = size["app"]["cache"]["kinds"]  # the app cache's counts: warm reruns miss, page code hits
    assert kinds["query"]["misses"] > 0 and kinds["query"]["hits"] > 0 and kinds["chart"]["misses"] > 0
    assert size["prepare"]["usage_rows"] == 35_241
    assert (tmp_path / "scale-1" / "manifest.json").is_file()


def test_render_reports_targets():
    results = {
        "runs": 3, "env": {"cpus": 2, "load_before": 0.5, "load_after": 0.7, "python": "3", "duckdb": "2",
                           "streamlit": "1", "pandas": "3", "when": "now"},
        "sizes": [{
            "kind": "scaled", "label": "10M", "rows": 10_000_000, "scale": 289, "path": "x",
            "app": {"start_ms": 900.0, "peak_mb_app": 700.0, "peak_mb": 720.0, "floor_ms": 40.0,
                    "pages": {"views/share.py": {"title": "Share", "cold_ms": 800.0, "warm_ms": 300.0,
                                                 "chart_points": 2772, "errors": []}},
                    "queries": {"open_share_by_period": {"ms": 60.0, "rows": 99}},
                    "core": {"open share by week": 60.0}},
            "pandas": {"load_ms": 9000.0, "peak_mb": 2000.0, "core": {"open share by week": 900.0}},
        }],
    }
    text = report.render(results)
    assert "[PASS] 10M: every page's warm rerun <= 500 ms" in text
    assert "[PASS] 10M: open share by week >= 5x faster than pandas: 60.0 vs 900 ms (15.0x)" in text
    assert "[PASS] 10M: open share by week within 3x the floor" in text


# --------------------------------------------------------------------------- pre-aggregation


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory):
    dest = tmp_path_factory.mktemp("sample") / "sample"
    shutil.copytree(ROOT / "sample_data", dest, ignore=shutil.ignore_patterns("derived_*"))
    return load_snapshot(dest)


def test_selected_periods_equals_daily_rows_summed(sample_copy):
    """Whole weeks and months from the pre-aggregated tables plus the edge days of the
    periods a range cuts give exactly the daily rows summed, for any range and grain."""
    db = SnapshotDB(sample_copy)
    assert db.derived_file is not None
    cur = db.cursor()
    daily = ("SELECT period, model_key, sum(total_tokens)::BIGINT AS t "
             "FROM selected_usage($s, $e, $g, $o, $c, $l) GROUP BY ALL ORDER BY ALL")
    summed = ("SELECT period, model_key, sum(total_tokens)::BIGINT AS t "
              "FROM selected_periods($s, $e, $g, $o, $c, $l) GROUP BY ALL ORDER BY ALL")
    rng = random.Random(7)
    first = sample_copy.start_date
    checked = 0
    for _ in range(60):
        a = first + dt.timedelta(days=rng.randrange(-3, 690))
        b = a + dt.timedelta(days=rng.choice([0, 1, 5, 6, 7, 13, 29, 30, 31, 45, 100, 400, 800]))
        p = {"s": a, "e": b, "g": rng.choice(["day", "week", "month"]),
             "o": rng.choice(["all", "named", "open", "other"]), "c": rng.choice([[], ["US"]]), "l": []}
        expected = cur.execute(daily, p).fetchall()
        assert cur.execute(summed, p).fetchall() == expected, p
        checked += len(expected)
    assert checked > 10_000
    db.close()


# --------------------------------------------------------------------------- query database


def test_the_sample_query_database_is_a_file_with_every_table(tmp_path):
    """The bundled sample (segments, categories, providers) builds its query database as
    a file: a build that fails falls back to memory without a word, so this says it
    did not (the segment and provider macros once needed views the build lacked)."""
    from tokenshare.core.settings import SAMPLE_DIR

    shutil.copytree(SAMPLE_DIR, tmp_path / "sample", ignore=shutil.ignore_patterns("derived_*"))
    s = load_snapshot(tmp_path / "sample")
    assert s.has_segments and s.has_categories and s.has_endpoints
    db = SnapshotDB(s)
    try:
        assert db.built and db.derived_file == s.path / DERIVED_DB
        params = dict(start=s.start_date, end=s.end_date, grain="week", countries=[], labs=[])
        assert len(db.query("segment_open_share", dimension="modality", **params)) > 0
        assert len(db.query("spend_open_by_period", prompt_share=0.75, cached_share=0.0, pricing="cheapest",
                            rank_prompt_share=0.75, **params)) > 0
    finally:
        db.close()


def test_query_database_is_built_once_and_reused(tmp_path):
    s = build_tiny_snapshot(tmp_path / "snap")
    first = SnapshotDB(s)
    assert first.built and first.derived_file == s.path / DERIVED_DB
    a = first.query("open_share_by_period", start=s.start_date, end=s.end_date, grain="week",
                    countries=[], labs=[])
    first.close()
    again = SnapshotDB(s)
    assert not again.built and again.derived_file is not None
    b = again.query("open_share_by_period", start=s.start_date, end=s.end_date, grain="week",
                    countries=[], labs=[])
    assert a.equals(b)
    # two cursors (two Streamlit sessions) both resolve the attached tables
    assert again.cursor().execute("SELECT count(*) FROM fact_week").fetchone()[0] > 0
    again.close()
    memory = SnapshotDB(s, derived=False)
    assert memory.derived_file is None
    c = memory.query("open_share_by_period", start=s.start_date, end=s.end_date, grain="week",
                     countries=[], labs=[])
    assert a.equals(c)
    memory.close()


def test_a_stale_or_broken_query_database_is_rebuilt(tmp_path):
    s = build_tiny_snapshot(tmp_path / "snap")
    SnapshotDB(s).close()
    # another snapshot's database copied over this one's: wrong build key
    other = build_tiny_snapshot(tmp_path / "other", source="another fixture")
    SnapshotDB(other).close()
    assert build_key(other) != build_key(s)
    shutil.copy(other.path / DERIVED_DB, s.path / DERIVED_DB)
    db = SnapshotDB(s)
    assert db.built
    assert db.query("snapshot_summary").iloc[0]["days"] == 23
    db.close()
    (s.path / DERIVED_DB).write_bytes(b"not a database")
    db = SnapshotDB(s)
    assert db.built and db.derived_file is not None
    db.close()
    # the loader still sees a valid snapshot: derived_* files are not part of it
    assert load_snapshot(s.path).snapshot_id == s.snapshot_id


def test_derived_files_can_be_switched_off(tmp_path, monkeypatch):
    s = build_tiny_snapshot(tmp_path / "snap")
    monkeypatch.setenv("TOKENSHARE_DERIVED", "0")
    db = SnapshotDB(s)
    assert db.derived_file is None and not (s.path / DERIVED_DB).exists()
    db.close()


# --------------------------------------------------------------------------- validation stamp


def _aged(path: Path) -> None:
    """Wait until the folder's files are past the stamp margin (they count as settled)."""
    stamps.settle(path)
    newest = max(max(f.stat().st_mtime_ns, f.stat().st_ctime_ns) for f in path.iterdir())
    assert time.time_ns() > newest + stamps.STAMP_MARGIN_NS


def test_an_unchanged_snapshot_is_validated_once(tmp_path, monkeypatch):
    s = build_tiny_snapshot(tmp_path / "snap")
    _aged(s.path)
    load_snapshot(s.path)  # full validation, leaves the stamp
    assert (s.path / stamps.VALIDATION_STAMP).is_file()

    def boom(*a, **k):
        raise AssertionError("validated again")

    monkeypatch.setattr(validate, "_check_checksums", boom)
    monkeypatch.setattr(validate, "check_usage", boom)
    assert load_snapshot(s.path).snapshot_id == s.snapshot_id


def test_a_changed_file_is_validated_again(tmp_path):
    s = build_tiny_snapshot(tmp_path / "snap")
    _aged(s.path)
    load_snapshot(s.path)
    assert (s.path / stamps.VALIDATION_STAMP).is_file()
    # same size, one byte different, written in place: only the change time tells, so
    # the write must come after a tick of the file system's clock
    usage = s.path / "usage.parquet"
    stamped = usage.stat().st_ctime_ns
    wait_until(lambda: time.time_ns() > stamped + 10_000_000, seconds=1, what="10 ms past the file's change time")
    data = bytearray(usage.read_bytes())
    data[len(data) // 2] ^= 0xFF
    with open(usage, "r+b") as fh:
        fh.write(bytes(data))
    with pytest.raises(SnapshotError, match="checksum mismatch"):
        load_snapshot(s.path)


def test_files_changed_just_before_a_check_are_not_stamped(tmp_path):
    s = build_tiny_snapshot(tmp_path / "snap")
    stamps.forget_validation(s.path)
    manifest = s.path / "manifest.json"
    manifest.write_bytes(manifest.read_bytes())  # same bytes, changed just now
    load_snapshot(s.path)
    assert not (s.path / stamps.VALIDATION_STAMP).exists()
    _aged(s.path)
    load_snapshot(s.path)
    assert (s.path / stamps.VALIDATION_STAMP).exists()


def test_a_stamp_from_another_folder_does_not_count(tmp_path):
    s = build_tiny_snapshot(tmp_path / "snap")
    _aged(s.path)
    load_snapshot(s.path)
    copy = tmp_path / "copy"
    shutil.copytree(s.path, copy)  # same bytes, new inodes: validated on its own
    (copy / "labs.csv").write_text("author,lab_name,country_code,country_name\n")
    with pytest.raises(SnapshotError, match="labs.csv"):
        load_snapshot(copy)


def test_big_snapshots_are_stamped_when_written(tmp_path):
    from tokenshare.data.sample.make import generate_sample

    s = generate_sample(tmp_path / "scale-3", scale=3)  # 104k usage rows
    assert s.row_count("usage.parquet") >= 100_000
    assert (s.path / stamps.VALIDATION_STAMP).is_file()


# --------------------------------------------------------------------------- charts


def test_chart_validation_is_off_in_the_app_and_on_when_asked(monkeypatch):
    """Altair's schema checks through its public switches: off in the app (building and
    the finished spec), on with TOKENSHARE_VALIDATE_CHARTS=1, and an explicit
    ``to_dict(validate=True)`` still validates."""
    import altair as alt
    import pandas as pd
    from altair.utils import schemapi

    from tokenshare.app.charts import finished

    monkeypatch.delenv("TOKENSHARE_VALIDATE_CHARTS", raising=False)
    finished.follow_schema_setting()
    bad = alt.Chart(pd.DataFrame({"x": [1]})).mark_point(size="big").encode(x="x:Q")
    spec_json, _ = finished.spec_of(bad)
    assert '"size": "big"' in spec_json  # not checked: the app's fast path
    with pytest.raises(schemapi.SchemaValidationError):
        bad.to_dict(validate=True)  # an explicit request still validates
    monkeypatch.setenv("TOKENSHARE_VALIDATE_CHARTS", "1")
    finished.follow_schema_setting()
    try:
        with pytest.raises(schemapi.SchemaValidationError):
            finished.spec_of(bad)
    finally:
        monkeypatch.delenv("TOKENSHARE_VALIDATE_CHARTS")
        finished.follow_schema_setting()


def test_small_snapshots_query_on_one_thread_big_ones_on_two():
    import copy
    import dataclasses

    from tokenshare.core.settings import SAMPLE_DIR
    from tokenshare.app.state import SINGLE_THREAD_BELOW_ROWS, db_threads

    sample = load_snapshot(SAMPLE_DIR)
    assert 0 < sample.row_count("usage.parquet") < SINGLE_THREAD_BELOW_ROWS
    assert db_threads(sample) == 1

    manifest = copy.deepcopy(sample.manifest)
    manifest["files"]["usage.parquet"]["rows"] = SINGLE_THREAD_BELOW_ROWS
    assert db_threads(dataclasses.replace(sample, manifest=manifest)) == 2
    del manifest["files"]["usage.parquet"]["rows"]  # unknown size: both threads, as before
    assert db_threads(dataclasses.replace(sample, manifest=manifest)) == 2


# --------------------------------------------------------------------------- server CPU


def test_profile_split_puts_each_sample_in_one_bucket(tmp_path):
    """Hand-made py-spy raw stacks: counted by the first bucket whose frames appear,
    Streamlit or app code by the innermost frame."""
    from benchmarks.profile_split import read_raw, split

    runner = "_run_script (streamlit/runtime/scriptrunner/script_runner.py:961)"
    raw = tmp_path / "p.txt"
    raw.write_text("\n".join([
        f"{runner};<module> (share.py:10);to_dict (altair/vegalite/v6/api.py:1) 30",
        f"{runner};altair_chart (streamlit/elements/vega_charts.py:1);to_dict (altair/vegalite/v6/api.py:1);"
        "_to_arrow_dataset (streamlit/elements/vega_charts.py:2);from_pandas (pyarrow/pandas_compat.py:3) 10",
        f"{runner};run_query (tokenshare/app/state.py:1);query (tokenshare/engine/db.py:5) 20",
        f"{runner};<module> (share.py:20);melt (pandas/core/reshape/melt.py:1) 15",
        f"{runner};ScriptRunner._on_script_finished (streamlit/runtime/scriptrunner/script_runner.py:1055) 20",
        f"{runner};<module> (share.py:30);pct (tokenshare/core/formatting.py:4) 5",
        "run_forever (asyncio/base_events.py:607);EpollSelector.select (selectors.py:468) 50",
        "malformed line without a count",
    ]) + "\n")
    stacks = read_raw(raw)
    assert sum(stacks.values()) == 150  # 50 of them idle: left out
    assert split(stacks) == {"serialisation": 0.1, "DuckDB": 0.2, "Altair": 0.3, "pandas": 0.15,
                             "GC": 0.2, "Streamlit": 0.0, "app code": 0.05}


def test_render_server_prints_each_page_against_the_trivial_app():
    results = bench_results(server={
                   "changes": 8, "passes": 3, "load_before": 1.0, "load_after": 1.2, "server_log_errors": 0,
                   "trivial": {"cpu_ms": 40.0, "wall_ms": 41.0, "load": 1.0},
                   "pages": {"views/share.py": {"title": "Share", "cpu_ms": 60.0, "wall_ms": 70.0, "load": 1.1,
                                                "errors": []},
                             "views/race.py": {"title": "Race", "cpu_ms": 100.0, "wall_ms": 120.0, "load": 1.1,
                                               "errors": []}}})
    text = report.render(results)
    assert "Share                       60.0      1.50" in text
    assert "Race                         100      2.50" in text
    assert "[FAIL] server CPU per rerun: every page within 2x the trivial app (40.0 ms): Share 1.50x, Race 2.50x" in text
    del results["server"]["pages"]["views/race.py"]
    assert "[PASS] server CPU per rerun" in report.render(results)
