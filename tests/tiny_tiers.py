"""A tiny snapshot with `:free` rows, other variants and a model whose weights open
mid-range, every figure worked out by hand.

Days 2026-01-05 (Monday) to 2026-01-18 (Sunday): two full ISO weeks, W1 = Jan 5-11 and
W2 = Jan 12-18. Daily tokens:

    permaslug              models.parquet                     W1    W2
    a/open                 open (hugging_face_id)            100   100
    a/open:free            own row, open, price 0             50    50
    b/late                 open, open_weights_since Jan 8     40    40
    b/late:free            no row (takes b/late's)             -    10
    c/closed               closed                            200   200
    c/closed:free          own row, closed, price 0            -    20
    c/closed:extended      own row, closed                    30    30
    d/orphan:free          no row, base missing: unclassified  5     5
    e/base:thinking        no row, base e/base open (no usage) 15    15
    other                                                     10    10

Openness per day: b/late is closed on Jan 5, 6, 7 and open from Jan 8.
W1: open = a 150x7 + b 40x4 + e 15x7 = 1050 + 160 + 105 = 1315
    closed = c (200 + 30)x7 + b 40x3 = 1610 + 120 = 1730
    free: open 50x7 = 350, closed 0
W2: open = 1050 + (40 + 10)x7 + 105 = 1505; closed = 1610 + 20x7 = 1750
    free: open (50 + 10)x7 = 420, closed 20x7 = 140
Unclassified: d/orphan:free 35 a week. Other: 70 a week.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import daily_usage
from tokenshare.data.snapshot.write import write_snapshot

FIRST_DAY = dt.date(2026, 1, 5)
LAST_DAY = dt.date(2026, 1, 18)
W1, W2 = dt.date(2026, 1, 5), dt.date(2026, 1, 12)
OPENS = dt.date(2026, 1, 8)

DAILY = {  # W1, W2
    "a/open": (100, 100),
    "a/open:free": (50, 50),
    "b/late": (40, 40),
    "b/late:free": (0, 10),
    "c/closed": (200, 200),
    "c/closed:free": (0, 20),
    "c/closed:extended": (30, 30),
    "d/orphan:free": (5, 5),
    "e/base:thinking": (15, 15),
    "other": (10, 10),
}


def _model(slug, name, open_weights, *, since=None, price=(1.0, 2.0)):
    author = slug.split("/", 1)[0]
    return {
        "model_permaslug": slug, "model_id": slug.split(":", 1)[0], "name": name, "author": author,
        "released_at": dt.date(2025, 6, 1), "open_weights": open_weights,
        "open_weights_basis": "hugging_face_id", "hugging_face_id": f"{author}/x" if open_weights else None,
        "context_length": 131072, "price_prompt_usd_per_mtok": price[0],
        "price_completion_usd_per_mtok": price[1], "open_weights_since": since,
    }


def models(late_since=OPENS, late_open=True) -> list[dict]:
    return [
        _model("a/open", "A: Open", True),
        _model("a/open:free", "A: Open", True, price=(0.0, 0.0)),
        _model("b/late", "B: Late", late_open, since=late_since if late_open else None),
        _model("c/closed", "C: Closed", False, price=(3.0, 15.0)),
        _model("c/closed:free", "C: Closed", False, price=(0.0, 0.0)),
        _model("c/closed:extended", "C: Closed", False, price=(3.0, 15.0)),
        _model("e/base", "E: Base", True),
    ]


def usage() -> list[dict]:
    return daily_usage(DAILY, FIRST_DAY, LAST_DAY)


LABS = [
    {"author": a, "lab_name": n, "country_code": c, "country_name": cn}
    for a, n, c, cn in (("a", "Lab A", "US", "United States"), ("b", "Lab B", "CN", "China"),
                        ("c", "Lab C", "US", "United States"), ("d", "Lab D", "FR", "France"),
                        ("e", "Lab E", "CN", "China"))
]


def build(target: Path, **kw):
    return write_snapshot(
        target, usage=usage(), models=kw.pop("models", None) or models(), labs=LABS, source="tiny tiers fixture",
        synthetic=False, as_of="2026-01-19T02:00:00Z", start_date=FIRST_DAY, end_date=LAST_DAY, **kw,
    )
