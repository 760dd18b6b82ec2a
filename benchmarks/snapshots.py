"""The scaled synthetic snapshots the harness measures: the sample generator's
``--scale`` for a number of usage rows, and the snapshot itself, generated once under
``--out-dir`` and reused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from benchmarks.common import REPO_ROOT

DAYS = 691  # 2025-01-01 .. 2026-11-22, the sample generator's range
ROWS_PER_SCALE = 50 * DAYS  # each scale unit adds the day's top 50 models
SEED = 42


def scale_for_rows(rows: int) -> int:
    """The sample generator's --scale that gives about ``rows`` usage rows."""
    return max(1, round((rows - DAYS) / ROWS_PER_SCALE))


def rows_for_scale(scale: int) -> int:
    return scale * ROWS_PER_SCALE + DAYS


def size_label(rows: int) -> str:
    if rows >= 1_000_000:
        m = rows / 1_000_000
        return f"{m:.0f}M" if abs(m - round(m)) < 0.05 else f"{m:.1f}M"
    if rows >= 1000:
        return f"{rows / 1000:.0f}k"
    return str(rows)


def ensure_snapshot(out_dir: Path, scale: int, *, seed: int = SEED, log=print) -> Path:
    """The synthetic snapshot of ``scale`` under ``out_dir``, generated in a
    subprocess (its 2.5 GB peak at scale 300 stays out of this process) unless a
    snapshot of the same seed and scale is already there."""
    target = out_dir / f"scale-{scale}"
    manifest = target / "manifest.json"
    if manifest.is_file():
        try:
            gen = json.loads(manifest.read_text(encoding="utf-8")).get("generator", {})
        except (OSError, ValueError):
            gen = {}
        if gen == {"seed": seed, "scale": scale}:
            return target
    out_dir.mkdir(parents=True, exist_ok=True)
    log(f"generating {target} (scale {scale}, about {rows_for_scale(scale):,} usage rows)…")
    cmd = [sys.executable, "-m", "tokenshare", "sample", "--out", str(target),
           "--seed", str(seed), "--scale", str(scale), "--force"]
    subprocess.run(cmd, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    return target
