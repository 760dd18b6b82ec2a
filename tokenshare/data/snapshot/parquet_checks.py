"""Checks of a snapshot's Parquet files that ``tokenshare.data.snapshot.validate`` runs: the
helpers every file's checks share (columns and types, the first offending row of a
validation query, row counts, token totals) and the checks of ``usage_by_segment.parquet``
(``check_segments``). Kept apart so that ``validate`` stays one job per module."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tokenshare.core import sql
from tokenshare.data.snapshot.layout import SEGMENT_COLUMNS, SEGMENT_FILE, SEGMENTS, SnapshotError


def fmt_row(row: dict) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in row.items()) + "}"


def describe_parquet(con, path: Path, fname: str, expected: dict, optional: dict | None = None) -> None:
    """Every column of ``expected`` is there with its type; a column of ``optional`` may be
    missing, but when present it has its type."""
    try:
        cols = sql.run(con, "parquet_columns", {"p": str(path / fname)}).fetchall()
    except duckdb.Error as exc:
        raise SnapshotError(
            f"not a readable Parquet file ({str(exc).splitlines()[0]})", path=path, file=fname
        )
    got = dict(cols)
    for col, typ in expected.items():
        if col not in got:
            raise SnapshotError(f"missing column (expected {typ})", path=path, file=fname, column=col)
        if got[col] != typ:
            raise SnapshotError(
                f"has type {got[col]}, expected {typ}", path=path, file=fname, column=col
            )
    for col, typ in (optional or {}).items():
        if col in got and got[col] != typ:
            raise SnapshotError(f"has type {got[col]}, expected {typ}", path=path, file=fname, column=col)


def first_row(con, name: str, params: dict, fname: str, path: Path) -> dict | None:
    """First row of a validation query as a dict, or None."""
    try:
        cur = sql.run(con, name, params)
        names = [d[0] for d in cur.description]
        row = cur.fetchone()
    except duckdb.Error as exc:
        raise SnapshotError(
            f"cannot be read ({str(exc).splitlines()[0]})", path=path, file=fname
        )
    return None if row is None else dict(zip(names, row))


def check_row_count(con, path: Path, fname: str, manifest: dict) -> int:
    n = first_row(con, "parquet_row_count", {"p": str(path / fname)}, fname, path)["n"]
    declared = manifest["files"].get(fname, {}).get("rows")
    if declared is not None and int(declared) != n:
        raise SnapshotError(f"has {n} rows, manifest.json says {declared}", path=path, file=fname)
    return n


# The pages sum tokens as BIGINT: a file whose grand total passes it would overflow in
# every sum, so it is refused here with its total (any partial sum is at most the total).
MAX_TOKEN_TOTAL = 2**63 - 1


def check_token_total(con, path: Path, fname: str) -> None:
    total = first_row(con, "validate_token_total", {"p": str(path / fname)}, fname, path)["total"]
    if total is not None and total > MAX_TOKEN_TOTAL:
        raise SnapshotError(
            f"the tokens add up to {total:,}, past the largest total the app can sum ({MAX_TOKEN_TOTAL:,})",
            path=path, file=fname, column="total_tokens",
        )


def null_column(row: dict, columns) -> str:
    return next((c for c in columns if row.get(c) is None), "?")


def check_token_rows(con, path: Path, f: str, manifest: dict, columns: dict, which: str, key: str) -> None:
    """The checks a long table of token counts shares (usage_by_category,
    usage_by_segment): its columns and types, its declared row count, no empty value
    and no negative count (the query ``validate_<which>_rows``), and one row per ``key``
    (``validate_<which>_duplicates``)."""
    p = {"p": str(path / f)}
    describe_parquet(con, path, f, columns)
    check_row_count(con, path, f, manifest)
    bad = first_row(con, f"validate_{which}_rows", p, f, path)
    if bad:
        col = null_column(bad, columns)
        msg = "empty value" if col != "?" else f"negative token count {bad['total_tokens']}"
        raise SnapshotError(msg, path=path, file=f, column=col if col != "?" else "total_tokens", row=fmt_row(bad))
    bad = first_row(con, f"validate_{which}_duplicates", p, f, path)
    if bad:
        raise SnapshotError(f"{key} appears {bad['copies']} times; it must be unique",
                            path=path, file=f, column="model_permaslug", row=fmt_row(bad))


def check_segments(con, path: Path, manifest: dict) -> None:
    f = SEGMENT_FILE
    if f not in manifest["files"]:
        return
    p = {"p": str(path / f)}
    check_token_rows(con, path, f, manifest, SEGMENT_COLUMNS, "segment", "(dimension, segment, date, model_permaslug)")
    pairs = [f"{d}/{s}" for d, (_, values, _) in SEGMENTS.items() for s in values]
    weekly = [d for d, (_, _, est) in SEGMENTS.items() if est]
    bad = first_row(con, "validate_segment_values", {**p, "pairs": pairs, "weekly": weekly,
                                                  "start": manifest["start_date"], "end": manifest["end_date"]}, f, path)
    if bad:
        problem = bad.pop("problem")
        col, msg = {
            "segment": ("segment", f"{bad['dimension']!r} / {bad['segment']!r} is not a known segment (known: "
                        + ", ".join(pairs) + ")"),
            "is_estimate": ("is_estimate", f"is {bad['is_estimate']}, but {bad['dimension']} figures are "
                            + ("weekly estimates" if bad["dimension"] in weekly else "exact daily counts")),
            "monday": ("date", f"weekly {bad['dimension']} date {bad['date']} is not a Monday (ISO week start)"),
            "range": ("date", f"date {bad['date']} is outside the manifest's range "
                      f"{manifest['start_date']} to {manifest['end_date']}"),
        }[problem]
        raise SnapshotError(msg, path=path, file=f, column=col, row=fmt_row(bad))
    check_token_total(con, path, f)
