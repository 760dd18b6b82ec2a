"""The validate and relabel commands, on real snapshot folders."""

import csv

from tests.tiny import build_tiny_snapshot
from tokenshare.cli import main
from tokenshare.engine.db import SnapshotDB
from tokenshare.data.snapshot.validate import load_snapshot


def test_validate_reports_valid_and_invalid(tmp_path, capsys):
    good = build_tiny_snapshot(tmp_path / "good").path
    bad = build_tiny_snapshot(tmp_path / "bad").path
    (bad / "labs.csv").write_text("author,lab_name,country_code,country_name\n")
    assert main(["validate", str(good)]) == 0
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{good}: valid" in out
    assert f"{bad}: INVALID: labs.csv: checksum mismatch" in out


def test_relabel_applies_an_edited_lab_table(tmp_path, capsys):
    snap = build_tiny_snapshot(tmp_path / "snap").path
    labs = tmp_path / "labs.csv"
    with open(labs, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["author", "lab_name", "country_code", "country_name"])
        w.writerow(["deepseek", "DeepSeek AI", "CN", "China"])
        w.writerow(["sao10k", "Sao10K", "GB", "United Kingdom"])
    assert main(["relabel", str(snap), "--labs", str(labs)]) == 0
    s = load_snapshot(snap)
    db = SnapshotDB(s)
    opts = db.query("filter_options_labs").set_index("author")
    assert opts.loc["deepseek", "lab_name"] == "DeepSeek AI"
    assert opts.loc["sao10k", "country_code"] == "GB"
    # authors the edited table lacks are kept, as unknown country
    assert opts.loc["qwen", "country_code"] == "XX"
    assert "qwen" in capsys.readouterr().out


def test_relabel_keeps_the_providers_and_the_extra_tables(tmp_path):
    from tests.tiny_value import build_value_snapshot
    from tokenshare.data.snapshot.extra_tables import BENCHMARKS_FILE

    src = build_value_snapshot(tmp_path / "snap")
    before = (src.path / BENCHMARKS_FILE).read_bytes()
    assert main(["relabel", str(src.path), "--out", str(tmp_path / "out")]) == 0
    out = load_snapshot(tmp_path / "out")
    assert BENCHMARKS_FILE in out.manifest["files"] and (out.path / BENCHMARKS_FILE).read_bytes() == before
    assert out.manifest["extras"]["benchmarks"]["meta"]["as_of"] == "2026-01-27T12:00:00Z"
    from tests.tiny_providers import build_providers_snapshot

    prov = build_providers_snapshot(tmp_path / "prov")
    assert main(["relabel", str(prov.path), "--out", str(tmp_path / "prov-out")]) == 0
    assert load_snapshot(tmp_path / "prov-out").has_endpoints
