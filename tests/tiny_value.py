"""The tiny snapshot (tests/tiny.py) with a benchmarks table, for the Value page's tests
(figures by hand in tests/pages/test_value.py): Qwen matched by its catalogue id, GPT-5
without a coding index, Trinity released before the range (live but unranked in W1),
Euryale unscored, and acme/never benchmarked but not a model of the snapshot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import MODELS, build_tiny_snapshot
from tokenshare.data.snapshot.extra_tables import BENCHMARKS_FILE


def bench(slug, intel, coding):
    return {"model_permaslug": slug, "display_name": slug.split("/")[1], "intelligence_index": intel,
            "coding_index": coding, "agentic_index": None, "price_prompt_usd_per_mtok": None,
            "price_completion_usd_per_mtok": None, "fetched_on": dt.date(2026, 1, 28)}


def build_value_snapshot(target: Path):
    models = [dict(m, model_id="qwen/qwen3-235b-a22b") if m["model_permaslug"] == "qwen/qwen3-235b" else m
              for m in MODELS]
    models = [dict(m, released_at=dt.date(2025, 6, 1)) if m["model_permaslug"] == "arcee-ai/trinity-large" else m
              for m in models]
    rows = [bench("deepseek/deepseek-v3", 60.0, 55.0), bench("qwen/qwen3-235b-a22b", 58.0, 57.0),
            bench("openai/gpt-oss-120b", 50.0, 48.0), bench("arcee-ai/trinity-large", 45.0, 44.0),
            bench("openai/gpt-5", 70.0, None), bench("mistralai/mistral-medium", 55.0, 50.0),
            bench("acme/never", 20.0, 20.0)]
    meta = {"as_of": "2026-01-27T12:00:00Z",
            "citation": "Source: Artificial Analysis (artificialanalysis.ai) via OpenRouter (openrouter.ai/rankings)."}
    return build_tiny_snapshot(target, models=models, extra_tables={BENCHMARKS_FILE: rows},
                               extra_manifest={"extras": {"benchmarks": {"meta": meta}}})
