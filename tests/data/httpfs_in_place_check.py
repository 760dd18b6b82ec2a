"""Run by tests/data/test_httpfs_in_place.py with the python of a side environment that has a
DuckDB version for which PyPI has an httpfs build (not the app's pinned DuckDB, for
which none exists). Not a test module itself: it prints one JSON object on stdout.

It opens published snapshots exactly as the app does (``remote.open_remote``, which
verifies the checksums and runs every check with the Parquet files read in place, then
``SnapshotDB``, which builds the query tables from views over the URLs) and runs the
Share page's query and headline. Then, on fresh connections (DuckDB caches what it has
read from a URL within one database), it runs two selective reads of usage.parquet
through a view made the way ``SnapshotDB`` makes it, between marker requests
(``GET <base>/__mark__/<name>``) so that the test can tell from the server's log which
requests each read made.

Usage: python httpfs_in_place_check.py '<json: {"base", "snapshots": [{"name", "url"}],
"selective": {"url", "date"}}>'  with TOKENSHARE_HTTPFS_PATH set and the repository
on PYTHONPATH."""

from __future__ import annotations

import datetime as dt
import json
import sys
import urllib.error
import urllib.request


def mark(base: str, name: str) -> None:
    try:
        urllib.request.urlopen(f"{base}/__mark__/{name}", timeout=10).close()
    except urllib.error.HTTPError:  # the server answers 404: only the log line matters
        pass


def main() -> None:
    args = json.loads(sys.argv[1])
    import duckdb

    from tokenshare.data.published import remote
    from tokenshare.engine.db import SnapshotDB
    from tokenshare.analysis.metrics import open_share_headline

    ok, why = remote.httpfs_status()
    out: dict = {
        "duckdb": duckdb.__version__, "httpfs_file": remote.httpfs_file(),
        "httpfs_ok": ok, "httpfs_why": why, "snapshots": {},
    }
    if not ok:
        print(json.dumps(out))
        return

    for item in args["snapshots"]:
        mark(args["base"], f"open-{item['name']}")
        snapshot, notes = remote.open_remote(item["url"])
        db = SnapshotDB(snapshot)
        trend = db.query("open_share_by_period", start=snapshot.start_date, end=snapshot.end_date,
                         grain="week", countries=[], labs=[])
        head = open_share_headline(trend)
        mark(args["base"], f"opened-{item['name']}")
        out["snapshots"][item["name"]] = {
            "path_is_url": isinstance(snapshot.path, remote.UrlPath),
            "path": str(snapshot.path),
            "notes": notes,
            "built_in_memory": db.built and db.derived_file is None,
            "snapshot_id": snapshot.snapshot_id,
            "weeks": [
                [str(r.period.date() if hasattr(r.period, "date") else r.period),
                 int(r.open_tokens), int(r.closed_tokens)]
                for r in trend.itertuples()
            ],
            "headline_share": head.share,
            "headline_period": str(head.period.date() if hasattr(head.period, "date") else head.period),
        }

    sel = args["selective"]
    day = dt.date.fromisoformat(sel["date"])
    reads = {
        # row-group skipping: only the row groups whose date range holds the day
        "one_day": ("SELECT count(*), sum(total_tokens) FROM usage WHERE date = ?", [day]),
        # projection: only the total_tokens column chunks
        "one_column": ("SELECT count(*), sum(total_tokens) FROM usage", []),
    }
    out["selective"] = {}
    for name, (query, params) in reads.items():
        con = duckdb.connect(":memory:", config={"threads": 2})
        try:
            remote.load_httpfs(con)
            mark(args["base"], f"start-{name}")
            con.read_parquet(sel["url"]).create_view("usage")  # as SnapshotDB._create_source_views
            rows, tokens = con.execute(query, params).fetchone()
            mark(args["base"], f"end-{name}")
        finally:
            con.close()
        out["selective"][name] = {"rows": int(rows), "tokens": int(tokens)}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
