"""Segments on tests/tiny.py's snapshot, small enough to work every figure out by hand.

Modality (exact, every day 2026-01-05 .. 01-27), per model and day:
    text:          deepseek-v3 100 (open), gpt-5 100 (closed)                -> open share 0.50
    tool_calling:  deepseek-v3 30 (60 in W3), gpt-5 90, retired/old-model 5 (unclassified),
                   other 10                                                  -> 30/120 = 0.25 (W3: 60/150 = 0.40)
Language (weekly estimates, weeks W1..W3 only):
    programming:   deepseek-v3 70, gpt-5 30                                  -> 0.70
    natural:       deepseek-v3 20, mistral-medium 80                         -> 0.20

Hand-worked over W1..W3 (2026-01-05 .. 01-25, 21 days; tiny.py: open 160/260/310 and
closed 240/240/190 a day):
    usage open = 7 x (160+260+310) = 5110, closed = 7 x (240+240+190) = 4690
    tool_calling open = 7 x (30+30+60) = 840 -> 840/5110 of open tokens; closed 1890/4690
    text open 2100/5110, closed 2100/4690
    language mix (yardstick: the segments' sum): open 3 x 90, closed 3 x 110:
        programming 70/90 of open, 30/110 of closed
    tool_calling leaders: OpenAI 1890, DeepSeek 840, retired 105; with other 210 the
        segment holds 3045, so OpenAI's share is 1890/3045.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import FIRST_DAY, LAST_DAY, WEEKS, build_tiny_snapshot

MODALITY = {
    "text": {"deepseek/deepseek-v3": 100, "openai/gpt-5": 100},
    "tool_calling": {"deepseek/deepseek-v3": 30, "openai/gpt-5": 90, "retired/old-model": 5, "other": 10},
}
LANGUAGE = {
    "programming": {"deepseek/deepseek-v3": 70, "openai/gpt-5": 30},
    "natural": {"deepseek/deepseek-v3": 20, "mistralai/mistral-medium": 80},
}
W3 = WEEKS[2]


def segment_rows() -> list[dict]:
    rows = []
    day = FIRST_DAY
    while day <= LAST_DAY:
        for seg, per_model in MODALITY.items():
            for slug, tokens in per_model.items():
                if seg == "tool_calling" and slug == "deepseek/deepseek-v3" and W3 <= day < W3 + dt.timedelta(days=7):
                    tokens = 60
                rows.append({"dimension": "modality", "segment": seg, "date": day, "model_permaslug": slug,
                             "total_tokens": tokens, "is_estimate": False})
        day += dt.timedelta(days=1)
    for week in WEEKS[:3]:
        for seg, per_model in LANGUAGE.items():
            for slug, tokens in per_model.items():
                rows.append({"dimension": "language", "segment": seg, "date": week, "model_permaslug": slug,
                             "total_tokens": tokens, "is_estimate": True})
    return rows


def build_segment_snapshot(target: Path):
    return build_tiny_snapshot(target, usage_by_segment=segment_rows())
