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
