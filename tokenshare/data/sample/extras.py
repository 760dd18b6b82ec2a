"""The synthetic sample's four extra tables (``tokenshare.data.snapshot.extra_tables``),
shaped after the examples in OpenRouter's OpenAPI spec and labelled synthetic like the
rest of the sample (the manifest's ``extras`` says so, table by table). Python's own
``random.Random`` (seeded) and rounded figures keep the files byte-identical anywhere.

- **benchmarks**: Artificial Analysis-style indices (0-100) for the base models ranked
  on any day of the sample, except about one in eight (left unscored, as a model new
  to the source is). The index grows with the model's release date and its price, with
  scatter; coding and agentic indices follow it, a few left null.
- **session_cost**: six made-up harnesses, each with its eight most used models of the
  last 28 days and the four turn ranges; the median cost grows with the turn range and
  the model's blended price (15:1 prompt to completion, as the Spend page's split).
- **task_shares**: twelve task tags in four macro-categories, six 7-day windows a
  week apart ending on the sample's last day, each tag's top five models.
- **app_rankings**: made-up apps, the ten rankings a refresh fetches, four fetches a
  week apart (a history), popular by 30-day tokens and trending by growth, overall and
  per category.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from tokenshare.data.snapshot.extra_tables import (
    APPS_FILE, BENCHMARKS_FILE, SESSION_COST_FILE, TASKS_FILE, TURN_RANGES,
)

RECENT_DAYS = 28
PROMPT_SHARE = 15 / 16  # the Spend page's assumed split: 15 prompt tokens to 1 completion
HARNESSES = (("terminal-pilot", "Terminal Pilot"), ("codewright", "Codewright"), ("ide-buddy", "IDE Buddy"),
             ("agent-forge", "Agent Forge"), ("patchbot", "PatchBot"), ("shellhand", "Shellhand"))
TURN_BASE_USD = {"1-turn": 0.02, "2-9-turns": 0.15, "10-49-turns": 0.9, "50-plus-turns": 4.0}
TAGS = (("code:general_impl", "Code Generation", "code"), ("code:debugging", "Debugging", "code"),
        ("code:refactor", "Refactoring", "code"), ("code:review", "Code Review", "code"),
        ("data:extraction", "Data Extraction", "data"), ("data:analysis", "Data Analysis", "data"),
        ("agent:web_search", "Web Search", "agent"), ("agent:tool_use", "Tool Use", "agent"),
        ("general:qa", "Questions", "general"), ("general:summarisation", "Summarisation", "general"),
        ("general:roleplay", "Roleplay", "general"), ("general:translation", "Translation", "general"))
MACRO_LABELS = {"code": "Code", "data": "Data", "agent": "Agent", "general": "General"}
APP_SUBCATEGORIES = {"coding": ("cli-agent", "ide-extension", "cloud-agent"), "creative": ("creative-writing", "image-gen"),
                     "productivity": ("writing-assistant", "general-chat", "personal-agent"),
                     "entertainment": ("roleplay", "game")}
APP_WORDS = ("Nova", "Quill", "Harbor", "Lumen", "Cobalt", "Fable", "Pilot", "Atlas", "Ember", "Willow", "Orbit",
             "Sable", "Tandem", "Vesper", "Kite", "Juniper", "Mosaic", "Relay", "Summit", "Echo")
APP_KINDS = ("Code", "Chat", "Studio", "Agent", "Writer", "Tavern", "Desk", "Works")
RANKINGS = (("popular", "", ""), ("trending", "", ""), ("popular", "coding", ""), ("popular", "creative", ""),
            ("popular", "productivity", ""), ("popular", "entertainment", ""))
# trending per category, as a refresh fetches it too: made after the rankings above and
# without the random source, so their rows stay as they were (an app's requests in a
# fetch are the ones its category's popular ranking gives)
TRENDING_BY_CATEGORY = tuple(("trending", c, "") for c in APP_SUBCATEGORIES)


def _recent_tokens(usage_rows, end: dt.date, days: int = RECENT_DAYS) -> dict[str, int]:
    first = end - dt.timedelta(days=days - 1)
    out: dict[str, int] = {}
    for r in usage_rows:
        if r["date"] >= first and r["model_permaslug"] != "other":
            base = r["model_permaslug"].split(":")[0]
            out[base] = out.get(base, 0) + r["total_tokens"]
    return out


def _blended(m: dict) -> float:
    return PROMPT_SHARE * (m["price_prompt_usd_per_mtok"] or 0) + (1 - PROMPT_SHARE) * (m["price_completion_usd_per_mtok"] or 0)


def benchmarks(models: list[dict], recent: dict[str, int], fetched_on: dt.date, rng: random.Random) -> list[dict]:
    rows = []
    for m in sorted(models, key=lambda m: m["model_permaslug"]):
        slug = m["model_permaslug"]
        if ":" in slug or slug not in recent or m["open_weights"] is None or rng.random() < 0.125:
            continue
        years = ((m["released_at"] or dt.date(2024, 1, 1)) - dt.date(2024, 1, 1)).days / 365
        intel = 25 + 7 * max(years, 0) + 9 * math.log2(1 + _blended(m)) + rng.gauss(0, 4)
        intel = round(min(max(intel, 5.0), 78.0), 1)
        coding = None if rng.random() < 0.06 else round(min(intel * rng.uniform(0.82, 1.1), 80.0), 1)
        agentic = None if rng.random() < 0.1 else round(intel * rng.uniform(0.7, 1.02), 1)
        rows.append({"model_permaslug": slug, "display_name": m["name"].split(": ", 1)[-1],
                     "intelligence_index": intel, "coding_index": coding, "agentic_index": agentic,
                     "price_prompt_usd_per_mtok": m["price_prompt_usd_per_mtok"],
                     "price_completion_usd_per_mtok": m["price_completion_usd_per_mtok"], "fetched_on": fetched_on})
    return rows


def session_cost(models: dict[str, dict], top: list[str], end: dt.date, fetched_on: dt.date,
                 rng: random.Random) -> list[dict]:
    rows = []
    for h, (slug, name) in enumerate(HARNESSES):
        picks = rng.sample(top[:20], 8)
        for model in sorted(picks):
            price = max(_blended(models[model]), 0.02)
            for turn in TURN_RANGES:
                cost = TURN_BASE_USD[turn] * (price / 3) ** 0.8 * (0.7 + 0.15 * h) * math.exp(rng.gauss(0, 0.25))
                rows.append({"app_slug": slug, "app_name": name, "model_permaslug": model, "turn_range": turn,
                             "median_session_cost_usd": round(cost, 4), "window_days": 30,
                             "window_end_date": end, "fetched_on": fetched_on})
    return rows


def _split(rng: random.Random, n: int, total: float) -> list[float]:
    w = [rng.uniform(0.3, 1.0) for _ in range(n)]
    return [total * x / sum(w) for x in w]


def tasks(top: list[str], end: dt.date, rng: random.Random) -> list[dict]:
    rows = []
    for k in range(6):
        window_end = end - dt.timedelta(days=7 * (5 - k))
        usage = _split(rng, len(TAGS), 1.0)
        tokens = [u * rng.uniform(0.6, 1.5) for u in usage]
        tokens = [t / sum(tokens) for t in tokens]
        macro_u = {m: sum(u for u, t in zip(usage, TAGS) if t[2] == m) for m in MACRO_LABELS}
        macro_t = {m: sum(x for x, t in zip(tokens, TAGS) if t[2] == m) for m in MACRO_LABELS}
        for (tag, label, macro), u, t in zip(TAGS, usage, tokens):
            base = {"window_end": window_end, "window_days": 7, "tag": tag, "display_name": label,
                    "macro_category": macro, "usage_share": round(u, 4), "token_share": round(t, 4),
                    "category_usage_share": round(u / macro_u[macro], 4),
                    "category_token_share": round(t / macro_t[macro], 4), "fetched_on": window_end + dt.timedelta(days=1)}
            listed = rng.sample(top[:15], 5)
            covered = rng.uniform(0.55, 0.85)
            for rank, (model, share) in enumerate(zip(listed, sorted(_split(rng, 5, covered), reverse=True)), start=1):
                rows.append({**base, "model_rank": rank, "model_permaslug": model, "tag_usage_share": round(share, 4),
                             "tag_token_share": round(min(share * rng.uniform(0.8, 1.2), 1.0), 4)})
    return rows


def _apps(rng: random.Random) -> list[tuple]:
    subs = [s for group in APP_SUBCATEGORIES.values() for s in group]
    apps = []
    for i in range(24):
        name = f"{APP_WORDS[i % len(APP_WORDS)]} {APP_KINDS[(i * 3) % len(APP_KINDS)]}"
        if i == 17:
            name = "*Starlight* Chat [beta]"  # app names are data: shown as text, never Markdown
        tokens = int(4e11 * (0.78 ** i) * rng.uniform(0.8, 1.2))
        apps.append((1000 + i, name, subs[(i * 7) % len(subs)], tokens, rng.uniform(-0.1, 0.12)))
    return apps


def app_rankings(end: dt.date, rng: random.Random) -> list[dict]:
    apps, rows = _apps(rng), []
    for k in range(4):
        fetch_end = end - dt.timedelta(days=7 * (3 - k))
        now = [(a[0], a[1], a[2], int(a[3] * (1 + a[4]) ** k), a[4]) for a in apps]
        for sort, category, sub in RANKINGS:
            pool = [a for a in now if not category or a[2] in APP_SUBCATEGORIES[category]]
            if sort == "trending":
                pool = sorted((a for a in pool if a[4] > 0), key=lambda a: (-a[3] * a[4], a[0]))
            else:
                pool = sorted(pool, key=lambda a: (-a[3], a[0]))
            for rank, a in enumerate(pool[:20], start=1):
                rows.append({"end_date": fetch_end, "start_date": fetch_end - dt.timedelta(days=29), "sort": sort,
                             "category": category, "subcategory": sub, "rank": rank, "app_id": a[0],
                             "app_name": a[1], "total_tokens": a[3], "total_requests": a[3] // rng.randint(9_000, 60_000),
                             "fetched_on": fetch_end + dt.timedelta(days=1)})
        rows += _trending_by_category(now, rows, fetch_end)
    return rows


def _trending_by_category(now: list[tuple], rows: list[dict], fetch_end: dt.date) -> list[dict]:
    requests = {(r["category"], r["app_id"]): r["total_requests"] for r in rows
                if r["end_date"] == fetch_end and r["sort"] == "popular"}
    out = []
    for sort, category, sub in TRENDING_BY_CATEGORY:
        pool = sorted((a for a in now if a[2] in APP_SUBCATEGORIES[category] and a[4] > 0),
                      key=lambda a: (-a[3] * a[4], a[0]))
        for rank, a in enumerate(pool[:20], start=1):
            out.append({"end_date": fetch_end, "start_date": fetch_end - dt.timedelta(days=29), "sort": sort,
                        "category": category, "subcategory": sub, "rank": rank, "app_id": a[0], "app_name": a[1],
                        "total_tokens": a[3], "total_requests": requests[(category, a[0])],
                        "fetched_on": fetch_end + dt.timedelta(days=1)})
    return out


def sample_extras(models_rows: list[dict], usage_rows, *, end: dt.date, seed: int, scale: int) -> tuple[dict, dict]:
    """({file: rows}, the manifest's ``extras`` record) of the sample."""
    rng = random.Random(f"extras-{seed}-{scale}")
    fetched_on = end + dt.timedelta(days=1)
    recent = _recent_tokens(usage_rows, end)
    by_slug = {m["model_permaslug"]: m for m in models_rows}
    top = [s for s, _ in sorted(recent.items(), key=lambda kv: (-kv[1], kv[0])) if s in by_slug
           and by_slug[s]["open_weights"] is not None]
    ever = _recent_tokens(usage_rows, end, days=10_000)  # every model ever ranked
    tables = {BENCHMARKS_FILE: benchmarks(models_rows, ever, fetched_on, rng),
              SESSION_COST_FILE: session_cost(by_slug, top, end - dt.timedelta(days=1), fetched_on, rng),
              TASKS_FILE: tasks(top, end, rng), APPS_FILE: app_rankings(end, rng)}
    note = "synthetic: made by tokenshare sample, shaped after OpenRouter's published examples; not OpenRouter data"
    record = {name: {"synthetic": True, "rows": len(tables[f]), "meta": {"note": note}}
              for name, f in (("benchmarks", BENCHMARKS_FILE), ("session_cost", SESSION_COST_FILE),
                              ("tasks", TASKS_FILE), ("apps", APPS_FILE))}
    return tables, record
