"""What the browser is sent for each chart (issue 25): only the columns a chart draws
leave the server (tokenshare/app/charts/finished.drawn_columns), so every field a spec
names must still be in the chart's data; and the charts that were cut hardest show the
figures an independent query of the sample's Parquet files gives (not the app's SQL).

Also: a chart's spec is the same for a week and a month (only its data changes), so
Streamlit hands the new rows to the chart's existing Vega view instead of building a
new one on every Period change; and every element keeps its place on the page for a day,
a week and a month (Streamlit's browser code keeps an element's drawing by its place: a
note that comes and goes moved every chart after it, and each moved chart was built
again from scratch, 3-4x a redraw's browser time)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pyarrow as pa
import pytest

from tests.pages.apprun import assert_clean, run_app
from tokenshare.core.settings import SAMPLE_DIR
from tokenshare.data.snapshot.validate import load_snapshot
from tokenshare.engine.db import SnapshotDB
from tokenshare.core.formatting import human_tokens

# Spend's and Race's charts are in tabs, only the open one drawn: each tab is a page of its own here.
PAGES = ["views/race.py", "views/race.py?detail=Shares", "views/segments.py", "views/spend.py", "views/spend.py?section=By lab",
         "views/spend.py?section=Over time", "views/share.py"]
GRAINS = ("week", "month", "day")
LAYOUT_PAGES = [*PAGES, "views/countries.py"]
DATUM = re.compile(r"datum\.([A-Za-z_][A-Za-z0-9_]*)|datum\[['\"]([^'\"]+)['\"]\]")


def charts(at) -> list[tuple[dict, dict[str, pd.DataFrame]]]:
    """Each chart's spec and its datasets (Arrow, as sent) by name."""
    out = []
    for c in at.get("vega_lite_chart"):
        data = {d.name: pa.ipc.open_stream(d.data.data).read_all().to_pandas() for d in c.proto.datasets}
        out.append((json.loads(c.proto.spec), data))
    return out


def named_fields(node, made: set, used: set) -> None:
    """Fields a spec reads (encodings, tooltips, selections, ``datum.x`` in expressions)
    into ``used``; fields its transforms make (``as``) into ``made``."""
    if isinstance(node, list):
        for v in node:
            named_fields(v, made, used)
        return
    if not isinstance(node, dict):
        if isinstance(node, str):
            used.update(a or b for a, b in DATUM.findall(node))
        return
    for k, v in node.items():
        if k == "field" and isinstance(v, str):
            used.add(v)
        elif k == "fields" and isinstance(v, list):
            used.update(x for x in v if isinstance(x, str))
        elif k == "as":
            made.update([v] if isinstance(v, str) else [x for x in v if isinstance(x, str)])
        elif k == "values" and isinstance(v, list):  # inline rows (the 50% rule)
            made.update(key for row in v if isinstance(row, dict) for key in row)
        else:
            named_fields(v, made, used)


def layout(node, path=(), out=None) -> list[tuple[tuple[int, ...], str]]:
    """Every element and block of the page, as (its place, its type), in page order."""
    out = [] if out is None else out
    for i, child in sorted(getattr(node, "children", {}).items()):
        out.append(((*path, i), getattr(child, "type", type(child).__name__)))
        layout(child, (*path, i), out)
    return out


def sample_charts(page: str, grain: str):
    page, _, query = page.partition("?")
    at = run_app({"grain": grain, **dict(kv.split("=", 1) for kv in query.split("&") if kv)}, page=page, timeout=120)
    assert_clean(at)
    return charts(at), layout(at.main)


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    from tokenshare.app import state

    mp = pytest.MonkeyPatch()
    mp.delenv("TOKENSHARE_SNAPSHOT", raising=False)
    mp.setattr(state, "SNAPSHOTS_DIR", tmp_path_factory.mktemp("chart-data") / "no-snapshots")
    try:
        runs = {(p, g): sample_charts(p, g) for p in LAYOUT_PAGES for g in GRAINS}
        yield {key: drawn for key, (drawn, _) in runs.items()}, {key: places for key, (_, places) in runs.items()}
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def drawn(sample_runs):
    return sample_runs[0]


@pytest.mark.parametrize("page", LAYOUT_PAGES)
def test_every_element_keeps_its_place_on_a_period_change(sample_runs, page):
    """The same places, holding the same kinds of element, for a day, a week and a month.
    A ``page.slot`` (``empty`` when it has nothing to say) may hold a note for one grain
    only: the slot keeps the place."""
    places = sample_runs[1]
    week = places[page, "week"]
    for grain in GRAINS[1:]:
        other = places[page, grain]
        assert [p for p, _ in other] == [p for p, _ in week], f"{page}: elements moved at {grain}"
        moved = [(p, a, b) for (p, a), (_, b) in zip(week, other) if a != b and "empty" not in (a, b)]
        assert not moved, f"{page}: at {grain} another kind of element took these places: {moved}"


@pytest.mark.parametrize("page", PAGES)
def test_every_field_a_chart_draws_is_sent(drawn, page):
    for grain in ("week", "month"):
        assert drawn[page, grain], (page, grain, "no chart")
        for i, (spec, data) in enumerate(drawn[page, grain]):
            made, used = set(), set()
            named_fields(spec, made, used)
            sent = set().union(*(set(df.columns) for df in data.values())) if data else set()
            missing = used - sent - made
            assert not missing, f"{page} ({grain}) chart {i} draws {sorted(missing)}, not sent"


@pytest.mark.parametrize("page", PAGES)
def test_a_period_change_keeps_every_charts_spec(drawn, page):
    """Dataset names aside (they are a hash of the rows), a week, a month and a day give
    the same spec: Streamlit then updates the chart's data in place (no new Vega view)."""
    def normalised(spec, data):
        text = json.dumps(spec, sort_keys=True)
        for i, name in enumerate(data):
            text = text.replace(name, f"dataset-{i}")
        return text

    week = drawn[page, "week"]
    for grain in GRAINS[1:]:
        other = drawn[page, grain]
        assert len(week) == len(other)
        for i, ((sw, dw), (so, do)) in enumerate(zip(week, other)):
            assert normalised(sw, dw) == normalised(so, do), f"{page} chart {i}: the spec differs at {grain}"


def marks_of(node) -> list:
    """Every ``mark`` value in a spec (layers, concatenations, facets), walked here."""
    return [unit["mark"] for unit in units_of(node)]


@pytest.mark.parametrize("page", PAGES)
def test_no_chart_mark_makes_an_aria_label_per_item(drawn, page):
    """Each drawn mark says ``aria: false`` (Vega-Lite then makes no per-item ARIA
    description, 10-15% of a rerun's browser CPU on Race and Share); the guides are left
    as they are: no ``config.aria`` turns them off too."""
    for grain in ("week", "month"):
        for i, (spec, _) in enumerate(drawn[page, grain]):
            marks = marks_of(spec)
            assert marks, (page, grain, i)
            assert all(isinstance(m, dict) and m.get("aria") is False for m in marks), (page, grain, i, marks)
            assert (spec.get("config") or {}).get("aria") is not False, (page, grain, i)


def test_marks_without_aria_by_hand():
    from tokenshare.app.charts.finished import marks_without_aria

    spec = {"layer": [{"mark": "line"}, {"mark": {"type": "point", "size": 9}},
                      {"layer": [{"mark": {"type": "rule", "aria": True}}]}],
            "vconcat": [{"mark": "bar"}], "hconcat": [{"facet": {}, "spec": {"mark": "area"}}]}
    marks_without_aria(spec)
    assert spec["layer"][0]["mark"] == {"type": "line", "aria": False}
    assert spec["layer"][1]["mark"] == {"type": "point", "size": 9, "aria": False}
    assert spec["layer"][2]["layer"][0]["mark"] == {"type": "rule", "aria": True}  # a chart's own choice stays
    assert spec["vconcat"][0]["mark"] == {"type": "bar", "aria": False}
    assert spec["hconcat"][0]["spec"]["mark"] == {"type": "area", "aria": False}
    assert "config" not in spec



def units_of(node) -> list[dict]:
    """Every unit spec (a dict with a mark) in a chart's spec."""
    found = []
    if isinstance(node, dict):
        if "mark" in node:
            found.append(node)
        for key, value in node.items():
            if key not in ("mark", "datasets", "data", "config"):
                found.extend(units_of(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(units_of(value))
    return found


@pytest.mark.parametrize("page", LAYOUT_PAGES)
def test_every_tooltip_is_one_expression_on_its_mark(drawn, page):
    """No drawn unit keeps a tooltip in its encoding (Vega-Lite would word each field
    through three interpreted calls per item); each has it on its mark instead."""
    for grain in GRAINS:
        for i, (spec, _) in enumerate(drawn[page, grain]):
            for unit in units_of(spec):
                assert "tooltip" not in (unit.get("encoding") or {}), (page, grain, i, unit["encoding"]["tooltip"])
            assert any("tooltip" in u["mark"] for u in units_of(spec)), (page, grain, i)


def test_tooltips_on_marks_by_hand():
    from tokenshare.app.charts.finished import tooltips_on_marks

    share = [{"field": "period", "type": "temporal", "title": "Period from"},
             {"field": "series", "type": "nominal", "title": "Series"},
             {"field": "rank", "type": "quantitative"},
             {"field": "price", "type": "quantitative", "title": "$ per M", "format": ".3f"},
             {"field": "to_day", "type": "temporal", "title": "Series"}]  # a second "Series": the first wins
    odd = [{"field": "tokens", "type": "quantitative", "aggregate": "sum"}]
    spec = {"layer": [{"mark": "area", "encoding": {"x": {"field": "period"}, "tooltip": share}},
                      {"mark": {"type": "line", "tooltip": True}, "encoding": {"tooltip": share[:1]}},
                      {"mark": "bar", "encoding": {"tooltip": odd}},
                      {"mark": "point", "encoding": {"tooltip": [{"field": "a.b", "type": "nominal"}]}}]}
    tooltips_on_marks(spec)
    area, line, bar, point = spec["layer"]
    assert area == {"mark": {"type": "area", "tooltip": {"expr": (
        '{"Period from": timeFormat(datum["period"], "%b %d, %Y"), "Series": datum["series"], '
        '"rank": format(datum["rank"], ""), "$ per M": format(datum["price"], ".3f")}')}},
        "encoding": {"x": {"field": "period"}}}
    # a mark with a tooltip of its own, an aggregate and a dotted (nested) field: as they were
    assert line["mark"] == {"type": "line", "tooltip": True} and line["encoding"]["tooltip"] == share[:1]
    assert bar == {"mark": "bar", "encoding": {"tooltip": odd}}
    assert point["encoding"]["tooltip"] == [{"field": "a.b", "type": "nominal"}]


def test_tooltip_words_are_vega_lites_own():
    """What Vega-Lite itself makes of the same fields (compiled by vl-convert): a number's
    and a date's words are the very expressions ``tooltips_on_marks`` writes, and a text
    field's is its value, wrapped in Vega-Lite's checks for a missing value and a list."""
    import altair as alt
    import vl_convert

    from tokenshare.app.charts.finished import tooltips_on_marks

    frame = pd.DataFrame({"period": pd.to_datetime(["2026-01-05"]), "series": ["Open weights"], "rank": [2],
                          "price": [0.25]})
    chart = alt.Chart(frame).mark_line(point=True).encode(
        x="period:T", y="rank:Q",
        tooltip=[alt.Tooltip("period:T", title="Period from"), alt.Tooltip("series:N", title="Series"),
                 alt.Tooltip("rank:Q", title="Rank"), alt.Tooltip("price:Q", title="$ per M", format=".3f")])
    spec = chart.to_dict()

    def tooltips(vega) -> list[str]:
        out = []
        for mark in vega.get("marks", []):
            tip = ((mark.get("encode") or {}).get("update") or {}).get("tooltip")
            out += [tip["signal"]] if tip else []
            out += tooltips(mark)
        return out

    theirs = tooltips(vl_convert.vegalite_to_vega(json.loads(json.dumps(spec))))
    ours = tooltips(vl_convert.vegalite_to_vega(tooltips_on_marks(json.loads(json.dumps(spec)))))
    assert len(theirs) == len(ours) == 2  # the line and its points
    assert len(set(ours)) == 1 and len(set(theirs)) == 1
    for part in ('"Period from": timeFormat(datum["period"], "%b %d, %Y")', '"Rank": format(datum["rank"], "")',
                 '"$ per M": format(datum["price"], ".3f")'):
        assert part in theirs[0].replace("\\", "\\") and part in ours[0], part
    assert '"Series": datum["series"]' in ours[0]
    assert ('"Series": isValid(datum["series"]) ? isArray(datum["series"]) ? join(datum["series"], \'\\n\') : '
            'datum["series"] : ""+datum["series"]') in theirs[0]

def sample_query(name: str, **params) -> pd.DataFrame:
    """A named query run straight on the bundled sample, over its whole range."""
    snapshot = load_snapshot(SAMPLE_DIR)
    db = SnapshotDB(snapshot)
    try:
        return db.query(name, start=snapshot.start_date, end=snapshot.end_date, **params)
    finally:
        db.close()


def _rows(df: pd.DataFrame, cols: list[str]) -> set:
    d = df.dropna(subset=[c for c in cols if c != "period"])[cols].copy()
    d["period"] = pd.to_datetime(d["period"]).dt.date
    return set(d.itertuples(index=False, name=None))


def test_bump_chart_draws_each_top_labs_rank_of_the_named_query(drawn):
    """Race at its defaults (open-weight labs, top 10, weeks over the whole sample): one
    point per week for each of the 10 labs with the most open-weight tokens in the
    range, where it ranks in the top 10, with its tokens and share in the tooltip; here
    from queries/pages/lab_ranks.sql run straight on the sample, the top 10 picked in the
    test."""
    ranks = sample_query("lab_ranks", grain="week", scope="open", countries=[], labs=[], tier="all")
    top = ranks.groupby("lab_name")["tokens"].sum().nlargest(10).index
    want = ranks[ranks["lab_name"].isin(top) & (ranks["rank"] <= 10)]
    want = {(pd.Timestamp(w).date(), lab, int(r), human_tokens(t), f"{round(sh * 100, 1)}%")
            for w, lab, r, t, sh in zip(want["period"], want["lab_name"], want["rank"], want["tokens"], want["share"])}
    spec, data = drawn["views/race.py", "week"][0]
    bump = next(iter(data.values()))
    got = {(p, lab, int(r), t, sh)
           for p, lab, r, t, sh in _rows(bump, ["period", "lab_name", "rank", "tokens_label", "share_label"])}
    assert len(want) > 500 and got == want


def test_share_page_line_is_the_named_querys_open_share(drawn):
    """Share at its defaults: the open-weight share of named tokens, week by week, as
    queries/pages/open_share_by_period.sql gives it run straight on the sample."""
    want = sample_query("open_share_by_period", grain="week", openness="all", countries=[], labs=[], tier="all")
    spec, data = drawn["views/share.py", "week"][0]
    line = max(data.values(), key=len)
    got = {p: round(s, 9) for p, s in _rows(line, ["period", "open_share"])}
    want = want.dropna(subset=["open_share"])
    assert len(got) > 90 and got == {pd.Timestamp(w).date(): round(s, 9) for w, s in zip(want["period"], want["open_share"])}


@pytest.mark.parametrize("page", PAGES)
def test_no_chart_selects_by_nearest_point(drawn, page):
    """A `nearest` selection adds a Voronoi layer (a path per data point) that Vega
    recomputes and rewrites on every redraw; the pickable marks carry their selections."""
    for grain in GRAINS:
        for i, (spec, _) in enumerate(drawn[page, grain]):
            assert '"nearest": true' not in json.dumps(spec), (page, grain, i)
