"""Command line: ``python -m tokenshare COMMAND ...``.

Each subcommand is one ``cmd_<name>(args) -> int`` function plus one ``_add_<name>``
parser block registered in ``build_parser``. A command reports a user error by raising
``CliError`` (printed as ``tokenshare <command>: error: ...``, exit status 2).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import tokenshare


class CliError(Exception):
    """A user error: printed without a traceback, exit status 2."""


def _positive_int(text: str) -> int:
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
    from tokenshare.snapshot import MANIFEST_FILE

    if not (out / MANIFEST_FILE).is_file() and any(out.iterdir()):
        raise CliError(
            f"{out} is a folder but not a snapshot (no {MANIFEST_FILE}); "
            "not replacing it, even with --force"
        )


# --------------------------------------------------------------------------- sample


def cmd_sample(args: argparse.Namespace) -> int:
    from tokenshare import sample

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
        "--scale", type=_positive_int, default=1,
        help="K copies of the model catalogue and the top 50*K models per day (default 1)",
    )
    p.add_argument("--force", action="store_true", help="replace --out if it is an existing snapshot")
    p.set_defaults(func=cmd_sample)


# --------------------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tokenshare", description="LLM token share on OpenRouter: snapshots and tools."
    )
    parser.add_argument("--version", action="version", version=f"tokenshare {tokenshare.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_sample(sub)
    from tokenshare import refresh_cli  # the refresh command lives in refresh_cli.py

    refresh_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except CliError as exc:
        print(f"tokenshare {args.command}: error: {exc}", file=sys.stderr)
        return 2
