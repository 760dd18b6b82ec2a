"""The tiny snapshot (tests/tiny.py) with providers, every figure worked out by hand.

Endpoints fetched 2026-01-28 (USD per million tokens, prompt / completion; blended at
the default 15:1 = 15/16 x prompt + 1/16 x completion):

    model (weights, catalogue)        provider  tag       prompt completion  blended
    deepseek/deepseek-v3 (open,       Alpha     alpha       0.2    0.8      0.2375
      0.3 / 1.2)                      Beta      beta/fp8    0.3    1.2      0.35625
                                      Gamma     gamma       0.6    2.4      0.7125
    qwen/qwen3-235b (open, 0.3/1.2)   Alpha     alpha       0.3    1.2      0.35625
                                      Gamma     gamma       0.6    2.4      0.7125
    openai/gpt-oss-120b (open)        Alpha     alpha/free  0      0        0 (free)
                                      Beta      beta        0.1    0.5      0.125
    openai/gpt-5 (closed, 1.25/10)    OpenAI    openai      1.25  10        1.796875
                                      Azure     azure       1.25  10        1.796875
    mistralai/mistral-medium (closed) Mistral   mistral     0.4    2.0      0.5
    arcee-ai/trinity-large, sao10k/l3-euryale (open): no provider data.

Per model (blended): DeepSeek 3 providers, cheapest 0.2375, median 0.35625, dearest
0.7125, spread 3.0; Qwen 2, 0.35625 / (0.35625 + 0.7125) / 2 = 0.534375 / 0.7125,
spread 2.0; gpt-oss 2 providers, 1 free endpoint, one priced (0.125), spread 1.0 (not
counted in the median spread: one priced endpoint); GPT-5 2, spread 1.0; Mistral 1.
Headline over the whole range: open models with providers 3 (DeepSeek, Qwen, gpt-oss),
median 2 providers (2-3), median spread of (3.0, 2.0) = 2.5x, 2 open models without
provider data; closed 1-2 providers, spread 1.0x (GPT-5 alone has two).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.tiny import build_tiny_snapshot

FETCHED = dt.date(2026, 1, 28)

ENDPOINTS = [
    ("deepseek/deepseek-v3", "Alpha", "alpha", 0.2, 0.8),
    ("deepseek/deepseek-v3", "Beta", "beta/fp8", 0.3, 1.2),
    ("deepseek/deepseek-v3", "Gamma", "gamma", 0.6, 2.4),
    ("qwen/qwen3-235b", "Alpha", "alpha", 0.3, 1.2),
    ("qwen/qwen3-235b", "Gamma", "gamma", 0.6, 2.4),
    ("openai/gpt-oss-120b", "Alpha", "alpha/free", 0.0, 0.0),
    ("openai/gpt-oss-120b", "Beta", "beta", 0.1, 0.5),
    ("openai/gpt-5", "OpenAI", "openai", 1.25, 10.0),
    ("openai/gpt-5", "Azure", "azure", 1.25, 10.0),
    ("mistralai/mistral-medium", "Mistral", "mistral", 0.4, 2.0),
]


def endpoint_rows() -> list[dict]:
    return [{
        "model_permaslug": slug, "model_id": slug, "provider": provider, "endpoint_tag": tag,
        "quantization": "fp8" if tag.endswith("fp8") else None, "context_length": 131072,
        "max_completion_tokens": 8192, "price_prompt_usd_per_mtok": p, "price_completion_usd_per_mtok": c,
        "price_input_cache_read_usd_per_mtok": None, "uptime_last_30m": 99.0, "latency_p50_ms": 500.0,
        "throughput_p50_tps": 60.0, "fetched_on": FETCHED,
    } for slug, provider, tag, p, c in ENDPOINTS]


def build_providers_snapshot(target: Path):
    return build_tiny_snapshot(target, model_endpoints=endpoint_rows())
