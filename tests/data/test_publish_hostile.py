"""Issue 26, findings 9 and 10: ``publish`` never follows a symbolic link (valid snapshot
or ``--allow-invalid``), refuses special files without opening them, and refuses a
published root inside the snapshot or the snapshot inside the root. Each refusal leaves
the source as it was (it still validates) and puts nothing of a link's target in the
root."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.hostile import tried
from tests.tiny import build_tiny_snapshot
from tokenshare.data.published.publish import PublishError, publish
from tokenshare.data.snapshot.validate import load_snapshot

SECRET = "root:x:0:0:planted secret line\n"


@pytest.fixture
def snap(tmp_path):
    return build_tiny_snapshot(tmp_path / "snap")


def _tree_text(root: Path) -> str:
    out = []
    for p in root.rglob("*"):
        if p.is_file() and not p.is_symlink():
            out.append(p.read_bytes().decode("utf-8", "replace"))
    return "\n".join(out)


@pytest.mark.parametrize("name", ["labs.csv", "usage.parquet", "models.parquet", "manifest.json"])
@pytest.mark.parametrize("allow_invalid", [False, True])
def test_a_symlinked_file_is_never_published(snap, tmp_path, name, allow_invalid):
    secret = tmp_path / "elsewhere" / "passwd"
    secret.parent.mkdir()
    target = snap.path / name
    if name == "labs.csv":
        secret.write_text(SECRET)
    else:  # a link to the real bytes: valid content, still a link
        secret.write_bytes(target.read_bytes() + (b"" if name != "labs.csv" else b""))
    target.unlink()
    target.symlink_to(secret)
    dest = tmp_path / "root"
    with pytest.raises(PublishError) as info:
        publish(snap.path, dest, allow_invalid=allow_invalid)
    assert "symbolic link" in str(info.value) or "not a valid snapshot" in str(info.value)
    assert not (dest / "latest.json").exists()
    if dest.exists():
        assert "planted secret" not in _tree_text(dest)
    tried("publish")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_special_files_are_refused_without_being_opened(snap, tmp_path, kind):
    target = snap.path / "labs.csv"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    else:
        target.symlink_to("/dev/zero")
    box = {}

    def run():
        try:
            publish(snap.path, tmp_path / "root", allow_invalid=True)
        except PublishError as exc:
            box["error"] = str(exc)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), f"a {kind} blocked publish"
    assert "error" in box and ("symbolic link" in box["error"] or "not a regular file" in box["error"]), box
    tried("publish")


@pytest.mark.parametrize("where", ["sub", "sub/deeper", ".", "../snap"])
def test_a_root_inside_the_snapshot_is_refused(snap, where):
    before = sorted(p.name for p in snap.path.iterdir())
    with pytest.raises(PublishError, match="inside the snapshot"):
        publish(snap.path, snap.path / where)
    assert sorted(p.name for p in snap.path.iterdir()) == before
    load_snapshot(snap.path)  # the source still validates
    tried("publish")


def test_a_snapshot_inside_the_root_is_refused(tmp_path):
    root = tmp_path / "root"
    inner = build_tiny_snapshot(root / "inner")
    with pytest.raises(PublishError, match="inside the published root"):
        publish(inner.path, root)
    assert not (root / "latest.json").exists()
    link = tmp_path / "link-to-root"
    link.symlink_to(root)
    with pytest.raises(PublishError, match="inside the published root"):
        publish(inner.path, link)  # the same through a link
    tried("publish", 2)


def test_a_plain_snapshot_still_publishes(snap, tmp_path):
    done = publish(snap.path, tmp_path / "root")
    assert (done.folder / "labs.csv").read_bytes() == (snap.path / "labs.csv").read_bytes()
