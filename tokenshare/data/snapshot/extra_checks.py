"""The checks of the four extra tables (``extra_tables``) that ``validate`` runs on a
snapshot carrying them: columns and types, the declared row count, every row's values
(``validate_<stem>_rows``, which names the problem) and one row per key
(``validate_<stem>_duplicates``). A failure is a ``SnapshotError`` naming the file, the
column or problem, and the row."""

from __future__ import annotations

from pathlib import Path

from tokenshare.data.snapshot.extra_tables import EXTRA_TABLES, TURN_RANGES
from tokenshare.data.snapshot.layout import SnapshotError
from tokenshare.data.snapshot.parquet_checks import check_row_count, describe_parquet, first_row, fmt_row


def check_extra_tables(con, path: Path, manifest: dict) -> None:
    for fname, (columns, _, stem) in EXTRA_TABLES.items():
        if fname in manifest["files"]:
            check_extra_table(con, path, manifest, fname, columns, stem)


def check_extra_table(con, path: Path, manifest: dict, fname: str, columns: dict, stem: str) -> None:
    p = {"p": str(path / fname)}
    describe_parquet(con, path, fname, columns)
    check_row_count(con, path, fname, manifest)
    params = {**p, "turn_ranges": list(TURN_RANGES)} if stem == "session_cost" else p
    bad = first_row(con, f"validate_{stem}_rows", params, fname, path)
    if bad:
        problem = bad.pop("problem")
        raise SnapshotError(problem, path=path, file=fname, row=fmt_row(bad))
    bad = first_row(con, f"validate_{stem}_duplicates", p, fname, path)
    if bad:
        raise SnapshotError(f"{bad['key']} appears {bad['copies']} times; it must be unique",
                            path=path, file=fname, row=fmt_row(bad))
