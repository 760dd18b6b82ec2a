"""Deterministic synthetic sample snapshot (``python -m tokenshare sample``).

The sample has the Data API's own shape (daily top-50 rows plus one ``other`` row) and
tells the public story in MARKET_FACTS.md: open-weight share of named volume rising from
about 30% in early 2025 to 69.1% in the last full week (2026-11-16 to 2026-11-22), one
open-vs-closed crossing in 2026, and the open-weight lead passing DeepSeek -> MiniMax /
Moonshot (Kimi) -> Qwen -> Tencent -> Xiaomi -> DeepSeek.

How the volumes are made (all numpy, vectorised over days x models):

1. Every catalogue model has a launch curve: a ramp of a few days to its peak, a decay
   to a plateau at 60-80% of the peak, a long slow decay once the next model of its
   family launches, slow ageing, optional steps (a free promotion ending) and an end
   date for models that left the catalogue or the router.
2. Noise per model from ``numpy.random.default_rng(seed)``: a slow AR(1) wobble (on a
   weekly grid, interpolated) and a daily log-normal scatter.
3. Rescaling: the market total follows ``_TOTAL_KNOTS`` and the open-weight share of
   model volume follows ``_OPEN_SHARE_KNOTS``, except that a launch lifts its pool
   (open weights, or the rest) above the pool's own 4-week trailing mean for a while,
   so the split jumps at launches and settles back. All open models share one factor
   per day, so the race between open labs is the launch curves' own.
4. Calibration: a factor on closed volume, smoothed in over the last six weeks, is
   solved (a few fixed-point steps, re-ranking the top 50 every time) so that the
   open-weight share of named volume in the last full ISO week is 69.1%.
5. Weekday rhythm (weekends ~20% lower), then integer tokens. Each day keeps the top
   ``50 * scale`` live models; the rest and an unnamed tail go into ``other``.

Floating point results may differ in the last bit between CPUs (SIMD ``exp``), so
token counts are quantised to a 10^5 grid before the low digits are filled in from the
integer random stream: the files are byte-identical for a seed and scale on any
machine, barring a one-in-a-billion rounding coincidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import tokenshare
from tokenshare.data import snapshot as snap

START = dt.date(2025, 1, 1)
END = dt.date(2026, 11, 22)
AS_OF = "2026-11-23T02:00:00Z"
HEADLINE_SHARE = 0.691
HEADLINE_WEEK = (dt.date(2026, 11, 16), dt.date(2026, 11, 22))
TOP_N = 50
CATEGORY_TOP_N = 20
QUANTUM = 100_000  # tokens: see the module docstring

CATEGORIES = (
    "programming", "roleplay", "marketing", "technology", "science", "translation",
    "legal", "finance", "health", "trivia", "academia",
)

# Market total tokens per day (weekly average level, `other` included): log-linear.
_TOTAL_KNOTS = (
    ("2025-01-01", 1.40e11), ("2025-03-01", 2.10e11), ("2025-05-01", 3.20e11),
    ("2025-07-01", 4.70e11), ("2025-09-01", 6.60e11), ("2025-11-25", 1.02e12),
    ("2026-02-12", 1.25e12), ("2026-05-01", 1.70e12), ("2026-08-01", 2.30e12),
    ("2026-11-22", 3.00e12),
)
# Open-weight share of all model volume (before the top-50 cut): logit-linear.
_OPEN_SHARE_KNOTS = (
    ("2025-01-01", 0.300), ("2025-04-01", 0.310), ("2025-07-01", 0.330),
    ("2025-10-01", 0.350), ("2025-11-15", 0.390), ("2025-12-20", 0.425),
    ("2026-01-20", 0.465), ("2026-02-12", 0.545), ("2026-03-01", 0.580),
    ("2026-04-01", 0.605),
    ("2026-07-01", 0.650), ("2026-11-22", 0.700),
)
# Open-weight share of the top models' category estimates (start, end of the range).
_CATEGORY_OPEN_SHARE = {"programming": (0.45, 0.58), "roleplay": (0.76, 0.84)}

# Category mix by kind of model (programming ... academia, in CATEGORIES order).
_KIND_MIX = {
    "code": (0.62, 0.02, 0.04, 0.12, 0.05, 0.02, 0.02, 0.03, 0.02, 0.02, 0.04),
    "gen": (0.30, 0.14, 0.09, 0.10, 0.07, 0.07, 0.03, 0.05, 0.04, 0.06, 0.05),
    "rp": (0.05, 0.66, 0.04, 0.04, 0.02, 0.04, 0.01, 0.01, 0.02, 0.08, 0.03),
    "small": (0.12, 0.18, 0.16, 0.08, 0.04, 0.22, 0.03, 0.04, 0.03, 0.07, 0.03),
}

# The catalogue. Columns: permaslug | model_id | name | released | weights | hugging
# face id | context | $ prompt | $ completion (per million tokens) | family | peak |
# kind | extras.  weights: O open, C closed, N unknown (open_weights NULL), R retired
# (in usage, not in models.parquet). An open model without a hugging face id is
# classified open by override. "-" is empty. peak is relative to the other models of
# the same pool (open-weight vs the rest). extras: q=plateau fraction, r=ramp days,
# end=last day live, step=YYYY-MM-DD:factor.
_CATALOGUE = """
anthropic/claude-3.5-sonnet-20241022|anthropic/claude-3.5-sonnet|Anthropic: Claude 3.5 Sonnet|2024-10-22|C|-|200000|3|15|claude-sonnet|190|code|
anthropic/claude-3.5-haiku-20241022|anthropic/claude-3.5-haiku|Anthropic: Claude 3.5 Haiku|2024-11-04|C|-|200000|0.8|4|claude-haiku|35|gen|
anthropic/claude-3.7-sonnet-20250219|anthropic/claude-3.7-sonnet|Anthropic: Claude 3.7 Sonnet|2025-02-24|C|-|200000|3|15|claude-sonnet|220|code|
anthropic/claude-4-sonnet-20250522|anthropic/claude-sonnet-4|Anthropic: Claude Sonnet 4|2025-05-22|C|-|200000|3|15|claude-sonnet|260|code|
anthropic/claude-4-opus-20250522|anthropic/claude-opus-4|Anthropic: Claude Opus 4|2025-05-22|C|-|200000|15|75|claude-opus|30|code|
anthropic/claude-4.1-opus-20250805|anthropic/claude-opus-4.1|Anthropic: Claude Opus 4.1|2025-08-05|C|-|200000|15|75|claude-opus|30|code|
anthropic/claude-4.5-sonnet-20250929|anthropic/claude-sonnet-4.5|Anthropic: Claude Sonnet 4.5|2025-09-29|C|-|1000000|3|15|claude-sonnet|280|code|
anthropic/claude-4.5-haiku-20251001|anthropic/claude-haiku-4.5|Anthropic: Claude Haiku 4.5|2025-10-15|C|-|200000|1|5|claude-haiku|70|code|
anthropic/claude-4.5-opus-20251124|anthropic/claude-opus-4.5|Anthropic: Claude Opus 4.5|2025-11-24|C|-|200000|5|25|claude-opus|120|code|
anthropic/claude-4.6-opus-20260205|anthropic/claude-opus-4.6|Anthropic: Claude Opus 4.6|2026-02-05|C|-|1000000|5|25|claude-opus|150|code|
anthropic/claude-4.6-sonnet-20260217|anthropic/claude-sonnet-4.6|Anthropic: Claude Sonnet 4.6|2026-02-17|C|-|1000000|3|15|claude-sonnet|300|code|
anthropic/claude-4.7-sonnet-20260728|anthropic/claude-sonnet-4.7|Anthropic: Claude Sonnet 4.7|2026-07-28|C|-|1000000|3|15|claude-sonnet|320|code|
anthropic/claude-2.1|anthropic/claude-2.1|Anthropic: Claude v2.1|2023-11-21|R|-|200000|8|24|claude-2|28|gen|end=2025-07-15
openai/gpt-4o-2024-08-06|openai/gpt-4o|OpenAI: GPT-4o|2024-08-06|C|-|128000|2.5|10|gpt-4o|140|gen|
openai/gpt-4o-mini-2024-07-18|openai/gpt-4o-mini|OpenAI: GPT-4o-mini|2024-07-18|C|-|128000|0.15|0.6|gpt-4o-mini|150|gen|
openai/o1-2024-12-17|openai/o1|OpenAI: o1|2024-12-17|C|-|200000|15|60|o-series|12|gen|
openai/o3-mini-2025-01-31|openai/o3-mini|OpenAI: o3 Mini|2025-01-31|C|-|200000|1.1|4.4|o-mini|30|code|
openai/gpt-4.5-preview-2025-02-27|openai/gpt-4.5-preview|OpenAI: GPT-4.5 (Preview)|2025-02-27|C|-|128000|75|150|gpt-4.5|6|gen|end=2025-07-14
openai/gpt-4.1-2025-04-14|openai/gpt-4.1|OpenAI: GPT-4.1|2025-04-14|C|-|1047576|2|8|gpt-4.1|70|code|
openai/gpt-4.1-mini-2025-04-14|openai/gpt-4.1-mini|OpenAI: GPT-4.1 Mini|2025-04-14|C|-|1047576|0.4|1.6|gpt-4.1-mini|80|gen|
openai/gpt-4.1-nano-2025-04-14|openai/gpt-4.1-nano|OpenAI: GPT-4.1 Nano|2025-04-14|C|-|1047576|0.1|0.4|gpt-4.1-nano|30|small|
openai/o3-2025-04-16|openai/o3|OpenAI: o3|2025-04-16|C|-|200000|2|8|o-series|20|code|
openai/o4-mini-2025-04-16|openai/o4-mini|OpenAI: o4 Mini|2025-04-16|C|-|200000|1.1|4.4|o-mini|35|code|
openai/gpt-5-2025-08-07|openai/gpt-5|OpenAI: GPT-5|2025-08-07|C|-|400000|1.25|10|gpt-5|170|code|
openai/gpt-5-mini-2025-08-07|openai/gpt-5-mini|OpenAI: GPT-5 Mini|2025-08-07|C|-|400000|0.25|2|gpt-5-mini|90|gen|
openai/gpt-5-nano-2025-08-07|openai/gpt-5-nano|OpenAI: GPT-5 Nano|2025-08-07|C|-|400000|0.05|0.4|gpt-5-nano|40|small|
openai/gpt-5-codex-20250915|openai/gpt-5-codex|OpenAI: GPT-5 Codex|2025-09-15|C|-|400000|1.25|10|gpt-5-codex|50|code|
openai/gpt-5.1-20251113|openai/gpt-5.1|OpenAI: GPT-5.1|2025-11-13|C|-|400000|1.25|10|gpt-5|170|code|
openai/gpt-5.2-20251211|openai/gpt-5.2|OpenAI: GPT-5.2|2025-12-11|C|-|400000|1.75|14|gpt-5|180|code|
openai/gpt-5.4-20260305|openai/gpt-5.4|OpenAI: GPT-5.4|2026-03-05|C|-|1050000|2.5|15|gpt-5|200|code|
openai/gpt-5.4-mini-20260305|openai/gpt-5.4-mini|OpenAI: GPT-5.4 Mini|2026-03-05|C|-|400000|0.4|2.5|gpt-5-mini|90|gen|
openai/gpt-5.5-20260820|openai/gpt-5.5|OpenAI: GPT-5.5|2026-08-20|C|-|1050000|2.5|15|gpt-5|210|code|
openai/gpt-4-1106-preview|openai/gpt-4-1106-preview|OpenAI: GPT-4 Turbo (older v1106)|2023-11-06|R|-|128000|10|30|gpt-4-1106|200|gen|end=2025-05-31
openai/gpt-oss-120b|openai/gpt-oss-120b|OpenAI: gpt-oss-120b|2025-08-05|O|openai/gpt-oss-120b|131072|0.05|0.25|gpt-oss|140|gen|
openai/gpt-oss-20b|openai/gpt-oss-20b|OpenAI: gpt-oss-20b|2025-08-05|O|openai/gpt-oss-20b|131072|0.03|0.15|gpt-oss-20b|45|small|
openai/gpt-oss-safeguard-20b-20251029|openai/gpt-oss-safeguard-20b|OpenAI: gpt-oss-safeguard-20b|2025-10-29|O|openai/gpt-oss-safeguard-20b|131072|0.075|0.3|gpt-oss-safeguard|8|small|
google/gemini-pro-1.5|google/gemini-pro-1.5|Google: Gemini 1.5 Pro|2024-04-09|R|-|2000000|1.25|5|gemini-1.5|40|gen|end=2025-09-24
google/gemini-2.0-flash-exp|google/gemini-2.0-flash-exp|Google: Gemini 2.0 Flash Experimental|2024-12-11|C|-|1048576|-|-|gemini-flash-exp|90|gen|end=2025-08-31
google/gemini-2.0-flash-001|google/gemini-2.0-flash-001|Google: Gemini 2.0 Flash|2025-02-05|C|-|1048576|0.1|0.4|gemini-flash|150|gen|
google/gemini-2.0-flash-lite-001|google/gemini-2.0-flash-lite-001|Google: Gemini 2.0 Flash Lite|2025-02-25|C|-|1048576|0.075|0.3|gemini-flash-lite|40|small|
google/gemini-2.5-pro-exp-03-25|google/gemini-2.5-pro-exp-03-25|Google: Gemini 2.5 Pro Experimental|2025-03-25|C|-|1048576|-|-|gemini-pro-exp|80|code|end=2025-06-30
google/gemini-2.5-pro-preview-05-06|google/gemini-2.5-pro-preview|Google: Gemini 2.5 Pro Preview 05-06|2025-05-07|C|-|1048576|1.25|10|gemini-pro|60|code|
google/gemini-2.5-pro|google/gemini-2.5-pro|Google: Gemini 2.5 Pro|2025-06-17|C|-|1048576|1.25|10|gemini-pro|110|code|
google/gemini-2.5-flash-preview-04-17|google/gemini-2.5-flash-preview|Google: Gemini 2.5 Flash Preview 04-17|2025-04-17|C|-|1048576|0.15|0.6|gemini-flash|80|gen|
google/gemini-2.5-flash|google/gemini-2.5-flash|Google: Gemini 2.5 Flash|2025-06-17|C|-|1048576|0.3|2.5|gemini-flash|200|gen|
google/gemini-2.5-flash-lite|google/gemini-2.5-flash-lite|Google: Gemini 2.5 Flash Lite|2025-07-22|C|-|1048576|0.1|0.4|gemini-flash-lite|70|small|
google/gemini-3-pro-preview-20251118|google/gemini-3-pro-preview|Google: Gemini 3 Pro Preview|2025-11-18|C|-|1048576|2|12|gemini-pro|140|code|
google/gemini-3-flash-preview-20251217|google/gemini-3-flash-preview|Google: Gemini 3 Flash Preview|2025-12-17|C|-|1048576|0.5|3|gemini-flash|220|gen|
google/gemini-3.1-pro-preview-20260219|google/gemini-3.1-pro-preview|Google: Gemini 3.1 Pro Preview|2026-02-19|C|-|1048576|2|12|gemini-pro|150|code|
google/gemini-3.5-flash-20260714|google/gemini-3.5-flash|Google: Gemini 3.5 Flash|2026-07-14|C|-|1048576|0.5|3|gemini-flash|240|gen|
google/gemma-2-9b-it|google/gemma-2-9b-it|Google: Gemma 2 9B|2024-06-28|O|google/gemma-2-9b-it|8192|0.03|0.06|gemma-9b|14|small|
google/gemma-2-27b-it|google/gemma-2-27b-it|Google: Gemma 2 27B|2024-06-28|O|google/gemma-2-27b-it|8192|0.27|0.27|gemma-27b|10|gen|
google/gemma-3-27b-it|google/gemma-3-27b-it|Google: Gemma 3 27B|2025-03-12|O|google/gemma-3-27b-it|131072|0.09|0.16|gemma-27b|40|gen|
google/gemma-3-12b-it|google/gemma-3-12b-it|Google: Gemma 3 12B|2025-03-13|O|google/gemma-3-12b-it|131072|0.05|0.1|gemma-12b|18|small|
google/gemma-3-4b-it|google/gemma-3-4b-it|Google: Gemma 3 4B|2025-03-13|O|google/gemma-3-4b-it|131072|0.02|0.04|gemma-4b|10|small|
google/gemma-3n-e4b-it|google/gemma-3n-e4b-it|Google: Gemma 3n 4B|2025-05-20|O|google/gemma-3n-E4B-it|32768|0.02|0.04|gemma-4b|8|small|
google/gemma-4-31b-it-20260402|google/gemma-4-31b-it|Google: Gemma 4 31B|2026-04-02|O|google/gemma-4-31b-it|262144|0.13|0.38|gemma-27b|60|gen|
meta-llama/llama-3.1-8b-instruct|meta-llama/llama-3.1-8b-instruct|Meta: Llama 3.1 8B Instruct|2024-07-23|O|meta-llama/Meta-Llama-3.1-8B-Instruct|131072|0.02|0.05|llama-8b|45|small|
meta-llama/llama-3.1-70b-instruct|meta-llama/llama-3.1-70b-instruct|Meta: Llama 3.1 70B Instruct|2024-07-23|O|meta-llama/Meta-Llama-3.1-70B-Instruct|131072|0.1|0.28|llama-70b|40|gen|
meta-llama/llama-3.1-405b-instruct|meta-llama/llama-3.1-405b-instruct|Meta: Llama 3.1 405B Instruct|2024-07-23|O|meta-llama/Meta-Llama-3.1-405B-Instruct|131072|0.8|0.8|llama-405b|14|gen|
meta-llama/llama-3.2-3b-instruct|meta-llama/llama-3.2-3b-instruct|Meta: Llama 3.2 3B Instruct|2024-09-25|O|meta-llama/Llama-3.2-3B-Instruct|131072|0.015|0.025|llama-3b|18|small|
meta-llama/llama-3.2-1b-instruct|meta-llama/llama-3.2-1b-instruct|Meta: Llama 3.2 1B Instruct|2024-09-25|O|meta-llama/Llama-3.2-1B-Instruct|131072|0.005|0.01|llama-1b|8|small|
meta-llama/llama-3.2-11b-vision-instruct|meta-llama/llama-3.2-11b-vision-instruct|Meta: Llama 3.2 11B Vision Instruct|2024-09-25|O|meta-llama/Llama-3.2-11B-Vision-Instruct|131072|0.05|0.05|llama-vision|8|small|
meta-llama/llama-3.3-70b-instruct|meta-llama/llama-3.3-70b-instruct|Meta: Llama 3.3 70B Instruct|2024-12-06|O|meta-llama/Llama-3.3-70B-Instruct|131072|0.1|0.32|llama-70b|75|gen|
meta-llama/llama-4-maverick-17b-128e-instruct|meta-llama/llama-4-maverick|Meta: Llama 4 Maverick|2025-04-05|O|meta-llama/Llama-4-Maverick-17B-128E-Instruct|1048576|0.15|0.6|llama-4|60|gen|
meta-llama/llama-4-scout-17b-16e-instruct|meta-llama/llama-4-scout|Meta: Llama 4 Scout|2025-04-05|O|meta-llama/Llama-4-Scout-17B-16E-Instruct|327680|0.08|0.3|llama-4-scout|35|gen|
meta-llama/llama-guard-4-12b|meta-llama/llama-guard-4-12b|Meta: Llama Guard 4 12B|2025-04-29|O|meta-llama/Llama-Guard-4-12B|163840|0.05|0.05|llama-guard|6|small|
deepseek/deepseek-chat-v3|deepseek/deepseek-chat|DeepSeek: DeepSeek V3|2024-12-26|O|deepseek-ai/DeepSeek-V3|163840|0.3|0.85|ds-chat|230|gen|q=0.75
deepseek/deepseek-r1|deepseek/deepseek-r1|DeepSeek: R1|2025-01-20|O|deepseek-ai/DeepSeek-R1|163840|0.55|2.19|ds-r1|190|gen|q=0.7
deepseek/deepseek-r1-distill-llama-70b|deepseek/deepseek-r1-distill-llama-70b|DeepSeek: R1 Distill Llama 70B|2025-01-23|O|deepseek-ai/DeepSeek-R1-Distill-Llama-70B|131072|0.1|0.4|ds-distill-llama|22|gen|
deepseek/deepseek-r1-distill-qwen-32b|deepseek/deepseek-r1-distill-qwen-32b|DeepSeek: R1 Distill Qwen 32B|2025-01-29|O|deepseek-ai/DeepSeek-R1-Distill-Qwen-32B|131072|0.08|0.3|ds-distill-qwen|12|gen|
deepseek/deepseek-chat-v3-0324|deepseek/deepseek-chat-v3-0324|DeepSeek: DeepSeek V3 0324|2025-03-24|O|deepseek-ai/DeepSeek-V3-0324|163840|0.25|0.88|ds-chat|250|gen|q=0.75
deepseek/deepseek-prover-v2|deepseek/deepseek-prover-v2|DeepSeek: DeepSeek Prover V2|2025-04-30|O|deepseek-ai/DeepSeek-Prover-V2-671B|163840|0.5|2.18|ds-prover|6|code|
deepseek/deepseek-r1-0528|deepseek/deepseek-r1-0528|DeepSeek: R1 0528|2025-05-28|O|deepseek-ai/DeepSeek-R1-0528|163840|0.5|2.15|ds-r1|175|gen|q=0.72
deepseek/deepseek-r1-0528-qwen3-8b|deepseek/deepseek-r1-0528-qwen3-8b|DeepSeek: R1 0528 Qwen3 8B|2025-05-29|O|deepseek-ai/DeepSeek-R1-0528-Qwen3-8B|131072|0.02|0.1|ds-distill-qwen|10|small|
deepseek/deepseek-chat-v3.1|deepseek/deepseek-chat-v3.1|DeepSeek: DeepSeek V3.1|2025-08-21|O|deepseek-ai/DeepSeek-V3.1|163840|0.27|1|ds-chat|195|gen|q=0.75
deepseek/deepseek-v3.1-terminus|deepseek/deepseek-v3.1-terminus|DeepSeek: DeepSeek V3.1 Terminus|2025-09-22|O|deepseek-ai/DeepSeek-V3.1-Terminus|163840|0.23|0.9|ds-chat|90|gen|
deepseek/deepseek-v3.2-exp|deepseek/deepseek-v3.2-exp|DeepSeek: DeepSeek V3.2 Exp|2025-09-29|O|deepseek-ai/DeepSeek-V3.2-Exp|163840|0.27|0.4|ds-chat|110|gen|
deepseek/deepseek-v3.2-20251201|deepseek/deepseek-v3.2|DeepSeek: DeepSeek V3.2|2025-12-01|O|deepseek-ai/DeepSeek-V3.2|163840|0.26|0.38|ds-chat|120|gen|q=0.7
deepseek/deepseek-v3.2-speciale-20251201|deepseek/deepseek-v3.2-speciale|DeepSeek: DeepSeek V3.2 Speciale|2025-12-01|O|deepseek-ai/DeepSeek-V3.2-Speciale|163840|0.4|1.2|ds-speciale|40|code|
deepseek/deepseek-v4-20260908|deepseek/deepseek-v4|DeepSeek: DeepSeek V4|2026-09-08|O|deepseek-ai/DeepSeek-V4|1048576|0.3|0.5|ds-chat|2300|gen|q=0.8|r=4
deepseek/deepseek-v4-flash-20260908|deepseek/deepseek-v4-flash|DeepSeek: DeepSeek V4 Flash|2026-09-08|O|deepseek-ai/DeepSeek-V4-Flash|1048576|0.1|0.2|ds-flash|350|gen|
qwen/qwen-2.5-72b-instruct|qwen/qwen-2.5-72b-instruct|Qwen2.5 72B Instruct|2024-09-19|O|Qwen/Qwen2.5-72B-Instruct|32768|0.12|0.39|qwen-72b|35|gen|
qwen/qwen-2.5-7b-instruct|qwen/qwen-2.5-7b-instruct|Qwen2.5 7B Instruct|2024-10-16|O|Qwen/Qwen2.5-7B-Instruct|32768|0.04|0.1|qwen-7b|12|small|
qwen/qwen-2.5-coder-32b-instruct|qwen/qwen-2.5-coder-32b-instruct|Qwen2.5 Coder 32B Instruct|2024-11-11|O|Qwen/Qwen2.5-Coder-32B-Instruct|32768|0.06|0.15|qwen-coder|30|code|
qwen/qwen2.5-vl-72b-instruct|qwen/qwen2.5-vl-72b-instruct|Qwen: Qwen2.5 VL 72B Instruct|2025-02-01|O|Qwen/Qwen2.5-VL-72B-Instruct|32768|0.25|0.75|qwen-vl|12|gen|
qwen/qwq-32b|qwen/qwq-32b|Qwen: QwQ 32B|2025-03-05|O|Qwen/QwQ-32B|131072|0.15|0.4|qwq|25|gen|
qwen/qwen-turbo-2024-11-01|qwen/qwen-turbo|Qwen: Qwen-Turbo|2025-02-01|C|-|1000000|0.05|0.2|qwen-turbo|12|small|
qwen/qwen-plus-2025-01-25|qwen/qwen-plus|Qwen: Qwen-Plus|2025-02-01|C|-|131072|0.4|1.2|qwen-plus|14|gen|
qwen/qwen-max-2025-01-25|qwen/qwen-max|Qwen: Qwen-Max|2025-02-01|C|-|32768|1.6|6.4|qwen-max|20|gen|
qwen/qwen3-235b-a22b-04-28|qwen/qwen3-235b-a22b|Qwen: Qwen3 235B A22B|2025-04-28|O|Qwen/Qwen3-235B-A22B|131072|0.13|0.6|qwen3-big|70|gen|
qwen/qwen3-30b-a3b-04-28|qwen/qwen3-30b-a3b|Qwen: Qwen3 30B A3B|2025-04-28|O|Qwen/Qwen3-30B-A3B|131072|0.06|0.22|qwen3-30b|30|gen|
qwen/qwen3-32b-04-28|qwen/qwen3-32b|Qwen: Qwen3 32B|2025-04-28|O|Qwen/Qwen3-32B|131072|0.08|0.24|qwen3-32b|20|gen|
qwen/qwen3-14b-04-28|qwen/qwen3-14b|Qwen: Qwen3 14B|2025-04-28|O|Qwen/Qwen3-14B|131072|0.06|0.24|qwen3-14b|10|small|
qwen/qwen3-8b-04-28|qwen/qwen3-8b|Qwen: Qwen3 8B|2025-04-28|O|Qwen/Qwen3-8B|131072|0.035|0.14|qwen3-8b|10|small|
qwen/qwen3-235b-a22b-07-25|qwen/qwen3-235b-a22b-2507|Qwen: Qwen3 235B A22B Instruct 2507|2025-07-21|O|Qwen/Qwen3-235B-A22B-Instruct-2507|262144|0.08|0.55|qwen3-big|110|gen|
qwen/qwen3-coder-480b-a35b-07-25|qwen/qwen3-coder|Qwen: Qwen3 Coder 480B A35B|2025-07-22|O|Qwen/Qwen3-Coder-480B-A35B-Instruct|262144|0.22|0.95|qwen3-coder|130|code|
qwen/qwen3-coder-30b-a3b-instruct|qwen/qwen3-coder-30b-a3b-instruct|Qwen: Qwen3 Coder 30B A3B Instruct|2025-07-31|O|Qwen/Qwen3-Coder-30B-A3B-Instruct|262144|0.06|0.25|qwen3-coder-flash|20|code|
qwen/qwen3-30b-a3b-instruct-2507|qwen/qwen3-30b-a3b-instruct-2507|Qwen: Qwen3 30B A3B Instruct 2507|2025-07-29|O|Qwen/Qwen3-30B-A3B-Instruct-2507|262144|0.08|0.33|qwen3-30b|25|gen|
qwen/qwen3-max-2025-09-05|qwen/qwen3-max|Qwen: Qwen3 Max|2025-09-05|C|-|262144|1.2|6|qwen-max|40|gen|
qwen/qwen3-next-80b-a3b-instruct-2509|qwen/qwen3-next-80b-a3b-instruct|Qwen: Qwen3 Next 80B A3B Instruct|2025-09-11|O|Qwen/Qwen3-Next-80B-A3B-Instruct|262144|0.1|0.8|qwen3-next|35|gen|
qwen/qwen3-vl-235b-a22b-instruct|qwen/qwen3-vl-235b-a22b-instruct|Qwen: Qwen3 VL 235B A22B Instruct|2025-09-23|O|Qwen/Qwen3-VL-235B-A22B-Instruct|262144|0.3|1.2|qwen-vl|20|gen|
qwen/qwen3-max-thinking-20260126|qwen/qwen3-max-thinking|Qwen: Qwen3 Max Thinking|2026-01-26|C|-|262144|1.2|6|qwen-max|50|gen|
qwen/qwen3.5-397b-a17b-20260302|qwen/qwen3.5-397b-a17b|Qwen: Qwen3.5 397B A17B|2026-03-02|O|Qwen/Qwen3.5-397B-A17B|262144|0.4|2.4|qwen3-big|1150|gen|q=0.78|r=4
qwen/qwen3.5-122b-a10b-20260302|qwen/qwen3.5-122b-a10b|Qwen: Qwen3.5 122B A10B|2026-03-02|O|Qwen/Qwen3.5-122B-A10B|262144|0.15|0.9|qwen3.5-mid|220|gen|
qwen/qwen3.5-plus-20260302|qwen/qwen3.5-plus|Qwen: Qwen3.5 Plus|2026-03-02|C|-|1000000|0.4|2.4|qwen-plus|60|gen|
moonshotai/kimi-vl-a3b-thinking|moonshotai/kimi-vl-a3b-thinking|MoonshotAI: Kimi VL A3B Thinking|2025-04-10|O|moonshotai/Kimi-VL-A3B-Thinking|131072|0.02|0.1|kimi-vl|6|small|
moonshotai/kimi-dev-72b|moonshotai/kimi-dev-72b|MoonshotAI: Kimi Dev 72B|2025-06-16|O|moonshotai/Kimi-Dev-72B|131072|0.29|1.15|kimi-dev|8|code|
moonshotai/kimi-k2|moonshotai/kimi-k2|MoonshotAI: Kimi K2 0711|2025-07-11|O|moonshotai/Kimi-K2-Instruct|131072|0.5|2.4|kimi-k2|110|gen|
moonshotai/kimi-k2-0905|moonshotai/kimi-k2-0905|MoonshotAI: Kimi K2 0905|2025-09-05|O|moonshotai/Kimi-K2-Instruct-0905|262144|0.39|1.9|kimi-k2|140|gen|
moonshotai/kimi-k2-thinking-20251106|moonshotai/kimi-k2-thinking|MoonshotAI: Kimi K2 Thinking|2025-11-06|O|moonshotai/Kimi-K2-Thinking|262144|0.45|2.35|kimi-k2-thinking|520|gen|q=0.8|r=12
moonshotai/kimi-k2.5-20260127|moonshotai/kimi-k2.5|MoonshotAI: Kimi K2.5|2026-01-27|O|moonshotai/Kimi-K2.5|262144|0.6|3|kimi-k2-thinking|720|gen|q=0.72|r=4
minimax/minimax-01|minimax/minimax-01|MiniMax: MiniMax-01|2025-01-15|O|MiniMaxAI/MiniMax-Text-01|1000192|0.2|1.1|minimax-01|14|gen|
minimax/minimax-m1|minimax/minimax-m1|MiniMax: MiniMax M1|2025-06-17|O|MiniMaxAI/MiniMax-M1-80k|1000000|0.4|2.2|minimax-m|30|gen|
minimax/minimax-m2-20251027|minimax/minimax-m2|MiniMax: MiniMax M2|2025-10-27|O|MiniMaxAI/MiniMax-M2|204800|0.255|1.02|minimax-m|600|code|q=0.8|r=2|step=2025-11-16:0.55
minimax/minimax-m2.1-20251223|minimax/minimax-m2.1|MiniMax: MiniMax M2.1|2025-12-23|O|MiniMaxAI/MiniMax-M2.1|204800|0.27|1.1|minimax-m|540|code|q=0.75|r=3
minimax/minimax-m2.5-20260212|minimax/minimax-m2.5|MiniMax: MiniMax M2.5|2026-02-12|O|MiniMaxAI/MiniMax-M2.5|204800|0.3|1.2|minimax-m|260|code|
z-ai/glm-4-32b|z-ai/glm-4-32b|Z.ai: GLM 4 32B|2025-07-24|O|-|128000|0.1|0.1|glm-32b|10|gen|
z-ai/glm-4.5-20250728|z-ai/glm-4.5|Z.ai: GLM 4.5|2025-07-28|O|zai-org/GLM-4.5|131072|0.35|1.55|glm|110|code|
z-ai/glm-4.5-air-20250728|z-ai/glm-4.5-air|Z.ai: GLM 4.5 Air|2025-07-28|O|zai-org/GLM-4.5-Air|131072|0.14|0.86|glm-air|45|code|
z-ai/glm-4.5v-20250811|z-ai/glm-4.5v|Z.ai: GLM 4.5V|2025-08-11|O|zai-org/GLM-4.5V|65536|0.5|1.8|glm-v|8|gen|
z-ai/glm-4.6-20250930|z-ai/glm-4.6|Z.ai: GLM 4.6|2025-09-30|O|zai-org/GLM-4.6|202752|0.4|1.75|glm|170|code|
z-ai/glm-4.7-20251222|z-ai/glm-4.7|Z.ai: GLM 4.7|2025-12-22|O|zai-org/GLM-4.7|202752|0.4|1.5|glm|200|code|
z-ai/glm-5-20260211|z-ai/glm-5|Z.ai: GLM 5|2026-02-11|O|zai-org/GLM-5|202752|0.8|2.56|glm|330|code|
thudm/glm-4-32b-0414|thudm/glm-4-32b|THUDM: GLM 4 32B 0414|2025-04-14|O|THUDM/GLM-4-32B-0414|32768|0.24|0.24|thudm-glm|8|gen|
thudm/glm-z1-32b-0414|thudm/glm-z1-32b|THUDM: GLM Z1 32B 0414|2025-04-14|O|THUDM/GLM-Z1-32B-0414|32768|0.24|0.24|thudm-glm-z1|5|gen|
tencent/hunyuan-a13b-instruct|tencent/hunyuan-a13b-instruct|Tencent: Hunyuan A13B Instruct|2025-06-27|O|tencent/Hunyuan-A13B-Instruct|32768|0.03|0.03|hunyuan|10|gen|
tencent/hunyuan-turbos-20250716|tencent/hunyuan-turbos|Tencent: Hunyuan TurboS|2025-07-16|C|-|32768|0.1|0.3|hunyuan-turbos|8|gen|
tencent/hy3-preview-20260421|tencent/hy3-preview|Tencent: Hy3 Preview|2026-04-21|O|-|262144|0.3|1.2|hy3|1650|gen|q=0.8|r=4
tencent/hy3-mini-20260421|tencent/hy3-mini|Tencent: Hy3 Mini|2026-04-21|O|tencent/Hy3-Mini|131072|0.06|0.2|hy3-mini|150|small|
xiaomi/mimo-v2-flash-20251216|xiaomi/mimo-v2-flash|Xiaomi: MiMo-V2-Flash|2025-12-16|O|XiaomiMiMo/MiMo-V2-Flash|262144|0.1|0.3|mimo-flash|200|gen|
xiaomi/mimo-v2.5-pro-20260630|xiaomi/mimo-v2.5-pro|Xiaomi: MiMo-V2.5-Pro|2026-06-30|O|XiaomiMiMo/MiMo-V2.5-Pro|262144|0.4|1.6|mimo-pro|1850|gen|q=0.8|r=4
xiaomi/mimo-v2.5-flash-20260630|xiaomi/mimo-v2.5-flash|Xiaomi: MiMo-V2.5-Flash|2026-06-30|O|XiaomiMiMo/MiMo-V2.5-Flash|262144|0.1|0.3|mimo-flash|350|gen|
stepfun/step3|stepfun/step3|StepFun: Step3|2025-07-31|O|stepfun-ai/step3|65536|0.57|1.42|step|8|gen|
stepfun/step-3.5-flash-20260202|stepfun/step-3.5-flash|StepFun: Step 3.5 Flash|2026-02-02|O|stepfun-ai/Step-3.5-Flash|262144|0.1|0.3|step-flash|120|gen|
inclusionai/ling-1t-20251009|inclusionai/ling-1t|inclusionAI: Ling-1T|2025-10-09|O|inclusionAI/Ling-1T|131072|0.57|2.28|ling|25|gen|
inclusionai/ring-1t-20251014|inclusionai/ring-1t|inclusionAI: Ring-1T|2025-10-14|O|inclusionAI/Ring-1T|131072|0.57|2.28|ring|10|gen|
baidu/ernie-4.5-300b-a47b|baidu/ernie-4.5-300b-a47b|Baidu: ERNIE 4.5 300B A47B|2025-06-30|O|baidu/ERNIE-4.5-300B-A47B-PT|123000|0.28|1.1|ernie|14|gen|
baidu/ernie-4.5-21b-a3b|baidu/ernie-4.5-21b-a3b|Baidu: ERNIE 4.5 21B A3B|2025-08-12|O|baidu/ERNIE-4.5-21B-A3B-PT|120000|0.07|0.28|ernie-small|6|small|
baidu/ernie-5.0-20260122|baidu/ernie-5.0|Baidu: ERNIE 5.0|2026-01-22|C|-|131072|0.8|3.2|ernie-5|30|gen|
bytedance-seed/seed-1.6-20250625|bytedance-seed/seed-1.6|ByteDance Seed: Seed 1.6|2025-06-25|C|-|262144|0.25|2|seed|25|gen|
bytedance-seed/seed-oss-36b-instruct|bytedance-seed/seed-oss-36b-instruct|ByteDance Seed: Seed OSS 36B Instruct|2025-08-20|O|ByteDance-Seed/Seed-OSS-36B-Instruct|524288|0.16|0.65|seed-oss|10|gen|
bytedance-seed/seed-2.0-20260214|bytedance-seed/seed-2.0|ByteDance Seed: Seed 2.0|2026-02-14|C|-|262144|0.3|2.4|seed|60|gen|
bytedance/ui-tars-1.5-7b|bytedance/ui-tars-1.5-7b|ByteDance: UI-TARS 7B|2025-07-22|O|ByteDance-Seed/UI-TARS-1.5-7B|128000|0.1|0.2|ui-tars|4|small|
internlm/intern-s1-20250726|internlm/intern-s1|InternLM: Intern-S1|2025-07-26|O|internlm/Intern-S1|131072|0.2|0.8|intern|4|gen|
x-ai/grok-2-1212|x-ai/grok-2-1212|xAI: Grok 2 1212|2024-12-12|C|-|131072|2|10|grok|30|gen|
x-ai/grok-3-beta|x-ai/grok-3-beta|xAI: Grok 3 Beta|2025-04-09|C|-|131072|3|15|grok|40|gen|
x-ai/grok-3-mini-beta|x-ai/grok-3-mini-beta|xAI: Grok 3 Mini Beta|2025-04-09|C|-|131072|0.3|0.5|grok-mini|35|gen|
x-ai/grok-4-07-09|x-ai/grok-4|xAI: Grok 4|2025-07-09|C|-|256000|3|15|grok|50|gen|
x-ai/grok-code-fast-1|x-ai/grok-code-fast-1|xAI: Grok Code Fast 1|2025-08-26|C|-|256000|0.2|1.5|grok-code|230|code|
x-ai/grok-4-fast|x-ai/grok-4-fast|xAI: Grok 4 Fast|2025-09-19|C|-|2000000|0.2|0.5|grok-fast|150|gen|
x-ai/grok-4.1-fast-20251119|x-ai/grok-4.1-fast|xAI: Grok 4.1 Fast|2025-11-19|C|-|2000000|0.2|0.5|grok-fast|200|gen|
x-ai/grok-4.3-20260401|x-ai/grok-4.3|xAI: Grok 4.3|2026-04-01|C|-|2000000|3|15|grok|120|gen|
mistralai/mixtral-8x7b-instruct|mistralai/mixtral-8x7b-instruct|Mistral: Mixtral 8x7B Instruct|2023-12-10|O|mistralai/Mixtral-8x7B-Instruct-v0.1|32768|0.54|0.54|mixtral|10|rp|
mistralai/mistral-7b-instruct-v0.3|mistralai/mistral-7b-instruct-v0.3|Mistral: Mistral 7B Instruct v0.3|2024-05-27|O|mistralai/Mistral-7B-Instruct-v0.3|32768|0.03|0.055|mistral-7b|12|small|
mistralai/mistral-nemo|mistralai/mistral-nemo|Mistral: Mistral Nemo|2024-07-19|O|mistralai/Mistral-Nemo-Instruct-2407|131072|0.02|0.04|nemo|55|rp|
mistralai/mistral-large-2411|mistralai/mistral-large-2411|Mistral Large 2411|2024-11-18|O|mistralai/Mistral-Large-Instruct-2411|131072|2|6|mistral-large|12|gen|
mistralai/ministral-8b|mistralai/ministral-8b|Mistral: Ministral 8B|2024-10-17|O|mistralai/Ministral-8B-Instruct-2410|131072|0.1|0.1|ministral|8|small|
mistralai/codestral-2501|mistralai/codestral-2501|Mistral: Codestral 2501|2025-01-14|C|-|262144|0.3|0.9|codestral|25|code|
mistralai/mistral-small-24b-instruct-2501|mistralai/mistral-small-24b-instruct-2501|Mistral: Mistral Small 3|2025-01-30|O|mistralai/Mistral-Small-24B-Instruct-2501|32768|0.05|0.08|mistral-small|20|gen|
mistralai/mistral-saba-2502|mistralai/mistral-saba|Mistral: Saba|2025-02-17|C|-|32768|0.2|0.6|saba|5|gen|
mistralai/mistral-small-3.1-24b-instruct-2503|mistralai/mistral-small-3.1-24b-instruct|Mistral: Mistral Small 3.1 24B|2025-03-17|O|mistralai/Mistral-Small-3.1-24B-Instruct-2503|131072|0.05|0.1|mistral-small|25|gen|
mistralai/mistral-medium-3|mistralai/mistral-medium-3|Mistral: Mistral Medium 3|2025-05-07|C|-|131072|0.4|2|mistral-medium|30|gen|
mistralai/devstral-small-2505|mistralai/devstral-small-2505|Mistral: Devstral Small 2505|2025-05-21|O|mistralai/Devstral-Small-2505|131072|0.06|0.12|devstral-small|15|code|
mistralai/magistral-small-2506|mistralai/magistral-small-2506|Mistral: Magistral Small 2506|2025-06-10|O|mistralai/Magistral-Small-2506|40000|0.5|1.5|magistral-small|6|gen|
mistralai/magistral-medium-2506|mistralai/magistral-medium-2506|Mistral: Magistral Medium 2506|2025-06-10|C|-|40960|2|5|magistral-medium|6|gen|
mistralai/mistral-small-3.2-24b-instruct-2506|mistralai/mistral-small-3.2-24b-instruct|Mistral: Mistral Small 3.2 24B|2025-06-20|O|-|131072|0.05|0.1|mistral-small|30|gen|
mistralai/codestral-2508|mistralai/codestral-2508|Mistral: Codestral 2508|2025-08-01|C|-|256000|0.3|0.9|codestral|25|code|
mistralai/mistral-medium-3.1|mistralai/mistral-medium-3.1|Mistral: Mistral Medium 3.1|2025-08-13|C|-|131072|0.4|2|mistral-medium|35|gen|
mistralai/mistral-large-3-2512|mistralai/mistral-large-2512|Mistral: Mistral Large 3 2512|2025-12-02|O|mistralai/Mistral-Large-3-675B-Instruct-2512|262144|0.5|1.5|mistral-large|50|gen|
mistralai/devstral-2-2512|mistralai/devstral-2512|Mistral: Devstral 2 2512|2025-12-09|O|mistralai/Devstral-2-123B-Instruct-2512|262144|0.4|2|devstral|60|code|
mistralai/mistral-medium-3.5-20260415|mistralai/mistral-medium-3.5|Mistral: Mistral Medium 3.5|2026-04-15|C|-|262144|0.4|2|mistral-medium|60|gen|
cohere/command-r-08-2024|cohere/command-r-08-2024|Cohere: Command R (08-2024)|2024-08-30|O|CohereForAI/c4ai-command-r-08-2024|128000|0.15|0.6|command-r|8|gen|
cohere/command-r-plus-08-2024|cohere/command-r-plus-08-2024|Cohere: Command R+ (08-2024)|2024-08-30|O|CohereForAI/c4ai-command-r-plus-08-2024|128000|2.5|10|command-r-plus|8|gen|
cohere/command-a-03-2025|cohere/command-a|Cohere: Command A|2025-03-13|O|CohereForAI/c4ai-command-a-03-2025|256000|2.5|10|command-a|40|gen|
ai21/jamba-1.6-large|ai21/jamba-1.6-large|AI21: Jamba 1.6 Large|2025-03-06|O|ai21labs/AI21-Jamba-Large-1.6|256000|2|8|jamba-large|25|gen|
ai21/jamba-1.6-mini|ai21/jamba-1.6-mini|AI21: Jamba Mini 1.6|2025-03-06|O|ai21labs/AI21-Jamba-Mini-1.6|256000|0.2|0.4|jamba-mini|6|small|
ai21/jamba-large-1.7|ai21/jamba-large-1.7|AI21: Jamba Large 1.7|2025-07-07|O|ai21labs/AI21-Jamba-Large-1.7|256000|2|8|jamba-large|15|gen|
nvidia/llama-3.1-nemotron-70b-instruct|nvidia/llama-3.1-nemotron-70b-instruct|NVIDIA: Llama 3.1 Nemotron 70B Instruct|2024-10-15|O|nvidia/Llama-3.1-Nemotron-70B-Instruct-HF|131072|0.12|0.3|nemotron-70b|10|gen|
nvidia/llama-3.3-nemotron-super-49b-v1|nvidia/llama-3.3-nemotron-super-49b-v1|NVIDIA: Llama 3.3 Nemotron Super 49B v1|2025-04-08|O|nvidia/Llama-3_3-Nemotron-Super-49B-v1|131072|0.13|0.4|nemotron-super|8|gen|
nvidia/nemotron-nano-9b-v2|nvidia/nemotron-nano-9b-v2|NVIDIA: Nemotron Nano 9B V2|2025-08-18|O|nvidia/NVIDIA-Nemotron-Nano-9B-v2|131072|0.04|0.16|nemotron-nano|15|small|
nvidia/nemotron-nano-12b-v2-vl-20251028|nvidia/nemotron-nano-12b-v2-vl|NVIDIA: Nemotron Nano 12B 2 VL|2025-10-28|O|nvidia/NVIDIA-Nemotron-Nano-12B-v2-VL-BF16|131072|0.2|0.6|nemotron-vl|8|small|
nvidia/nemotron-3-nano-30b-a3b-20251215|nvidia/nemotron-3-nano-30b-a3b|NVIDIA: Nemotron 3 Nano 30B A3B|2025-12-15|O|nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16|262144|0.06|0.24|nemotron-nano|60|gen|
nvidia/nemotron-3-super-20260311|nvidia/nemotron-3-super|NVIDIA: Nemotron 3 Super|2026-03-11|O|nvidia/NVIDIA-Nemotron-3-Super-120B-A12B|262144|0.2|0.8|nemotron-super|90|gen|
microsoft/wizardlm-2-8x22b|microsoft/wizardlm-2-8x22b|WizardLM-2 8x22B|2024-04-16|O|microsoft/WizardLM-2-8x22B|65536|0.48|0.48|wizardlm|22|rp|
microsoft/phi-4|microsoft/phi-4|Microsoft: Phi 4|2025-01-10|O|microsoft/phi-4|16384|0.06|0.14|phi|12|small|
microsoft/mai-ds-r1|microsoft/mai-ds-r1|Microsoft: MAI DS R1|2025-04-21|O|microsoft/MAI-DS-R1|163840|0.3|1.2|mai-ds|10|gen|
microsoft/phi-4-reasoning-plus|microsoft/phi-4-reasoning-plus|Microsoft: Phi 4 Reasoning Plus|2025-05-01|O|microsoft/Phi-4-reasoning-plus|32768|0.07|0.35|phi|6|small|
amazon/nova-lite-v1|amazon/nova-lite-v1|Amazon: Nova Lite 1.0|2024-12-05|C|-|300000|0.06|0.24|nova-lite|20|small|
amazon/nova-micro-v1|amazon/nova-micro-v1|Amazon: Nova Micro 1.0|2024-12-05|C|-|128000|0.035|0.14|nova-micro|8|small|
amazon/nova-pro-v1|amazon/nova-pro-v1|Amazon: Nova Pro 1.0|2024-12-05|C|-|300000|0.8|3.2|nova-pro|10|gen|
amazon/nova-premier-v1|amazon/nova-premier-v1|Amazon: Nova Premier 1.0|2025-05-01|C|-|1000000|2.5|12.5|nova-premier|6|gen|
amazon/nova-2-lite-v1-20251202|amazon/nova-2-lite-v1|Amazon: Nova 2 Lite|2025-12-02|C|-|1000000|0.3|2.5|nova-lite|30|gen|
perplexity/sonar|perplexity/sonar|Perplexity: Sonar|2025-01-27|C|-|127072|1|1|sonar|15|gen|
perplexity/sonar-pro|perplexity/sonar-pro|Perplexity: Sonar Pro|2025-03-07|C|-|200000|3|15|sonar-pro|8|gen|
perplexity/sonar-reasoning-pro|perplexity/sonar-reasoning-pro|Perplexity: Sonar Reasoning Pro|2025-03-07|C|-|128000|2|8|sonar-reasoning|5|gen|
perplexity/sonar-deep-research|perplexity/sonar-deep-research|Perplexity: Sonar Deep Research|2025-03-07|C|-|128000|2|8|sonar-deep|5|gen|
poolside/laguna-20260312|poolside/laguna|Poolside: Laguna|2026-03-12|C|-|262144|0.5|2|laguna|40|code|
arcee-ai/virtuoso-large|arcee-ai/virtuoso-large|Arcee AI: Virtuoso Large|2025-05-05|C|-|131072|0.75|1.2|virtuoso|8|gen|
arcee-ai/coder-large|arcee-ai/coder-large|Arcee AI: Coder Large|2025-05-05|C|-|32768|0.5|0.8|arcee-coder|6|code|
arcee-ai/trinity-mini-20260114|arcee-ai/trinity-mini|Arcee AI: Trinity Mini|2026-01-14|O|arcee-ai/Trinity-Mini|131072|0.045|0.15|trinity-mini|60|gen|
arcee-ai/trinity-large-preview-20260127|arcee-ai/trinity-large-preview|Arcee AI: Trinity Large Preview|2026-01-27|O|arcee-ai/Trinity-Large-Preview|131072|-|-|trinity-large|200|rp|
arcee-ai/trinity-large-20260505|arcee-ai/trinity-large|Arcee AI: Trinity Large|2026-05-05|O|arcee-ai/Trinity-Large|131072|0.25|1|trinity-large|260|gen|
allenai/olmo-2-0325-32b-instruct|allenai/olmo-2-0325-32b-instruct|AllenAI: Olmo 2 32B Instruct|2025-03-13|O|allenai/OLMo-2-0325-32B-Instruct|4096|1|1.5|olmo|5|gen|
allenai/olmo-3-32b-think-20251120|allenai/olmo-3-32b-think|AllenAI: Olmo 3 32B Think|2025-11-20|O|allenai/Olmo-3-32B-Think|65536|0.15|0.5|olmo|12|gen|
liquid/lfm-7b|liquid/lfm-7b|Liquid: LFM 7B|2025-01-25|C|-|32768|0.01|0.01|lfm|6|small|
liquid/lfm2-8b-a1b-20251007|liquid/lfm2-8b-a1b|LiquidAI: LFM2-8B-A1B|2025-10-07|O|LiquidAI/LFM2-8B-A1B|32768|0.05|0.1|lfm|8|small|
inception/mercury-coder|inception/mercury-coder|Inception: Mercury Coder|2025-04-30|C|-|128000|0.25|1|mercury-coder|10|code|
inception/mercury|inception/mercury|Inception: Mercury|2025-06-26|C|-|128000|0.25|1|mercury|10|gen|
ibm-granite/granite-4.0-h-micro-20251002|ibm-granite/granite-4.0-h-micro|IBM: Granite 4.0 Micro|2025-10-02|O|ibm-granite/granite-4.0-h-micro|131000|0.017|0.11|granite|6|small|
nousresearch/hermes-3-llama-3.1-405b|nousresearch/hermes-3-llama-3.1-405b|Nous: Hermes 3 405B Instruct|2024-08-16|O|NousResearch/Hermes-3-Llama-3.1-405B|131072|1|1|hermes-405b|16|rp|
nousresearch/hermes-3-llama-3.1-70b|nousresearch/hermes-3-llama-3.1-70b|Nous: Hermes 3 70B Instruct|2024-08-18|O|NousResearch/Hermes-3-Llama-3.1-70B|131072|0.12|0.3|hermes-70b|12|rp|
nousresearch/hermes-4-405b-20250826|nousresearch/hermes-4-405b|Nous: Hermes 4 405B|2025-08-26|O|NousResearch/Hermes-4-405B|131072|1|3|hermes-405b|20|rp|
nousresearch/hermes-4-70b-20250826|nousresearch/hermes-4-70b|Nous: Hermes 4 70B|2025-08-26|O|NousResearch/Hermes-4-70B|131072|0.13|0.4|hermes-70b|14|rp|
openrouter/quasar-alpha|openrouter/quasar-alpha|Quasar Alpha|2025-04-03|N|-|1000000|-|-|quasar|110|code|end=2025-04-20
openrouter/cypher-alpha|openrouter/cypher-alpha|Cypher Alpha|2025-07-01|C|-|1000000|-|-|cypher|70|gen|end=2025-07-16
openrouter/polaris-alpha-20251106|openrouter/polaris-alpha|Polaris Alpha|2025-11-06|N|-|256000|-|-|polaris|160|gen|end=2025-11-19
openrouter/pony-alpha-20260206|openrouter/pony-alpha|Pony Alpha|2026-02-06|C|-|200000|-|-|pony|150|code|end=2026-02-24
openai/gpt-3.5-turbo-0125|openai/gpt-3.5-turbo|OpenAI: GPT-3.5 Turbo|2024-01-25|C|-|16385|0.5|1.5|gpt-3.5|30|gen|
openai/gpt-4-turbo-2024-04-09|openai/gpt-4-turbo|OpenAI: GPT-4 Turbo|2024-04-09|C|-|128000|10|30|gpt-4-turbo|30|gen|
openai/chatgpt-4o-latest|openai/chatgpt-4o-latest|OpenAI: ChatGPT-4o|2024-08-14|C|-|128000|5|15|chatgpt-4o|25|gen|
openai/o1-mini-2024-09-12|openai/o1-mini|OpenAI: o1-mini|2024-09-12|C|-|128000|1.1|4.4|o-mini|25|code|
openai/gpt-4o-2024-11-20|openai/gpt-4o-2024-11-20|OpenAI: GPT-4o (2024-11-20)|2024-11-20|C|-|128000|2.5|10|gpt-4o|60|gen|
anthropic/claude-3-haiku-20240307|anthropic/claude-3-haiku|Anthropic: Claude 3 Haiku|2024-03-13|C|-|200000|0.25|1.25|claude-3-haiku|45|gen|
anthropic/claude-3-opus-20240229|anthropic/claude-3-opus|Anthropic: Claude 3 Opus|2024-03-05|C|-|200000|15|75|claude-opus|40|gen|
anthropic/claude-3.5-sonnet-20240620|anthropic/claude-3.5-sonnet-20240620|Anthropic: Claude 3.5 Sonnet (2024-06-20)|2024-06-20|C|-|200000|3|15|claude-sonnet|240|code|
google/gemini-flash-1.5|google/gemini-flash-1.5|Google: Gemini 1.5 Flash|2024-05-14|C|-|1000000|0.075|0.3|gemini-flash|110|gen|
google/gemini-flash-1.5-8b|google/gemini-flash-1.5-8b|Google: Gemini 1.5 Flash 8B|2024-10-03|C|-|1000000|0.0375|0.15|gemini-flash-lite|40|small|
google/gemini-exp-1206|google/gemini-exp-1206|Google: Gemini Experimental 1206|2024-12-06|C|-|2097152|-|-|gemini-exp|30|code|end=2025-02-15
x-ai/grok-beta|x-ai/grok-beta|xAI: Grok Beta|2024-10-20|C|-|131072|5|15|grok|15|gen|
01-ai/yi-large|01-ai/yi-large|01.AI: Yi Large|2024-05-13|C|-|32768|3|3|yi|8|gen|
perplexity/llama-3.1-sonar-large-128k-online|perplexity/llama-3.1-sonar-large-128k-online|Perplexity: Llama 3.1 Sonar 70B Online|2024-07-31|C|-|127072|1|1|sonar|20|gen|end=2025-02-28
liquid/lfm-40b|liquid/lfm-40b|Liquid: LFM 40B MoE|2024-09-30|C|-|32768|0.15|0.15|lfm-40b|6|gen|
deepseek/deepseek-chat-v2.5|deepseek/deepseek-chat-v2.5|DeepSeek: DeepSeek V2.5|2024-09-05|O|deepseek-ai/DeepSeek-V2.5|128000|0.14|0.28|ds-chat|60|gen|
meta-llama/llama-3-8b-instruct|meta-llama/llama-3-8b-instruct|Meta: Llama 3 8B Instruct|2024-04-18|O|meta-llama/Meta-Llama-3-8B-Instruct|8192|0.03|0.06|llama-8b|30|small|
meta-llama/llama-3-70b-instruct|meta-llama/llama-3-70b-instruct|Meta: Llama 3 70B Instruct|2024-04-18|O|meta-llama/Meta-Llama-3-70B-Instruct|8192|0.3|0.4|llama-70b|30|gen|
mistralai/mistral-large-2407|mistralai/mistral-large-2407|Mistral Large 2407|2024-07-24|O|mistralai/Mistral-Large-Instruct-2407|131072|2|6|mistral-large|12|gen|
mistralai/pixtral-large-2411|mistralai/pixtral-large-2411|Mistral: Pixtral Large 2411|2024-11-19|O|mistralai/Pixtral-Large-Instruct-2411|131072|2|6|pixtral|6|gen|
mistralai/mistral-small-2409|mistralai/mistral-small|Mistral Small|2024-09-18|O|mistralai/Mistral-Small-Instruct-2409|32768|0.2|0.6|mistral-small|10|gen|
qwen/qwen-2-72b-instruct|qwen/qwen-2-72b-instruct|Qwen 2 72B Instruct|2024-06-07|O|Qwen/Qwen2-72B-Instruct|32768|0.9|0.9|qwen-72b|15|gen|
qwen/qwq-32b-preview|qwen/qwq-32b-preview|Qwen: QwQ 32B Preview|2024-11-28|O|Qwen/QwQ-32B-Preview|32768|0.2|0.2|qwq|12|gen|
qwen/qvq-72b-preview|qwen/qvq-72b-preview|Qwen: QvQ 72B Preview|2024-12-25|O|Qwen/QVQ-72B-Preview|128000|0.25|0.5|qvq|6|gen|
nousresearch/hermes-2-pro-llama-3-8b|nousresearch/hermes-2-pro-llama-3-8b|NousResearch: Hermes 2 Pro - Llama-3 8B|2024-05-27|O|NousResearch/Hermes-2-Pro-Llama-3-8B|131072|0.025|0.04|hermes-8b|8|rp|
cohere/command-r7b-12-2024|cohere/command-r7b-12-2024|Cohere: Command R7B (12-2024)|2024-12-14|O|CohereForAI/c4ai-command-r7b-12-2024|128000|0.0375|0.15|command-r7b|6|small|
ai21/jamba-1-5-large|ai21/jamba-1-5-large|AI21: Jamba 1.5 Large|2024-08-22|O|ai21labs/AI21-Jamba-1.5-Large|256000|2|8|jamba-large|8|gen|
microsoft/phi-3.5-mini-128k-instruct|microsoft/phi-3.5-mini-128k-instruct|Microsoft: Phi-3.5 Mini 128K Instruct|2024-08-21|O|microsoft/Phi-3.5-mini-instruct|128000|0.1|0.1|phi|6|small|
sao10k/l3.3-euryale-70b|sao10k/l3.3-euryale-70b|Sao10K: Llama 3.3 Euryale 70B|2024-12-18|O|Sao10K/L3.3-70B-Euryale-v2.3|131072|0.65|0.75|euryale|22|rp|
thedrummer/rocinante-12b|thedrummer/rocinante-12b|TheDrummer: Rocinante 12B|2024-09-30|O|TheDrummer/Rocinante-12B-v1.1|32768|0.17|0.43|rocinante|18|rp|
gryphe/mythomax-l2-13b|gryphe/mythomax-l2-13b|MythoMax 13B|2023-07-02|O|Gryphe/MythoMax-L2-13b|4096|0.06|0.06|mythomax|260|rp|
"""


@dataclass(frozen=True)
class Model:
    permaslug: str
    model_id: str
    name: str
    released: dt.date
    weights: str  # O, C, N, R
    hf_id: str | None
    context: int
    price_in: float | None
    price_out: float | None
    family: str
    peak: float
    kind: str
    plateau: float | None = None
    ramp: int | None = None
    end: dt.date | None = None
    steps: tuple = ()


def _opt(text: str) -> str | None:
    text = text.strip()
    return None if text in ("", "-") else text


def _price(text: str) -> float | None:
    text = _opt(text)
    return None if text is None else float(text)


def catalogue() -> list[Model]:
    """The scale-1 catalogue, in file order."""
    out = []
    for line in _CATALOGUE.strip().splitlines():
        cols = line.split("|", 12)
        if len(cols) != 13:
            raise ValueError(f"bad catalogue line: {line}")
        extras = {}
        steps = []
        for item in cols[12].replace("|", " ").split():
            key, _, value = item.partition("=")
            if key == "step":
                day, _, factor = value.partition(":")
                steps.append((dt.date.fromisoformat(day), float(factor)))
            else:
                extras[key] = value
        out.append(
            Model(
                permaslug=cols[0].strip(),
                model_id=cols[1].strip(),
                name=cols[2].strip(),
                released=dt.date.fromisoformat(cols[3].strip()),
                weights=cols[4].strip(),
                hf_id=_opt(cols[5]),
                context=int(cols[6]),
                price_in=_price(cols[7]),
                price_out=_price(cols[8]),
                family=cols[9].strip(),
                peak=float(cols[10]),
                kind=cols[11].strip(),
                plateau=float(extras["q"]) if "q" in extras else None,
                ramp=int(extras["r"]) if "r" in extras else None,
                end=dt.date.fromisoformat(extras["end"]) if "end" in extras else None,
                steps=tuple(steps),
            )
        )
    return out


# --------------------------------------------------------------------------- helpers


def _days() -> np.ndarray:
    return np.arange(np.datetime64(START), np.datetime64(END) + 1, dtype="datetime64[D]")


def _day_index(day: dt.date) -> int:
    return (day - START).days


def _interp_knots(knots, n_days: int, transform, inverse) -> np.ndarray:
    x = np.array([_day_index(dt.date.fromisoformat(d)) for d, _ in knots], dtype=np.float64)
    y = transform(np.array([v for _, v in knots], dtype=np.float64))
    return inverse(np.interp(np.arange(n_days, dtype=np.float64), x, y))


def _trailing_mean(x: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last `window` values (fewer at the start) along axis 0."""
    pad = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0)])
    idx = np.arange(x.shape[0])
    lo = np.maximum(idx + 1 - window, 0)
    width = (idx + 1 - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (pad[idx + 1] - pad[lo]) / width


def _smooth(x: np.ndarray, window: int) -> np.ndarray:
    """Centred moving mean along axis 0, the window shrinking at the edges."""
    half = window // 2
    pad = np.concatenate([np.zeros((1,) + x.shape[1:]), np.cumsum(x, axis=0)])
    n = x.shape[0]
    idx = np.arange(n)
    lo = np.clip(idx - half, 0, n)
    hi = np.clip(idx + half + 1, 0, n)
    width = (hi - lo).reshape((-1,) + (1,) * (x.ndim - 1))
    return (pad[hi] - pad[lo]) / width


def _logit(p):
    return np.log(p / (1 - p))


def _expit(x):
    return 1 / (1 + np.exp(-x))


def _smoothstep(x):
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3 - 2 * x)


def _base_curves(models: list[Model], n_days: int, rng) -> np.ndarray:
    """Launch curves, shape (days, models), before noise and rescaling."""
    n = len(models)
    launch = np.array([_day_index(m.released) for m in models], dtype=np.float64)
    # a steeper spread than the catalogue's numbers: fewer tokens in the long tail
    peak = np.array([m.peak for m in models]) ** 1.15
    # per-model shape parameters: fixed where the catalogue says, drawn otherwise
    plateau_draw = rng.uniform(0.62, 0.78, n)
    ramp_draw = rng.integers(3, 8, n)
    settle_draw = rng.uniform(14.0, 28.0, n)
    plateau = np.array([m.plateau if m.plateau is not None else plateau_draw[i] for i, m in enumerate(models)])
    ramp = np.array([m.ramp if m.ramp is not None else ramp_draw[i] for i, m in enumerate(models)], dtype=np.float64)
    # the next launch in the same family (same copy): start of the long slow decay
    successor = np.full(n, np.inf)
    by_family: dict[str, list[int]] = {}
    for i, m in enumerate(models):
        by_family.setdefault(m.family, []).append(i)
    for members in by_family.values():
        for i in members:
            later = [launch[j] for j in members if launch[j] > launch[i]]
            if later:
                successor[i] = min(later)
    end = np.array([_day_index(m.end) if m.end else n_days + 1 for m in models], dtype=np.float64)

    t = np.arange(n_days, dtype=np.float64)[:, None]
    d = t - launch[None, :]
    rise = _smoothstep((d + 1) / (ramp[None, :] + 1))
    after_peak = np.maximum(d - ramp[None, :], 0.0)
    settle = plateau + (1 - plateau) * np.exp(-after_peak / settle_draw[None, :])
    succ = np.exp(-np.maximum(t - successor[None, :], 0.0) / 75.0)
    ageing = np.exp(-np.maximum(d - 60.0, 0.0) / 260.0)
    curve = peak[None, :] * rise * settle * succ * ageing
    for i, m in enumerate(models):
        for day, factor in m.steps:
            s = _day_index(day)
            curve[:, i] *= 1 + (factor - 1) * _smoothstep((t[:, 0] - s + 1) / 3.0)
    live = (d >= 0) & (t <= end[None, :])
    return np.where(live, curve, 0.0)


def _wobble_knots(rng, n_weeks: int, n: int, sd: float, phi: float) -> np.ndarray:
    """A slow AR(1) wobble per model on a weekly grid, shape (weeks, models)."""
    knots = rng.standard_normal((n_weeks, n)) * (sd * np.sqrt(1 - phi * phi))
    knots[0] *= 1 / np.sqrt(1 - phi * phi)
    for k in range(1, n_weeks):
        knots[k] += phi * knots[k - 1]
    return knots


def _top_of_day(key: np.ndarray, top: int) -> np.ndarray:
    """Mask of the `top` largest keys per row (keys unique within a row; negative
    keys are not live and never kept)."""
    n = key.shape[1]
    if top >= n:
        return key >= 0
    kth = np.partition(key, n - top, axis=1)[:, n - top]
    return (key >= kth[:, None]) & (key >= 0)


@dataclass
class _Built:
    """Every model of every copy (copy-major: copy k is columns k*nb .. (k+1)*nb-1)."""

    permaslug: list
    model_id: list
    name: list
    released: list
    weights: np.ndarray  # "O", "C", "N", "R"
    hf_id: list
    context: list
    price_in: list
    price_out: list
    kind: list
    tokens: np.ndarray  # (days, models) int64, 0 where not live
    top: np.ndarray  # (days, models) bool: the day's named rows
    other: np.ndarray  # (days,) int64
    closed_factor: float

    @property
    def open_mask(self) -> np.ndarray:
        return self.weights == "O"

    @property
    def closed_mask(self) -> np.ndarray:
        return self.weights == "C"

    def alpha_rank(self) -> np.ndarray:
        """Rank of each permaslug in alphabetical (code point) order."""
        order = np.argsort(np.array(self.permaslug), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank


def _copy_columns(base: list[Model], scale: int) -> dict:
    """Catalogue columns for `scale` copies: copy 0 as is, copy k with -s{k} suffixes."""
    cols: dict[str, list] = {k: [] for k in (
        "permaslug", "model_id", "name", "released", "weights", "hf_id", "context",
        "price_in", "price_out", "kind",
    )}
    for k in range(scale):
        sfx = f"-s{k}" if k else ""
        cols["permaslug"] += [m.permaslug + sfx for m in base]
        cols["model_id"] += [m.model_id + sfx for m in base]
        cols["name"] += [f"{m.name} (s{k})" if k else m.name for m in base]
        cols["hf_id"] += [None if m.hf_id is None else m.hf_id + sfx for m in base]
        for key, attr in (("released", "released"), ("weights", "weights"), ("context", "context"),
                          ("price_in", "price_in"), ("price_out", "price_out"), ("kind", "kind")):
            cols[key] += [getattr(m, attr) for m in base]
    cols["weights"] = np.array(cols["weights"])
    return cols


_CHUNK = 32  # days per chunk in the big passes (fixed: the random streams depend on it)


def _build(seed: int, scale: int) -> _Built:
    if scale < 1:
        raise ValueError("scale must be at least 1")
    rng = np.random.default_rng(seed)
    days = _days()
    n_days = len(days)
    base = catalogue()
    nb = len(base)
    n = nb * scale
    cols = _copy_columns(base, scale)
    weights = cols["weights"]
    open_mask = weights == "O"
    closed_mask = weights == "C"
    # copy volume factors: copy 0 = 1, others log-normal; mean 1, then shared by K copies
    copy_factor = np.ones(scale)
    if scale > 1:
        copy_factor[1:] = np.exp(rng.standard_normal(scale - 1) * 0.35)
    copy_factor = copy_factor / copy_factor.mean() / scale

    curves = _base_curves(base, n_days, rng)  # (days, base models)
    base_live = curves > 0

    # raw volume = curve x copy factor x exp(slow wobble + daily scatter)
    n_weeks = n_days // 7 + 2
    wob = _wobble_knots(rng, n_weeks, n, sd=0.06, phi=0.56)
    raw = np.empty((n_days, n))
    for a in range(0, n_days, _CHUNK):
        b = min(a + _CHUNK, n_days)
        pos = np.arange(a, b) / 7.0
        k = np.floor(pos).astype(np.int64)
        w = (pos - k)[:, None]
        ln = wob[k] * (1 - w) + wob[k + 1] * w
        ln += rng.standard_normal((b - a, n), dtype=np.float32) * np.float32(0.045)
        np.exp(ln, out=ln)
        ln.reshape(b - a, scale, nb)[:] *= curves[a:b, None, :] * copy_factor[None, :, None]
        raw[a:b] = ln
    del wob

    total = _interp_knots(_TOTAL_KNOTS, n_days, np.log, np.exp)
    share = _interp_knots(_OPEN_SHARE_KNOTS, n_days, _logit, _expit)
    total = _smooth(total[:, None], 15)[:, 0]
    share = _smooth(share[:, None], 15)[:, 0]
    tail_frac = np.clip(0.025 + 0.02 * _smooth(rng.standard_normal((n_days, 1)), 21)[:, 0], 0.015, 0.04)
    modelled = total * (1 - tail_frac)

    open_raw = raw @ open_mask.astype(np.float64)
    rest_raw = raw @ (~open_mask).astype(np.float64)  # closed, unknown and retired
    # launches lift a pool above its own 4-week trailing mean for a while: the split
    # between the pools moves with them, the market total stays on its knots
    open_pull = share * open_raw / _trailing_mean(open_raw, 28)
    rest_pull = (1 - share) * rest_raw / _trailing_mean(rest_raw, 28)
    split = open_pull / (open_pull + rest_pull)
    open_factor = split * modelled / open_raw
    rest_factor = (1 - split) * modelled / rest_raw

    dow = (days.view("int64") - 4) % 7  # 0 = Monday (1970-01-01 was a Thursday)
    weekday_factor = np.where(dow >= 5, 0.8, 1.0) * (7 / 6.6)  # weekends 20% lower, mean 1
    day_factor = weekday_factor * np.exp(rng.standard_normal(n_days) * 0.02)

    # calibration: closed volume times (1 + (c - 1) * ramp), the ramp going 0 -> 1
    # over the six weeks before the headline week and flat through it
    w0, w1 = _day_index(HEADLINE_WEEK[0]), _day_index(HEADLINE_WEEK[1])
    ramp = _smoothstep((np.arange(n_days) - (w0 - 42)) / 42.0)
    top_n = TOP_N * scale

    def volumes(a: int, b: int, c: float) -> np.ndarray:
        f_rest = rest_factor[a:b] * (1 + (c - 1) * ramp[a:b])
        f = np.where(open_mask[None, :], open_factor[a:b, None], f_rest[:, None])
        f *= day_factor[a:b, None]
        return raw[a:b] * f

    def live_rows(a: int, b: int) -> np.ndarray:
        return np.broadcast_to(base_live[a:b, None, :], (b - a, scale, nb)).reshape(b - a, n)

    # fixed-point steps on c (a fixed count, so every machine takes the same path);
    # each step re-ranks the week's top rows, since c moves models across the cut
    target_ratio = (1 - HEADLINE_SHARE) / HEADLINE_SHARE  # closed / open
    c = 1.0
    for _ in range(6):
        v = volumes(w0, w1 + 1, c)
        live = live_rows(w0, w1 + 1)
        top = _top_of_day(np.where(live, v, -1.0), top_n)
        o = (v * (top & open_mask[None, :])).sum()
        cl = (v * (top & closed_mask[None, :])).sum()
        c = c * target_ratio * o / cl

    # integer tokens, quantised (machine independent) with low digits from the integer
    # stream; each day's top rows by tokens, ties impossible: the key appends the
    # permaslug's reverse alphabetical rank
    alpha = np.empty(n, dtype=np.int64)
    alpha[np.argsort(np.array(cols["permaslug"]), kind="stable")] = np.arange(n)
    tiebreak = (n - 1 - alpha)
    tokens = np.empty((n_days, n), dtype=np.int64)
    top = np.empty((n_days, n), dtype=bool)
    for a in range(0, n_days, _CHUNK):
        b = min(a + _CHUNK, n_days)
        v = volumes(a, b, c)
        live = live_rows(a, b)
        tok = np.floor(v / QUANTUM).astype(np.int64)
        tok *= QUANTUM
        tok += rng.integers(0, QUANTUM, size=tok.shape, dtype=np.int64)
        tok[~live] = 0
        if tok.max() >= (1 << 62) // n:
            raise OverflowError("token counts too large for the ranking key")
        key = tok * n + tiebreak
        key[~live] = -1
        tokens[a:b] = tok
        top[a:b] = _top_of_day(key, top_n)
    del raw
    tail = total * tail_frac * day_factor * np.exp(rng.standard_normal(n_days) * 0.03)
    tail_tokens = np.floor(tail / QUANTUM).astype(np.int64) * QUANTUM + rng.integers(0, QUANTUM, n_days)
    other = tokens.sum(axis=1) - (tokens * top).sum(axis=1) + tail_tokens
    return _Built(tokens=tokens, top=top, other=other, closed_factor=float(c), **cols)


# --------------------------------------------------------------------------- tables


def _usage_table(b: _Built):
    import pyarrow as pa

    days = _days()
    n_days = len(days)
    d_idx, m_idx = np.nonzero(b.top)
    slugs = b.permaslug + [snap.OTHER_PERMASLUG]
    slug_idx = np.concatenate([m_idx, np.full(n_days, len(b.permaslug))]).astype(np.int32)
    slug_col = pa.DictionaryArray.from_arrays(pa.array(slug_idx), pa.array(slugs, pa.string()))
    return pa.table({
        "date": pa.array(np.concatenate([days[d_idx], days]), pa.date32()),
        "model_permaslug": slug_col.cast(pa.string()),
        "total_tokens": pa.array(np.concatenate([b.tokens[d_idx, m_idx], b.other]), pa.int64()),
    })


def _models_table(b: _Built):
    import pyarrow as pa

    keep = np.nonzero(b.weights != "R")[0]
    pick = lambda col: [col[i] for i in keep]  # noqa: E731
    w = b.weights[keep]
    hf = pick(b.hf_id)
    open_weights = [True if x == "O" else False if x == "C" else None for x in w]
    basis = [
        "unknown" if x == "N" else "override" if (x == "O" and not h) else "hugging_face_id"
        for x, h in zip(w, hf)
    ]
    slugs = pick(b.permaslug)
    return pa.table({
        "model_permaslug": pa.array(slugs, pa.string()),
        "model_id": pa.array(pick(b.model_id), pa.string()),
        "name": pa.array(pick(b.name), pa.string()),
        "author": pa.array([s.split("/", 1)[0] for s in slugs], pa.string()),
        "released_at": pa.array(pick(b.released), pa.date32()),
        "open_weights": pa.array(open_weights, pa.bool_()),
        "open_weights_basis": pa.array(basis, pa.string()),
        "hugging_face_id": pa.array(hf, pa.string()),
        "context_length": pa.array(pick(b.context), pa.int64()),
        "price_prompt_usd_per_mtok": pa.array(pick(b.price_in), pa.float64()),
        "price_completion_usd_per_mtok": pa.array(pick(b.price_out), pa.float64()),
    })


def _category_table(b: _Built, rng):
    """Weekly category estimates (ISO week, Monday start) for each week's top
    CATEGORY_TOP_N models by named tokens."""
    import pyarrow as pa

    days = _days()
    dow = (days.view("int64") - 4) % 7
    monday = days - dow.astype("timedelta64[D]")
    weeks, starts = np.unique(monday, return_index=True)
    n_weeks = len(weeks)
    bounds = list(starts) + [len(days)]
    n = b.tokens.shape[1]
    weekly = np.empty((n_weeks, n), dtype=np.int64)
    for i in range(n_weeks):
        lo, hi = bounds[i], bounds[i + 1]
        weekly[i] = (b.tokens[lo:hi] * b.top[lo:hi]).sum(axis=0)
    k = min(CATEGORY_TOP_N, n)
    key = weekly * n + (n - 1 - b.alpha_rank())  # unique: ties broken by permaslug
    part = np.argpartition(-key, k - 1, axis=1)[:, :k]
    order = np.take_along_axis(part, np.argsort(-np.take_along_axis(key, part, axis=1), axis=1), axis=1)
    w_idx = np.repeat(np.arange(n_weeks), k)
    m_idx = order.reshape(-1)
    base = weekly[w_idx, m_idx].astype(np.float64)
    keep = base > 0
    w_idx, m_idx, base = w_idx[keep], m_idx[keep], base[keep]
    n_cat = len(CATEGORIES)
    mix = np.array([_KIND_MIX[x] for x in b.kind])[m_idx]
    # a sampled, up-sampled estimate: noisy, and not every token gets a category
    est = base[:, None] * mix * np.exp(rng.standard_normal((len(base), n_cat)) * 0.18) * 0.92
    # open-weight share of programming and roleplay moves between its start and end values
    span = max(1, int((weeks[-1] - weeks[0]).astype(np.int64)))
    frac = (weeks - weeks[0]).astype(np.int64) / span
    is_open = b.open_mask[m_idx]
    is_closed = b.closed_mask[m_idx]
    for cat, (lo, hi) in _CATEGORY_OPEN_SHARE.items():
        j = CATEGORIES.index(cat)
        target = lo + (hi - lo) * frac
        o = np.bincount(w_idx[is_open], weights=est[is_open, j], minlength=n_weeks)
        cl = np.bincount(w_idx[is_closed], weights=est[is_closed, j], minlength=n_weeks)
        both = (o > 0) & (cl > 0)
        f_open = np.where(both, target * (o + cl) / np.where(o > 0, o, 1), 1.0)
        f_closed = np.where(both, (1 - target) * (o + cl) / np.where(cl > 0, cl, 1), 1.0)
        est[is_open, j] *= f_open[w_idx[is_open]]
        est[is_closed, j] *= f_closed[w_idx[is_closed]]
    values = np.floor(est / 1e6).astype(np.int64) * 1_000_000  # estimates: whole millions
    slugs = np.array(b.permaslug, dtype=object)
    return pa.table({
        "week": pa.array(np.repeat(weeks[w_idx], n_cat), pa.date32()),
        "category": pa.array(np.tile(np.array(CATEGORIES, dtype=object), len(w_idx)), pa.string()),
        "model_permaslug": pa.array(np.repeat(slugs[m_idx], n_cat), pa.string()),
        "total_tokens": pa.array(values.reshape(-1), pa.int64()),
    })


def _labs_rows() -> list[dict]:
    return snap.read_labs_csv(snap.REFERENCE_LABS)


def generate_sample(out_dir: Path, seed: int = 42, scale: int = 1, *, overwrite: bool = False) -> snap.Snapshot:
    """Build the synthetic sample and write it as a snapshot folder at ``out_dir``
    (atomically, through ``write_snapshot``; ``overwrite`` replaces an existing one).

    The same seed and scale give byte-identical data files."""
    b = _build(seed, scale)
    usage = _usage_table(b)
    models = _models_table(b)
    categories = _category_table(b, np.random.default_rng([seed, scale, 1]))
    del b
    return snap.write_snapshot(
        Path(out_dir),
        usage=usage,
        models=models,
        labs=_labs_rows(),
        usage_by_category=categories,
        source=f"synthetic sample (tokenshare sample --seed {seed} --scale {scale})",
        synthetic=True,
        as_of=AS_OF,
        start_date=START,
        end_date=END,
        extra_manifest={"generator": {"seed": seed, "scale": scale}, "tool_version": tokenshare.__version__},
        overwrite=overwrite,
    )
