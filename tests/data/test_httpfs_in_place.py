"""Published snapshots read IN PLACE through DuckDB's httpfs extension, for real.

The app pins duckdb==2.0.0, for which no httpfs build can be had here (DuckDB's extension
server is unreachable and PyPI has none). PyPI does have httpfs builds for earlier DuckDB
versions, so this test builds a side environment (a venv cached under
``~/.cache/tokenshare-httpfs-venv/<versions>``, or ``TOKENSHARE_HTTPFS_VENV_CACHE``) with
``duckdb==SIDE_DUCKDB`` and ``duckdb-extension-httpfs`` of the same version, and runs
tokenshare's own remote code in it (``tests/data/httpfs_in_place_check.py``, loading the
extension file through ``TOKENSHARE_HTTPFS_PATH``) against a real HTTP server on
127.0.0.1 that answers range requests (``RangeHandler`` of test_remote_snapshot).

What it checks, with numbers computed another way in this process (duckdb 2.0.0 and
pyarrow/pandas on the local folder, and the tiny snapshot's hand-worked figures):
the snapshot is opened in place (no local copy, no note), the Share page's weekly
figures and headline equal the local folder's, every request DuckDB makes for a Parquet
file is a range request, and a selective read fetches only part of usage.parquet (a
one-day filter skips the row groups that cannot hold the day; a one-column query skips
the other columns' chunks).

Skipped only when the package index cannot be reached."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.data.test_remote_snapshot import RangeHandler
from tests.tiny import build_tiny_snapshot
from tokenshare.engine.db import SnapshotDB
from tokenshare.analysis.metrics import open_share_headline
from tokenshare.data.sample.make import generate_sample
from tokenshare.data.snapshot.validate import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
CHECK = Path(__file__).resolve().parent / "httpfs_in_place_check.py"

SIDE_DUCKDB = "1.5.5"
SIDE_HTTPFS = "duckdb-extension-httpfs==1.5.5"  # the extension file for duckdb 1.5.5
SAMPLE_SCALE = 60  # 2,073,691 usage rows: three row groups of at most 1,000,000

pytestmark = pytest.mark.timeout(900)  # a cold build of the side venv downloads ~80 MB


# --------------------------------------------------------------------------- side venv


def _side_requirements() -> list[str]:
    # The same requests and pandas as the app's environment; only DuckDB differs.
    return [f"duckdb=={SIDE_DUCKDB}", SIDE_HTTPFS,
            f"requests=={metadata.version('requests')}", f"pandas=={metadata.version('pandas')}"]


def _cache_root() -> Path:
    env = os.environ.get("TOKENSHARE_HTTPFS_VENV_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "tokenshare-httpfs-venv"


def _index_unreachable() -> str | None:
    """Why the package index cannot be reached, or None when it can."""
    import requests

    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple").rstrip("/")
    try:
        r = requests.get(f"{index}/duckdb-extension-httpfs/", timeout=15)
    except requests.RequestException as exc:
        return f"{index} cannot be reached ({type(exc).__name__})"
    if r.status_code >= 500:
        return f"{index} answers HTTP {r.status_code}"
    return None


def _build_side_venv(dest: Path) -> None:
    tmp = dest.with_name(f"{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        made = subprocess.run([sys.executable, "-m", "venv", str(tmp)], capture_output=True, text=True, timeout=300)
        if made.returncode != 0:
            pytest.fail(f"{sys.executable} -m venv failed (on Debian: apt-get install python3-venv):\n"
                        f"{made.stderr[-2000:]}")
        py = tmp / "bin" / "python"
        pip = subprocess.run(
            [str(py), "-m", "pip", "install", "--disable-pip-version-check", "--no-input", "-q",
             *_side_requirements()],
            capture_output=True, text=True, timeout=900,
        )
        if pip.returncode != 0:
            why = _index_unreachable()
            if why:
                pytest.skip(f"the side environment cannot be installed: {why}")
            pytest.fail(f"pip install {' '.join(_side_requirements())} failed:\n{pip.stderr[-3000:]}")
        found = subprocess.run(
            [str(py), "-c",
             "import duckdb, duckdb_extension_httpfs, os; print(os.path.join("
             "os.path.dirname(duckdb_extension_httpfs.__file__), 'extensions', 'v' + duckdb.__version__, "
             "'httpfs.duckdb_extension'))"],
            capture_output=True, text=True, check=True, timeout=120,
        )
        (tmp / "httpfs.json").write_text(json.dumps({"extension": found.stdout.strip().replace(str(tmp), "{venv}")}))
        try:
            os.rename(tmp, dest)
        except OSError:  # another run finished first
            if not (dest / "httpfs.json").is_file():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def side():
    """(python, httpfs extension file) of the cached side environment."""
    key = f"py{sys.version_info[0]}{sys.version_info[1]}-" + "-".join(
        re.sub(r"[^A-Za-z0-9.]+", "_", r) for r in _side_requirements())
    dest = _cache_root() / key
    if not (dest / "httpfs.json").is_file():
        shutil.rmtree(dest, ignore_errors=True)  # an unfinished build
        dest.parent.mkdir(parents=True, exist_ok=True)
        _build_side_venv(dest)
    ext = Path(json.loads((dest / "httpfs.json").read_text())["extension"].replace("{venv}", str(dest)))
    assert ext.is_file(), ext
    return dest / "bin" / "python", ext


# --------------------------------------------------------------------------- server


class CountingHandler(RangeHandler):
    """RangeHandler that also records, per GET, the status, the Range asked for, the
    bytes sent and who asked (User-Agent)."""

    gets: list

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)

    def send_header(self, keyword, value):
        if keyword == "Content-Length" and self.command == "GET":
            self.gets.append({"path": self.path, "status": self._status, "range": self.headers.get("Range"),
                              "bytes": int(value), "agent": self.headers.get("User-Agent", "")})
        super().send_header(keyword, value)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server on 127.0.0.1 publishing the tiny snapshot (/tiny/) and a generated
    sample whose usage.parquet has several row groups (/sample/)."""
    work = tmp_path_factory.mktemp("httpfs")
    www = work / "www"
    local = {
        "tiny": build_tiny_snapshot(work / "tiny").path,
        "sample": generate_sample(work / "sample", seed=42, scale=SAMPLE_SCALE).path,
    }
    for name, folder in local.items():
        (www / name).mkdir(parents=True)
        listed = json.loads((Path(folder) / "manifest.json").read_text())["files"]
        for f in ["manifest.json", *listed]:  # the data files, not the derived_* ones
            shutil.copy2(Path(folder) / f, www / name / f)
    gets: list = []
    handler = type("H", (CountingHandler,), {"log": [], "cut_once": {}, "gets": gets})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(www)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield {"base": base, "www": www, "local": local, "gets": gets, "work": work}
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def result(side, served):
    """Run the check in the side environment; its JSON output, the server's GET log,
    and how long it took."""
    python, ext = side
    end_day = json.loads((served["www"] / "sample" / "manifest.json").read_text())["end_date"]
    args = {
        "base": served["base"],
        "snapshots": [{"name": n, "url": f"{served['base']}/{n}/"} for n in ("tiny", "sample")],
        "selective": {"url": f"{served['base']}/sample/usage.parquet", "date": end_day},
    }
    cache = served["work"] / "cache"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TOKENSHARE_")}
    env.update(PYTHONPATH=str(ROOT), TOKENSHARE_HTTPFS_PATH=str(ext), TOKENSHARE_HTTPFS_INSTALL="0",
               TOKENSHARE_CACHE_DIR=str(cache))
    t0 = time.perf_counter()
    proc = subprocess.run([str(python), str(CHECK), json.dumps(args)], capture_output=True, text=True,
                          env=env, cwd=str(ROOT), timeout=600)
    seconds = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr[-4000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"out": out, "gets": list(served["gets"]), "seconds": seconds, "cache": cache, "end_day": end_day}


def _between(gets, start: str, end: str) -> list[dict]:
    paths = [g["path"] for g in gets]
    i, j = paths.index(f"/__mark__/{start}"), paths.index(f"/__mark__/{end}")
    return gets[i + 1:j]


def _span(a: int, b: int, ranges) -> bool:
    """Whether any requested byte range [x, y] overlaps [a, b)."""
    return any(x < b and y >= a for x, y in ranges)


def _ranges(gets, size: int) -> list[tuple[int, int]]:
    out = []
    for g in gets:
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", g["range"])
        if m.group(1):
            out.append((int(m.group(1)), int(m.group(2)) if m.group(2) else size - 1))
        else:
            out.append((size - int(m.group(2)), size - 1))
    return out


def _chunk_spans(path: Path) -> list[dict[str, tuple[int, int]]]:
    """Per row group, each column chunk's [start, end) in the file (Parquet footer)."""
    meta = pq.ParquetFile(path).metadata
    spans = []
    for i in range(meta.num_row_groups):
        rg = meta.row_group(i)
        cols = {}
        for c in range(rg.num_columns):
            col = rg.column(c)
            start = min(o for o in (col.dictionary_page_offset, col.data_page_offset) if o is not None and o > 0)
            cols[col.path_in_schema] = (start, start + col.total_compressed_size)
        spans.append(cols)
    return spans


def _local_one(query: str, params: list):
    """One row of a query on the local file, with the app's own DuckDB (no httpfs)."""
    con = duckdb.connect(":memory:")
    try:
        return con.execute(query, params).fetchone()
    finally:
        con.close()


# --------------------------------------------------------------------------- tests


def test_the_side_environment_loads_httpfs_from_a_file(result, side):
    out = result["out"]
    assert out["duckdb"] == SIDE_DUCKDB
    assert out["httpfs_ok"], out["httpfs_why"]
    assert out["httpfs_file"] == str(side[1])


def test_snapshots_are_opened_in_place_without_a_copy(result, served):
    for name in ("tiny", "sample"):
        s = result["out"]["snapshots"][name]
        assert s["path_is_url"] and s["path"] == f"{served['base']}/{name}"
        assert s["notes"] == []  # no "read from a local copy" note
        assert s["built_in_memory"]
    assert not result["cache"].exists() or not any(result["cache"].rglob("*.parquet"))


def test_the_tiny_snapshot_in_place_gives_the_hand_worked_figures(result, served):
    s = result["out"]["snapshots"]["tiny"]
    assert [w[1] for w in s["weeks"]] == [1120, 1820, 2170, 740]  # open tokens, tests/tiny.py
    assert [w[2] for w in s["weeks"]] == [1680, 1680, 1330, 280]
    assert s["headline_period"] == "2026-01-19" and s["headline_share"] == pytest.approx(0.62, abs=1e-12)


def test_the_sample_in_place_equals_the_local_folder(result, served):
    """The weekly figures and the headline read in place (duckdb 1.5.5 + httpfs) equal
    (a) pandas over the local Parquet files and (b) the app's own code on the local
    folder with the app's duckdb 2.0.0."""
    folder = Path(served["local"]["sample"])
    s = result["out"]["snapshots"]["sample"]

    usage = pq.read_table(folder / "usage.parquet").to_pandas()
    models = pq.read_table(folder / "models.parquet",
                           columns=["model_permaslug", "open_weights", "open_weights_since"]).to_pandas()
    u = usage.merge(models, on="model_permaslug", how="inner")
    u = u[u["open_weights"].notna()]
    dates = pd.to_datetime(u["date"])
    # a model is open from the day its weights were published, closed before
    opened_later = u["open_weights_since"].notna() & (dates < pd.to_datetime(u["open_weights_since"]))
    u = u.assign(open_weights=u["open_weights"].astype(bool) & ~opened_later)
    u = u.assign(week=(dates - pd.to_timedelta(dates.dt.weekday, unit="D")).dt.strftime("%Y-%m-%d"))
    by = u.groupby(["week", "open_weights"])["total_tokens"].sum().unstack(fill_value=0)
    expected = [[w, int(by.loc[w, True]), int(by.loc[w, False])] for w in by.index]
    assert s["weeks"] == expected

    local = SnapshotDB(load_snapshot(folder), derived=False)
    try:
        trend = local.query("open_share_by_period", start=local.snapshot.start_date, end=local.snapshot.end_date,
                            grain="week", countries=[], labs=[])
    finally:
        local.close()
    head = open_share_headline(trend)
    assert s["headline_period"] == str(head.period.date())
    assert s["headline_share"] == pytest.approx(head.share, rel=1e-12)
    w = by.loc[s["headline_period"]]
    assert s["headline_share"] == pytest.approx(w[True] / (w[True] + w[False]), rel=1e-12)


def test_duckdb_reads_parquet_only_with_range_requests(result, served):
    duck = [g for g in result["gets"] if g["path"].endswith(".parquet") and "tokenshare" not in g["agent"]]
    assert duck, "DuckDB made no request for a Parquet file"
    assert all(g["range"] and g["status"] == 206 for g in duck), [g for g in duck if not g["range"]][:3]
    opening = [g for g in _between(result["gets"], "open-sample", "opened-sample") if g in duck]
    per_file = {f.name: sum(g["bytes"] for g in opening if g["path"].endswith("/" + f.name))
                for f in sorted(served["www"].glob("sample/*.parquet"))}
    print(f"\nopening the sample in place (checks + query tables): {len(opening)} range requests, "
          f"{sum(per_file.values()):,} bytes ({per_file}); the check ran in {result['seconds']:.1f} s")
    mine = [g for g in result["gets"] if g["path"].endswith(".parquet") and "tokenshare" in g["agent"]]
    assert all(g["range"] is None for g in mine)  # the checksum pass streams each file whole, once
    assert sorted(g["path"] for g in mine) == sorted(
        f"/{p.parent.name}/{p.name}" for p in served["www"].glob("*/*.parquet"))


def test_a_one_day_read_skips_the_row_groups_without_that_day(result, served):
    path = served["www"] / "sample" / "usage.parquet"
    size = path.stat().st_size
    gets = _between(result["gets"], "start-one_day", "end-one_day")
    assert gets and all(g["path"] == "/sample/usage.parquet" and g["status"] == 206 for g in gets)
    ranges = _ranges(gets, size)
    read = sum(g["bytes"] for g in gets)

    spans = _chunk_spans(path)
    assert len(spans) >= 3
    day = pd.Timestamp(result["end_day"]).date()
    stats = pq.ParquetFile(path).metadata
    holding = [i for i in range(stats.num_row_groups)
               if stats.row_group(i).column(0).statistics.min <= day <= stats.row_group(i).column(0).statistics.max]
    assert holding == [len(spans) - 1]  # sorted by date: only the last row group has the last day
    for i, cols in enumerate(spans):
        for col, (a, b) in cols.items():
            if i not in holding:
                assert not _span(a, b, ranges), f"row group {i} column {col} was read"
    assert read < size / 2

    expect = _local_one("SELECT count(*), sum(total_tokens) FROM read_parquet(?) WHERE date = ?::DATE",
                        [str(path), result["end_day"]])
    assert result["out"]["selective"]["one_day"] == {"rows": expect[0], "tokens": int(expect[1])}
    print(f"\none day: {len(gets)} range requests, {read:,} of {size:,} bytes")


def test_a_one_column_read_skips_the_other_columns(result, served):
    path = served["www"] / "sample" / "usage.parquet"
    size = path.stat().st_size
    gets = _between(result["gets"], "start-one_column", "end-one_column")
    assert gets and all(g["path"] == "/sample/usage.parquet" and g["status"] == 206 for g in gets)
    ranges = _ranges(gets, size)
    read = sum(g["bytes"] for g in gets)
    for i, cols in enumerate(_chunk_spans(path)):
        a, b = cols["model_permaslug"]
        assert not _span(a, b, ranges), f"row group {i}: model_permaslug was read"
    assert read < size

    expect = _local_one("SELECT count(*), sum(total_tokens) FROM read_parquet(?)", [str(path)])
    assert result["out"]["selective"]["one_column"] == {"rows": expect[0], "tokens": int(expect[1])}
    print(f"\none column: {len(gets)} range requests, {read:,} of {size:,} bytes")


def test_an_extension_file_for_another_duckdb_is_a_clear_no(side, monkeypatch):
    """The app's own DuckDB (2.0.0) given the 1.5.5 build: httpfs counts as unavailable,
    with DuckDB's reason (the app then reads a checked local copy)."""
    from tokenshare.data.published import remote

    monkeypatch.setenv("TOKENSHARE_HTTPFS_PATH", str(side[1]))
    monkeypatch.setattr(remote, "_httpfs_state", {})
    ok, why = remote.httpfs_status()
    assert not ok
    assert f"built specifically for DuckDB version 'v{SIDE_DUCKDB}'" in why and duckdb.__version__ in why
