"""The tiny snapshot (tests/tiny.py) with a task table and app rankings, for the task
split and the Apps page (figures by hand in tests/analysis/test_tasks_apps.py and
tests/pages/test_apps_tasks.py).

Task windows (7 days to), each tag's share of classified tokens, and its listed models
with their share of the tag's tokens:

    2026-01-18  code:gen (Generation, code, 0.6):  DeepSeek V3 open 0.5, GPT-5 closed 0.2,
                                                   acme/unknown (no model) 0.1
                code:debug (Debugging, code, 0.2): Mistral Medium closed 0.4
                chat:rp (Roleplay, general, 0.2):  no model listed
    2026-01-25  code:gen (0.5):                    DeepSeek V3 open 0.3, GPT-5 closed 0.3
                code:debug (0.5):                  Mistral Medium closed 0.2, Qwen3 open 0.2

App rankings (30 days to; popular overall unless said):

    2026-01-20  1 Alpha 600 tokens / 10 requests, 2 Beta 300 / 30, 3 Gamma 100 / 4
    2026-01-27  1 Beta 500 / 25, 2 Alpha 400 / 8, 3 "*Delta* [x](http://e.com)" 100 / 10
    2026-01-27  coding: 1 Alpha 400 / 8;  trending: 1 Delta, 2 Alpha
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import MODELS, build_tiny_snapshot
from tokenshare.data.snapshot.extra_tables import APPS_FILE, TASKS_FILE

D = dt.date
DELTA = "*Delta* [x](http://e.com)"
TAGS = {"code:gen": ("Generation", "code"), "code:debug": ("Debugging", "code"), "chat:rp": ("Roleplay", "general")}


def task(end, tag, share, rank=0, slug=None, tag_share=None) -> dict:
    name, macro = TAGS[tag]
    return {"window_end": end, "window_days": 7, "tag": tag, "display_name": name, "macro_category": macro,
            "usage_share": share, "token_share": share, "category_usage_share": share, "category_token_share": share,
            "model_rank": rank, "model_permaslug": slug, "tag_usage_share": tag_share, "tag_token_share": tag_share,
            "fetched_on": end + dt.timedelta(days=1)}


TASK_ROWS = [
    task(D(2026, 1, 18), "code:gen", 0.6, 1, "deepseek/deepseek-v3", 0.5),
    task(D(2026, 1, 18), "code:gen", 0.6, 2, "openai/gpt-5", 0.2),
    task(D(2026, 1, 18), "code:gen", 0.6, 3, "acme/unknown", 0.1),
    task(D(2026, 1, 18), "code:debug", 0.2, 1, "mistralai/mistral-medium", 0.4),
    task(D(2026, 1, 18), "chat:rp", 0.2),
    task(D(2026, 1, 25), "code:gen", 0.5, 1, "deepseek/deepseek-v3", 0.3),
    task(D(2026, 1, 25), "code:gen", 0.5, 2, "openai/gpt-5", 0.3),
    task(D(2026, 1, 25), "code:debug", 0.5, 1, "mistralai/mistral-medium", 0.2),
    task(D(2026, 1, 25), "code:debug", 0.5, 2, "qwen/qwen3-235b", 0.2),
]


def app(end, rank, app_id, name, tokens, requests, sort="popular", category="") -> dict:
    return {"end_date": end, "start_date": end - dt.timedelta(days=29), "sort": sort, "category": category,
            "subcategory": "", "rank": rank, "app_id": app_id, "app_name": name, "total_tokens": tokens,
            "total_requests": requests, "fetched_on": end + dt.timedelta(days=1)}


APP_ROWS = [
    app(D(2026, 1, 20), 1, 1, "Alpha", 600, 10), app(D(2026, 1, 20), 2, 2, "Beta", 300, 30),
    app(D(2026, 1, 20), 3, 3, "Gamma", 100, 4),
    app(D(2026, 1, 27), 1, 2, "Beta", 500, 25), app(D(2026, 1, 27), 2, 1, "Alpha", 400, 8),
    app(D(2026, 1, 27), 3, 4, DELTA, 100, 10),
    app(D(2026, 1, 27), 1, 1, "Alpha", 400, 8, category="coding"),
    app(D(2026, 1, 27), 1, 4, DELTA, 100, 10, sort="trending"), app(D(2026, 1, 27), 2, 1, "Alpha", 400, 8, sort="trending"),
]


# For the openness in force over each window: DeepSeek V3's weights published on 2026-01-19
# (the first day of the window to 01-25: open in it, closed in the one to 01-18), Qwen3's on
# 2026-01-20 (inside the window to 01-25: closed in it).
OPENED = {"deepseek/deepseek-v3": D(2026, 1, 19), "qwen/qwen3-235b": D(2026, 1, 20)}


# Trending per category (build_extras_snapshot(trending_by_category=True)): coding's trending
# list, 2026-01-20: 1 Gamma, 2 Alpha; 2026-01-27: 1 Alpha, 2 Epsilon (not in coding's popular
# ranking, which lists Alpha alone). A popular coding ranking for 2026-01-20 lists Gamma, Alpha.
TRENDING_CATEGORY_ROWS = [
    app(D(2026, 1, 20), 1, 3, "Gamma", 100, 4, sort="trending", category="coding"),
    app(D(2026, 1, 20), 2, 1, "Alpha", 600, 10, sort="trending", category="coding"),
    app(D(2026, 1, 27), 1, 1, "Alpha", 400, 8, sort="trending", category="coding"),
    app(D(2026, 1, 27), 2, 5, "Epsilon", 50, 5, sort="trending", category="coding"),
    app(D(2026, 1, 20), 1, 1, "Alpha", 600, 10, category="coding"),
    app(D(2026, 1, 20), 2, 3, "Gamma", 100, 4, category="coding"),
]


def build_extras_snapshot(target: Path, opened: dict | None = None, trending_by_category: bool = False):
    more = {}
    if opened:
        more["models"] = [dict(m, open_weights_since=opened.get(m["model_permaslug"])) for m in MODELS]
    app_rows = APP_ROWS + (TRENDING_CATEGORY_ROWS if trending_by_category else [])
    return build_tiny_snapshot(target, extra_tables={TASKS_FILE: TASK_ROWS, APPS_FILE: app_rows}, **more)
