"""Command line: ``python -m tokenshare COMMAND ...`` (sample, validate, relabel, refresh,
publish, digest).

An entry point at the package root: it only wires commands to the lower layers
(``tokenshare.core``, ``tokenshare.data``, ``tokenshare.engine``, and the pure
``tokenshare.analysis`` for ``digest``) and never imports the app layer or streamlit (``tests/test_layers.py`` checks). The app itself is
``streamlit run app.py``; the benchmark harness is ``python -m benchmarks``, outside the
package.

Each subcommand is one ``cmd_<name>(args) -> int`` function plus one ``_add_<name>``
parser block registered in ``build_parser`` (``refresh`` registers itself from
``tokenshare/data/refresh/cli.py``). A command reports a user error by raising
``CliError`` (printed as ``tokenshare <command>: error: ...``, exit status 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import tokenshare
from tokenshare.core import settings
from tokenshare.core.formatting import as_of_text


REFERENCE_LABS_PATH = settings.REFERENCE_DIR / "labs.csv"


def _repo_path(path: Path) -> str:
    """``path`` relative to the repository, for help texts."""
    try:
        return path.relative_to(settings.REPO_ROOT).as_posix()
    except ValueError:
        return str(path)


class CliError(Exception):
    """A user error: printed without a traceback, exit status 2."""


def retention_pair(text: str) -> tuple[int, int]:
    """``DAILY,WEEKLY`` for publish --retention: two whole numbers, at least 1 each."""
    parts = text.split(",")
    if len(parts) != 2:
        raise argparse.ArgumentTypeError(f"{text!r} is not DAILY,WEEKLY (two whole numbers, e.g. 7,52)")
    daily, weekly = (positive_int(p.strip()) for p in parts)
    return daily, weekly


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number")
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _check_replaceable(out: Path, force: bool) -> None:
    """An existing --out is replaced only with --force, and only if it is a snapshot
    folder (or an empty folder): --force never deletes anything else."""
    if not out.exists() and not out.is_symlink():
        return
    if not force:
        raise CliError(f"{out} already exists (use --force to replace it)")
    if out.is_symlink() or not out.is_dir():
        raise CliError(f"{out} exists and is not a folder; not replacing it")
    from tokenshare.data.snapshot.layout import MANIFEST_FILE

    if not (out / MANIFEST_FILE).is_file() and any(out.iterdir()):
        raise CliError(
            f"{out} is a folder but not a snapshot (no {MANIFEST_FILE}); "
            "not replacing it, even with --force"
        )


# --------------------------------------------------------------------------- sample


def cmd_sample(args: argparse.Namespace) -> int:
    from tokenshare.data.sample import make as sample

    out: Path = args.out
    _check_replaceable(out, args.force)
    started = time.perf_counter()
    snap = sample.generate_sample(out, seed=args.seed, scale=args.scale, overwrite=args.force)
    elapsed = time.perf_counter() - started
    import pyarrow.parquet as pq

    authors = pq.read_table(snap.file("models.parquet"), columns=["author"]).column("author")
    labs = len(set(authors.to_pylist()))
    print(
        f"wrote {snap.row_count('usage.parquet'):,} usage rows "
        f"({snap.start_date} to {snap.end_date}), {snap.row_count('models.parquet'):,} models, "
        f"{labs} labs to {out} (seed {args.seed}, scale {args.scale}, {elapsed:.1f}s)"
    )
    return 0


def _add_sample(sub) -> None:
    p = sub.add_parser(
        "sample",
        help="write the deterministic synthetic sample snapshot",
        description="Write the synthetic sample snapshot (same seed and scale give the "
        "same bytes). The committed sample is `python -m tokenshare sample --out sample_data`.",
    )
    p.add_argument("--out", type=Path, required=True, help="snapshot folder to write")
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument(
        "--scale", type=positive_int, default=1,
        help="K copies of the model catalogue and the top 50*K models per day (default 1)",
    )
    p.add_argument("--force", action="store_true", help="replace --out if it is an existing snapshot")
    p.set_defaults(func=cmd_sample)


# --------------------------------------------------------------------------- validate


def cmd_validate(args: argparse.Namespace) -> int:
    from tokenshare.data.snapshot.layout import SnapshotError
    from tokenshare.data.published.locate import unexpected_problem
    from tokenshare.data.snapshot.validate import load_snapshot

    bad = 0
    for path in args.snapshots:
        try:
            s = load_snapshot(path)
        except SnapshotError as exc:
            bad += 1
            print(f"{path}: INVALID: {exc.describe()}")
        except Exception as exc:  # noqa: BLE001 - a message per folder, never a traceback
            bad += 1
            print(f"{path}: INVALID: {unexpected_problem(exc)}")
        else:
            kind = "synthetic" if s.synthetic else "real"
            print(f"{path}: valid ({kind}, {s.start_date} to {s.end_date}, "
                  f"{s.row_count('usage.parquet'):,} usage rows, id {s.snapshot_id})")
    return 1 if bad else 0


def _add_validate(sub) -> None:
    p = sub.add_parser(
        "validate", help="check snapshot folders the way the app does",
        description="Validate snapshot folders completely (files, columns and types, unique "
        "keys, tokens, dates, checksums). Exit status 1 if any is invalid.",
    )
    p.add_argument("snapshots", type=Path, nargs="+", help="snapshot folders")
    p.set_defaults(func=cmd_validate)


# --------------------------------------------------------------------------- relabel


def cmd_relabel(args: argparse.Namespace) -> int:
    """Give a snapshot the curated lab table, written as a new validated snapshot (a
    hand edit of labs.csv inside a snapshot would break its checksum)."""
    import pyarrow.parquet as pq

    from tokenshare.data.snapshot.extra_tables import EXTRA_FILES, has_table
    from tokenshare.data.snapshot.layout import (
        CATEGORY_FILE,
        ENDPOINTS_FILE,
        MODELS_FILE,
        SEGMENT_FILE,
        UNKNOWN_COUNTRY_CODE,
        UNKNOWN_COUNTRY_NAME,
        USAGE_FILE,
        read_labs_csv,
    )
    from tokenshare.data.snapshot.validate import load_snapshot
    from tokenshare.data.snapshot.write import write_snapshot

    src = load_snapshot(args.snapshot)
    out = args.out or args.snapshot
    if args.out is not None:
        _check_replaceable(args.out, args.force)
    labs = read_labs_csv(args.labs)
    known = {r["author"] for r in labs}
    authors = set(pq.read_table(src.file(MODELS_FILE), columns=["author"]).column("author").to_pylist())
    missing = sorted(authors - known)
    labs += [{"author": a, "lab_name": a, "country_code": UNKNOWN_COUNTRY_CODE,
              "country_name": UNKNOWN_COUNTRY_NAME} for a in missing]
    m = src.manifest
    keep = {k: v for k, v in m.items() if k not in {"format", "format_version", "source", "synthetic", "as_of",
                                                   "start_date", "end_date", "files", "citation", "licence"}}
    category = pq.read_table(src.file(CATEGORY_FILE)) if src.has_categories else None
    segment = pq.read_table(src.file(SEGMENT_FILE)) if src.has_segments else None
    endpoints = pq.read_table(src.file(ENDPOINTS_FILE)) if src.has_endpoints else None
    extras = {f: pq.read_table(src.file(f)) for f in EXTRA_FILES if has_table(src, f)}
    new = write_snapshot(
        out, usage=pq.read_table(src.file(USAGE_FILE)), models=pq.read_table(src.file(MODELS_FILE)),
        labs=labs, source=m["source"], synthetic=m["synthetic"], as_of=m["as_of"],
        start_date=m["start_date"], end_date=m["end_date"], usage_by_category=category,
        extra_manifest={**keep, "labs_from": str(args.labs)}, overwrite=True, usage_by_segment=segment,
        model_endpoints=endpoints, extra_tables=extras,
    )
    print(f"wrote {new.path} with {len(labs)} labs from {args.labs}"
          + (f"; authors not in that table, added as unknown country: {', '.join(missing)}" if missing else ""))
    return 0


def _add_relabel(sub) -> None:
    p = sub.add_parser(
        "relabel", help="apply the curated labs table to a snapshot",
        description="Rewrite a snapshot's labs.csv from the curated table "
        f"({_repo_path(REFERENCE_LABS_PATH)} by default), validated and atomically.",
    )
    p.add_argument("snapshot", type=Path, help="snapshot folder")
    p.add_argument("--labs", type=Path, default=REFERENCE_LABS_PATH, help="labs CSV (default: the curated table)")
    p.add_argument("--out", type=Path, default=None, help="write here instead of replacing the snapshot")
    p.add_argument("--force", action="store_true", help="replace --out if it is an existing snapshot")
    p.set_defaults(func=cmd_relabel)


# --------------------------------------------------------------------------- publish


def cmd_publish(args: argparse.Namespace) -> int:
    from tokenshare.data.published.publish import PublishError, publish

    try:
        done = publish(args.snapshot, args.to, keep=args.keep, retention=args.retention,
                       allow_synthetic=args.allow_synthetic,
                       allow_invalid=args.allow_invalid)
    except PublishError as exc:
        raise CliError(str(exc))
    p = done.pointer
    for warning in done.warnings:
        print(f"warning: {warning}")
    print(
        f"published {done.snapshot_id} ({p['start_date']} to {p['end_date']}, as of {p['as_of']}) "
        f"{'into' if done.copied else 'already complete in'} {done.folder}; "
        f"{args.to / 'latest.json'} names it"
        + (f" (was {done.previous_id})" if done.previous_id and done.previous_id != done.snapshot_id else "")
        + (f"; removed {', '.join(done.removed)}" if done.removed else "")
        + (f"; kept {len(p['history'])} (retention {args.retention[0]} daily, {args.retention[1]} weekly)"
           if args.retention else f"; kept {len(p['history'])} of --keep {args.keep}")
    )
    return 0


def _add_publish(sub) -> None:
    p = sub.add_parser(
        "publish", help="publish a snapshot into a published root (DEST/<id>/ + DEST/latest.json)",
        description="Copy a validated snapshot to DEST/<snapshot id>/, then point DEST/latest.json at it "
        "(written last and atomically), then remove snapshots beyond the newest --keep. Serve DEST over "
        "https (or read it as a folder) and set TOKENSHARE_SNAPSHOT to it. Exit status 2 when refused "
        "or failed (the root is then unchanged). See docs/remote-snapshots.md.",
    )
    p.add_argument("snapshot", type=Path, help="snapshot folder to publish")
    p.add_argument("--to", type=Path, required=True, metavar="DEST", help="the published root (created if missing)")
    p.add_argument("--keep", type=positive_int, default=2, metavar="N",
                   help="snapshots to keep in DEST, the new one included (default 2)")
    p.add_argument("--retention", metavar="DAILY,WEEKLY", type=retention_pair,
                   help="instead of --keep, keep the newest snapshot of each of the last DAILY days and the first "
                        "of each ISO week of the last WEEKLY weeks, so pinned links (snapshot=) live long; "
                        "e.g. 7,52 (docs/sharing.md)")
    p.add_argument("--allow-synthetic", action="store_true", help="publish a synthetic snapshot (a demo or a test)")
    p.add_argument("--allow-invalid", action="store_true",
                   help="publish a snapshot that fails validation (its manifest must still be readable)")
    p.set_defaults(func=cmd_publish)


# --------------------------------------------------------------------------- digest


def cmd_digest(args: argparse.Namespace) -> int:
    """What changed in the latest complete week, as Markdown (the Claims page's block)."""
    from tokenshare.analysis import digest
    from tokenshare.data.snapshot.layout import SnapshotError
    from tokenshare.data.published.locate import resolve_snapshot
    from tokenshare.data.snapshot.validate import load_snapshot
    from tokenshare.engine.db import SnapshotDB

    if args.snapshot is not None:
        try:
            snap = load_snapshot(args.snapshot)
        except SnapshotError as exc:
            raise CliError(exc.describe())
    else:
        found = resolve_snapshot(settings.snapshot_location(), settings.SNAPSHOTS_DIR, settings.SAMPLE_DIR)
        if found.snapshot is None:
            raise CliError("no valid snapshot to read: " + "; ".join(f"{p}: {why}" for p, why in found.problems))
        snap = found.snapshot
    args.base_url = args.base_url or digest.DEFAULT_BASE_URL
    try:
        digest.check_base_url(args.base_url)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    db = SnapshotDB(snap, threads=1)
    try:
        d = digest.collect(db.query, start=snap.start_date, end=snap.end_date)
    finally:
        db.close()
    print(digest.markdown(d, citation=snap.citation, as_of=as_of_text(snap.as_of), synthetic=snap.synthetic,
                          link=lambda page, params: digest.view_url(args.base_url, page, params)), end="")
    return 0


def _add_digest(sub) -> None:
    p = sub.add_parser(
        "digest", help="print what changed in the latest complete week, as Markdown",
        description="Print the latest complete ISO week against the week before (open-weight share, the "
        "open-weight leader, the biggest movers, the week's launches) as Markdown ready to paste, with "
        "links to the app's views and the citation line. The same block is on the app's Claims page.",
    )
    p.add_argument("--snapshot", type=Path, default=None,
                   help="snapshot folder (default: the one the app opens)")
    p.add_argument("--base-url", default=None,
                   help="the app's address, for the links (default: http://localhost:8501, where "
                   "`streamlit run app.py` serves it)")
    p.set_defaults(func=cmd_digest)


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokenshare", description="LLM token share on OpenRouter: snapshots and tools.",
        epilog="The app: streamlit run app.py. The benchmark harness (from a checkout): "
        "python -m benchmarks --help.",
    )
    parser.add_argument("--version", action="version", version=f"tokenshare {tokenshare.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_sample(sub)
    _add_validate(sub)
    _add_relabel(sub)
    _add_publish(sub)
    _add_digest(sub)
    _add_owner_reset(sub)
    from tokenshare.data.refresh import cli as refresh_cli  # the refresh command lives in data/refresh/cli.py

    refresh_cli.add_parser(sub)
    return parser


def cmd_owner_reset(args: argparse.Namespace) -> int:
    path = settings.OWNER_RESET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"reset at {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}\n", encoding="utf-8")
    print(f"The owner sign-in's attempt limits are reset: failures before now no longer count ({path.name}).")
    return 0


def _add_owner_reset(sub) -> None:
    p = sub.add_parser(
        "owner-reset", help="forget the wrong passphrases so far (the owner's way in after strangers' guesses)",
        description="Reset the owner sign-in's attempt limits of the app running from this folder: every "
        "wrong passphrase before now stops counting, for every visitor.")
    p.set_defaults(func=cmd_owner_reset)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tokenshare {args.command}: error: {exc}", file=sys.stderr)
        return 2
