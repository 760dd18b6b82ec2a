"""Altair charts, one module per family: ``share`` (share over time), ``race`` (ranks,
spells at #1, the animated race's bars), ``launches``, ``spend``,
``segments``, ``providers`` and ``compare``; ``base`` holds what they share (a lab keeps one colour on every chart, the
click selections' names, the 50% line and the grey bands over incomplete periods).

Every chart gets data already aggregated in DuckDB (a few hundred to a few thousand
rows). Pages write ``charts.share_area(...)``: the charts are named here, and every
helper exported from a family module is wrapped in ``finished.cached_chart`` at the end
of this file: the same arguments give the same finished chart, built once, and
``charts.draw`` puts any chart on the page (``finished``)."""

import altair as alt  # noqa: F401  (``charts.alt``, for code that layers onto a chart)

from tokenshare.app.charts.base import (  # noqa: F401
    COUNTRY_COLOURS,
    FIXED,
    SIDES,
    LAB_COLOURS,
    LAB_PICK,
    LAUNCH_PICK,
    PALETTE,
    THEMED_TEXT,
    TOKENS_LABEL,
    colour_for,
    colour_scale,
)
from tokenshare.app.charts.compare import restated_bars  # noqa: F401
from tokenshare.app.charts.launches import (  # noqa: F401
    launch_lab_chart,
    launch_rules,
    launch_scatter,
    with_launch_markers,
)
from tokenshare.app.charts.providers import price_ladder, provider_count_bars  # noqa: F401
from tokenshare.app.charts.race import bump_chart, leader_timeline, race_bars  # noqa: F401
from tokenshare.app.charts.segments import mix_bars, segment_bars, segment_lines  # noqa: F401
from tokenshare.app.charts.share import (  # noqa: F401
    bounded_share_lines,
    coverage_lines,
    cut_band,
    open_share_line,
    share_area,
    share_area_interactive,
    share_lines,
)
from tokenshare.app.charts.spend import open_vs_spend_lines, sensitivity_lines, split_bars  # noqa: F401
from tokenshare.app.charts.value import value_scatter  # noqa: F401

from tokenshare.app.charts import finished as _finished  # noqa: E402
from tokenshare.app.charts.finished import FinishedChart, draw  # noqa: E402,F401

# Every chart helper imported above from a family module (any module of this package but
# base and finished) is built once per input: tokenshare/app/charts/finished.py. A helper
# added to the imports above is included without further ado.
_finished.cache_helpers(globals(), __name__, skip=("base", "finished"))
