"""``python -m tokenshare publish SNAPSHOT --to DEST``: the published root's layout and
pointer, keeping the newest N, refusing synthetic and invalid snapshots, one publish at
a time, and faults during the copy (a real full tmpfs when this machine can mount one,
and a real failing writer: the file size limit RLIMIT_FSIZE makes a write fail with
EFBIG midway) leaving the pointer on a complete snapshot.

Every figure is worked out here independently: the pointer's checksum with hashlib on
the manifest's bytes, the folder's files compared byte for byte with the source's."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile import tried
from tests.tiny import build_tiny_snapshot
from tokenshare.cli import main
from tokenshare.data.published.pointer import POINTER_FILE, parse_pointer
from tokenshare.data.published.publish import LOCK_NAME, PublishError, publish, publish_lock
from tokenshare.data.snapshot.validate import load_snapshot

ROOT = Path(__file__).resolve().parents[2]
DATA_FILES = ("manifest.json", "usage.parquet", "models.parquet", "labs.csv")


def tiny(tmp_path, name, day):
    """A tiny snapshot as of 2026-01-<day> (another manifest, so another id)."""
    return build_tiny_snapshot(tmp_path / name, as_of=f"2026-01-{day:02d}T02:00:00Z")


def data_files(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())
            if p.is_file() and not p.name.startswith("derived_")}


def root_state(dest: Path) -> dict:
    """Every file under the root (the lock aside), with its bytes."""
    return {str(p.relative_to(dest)): p.read_bytes() for p in sorted(dest.rglob("*"))
            if p.is_file() and p.name != LOCK_NAME}


def pointer(dest: Path) -> dict:
    return json.loads((dest / POINTER_FILE).read_text())


# --------------------------------------------------------------------------- layout


def test_publish_lays_out_the_snapshot_and_the_pointer(tmp_path):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    done = publish(snap.path, dest)
    raw = (snap.path / "manifest.json").read_bytes()
    p = pointer(dest)
    assert p["pointer_version"] == 1
    assert p["id"] == snap.snapshot_id and p["path"] == f"{snap.snapshot_id}/"
    assert p["manifest_sha256"] == hashlib.sha256(raw).hexdigest()
    assert (p["as_of"], p["start_date"], p["end_date"]) == ("2026-01-28T02:00:00Z", "2026-01-05", "2026-01-27")
    assert p["synthetic"] is False and p["published_at"].endswith("Z")
    assert [h["id"] for h in p["history"]] == [snap.snapshot_id]
    folder = dest / snap.snapshot_id
    assert done.folder == folder and done.copied
    # exactly the snapshot's data files, byte for byte (no derived files, no leftovers)
    assert data_files(folder) == data_files(snap.path)
    assert sorted(os.listdir(folder)) == sorted(data_files(snap.path))
    assert sorted(n for n in os.listdir(dest)) == sorted([POINTER_FILE, snap.snapshot_id])
    assert load_snapshot(folder).snapshot_id == snap.snapshot_id  # the copy is a valid snapshot


def test_the_newest_keep_snapshots_stay_and_older_go_after_the_pointer_moved(tmp_path):
    dest = tmp_path / "root"
    snaps = [tiny(tmp_path, f"s{i}", 20 + i) for i in range(4)]
    ids = [s.snapshot_id for s in snaps]
    assert len(set(ids)) == 4
    publish(snaps[0].path, dest)
    done = publish(snaps[1].path, dest)
    assert done.previous_id == ids[0] and done.removed == []
    assert [h["id"] for h in pointer(dest)["history"]] == [ids[1], ids[0]]
    done = publish(snaps[2].path, dest)  # keep 2: the first one goes
    assert done.removed == [ids[0]]
    assert sorted(p.name for p in dest.iterdir() if p.is_dir()) == sorted(ids[1:3])
    assert [h["id"] for h in pointer(dest)["history"]] == [ids[2], ids[1]]
    done = publish(snaps[3].path, dest, keep=1)
    assert sorted(done.removed) == sorted(ids[1:3])
    assert [p.name for p in dest.iterdir() if p.is_dir()] == [ids[3]]
    done = publish(snaps[0].path, dest, keep=3)  # an old one again: copied anew, newest now
    assert done.copied and [h["id"] for h in pointer(dest)["history"]] == [ids[0], ids[3]]


def test_publishing_the_same_snapshot_again_copies_nothing(tmp_path):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    publish(snap.path, dest, published_at="2026-12-01T00:00:00Z")
    usage = dest / snap.snapshot_id / "usage.parquet"
    before = usage.stat().st_ino
    done = publish(snap.path, dest, published_at="2026-12-02T00:00:00Z")
    assert not done.copied and usage.stat().st_ino == before
    assert pointer(dest)["published_at"] == "2026-12-02T00:00:00Z"
    assert [h["id"] for h in pointer(dest)["history"]] == [snap.snapshot_id]


def test_a_damaged_published_copy_is_replaced_when_published_again(tmp_path):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    publish(snap.path, dest)
    (dest / snap.snapshot_id / "labs.csv").write_text("author,lab_name,country_code,country_name\n")
    done = publish(snap.path, dest)
    assert done.copied and data_files(dest / snap.snapshot_id) == data_files(snap.path)
    tried("publish")


def test_the_cli_publishes_and_reports(tmp_path, capsys):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    assert main(["publish", str(snap.path), "--to", str(dest)]) == 0
    out = capsys.readouterr().out
    assert f"published {snap.snapshot_id} (2026-01-05 to 2026-01-27" in out
    assert parse_pointer((dest / POINTER_FILE).read_bytes(), dest).id == snap.snapshot_id


# --------------------------------------------------------------------------- refusals


def test_a_synthetic_snapshot_is_refused_unless_allowed(tmp_path, capsys):
    dest = tmp_path / "root"
    assert main(["publish", str(ROOT / "sample_data"), "--to", str(dest)]) == 2
    err = capsys.readouterr().err
    assert "is synthetic" in err and "Pass --allow-synthetic" in err
    assert not (dest / POINTER_FILE).exists()
    assert main(["publish", str(ROOT / "sample_data"), "--to", str(dest), "--allow-synthetic"]) == 0
    assert pointer(dest)["synthetic"] is True
    tried("publish")


def test_an_invalid_snapshot_is_refused_unless_allowed(tmp_path, capsys):
    dest = tmp_path / "root"
    good = tiny(tmp_path, "good", 27)
    publish(good.path, dest)
    before = root_state(dest)
    bad = tiny(tmp_path, "bad", 28)
    usage = bad.path / "usage.parquet"
    data = bytearray(usage.read_bytes())
    data[len(data) // 2] ^= 0xFF
    usage.write_bytes(bytes(data))
    for stamp in bad.path.glob("derived_*"):
        stamp.unlink()
    assert main(["publish", str(bad.path), "--to", str(dest)]) == 2
    err = capsys.readouterr().err
    assert "is not a valid snapshot (usage.parquet: checksum mismatch" in err and "--allow-invalid" in err
    assert root_state(dest) == before  # the root is untouched
    assert main(["publish", str(bad.path), "--to", str(dest), "--allow-invalid"]) == 0
    assert "published although invalid" in capsys.readouterr().out
    assert pointer(dest)["id"] == bad.snapshot_id
    assert (dest / bad.snapshot_id / "usage.parquet").read_bytes() == bytes(data)
    tried("publish", 2)


@pytest.mark.parametrize("case", ["no manifest", "manifest not json", "no folder", "dest is a snapshot", "keep 0"])
def test_what_cannot_be_published_at_all_says_why(tmp_path, case, capsys):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    args = ["publish", str(snap.path), "--to", str(dest), "--allow-invalid"]
    expect = {
        "no manifest": "cannot be published even with --allow-invalid: manifest.json",
        "manifest not json": "cannot be published even with --allow-invalid: manifest.json",
        "no folder": "is not a snapshot folder (no such folder)",
        "dest is a snapshot": "holds a manifest.json: it is a snapshot folder, not a published root",
        "keep 0": "--keep: must be at least 1",
    }[case]
    if case == "no manifest":
        (snap.path / "manifest.json").unlink()
    elif case == "manifest not json":
        (snap.path / "manifest.json").write_text("{not json")
    elif case == "no folder":
        args[1] = str(tmp_path / "nowhere")
    elif case == "dest is a snapshot":
        args[3] = str(tiny(tmp_path, "other", 27).path)
    if case == "keep 0":
        with pytest.raises(SystemExit) as exc:
            main(args + ["--keep", "0"])
        assert exc.value.code == 2
    else:
        assert main(args) == 2
    assert expect in capsys.readouterr().err
    assert not (dest / POINTER_FILE).exists()
    tried("publish")


# --------------------------------------------------------------------------- one at a time


def test_a_second_publish_while_one_runs_is_refused(tmp_path, capsys):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    dest.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from tokenshare.data.published.publish import publish_lock\n"
         "with publish_lock(Path(sys.argv[1])):\n    print('held', flush=True); time.sleep(60)", str(dest)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        assert main(["publish", str(snap.path), "--to", str(dest)]) == 2
        err = capsys.readouterr().err
        assert f"another publish is running into {dest} (process {holder.pid}, started" in err
        assert not (dest / POINTER_FILE).exists() and not any(p.is_dir() for p in dest.iterdir())
    finally:
        holder.kill()  # the kernel drops its lock
        holder.wait()
    assert main(["publish", str(snap.path), "--to", str(dest)]) == 0
    with publish_lock(dest):  # and it let go of its own
        pass
    tried("publish")


def test_leftovers_of_a_killed_publish_are_cleared_by_the_next(tmp_path):
    snap = tiny(tmp_path, "a", 28)
    dest = tmp_path / "root"
    dest.mkdir()
    (dest / ".publishing-0123456789abcdef-999").mkdir()
    (dest / ".publishing-0123456789abcdef-999" / "usage.parquet").write_bytes(b"half")
    (dest / ".latest.json.abc.tmp").write_text("{")
    publish(snap.path, dest)
    assert sorted(os.listdir(dest)) == sorted([POINTER_FILE, snap.snapshot_id])
    tried("publish")


# --------------------------------------------------------------------------- faults during the copy


def _assert_still_names(dest: Path, snapshot_id: str, before: dict) -> None:
    assert root_state(dest) == before  # the pointer, and the snapshot it names, as they were
    assert pointer(dest)["id"] == snapshot_id
    assert load_snapshot(dest / snapshot_id, use_stamp=False).snapshot_id == snapshot_id
    assert not [p.name for p in dest.iterdir() if p.name.startswith(".publishing-")]


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_writer_that_fails_midway_leaves_the_pointer_on_a_complete_snapshot(tmp_path):
    dest = tmp_path / "root"
    small = tiny(tmp_path, "small", 28)
    publish(small.path, dest)
    before = root_state(dest)
    big = ROOT / "sample_data"  # its usage.parquet is far over the limit below
    usage_size = (big / "usage.parquet").stat().st_size
    limit = max(p.stat().st_size for p in (tmp_path / "small").iterdir() if p.is_file()) + 4096
    assert usage_size > 4 * limit
    run = subprocess.run(
        [sys.executable, "-m", "tokenshare", "publish", str(big), "--to", str(dest), "--allow-synthetic"],
        cwd=ROOT, capture_output=True, text=True, preexec_fn=_limit_file_size(limit), timeout=120,
    )
    assert run.returncode == 2, run.stderr
    assert "copying the snapshot into" in run.stderr and "latest.json was not changed" in run.stderr
    _assert_still_names(dest, small.snapshot_id, before)
    tried("publish")


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir()
    if os.geteuid() != 0:
        return False
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return r.returncode == 0


def test_a_full_disk_leaves_the_pointer_on_a_complete_snapshot(tmp_path):
    dest = tmp_path / "tmpfs"
    if not _mount_tmpfs(dest, "256k"):
        pytest.skip("no tmpfs can be mounted here (needs root); the RLIMIT_FSIZE test covers a failing writer")
    try:
        small = tiny(tmp_path, "small", 28)
        publish(small.path, dest)
        before = root_state(dest)
        with pytest.raises(PublishError, match=r"copying the snapshot into .* failed \(No space left on device\)"):
            publish(ROOT / "sample_data", dest, allow_synthetic=True)
        _assert_still_names(dest, small.snapshot_id, before)
        newer = tiny(tmp_path, "newer", 29)  # the space is free again: the next publish works
        assert publish(newer.path, dest).snapshot_id == pointer(dest)["id"]
    finally:
        subprocess.run(["umount", str(dest)], check=False)
    tried("publish")
