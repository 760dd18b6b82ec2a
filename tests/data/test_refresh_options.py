"""``RefreshOptions``: one frozen value per refresh, built once by each caller (the
command line from its parsed arguments, the auto-refresh; the owner's button is in
tests/app/test_refresh_button_options.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from tokenshare.cli import build_parser
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.published.locate import SNAPSHOTS_DIR
from tokenshare.data.refresh import cli as refresh_cli
from tokenshare.data.refresh.auto import AutoRefresher
from tokenshare.data.refresh.catalogue import OVERRIDES_FILE
from tokenshare.data.refresh.pipeline import RefreshOptions
from tokenshare.data.refresh.plan import DEFAULT_CATEGORY_WINDOW_WEEKS, DEFAULT_WINDOW_DAYS
from tokenshare.data.refresh.providers import default_cache_dir
from tokenshare.data.refresh.segments import DEFAULT_SEGMENT_WINDOW_WEEKS


def test_options_are_frozen():
    o = RefreshOptions("snaps", categories=True)
    for name, value in (("categories", False), ("out_dir", Path("elsewhere")), ("prune", 3)):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(o, name, value)
    assert o.categories is True and o.out_dir == Path("snaps") and o.prune is None


def test_options_hold_tuples_and_paths_so_nothing_in_them_changes():
    files = ["a.json", Path("b.json")]
    names = ["programming"]
    o = RefreshOptions("snaps", from_json=files, category_names=names, labs_path="labs.csv")
    files.append("c.json")
    names.append("roleplay")
    assert o.from_json == (Path("a.json"), Path("b.json"))
    assert o.category_names == ("programming",)
    assert o.out_dir == Path("snaps") and o.labs_path == Path("labs.csv")
    assert hash(o) == hash(RefreshOptions(Path("snaps"), from_json=("a.json", "b.json"),
                                          category_names=("programming",), labs_path=Path("labs.csv")))


def test_the_defaults_are_the_command_lines():
    o = RefreshOptions()
    assert o.out_dir == Path(SNAPSHOTS_DIR) and (o.since, o.until, o.from_json, o.prune) == (None,) * 4
    assert (o.window_days, o.category_window_weeks, o.segment_window_weeks) == (
        DEFAULT_WINDOW_DAYS, DEFAULT_CATEGORY_WINDOW_WEEKS, DEFAULT_SEGMENT_WINDOW_WEEKS)
    assert not (o.full or o.categories or o.segments or o.providers)
    assert (o.overrides_path, o.labs_path) == (Path(OVERRIDES_FILE), Path(REFERENCE_LABS))
    assert o.providers_cache_dir() == default_cache_dir()
    assert RefreshOptions(providers_cache=None).providers_cache_dir() is None
    assert RefreshOptions(providers_cache="c").providers_cache_dir() == Path("c")


def test_the_command_line_builds_the_options_its_arguments_ask_for():
    args = build_parser().parse_args([
        "refresh", "--out", "snaps", "--since", "2025-02-01", "--until", "2025-03-01", "--categories",
        "--category", "programming", "--category", "roleplay", "--segments", "--segment-window-weeks", "4",
        "--providers", "--window-days", "7", "--category-window-weeks", "2", "--full", "--prune", "5",
    ])
    assert refresh_cli.options_from_args(args) == RefreshOptions(
        Path("snaps"), since=dt.date(2025, 2, 1), until=dt.date(2025, 3, 1), full=True, window_days=7,
        categories=True, category_names=("programming", "roleplay"), category_window_weeks=2,
        segments=True, segment_window_weeks=4, providers=True, prune=5,
    )
    plain = build_parser().parse_args(["refresh", "--from-json", "a.json", "models.json"])
    assert refresh_cli.options_from_args(plain) == RefreshOptions(from_json=("a.json", "models.json"))


def test_the_command_line_runs_the_refresh_with_those_options(monkeypatch):
    seen = []

    def fake_run_refresh(options, **kw):
        seen.append((options, sorted(kw)))
        raise refresh_cli.RefreshError("stop here", stage="starting")

    monkeypatch.setattr(refresh_cli, "run_refresh", fake_run_refresh)
    args = build_parser().parse_args(["refresh", "--out", "snaps", "--categories", "--prune", "2"])
    import io

    assert refresh_cli.run(args, stdout=io.StringIO(), stderr=io.StringIO()) == 1
    assert seen == [(RefreshOptions("snaps", categories=True, prune=2), ["progress"])]


def test_the_auto_refresh_asks_for_an_incremental_refresh_with_categories_and_segments(tmp_path):
    r = AutoRefresher(tmp_path / "snaps", 86400.0)
    assert r.options() == RefreshOptions(tmp_path / "snaps", categories=True, segments=True)
    day = dt.date(2025, 2, 21)
    r.refresh_kw = {"today": day}  # tests fix the clock this way
    assert r.options() == RefreshOptions(tmp_path / "snaps", categories=True, segments=True, today=day)
