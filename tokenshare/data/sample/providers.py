"""The synthetic sample's providers: a deterministic ``model_endpoints.parquet``.

Shaped after what OpenRouter's endpoints API shows (labelled synthetic like the rest of
the sample): every open-weight or closed model with tokens in the sample's last 28 days
and a base catalogue id gets endpoints fetched on the sample's as-of day.

- **Open-weight models** are served by many inference providers competing on price: the
  more tokens a model has, the more providers (the top models 10 to 13, the tail 1 to
  4; 7 for the median model). The cheapest provider charges the catalogue price
  (for two models in three) or a little under it; the dearest 2x to 6x the cheapest
  (about 3.4x at the median, blended at 15:1), the others in between; quantisation, context, uptime,
  latency and throughput vary by provider.
- **Closed models** are served by their lab and sometimes one cloud (Anthropic and
  Amazon Bedrock, OpenAI and Azure, Google AI Studio and Vertex): one or two endpoints,
  all at the lab's price.

Python's own ``random.Random`` (seeded) and prices rounded to cents or tenths of a cent
per million tokens keep the file byte-identical on any machine.
"""

from __future__ import annotations

import datetime as dt
import math
import random

OPEN_PROVIDERS = (
    "DeepInfra", "Together", "Fireworks", "Novita", "Parasail", "Groq", "Cerebras", "SambaNova", "Nebius",
    "Hyperbolic", "Lambda", "Baseten", "Chutes", "SiliconFlow", "AtlasCloud", "GMICloud", "Crusoe",
    "Friendli", "NextBit", "Kluster", "Cloudflare", "Targon",
)
# a lab that serves its own open models too
FIRST_PARTY = {"deepseek": "DeepSeek", "mistralai": "Mistral", "moonshotai": "Moonshot AI", "z-ai": "Z.AI",
               "minimax": "MiniMax", "qwen": "Alibaba", "xiaomi": "Xiaomi", "tencent": "Tencent"}
CLOSED_PROVIDERS = {"anthropic": ("Anthropic", "Amazon Bedrock"), "openai": ("OpenAI", "Azure"),
                    "google": ("Google AI Studio", "Google Vertex"), "x-ai": ("xAI",), "amazon": ("Amazon Bedrock",)}
QUANTS = ("fp8", "fp8", "fp8", "bf16", "bf16", "fp4", "int4", None)
RECENT_DAYS = 28


def _round_price(x: float) -> float:
    """USD per million tokens as a provider lists it: cents, or tenths of a cent below $0.10."""
    return round(x, 2) if x >= 0.1 else round(x, 3)


def _tag(provider: str, quant: str | None) -> str:
    slug = provider.lower().replace(" ", "-").replace(".", "")
    return f"{slug}/{quant}" if quant else slug


def _row(m: dict, provider: str, tag: str, prompt: float, completion: float, cache, quant, ctx, rnd,
         fetched_on: dt.date) -> dict:
    return {
        "model_permaslug": m["model_permaslug"], "model_id": m["model_id"], "provider": provider,
        "endpoint_tag": tag, "quantization": quant, "context_length": ctx,
        "max_completion_tokens": min(ctx, 32768) if ctx else None,
        "price_prompt_usd_per_mtok": prompt, "price_completion_usd_per_mtok": completion,
        "price_input_cache_read_usd_per_mtok": cache,
        "uptime_last_30m": round(rnd.uniform(94.0, 100.0), 1),
        "latency_p50_ms": float(round(rnd.uniform(250, 2400))),
        "throughput_p50_tps": float(round(rnd.uniform(18, 320))),
        "fetched_on": fetched_on,
    }


def _open_endpoints(m: dict, rank_frac: float, rnd: random.Random, fetched_on: dt.date) -> list[dict]:
    """``rank_frac``: 0 for the model with the most recent tokens, 1 for the fewest."""
    top = 12 - round(9 * rank_frac)  # 12 for the biggest model, 3 for the smallest
    n = max(1, min(len(OPEN_PROVIDERS), top + rnd.randint(-2, 1)))
    names = rnd.sample(OPEN_PROVIDERS, n)
    first = FIRST_PARTY.get(m["author"])
    if first and rnd.random() < 0.7:
        names[0] = first
    p0, c0 = m["price_prompt_usd_per_mtok"], m["price_completion_usd_per_mtok"]
    cheapest = 1.0 if rnd.random() < 2 / 3 else rnd.uniform(0.6, 0.95)
    spread = math.exp(rnd.uniform(math.log(2.0), math.log(6.0))) if n > 1 else 1.0
    factors = [cheapest] + [cheapest * math.exp(rnd.uniform(0, math.log(spread))) for _ in range(n - 2)]
    if n > 1:
        factors.append(cheapest * spread)
    rows, tags = [], set()
    for name, f in zip(names, factors):
        quant = rnd.choice(QUANTS)
        tag = _tag(name, quant)
        if tag in tags:
            continue
        tags.add(tag)
        skew = math.exp(rnd.uniform(-0.08, 0.08)) if f != cheapest else 1.0
        prompt = _round_price(max(p0 * f * skew, 0.001))
        completion = _round_price(max(c0 * f / skew, 0.001))
        cache = _round_price(prompt * 0.25) if rnd.random() < 0.25 else None
        ctx = m["context_length"] if rnd.random() < 0.7 or not m["context_length"] else m["context_length"] // 2
        rows.append(_row(m, name, tag, prompt, completion, cache, quant, ctx, rnd, fetched_on))
    return rows


def _closed_endpoints(m: dict, rnd: random.Random, fetched_on: dt.date) -> list[dict]:
    own = CLOSED_PROVIDERS.get(m["author"], (m["lab_name"],))
    names = own[:1] if len(own) == 1 or rnd.random() < 0.45 else own[:2]
    return [_row(m, name, _tag(name, None), m["price_prompt_usd_per_mtok"], m["price_completion_usd_per_mtok"],
                 m["price_input_cache_read_usd_per_mtok"], None, m["context_length"], rnd, fetched_on)
            for name in names]


def sample_endpoints(models, usage, lab_names: dict[str, str], *, end: dt.date, fetched_on: dt.date,
                     seed: int, scale: int) -> list[dict]:
    """The sample's model_endpoints rows. ``models`` and ``usage`` are the sample's
    pyarrow tables; ``lab_names`` author -> lab name."""
    first = end - dt.timedelta(days=RECENT_DAYS - 1)
    recent: dict[str, int] = {}
    for day, slug, tokens in zip(usage["date"].to_pylist(), usage["model_permaslug"].to_pylist(),
                                 usage["total_tokens"].to_pylist()):
        if day >= first:
            recent[slug] = recent.get(slug, 0) + tokens
    chosen = [m for m in models.to_pylist()
              if m["open_weights"] is not None and m["model_id"] and ":" not in m["model_id"]
              and recent.get(m["model_permaslug"], 0) > 0 and m["price_prompt_usd_per_mtok"] is not None
              and m["price_completion_usd_per_mtok"] is not None]
    open_rank = sorted((m for m in chosen if m["open_weights"]), key=lambda m: (-recent[m["model_permaslug"]],
                                                                                  m["model_permaslug"]))
    frac = {m["model_permaslug"]: i / max(1, len(open_rank) - 1) for i, m in enumerate(open_rank)}
    rnd = random.Random(f"providers-{seed}-{scale}")
    rows: list[dict] = []
    for m in sorted(chosen, key=lambda m: m["model_permaslug"]):
        m = {**m, "lab_name": lab_names.get(m["author"], m["author"])}
        if m["open_weights"]:
            rows.extend(_open_endpoints(m, frac[m["model_permaslug"]], rnd, fetched_on))
        else:
            rows.extend(_closed_endpoints(m, rnd, fetched_on))
    return rows
