"""The stand-in's four extra Data API endpoints (issue 23), served by
``tests/openrouter_server.FakeOpenRouter`` (needs the key, like rankings-daily):

- ``GET /api/v1/benchmarks?source=artificial-analysis``: ``BENCHMARKS`` (one model
  without a coding index, one permaslug no catalogue knows);
- ``GET /api/v1/datasets/session-cost``: ``SESSION_COST`` cells (``session_cells``),
  paged by ``limit``/``offset`` as the API does;
- ``GET /api/v1/classifications/task?window=7d``: ``TASKS`` (a tag listing no model);
- ``GET /api/v1/datasets/app-rankings``: ``APPS`` ranked per ``sort``, filtered by
  ``category`` / ``subcategory``; a subcategory outside its category is a 400, as the
  API documents (``SUBCATEGORIES``).

Every parameter is checked against the spec's (``openapi-extras.json``, trimmed from
OpenRouterTeam/docs): a value the spec does not allow is a 400. ``check_body`` checks a
served body against the spec's response schema (jsonschema), so a test can assert the
stand-in speaks the published shapes.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema

SPEC = json.loads((Path(__file__).resolve().parent / "fixtures" / "openrouter" / "openapi-extras.json")
                  .read_text(encoding="utf-8"))
PATHS = {"/api/v1" + p: p for p in SPEC["responses"]}
AS_OF = "2025-01-15T02:00:00Z"

BENCHMARKS = [
    {"source": "artificial-analysis", "model_permaslug": "anthropic/claude-3.5-sonnet-20241022",
     "display_name": "Claude 3.5 Sonnet", "intelligence_index": 64.0, "coding_index": 58.5, "agentic_index": 52.0,
     "pricing": {"prompt": "0.000003", "completion": "0.000015"}},
    {"source": "artificial-analysis", "model_permaslug": "deepseek/deepseek-chat-v3", "display_name": "DeepSeek V3",
     "intelligence_index": 61.5, "coding_index": 55.0, "agentic_index": 47.5,
     "pricing": {"prompt": "0.00000027", "completion": "0.0000011"}},
    {"source": "artificial-analysis", "model_permaslug": "meta-llama/llama-3.3-70b-instruct",
     "display_name": "Llama 3.3 70B", "intelligence_index": 41.0, "coding_index": None, "agentic_index": 30.0,
     "pricing": {"prompt": "0.00000012", "completion": "0.0000003"}},
    {"source": "artificial-analysis", "model_permaslug": "google/gemini-2.0-flash-001",
     "display_name": "Gemini 2.0 Flash", "intelligence_index": 48.0, "coding_index": 40.0, "agentic_index": 38.0,
     "pricing": {"prompt": "0.0000001", "completion": "0.0000004"}},
    {"source": "artificial-analysis", "model_permaslug": "acme/unlisted-model", "display_name": "Unlisted",
     "intelligence_index": 20.0, "coding_index": 10.0, "agentic_index": 5.0, "pricing": None},
]
BENCHMARK_META = {"as_of": "2025-01-14T12:00:00Z", "version": "v1", "source": "artificial-analysis",
                  "source_url": "https://artificialanalysis.ai", "task_type": None, "model_count": 5,
                  "citation": "Source: Artificial Analysis (artificialanalysis.ai) via OpenRouter (openrouter.ai/rankings)."}
TURNS = ("1-turn", "2-9-turns", "10-49-turns", "50-plus-turns")
HARNESSES = (("hermes-agent", "Hermes Agent"), ("cline", "Cline"), ("kilo-code", "Kilo Code"))
MODELS = ("anthropic/claude-3.5-sonnet-20241022", "deepseek/deepseek-chat-v3", "meta-llama/llama-3.3-70b-instruct")


def session_cells() -> list[dict]:
    """3 harnesses x 3 models x 4 turn ranges = 36 cells, costs a fixed formula."""
    return [{"app_slug": slug, "app_name": name, "model_permaslug": m, "turn_range": t,
             "median_session_cost_usd": round((h + 1) * (3.0 if i == 0 else 0.4 / (i + 1)) * (k + 1) ** 2 / 4, 4)}
            for h, (slug, name) in enumerate(HARNESSES) for i, m in enumerate(MODELS) for k, t in enumerate(TURNS)]


TASKS = {"as_of": "2025-01-14", "window_days": 7, "macro_categories": [
    {"key": "code", "label": "Code", "usage_share": 0.55, "token_share": 0.6},
    {"key": "general", "label": "General", "usage_share": 0.45, "token_share": 0.4}],
    "classifications": [
        {"tag": "code:general_impl", "display_name": "Code Generation", "macro_category": "code",
         "usage_share": 0.4, "token_share": 0.45, "category_usage_share": 0.727, "category_token_share": 0.75,
         "models": [{"id": "anthropic/claude-3.5-sonnet-20241022", "tag_usage_share": 0.5, "tag_token_share": 0.55},
                    {"id": "deepseek/deepseek-chat-v3", "tag_usage_share": 0.3, "tag_token_share": 0.25}]},
        {"tag": "code:debugging", "display_name": "Debugging", "macro_category": "code",
         "usage_share": 0.15, "token_share": 0.15, "category_usage_share": 0.273, "category_token_share": 0.25,
         "models": []},
        {"tag": "general:qa", "display_name": "Questions", "macro_category": "general",
         "usage_share": 0.45, "token_share": 0.4, "category_usage_share": 1.0, "category_token_share": 1.0,
         "models": [{"id": "meta-llama/llama-3.3-70b-instruct", "tag_usage_share": 0.6, "tag_token_share": 0.5}]}]}
SUBCATEGORIES = {"coding": ("cli-agent", "ide-extension", "cloud-agent", "programming-app", "native-app-builder"),
                 "creative": ("creative-writing", "video-gen", "image-gen", "audio-gen"),
                 "entertainment": ("roleplay", "game"),
                 "productivity": ("writing-assistant", "general-chat", "personal-agent", "legal")}
# (app_id, name, subcategory, tokens, requests, tokens in the 3 periods before: for trending)
APPS = [(101, "Cline", "ide-extension", 9_000_000, 4_000, 6_000_000), (102, "Kilo Code", "ide-extension", 5_000_000,
        2_500, 5_500_000), (103, "SillyTavern", "roleplay", 7_000_000, 9_000, 3_500_000),
        (104, "*Markdown* [app](http://x)", "general-chat", 1_000_000, 800, 900_000),
        (105, "Hermes Agent", "cli-agent", 3_000_000, 600, 1_000_000)]


def _bad(message: str) -> tuple[int, dict]:
    return 400, {"error": {"code": 400, "message": message}}


def _check_params(path: str, params: dict) -> str | None:
    allowed = SPEC["parameters"][path]
    for k, v in params.items():
        if k not in allowed:
            return f"unknown parameter {k}"
        schema = allowed[k]
        if "enum" in schema and v not in schema["enum"]:
            return f"{k} must be one of {', '.join(x for x in schema['enum'] if x)}"
        if schema.get("type") == "integer" or "integer" in (schema.get("type") or []):
            if not v.isdigit() or not schema.get("minimum", 0) <= int(v) <= schema.get("maximum", 10**9):
                return f"{k} is out of range"
    return None


def extras_body(path: str, params: dict) -> tuple[int, object]:
    """(status, body) of one of the four endpoints (``path`` under /api/v1)."""
    api_path = PATHS[path]
    problem = _check_params(api_path, params)
    if problem:
        return _bad(problem)
    if api_path == "/benchmarks":
        return 200, {"data": [dict(b) for b in BENCHMARKS], "meta": dict(BENCHMARK_META)}
    if api_path == "/classifications/task":
        return 200, {"data": json.loads(json.dumps(TASKS))}
    if api_path == "/datasets/session-cost":
        lo = int(params.get("offset", 0))
        cells = session_cells()[lo: lo + int(params.get("limit", 100))]
        return 200, {"data": cells, "meta": {"as_of": AS_OF, "version": "v1", "window_days": 30,
                                             "window_end_date": "2025-01-12"}}
    return apps_body(params)


def apps_body(params: dict) -> tuple[int, object]:
    cat, sub = params.get("category"), params.get("subcategory")
    if cat and sub and sub not in SUBCATEGORIES[cat]:
        return _bad(f"subcategory {sub} does not belong to category {cat}")
    end = dt.date.fromisoformat(params.get("end_date", "2025-01-14"))
    start = dt.date.fromisoformat(params.get("start_date", str(end - dt.timedelta(days=30))))
    apps = [a for a in APPS if (not sub or a[2] == sub) and (not cat or a[2] in SUBCATEGORIES[cat])]
    if params.get("sort") == "trending":
        apps = sorted((a for a in apps if a[3] - a[5] > 0), key=lambda a: -(a[3] - a[5]))
    else:
        apps = sorted(apps, key=lambda a: -a[3])
    lo = int(params.get("offset", 0))
    rows = [{"rank": lo + i + 1, "app_id": a[0], "app_name": a[1], "total_tokens": str(a[3]), "total_requests": a[4]}
            for i, a in enumerate(apps[lo: lo + int(params.get("limit", 50))])]
    return 200, {"data": rows, "meta": {"as_of": AS_OF, "start_date": str(start), "end_date": str(end),
                                        "version": "v1"}}


def check_body(path: str, body) -> None:
    """Raise jsonschema.ValidationError unless ``body`` matches the spec's response for ``path``."""
    name = SPEC["responses"][PATHS.get(path, path)]
    schema = {"$ref": f"#/schemas/{name}", "schemas": SPEC["schemas"]}
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
