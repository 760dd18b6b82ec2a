"""The Claims page's verdicts: each claim of the open-model thread (Tomasz Tunguz, "The
thriving ecosystem of open models") and of its replies, tested on the open snapshot.

Each ``judge_*`` function takes the frames the other pages already use (the same named
queries and analysis functions, so a figure here equals that page's figure for the same
filters) and returns a ``Finding``: the verdict, the figure in words and what decided
it. The rule each one applies is the ``RULE`` text the card states. Only the thread's
words and figures are constants here (69.1%, the leader sequence, Arcee and Trinity);
every threshold the rules use is named below, and stated on the card."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tokenshare.analysis.metrics import open_share_headline
from tokenshare.core.formatting import pct

SOURCE_TITLE = 'Tomasz Tunguz, "The thriving ecosystem of open models"'
SOURCE_URL = "https://tomtunguz.com/the-thriving-ecosystem-of-open-models/"

HOLDS = "holds"
PARTLY = "partly"
DOES_NOT_HOLD = "does not hold"
UNTESTABLE = "cannot be tested with this data"
VERDICTS = (HOLDS, PARTLY, DOES_NOT_HOLD, UNTESTABLE)

# Claim 1
CLAIMED_OPEN_SHARE = 0.691
CLAIMED_CLOSED_SHARE = 0.309
NEAR_PP = 0.05  # "69.1%" holds within 5 percentage points
# Claim 2
JUMP_MIN = 1.2  # a jump: week 1 after at least 1.2 x the 14 days before
HOLD_MIN = 0.6  # a plateau: weeks 3-6 after at least 60% of the peak week
EVERY_TIME = 0.8  # "every time", read generously: at least 4 launches in 5
MOST_TIMES = 0.5
MIN_LAUNCHES = 3
# Claim 3: the claimed sequence of open-weight leaders, by OpenRouter author slug, in
# stages (the labs of a stage in any order): DeepSeek's early lead, then MiniMax and
# Kimi, then a reshuffle by Xiaomi MiMo, Alibaba Qwen, Tencent Hy3 and DeepSeek again.
CLAIMED_STAGES = (("deepseek",), ("minimax", "moonshotai"), ("xiaomi", "qwen", "tencent", "deepseek"))
MIN_LEAD_CHANGES = 2
MIN_RACE_PERIODS = 2  # one period shows no change of hands either way
# Claim 4
ARCEE = "arcee-ai"
TRINITY = "trinity"  # in the model's name or permaslug
STRONG_RANK = 10  # a strong appearance: in the top 10 open-weight labs in some period
# Objections
FREE_MANY = 0.25
FREE_SOME = 0.10


@dataclass(frozen=True)
class Finding:
    verdict: str
    figure: str  # the figure, in words
    why: str  # what decided the verdict
    numbers: dict = field(default_factory=dict)  # the figures, for tests and links


def _share_text(x) -> str:
    return pct(x) if x is not None else "–"


# --------------------------------------------------------------------------- claim 1

RULE_1 = (f"Holds when open-weight models carry more than half of named tokens in the latest complete period "
          f"and their share is within {100 * NEAR_PP:.0f} points of the claimed {pct(CLAIMED_OPEN_SHARE)}; "
          "partly when they carry more than half but the share is further off; does not hold at half or less.")


def judge_open_share(trend: pd.DataFrame) -> Finding:
    """Claim 1 from ``open_share_by_period`` rows: the Share page's headline
    (``open_share_headline``) against 69.1%."""
    head = open_share_headline(trend)
    if head.share is None:
        return Finding(UNTESTABLE, "no open or closed tokens in this range", "there is nothing to measure")
    gap = head.share - CLAIMED_OPEN_SHARE
    numbers = {"share": head.share, "gap": gap, "period": head.period, "first_passed": head.first_passed,
               "above_since": head.above_since, "partial_used": head.partial_used}
    off = f"{abs(100 * gap):.1f} points {'above' if gap >= 0 else 'below'} the claimed {pct(CLAIMED_OPEN_SHARE)}"
    figure = f"{pct(head.share)} open-weight, {pct(1 - head.share)} closed ({off})" + (
        "; an incomplete period, as no complete one is in this range" if head.partial_used else "")
    if head.share <= 0.5:
        return Finding(DOES_NOT_HOLD, figure, "open-weight models carry half of named tokens or less: not overtaken",
                       numbers)
    if abs(gap) <= NEAR_PP:
        return Finding(HOLDS, figure, f"open is ahead, and within {100 * NEAR_PP:.0f} points of the claim", numbers)
    return Finding(PARTLY, figure, f"open is ahead (overtaken holds), but the share is {off}", numbers)


# --------------------------------------------------------------------------- claim 2

RULE_2 = (f"Among open-weight launches with enough history (at least {MIN_LAUNCHES}), a launch jumped when week 1 "
          f"after is at least ×{JUMP_MIN:g} the 14 days before, and held a plateau when weeks 3-6 after keep at "
          f"least {HOLD_MIN:.0%} of the peak week. Holds when at least {EVERY_TIME:.0%} of launches did both "
          f"(\"every time\", read generously); partly from {MOST_TIMES:.0%}; does not hold below.")


def launch_outcomes(impact: pd.DataFrame) -> pd.DataFrame:
    """``launch_impact`` rows with both a jump and a hold (enough history), flagged
    ``jumped``, ``held`` and ``both`` by the thresholds of RULE_2."""
    d = impact[impact["jump"].notna() & impact["hold"].notna()].copy()
    d["jumped"] = d["jump"] >= JUMP_MIN
    d["held"] = d["hold"] >= HOLD_MIN
    d["both"] = d["jumped"] & d["held"]
    return d


def judge_launches(impact: pd.DataFrame) -> Finding:
    """Claim 2 from ``launch_impact`` rows (the Launches page's figures)."""
    d = launch_outcomes(impact)
    n = len(d)
    if n < MIN_LAUNCHES:
        return Finding(UNTESTABLE, f"{n} launch{'es' if n != 1 else ''} with enough history in this range",
                       f"fewer than {MIN_LAUNCHES} launches have both a jump and a plateau to measure",
                       {"measured": n})
    jumped, held, both = (float(d[c].mean()) for c in ("jumped", "held", "both"))
    numbers = {"measured": n, "jumped": jumped, "held": held, "both": both,
               "median_jump": float(d["jump"].median()), "median_hold": float(d["hold"].median())}
    figure = (f"of {n} launches, {pct(jumped, 0)} jumped, {pct(held, 0)} held a plateau, {pct(both, 0)} did both "
              f"(median jump ×{numbers['median_jump']:.2f}, median hold {pct(numbers['median_hold'], 0)})")
    if both >= EVERY_TIME:
        return Finding(HOLDS, figure, f"at least {EVERY_TIME:.0%} of launches jumped and held", numbers)
    if both >= MOST_TIMES:
        return Finding(PARTLY, figure, f"most launches jumped and held, but not every time ({pct(1 - both, 0)} "
                       "did not)", numbers)
    return Finding(DOES_NOT_HOLD, figure, f"fewer than {MOST_TIMES:.0%} of launches jumped and held", numbers)


# --------------------------------------------------------------------------- claim 3

RULE_3 = (f"Holds when the open-weight lead changed hands at least {MIN_LEAD_CHANGES} times and each claimed stage "
          "(DeepSeek; then MiniMax or Kimi; then Xiaomi, Qwen, Tencent or DeepSeek) led, in that order; partly when "
          "the lead changed hands and some claimed lab led; does not hold when one lab led throughout or no claimed "
          "lab ever led; cannot be tested over a single period.")


def claimed_stages(labs: pd.DataFrame) -> list[list[str]]:
    """The claimed stages as lab names of this snapshot's lab table (author, lab_name);
    an author the table lacks keeps its slug."""
    names = dict(zip(labs["author"], labs["lab_name"]))
    return [list(dict.fromkeys(names.get(a, a) for a in stage)) for stage in CLAIMED_STAGES]


def align_leaders(leaders: list[str], stages: list[list[str]]) -> dict:
    """Aligns the actual sequence of leaders (one name per spell at #1) with the claimed
    stages. A stage is matched at the first spell, after the previous stage's match,
    led by one of its labs. Returns matched (per stage: the spell index or None),
    in_order (claimed names that led at or after their stage's match), out_of_order
    (claimed names that led, but not where the claim puts them), never (claimed names
    that never led) and missed (leaders the claim does not name)."""
    matched: list[int | None] = []
    pos = 0
    for stage in stages:
        hit = next((i for i in range(pos, len(leaders)) if leaders[i] in stage), None)
        matched.append(hit)
        if hit is not None:
            pos = hit + 1
    claimed = list(dict.fromkeys(n for stage in stages for n in stage))
    in_order: list[str] = []
    for stage, hit in zip(stages, matched):
        if hit is None:
            continue
        later = set(leaders[hit:])
        in_order += [n for n in stage if n in later and n not in in_order]
    led = set(leaders)
    out_of_order = [n for n in claimed if n in led and n not in in_order]
    never = [n for n in claimed if n not in led]
    missed = [n for n in dict.fromkeys(leaders) if n not in claimed]
    return {"matched": matched, "in_order": in_order, "out_of_order": out_of_order, "never": never,
            "missed": missed}


def judge_leaders(spells: pd.DataFrame, labs: pd.DataFrame) -> Finding:
    """Claim 3 from ``leader_spells`` rows (the Race page's spells at #1, scope open)."""
    if spells.empty:
        return Finding(UNTESTABLE, "no open-weight lab has tokens in this range", "there is no race to look at")
    if int(spells["periods"].sum()) < MIN_RACE_PERIODS:
        return Finding(UNTESTABLE, f"{spells.iloc[0]['lab_name']} led the only period in this range",
                       "one period cannot show a lead changing hands", {"lead_changes": 0})
    leaders = spells.sort_values("spell")["lab_name"].tolist()
    stages = claimed_stages(labs)
    a = align_leaders(leaders, stages)
    changes = len(leaders) - 1
    sequence = " → ".join(leaders) if len(leaders) <= 12 else " → ".join(leaders[:6] + ["…"] + leaders[-5:])
    numbers = {"lead_changes": changes, "leaders": leaders, **a}
    figure = f"{changes} lead change{'s' if changes != 1 else ''}: {sequence}"
    all_stages = all(m is not None for m in a["matched"])
    if changes >= MIN_LEAD_CHANGES and all_stages:
        return Finding(HOLDS, figure, "the lead changed hands and every claimed stage led, in order", numbers)
    if changes == 0:
        return Finding(DOES_NOT_HOLD, figure, f"{leaders[0]} led throughout: the lead never changed hands", numbers)
    if not a["in_order"] and not a["out_of_order"]:
        return Finding(DOES_NOT_HOLD, figure, "none of the claimed labs ever led", numbers)
    missing = [i + 1 for i, m in enumerate(a["matched"]) if m is None]
    return Finding(PARTLY, figure, "the lead changed hands, but "
                   + (f"stage {', '.join(map(str, missing))} of the claim did not lead in order" if missing
                      else f"only {changes} lead change"), numbers)


# --------------------------------------------------------------------------- claim 4

RULE_4 = (f"Holds when Arcee AI reached the top {STRONG_RANK} open-weight labs in some period of the range and a "
          f"Trinity launch jumped (week 1 at least ×{JUMP_MIN:g} the lab's level before); partly when one of the "
          "two is true; does not hold when neither is; cannot be tested when the snapshot has no Arcee "
          "open-weight tokens in the range.")


def trinity_launches(impact: pd.DataFrame) -> pd.DataFrame:
    """Arcee's Trinity launches among ``launch_impact`` rows."""
    name = impact["model_name"].str.lower().str.contains(TRINITY) | impact["model_permaslug"].str.contains(TRINITY)
    return impact[(impact["author"] == ARCEE) & name]


def judge_us_labs(standing: pd.DataFrame, arcee_share: pd.DataFrame, trinity: pd.DataFrame,
                  below_cut: bool = False) -> Finding:
    """Claim 4. ``standing``: ``race.focus_standing`` of Arcee in the open-weight race
    (the Race page with lab=arcee-ai); ``arcee_share``: ``focus_share_by_period`` rows
    for Arcee; ``trinity``: its Trinity launches (``trinity_launches``); ``below_cut``:
    its open-weight models were live but never in the daily top 50 (issue 21: their
    tokens are bounded, not none)."""
    if standing.empty and below_cut:
        return Finding(UNTESTABLE, "Arcee AI's open-weight models were below the daily top 50 throughout this range "
                                   "(their tokens are in `other`: bounded, not none)",
                       "the ranked lists never name Arcee AI, so its rank cannot be measured")
    if standing.empty:
        return Finding(UNTESTABLE, "no Arcee AI open-weight tokens in this range", "Arcee AI is not in the race")
    row = standing.iloc[0]
    best_rank = int(row["best_rank"])
    share = arcee_share[~arcee_share["is_partial"].astype(bool)]
    share = share if not share.empty else arcee_share
    best = share.sort_values(["share_of_open", "period"], ascending=[False, True]).iloc[0]
    jumps = trinity["jump"].dropna()
    best_jump = float(jumps.max()) if len(jumps) else None
    numbers = {"best_rank": best_rank, "best_period": row["best_period"], "best_share": float(best["share_of_open"]),
               "best_share_period": best["period"], "rank_now": row["rank_now"], "best_jump": best_jump,
               "trinity_launches": len(trinity)}
    jump_text = (f"best Trinity jump ×{best_jump:.2f}" if best_jump is not None
                 else f"{len(trinity)} Trinity launch{'es' if len(trinity) != 1 else ''} with a jump figure: none")
    figure = (f"best rank #{best_rank} among open-weight labs; best share {pct(best['share_of_open'])} of "
              f"open-weight tokens; {jump_text}")
    strong = best_rank <= STRONG_RANK
    jumped = best_jump is not None and best_jump >= JUMP_MIN
    if strong and jumped:
        return Finding(HOLDS, figure, f"top {STRONG_RANK} in some period, and a Trinity launch jumped", numbers)
    if strong or jumped:
        return Finding(PARTLY, figure, (f"top {STRONG_RANK} in some period, but no Trinity launch jumped" if strong
                                        else f"a Trinity launch jumped, but Arcee AI never reached the top "
                                             f"{STRONG_RANK}"), numbers)
    return Finding(DOES_NOT_HOLD, figure, f"never in the top {STRONG_RANK}, and no Trinity launch jumped", numbers)


# --------------------------------------------------------------------------- claim 5

RULE_5 = ("OpenRouter is one marketplace: most inference (first-party APIs, subscriptions, self-hosting) never "
          "passes through it, so no OpenRouter snapshot can test a claim about all inference. The card shows the "
          "nearest figure it has: the open-weight share of every token it counts, the long tail and unclassified "
          "models included.")


def judge_fraction(trend: pd.DataFrame) -> Finding:
    """Claim 5 from ``open_share_by_period`` rows: the open-weight share of all tokens
    (named, unclassified and `other`) in the latest complete period."""
    head = open_share_headline(trend)
    if head.period is None:
        return Finding(UNTESTABLE, "no tokens in this range", "OpenRouter is not all inference")
    row = trend[trend["period"] == head.period].iloc[0]
    total = int(row["named_tokens"] + row["unclassified_tokens"] + row["other_tokens"])
    share = row["open_tokens"] / total if total else None
    numbers = {"share_of_all": share, "period": head.period, "other_tokens": int(row["other_tokens"]),
               "unclassified_tokens": int(row["unclassified_tokens"]), "total_tokens": total}
    figure = (f"{_share_text(share)} of every OpenRouter token (long tail and unclassified included) went to "
              "open-weight models")
    return Finding(UNTESTABLE, figure, "OpenRouter is not all inference: the rest of the market is not in the data",
                   numbers)


# --------------------------------------------------------------------------- objections

RULE_SPEND = ("Holds when the open-weight share of estimated spend is below their share of tokens over the whole "
              "plausible range of assumptions (the Spend page's range); partly when it is below at the default "
              "assumptions only; does not hold when it is not below at the default; cannot be tested without both "
              "open-weight and closed tokens.")


def judge_spend_gap(token_share, spend_range) -> Finding:
    """The objection "in dollars, closed models still carry the market" from the Spend
    page's latest complete period: its open token share and ``spend.open_share_range``."""
    import math

    if token_share is None or spend_range is None or math.isnan(spend_range.at_default):
        return Finding(UNTESTABLE, "no priced named tokens in this range", "there is no spend to estimate")
    if not 0 < float(token_share) < 1:
        kind = "open-weight" if float(token_share) == 0 else "closed"
        return Finding(UNTESTABLE, f"no {kind} tokens among what the filters count",
                       "a gap between open and closed needs both")
    gap = spend_range.at_default - float(token_share)
    numbers = {"token_share": float(token_share), "spend_share": spend_range.at_default, "gap": gap,
               "low": spend_range.low, "high": spend_range.high}
    figure = (f"open-weight models: {pct(token_share)} of tokens but {pct(spend_range.at_default)} of estimated "
              f"spend ({pct(spend_range.low)} to {pct(spend_range.high)} over the plausible assumptions)")
    if spend_range.high < token_share:
        return Finding(HOLDS, figure, "open-weight spend share is below their token share under every plausible "
                       "assumption", numbers)
    if spend_range.at_default < token_share:
        return Finding(PARTLY, figure, "below at the default assumptions, not under all of them", numbers)
    return Finding(DOES_NOT_HOLD, figure, "open-weight models' spend share is not below their token share", numbers)


RULE_FREE = (f"Holds when `:free` variants carry at least {FREE_MANY:.0%} of open-weight tokens in the latest complete "
             f"period; partly from {FREE_SOME:.0%}; does not hold below. Cannot be tested when the snapshot has no "
             "`:free` rows: the free variants are then not in the data, not zero.")


def _has_free(free: pd.DataFrame) -> bool:
    """Whether the snapshot has free traffic in range (open or closed)."""
    if free.empty:
        return False
    closed = free["closed_free_tokens"].sum() if "closed_free_tokens" in free else 0
    return int(free["free_open_tokens"].sum() + closed) > 0


def judge_free_share(free: pd.DataFrame) -> Finding:
    """The objection "much open-model use is free traffic" from ``free_share_by_period``
    rows as ``claims_cards.free_share`` names their columns (``free_open_tokens``, and
    ``free_models`` when the count is there)."""
    if not _has_free(free):
        return Finding(UNTESTABLE, "this snapshot has no :free models", "free variants are not in the data",
                       {"free_models": 0})
    d = free[free["open_tokens"] > 0]
    complete = d[~d["is_partial"].astype(bool)]
    last = (complete if not complete.empty else d).sort_values("period").iloc[-1]
    share = last["free_open_tokens"] / last["open_tokens"]
    models = int(last["free_models"]) if "free_models" in last else None
    numbers = {"share": float(share), "period": last["period"], "free_models": models}
    figure = f"{pct(share)} of open-weight tokens went to " + (f"{models} :free variants" if models is not None
                                                               else ":free variants")
    if share >= FREE_MANY:
        return Finding(HOLDS, figure, f"at least {FREE_MANY:.0%} of open-weight tokens are free traffic", numbers)
    if share >= FREE_SOME:
        return Finding(PARTLY, figure, f"between {FREE_SOME:.0%} and {FREE_MANY:.0%}", numbers)
    return Finding(DOES_NOT_HOLD, figure, f"under {FREE_SOME:.0%} of open-weight tokens are free traffic", numbers)


TOP_PROVIDER_MODELS = 10
RULE_PROVIDERS = (f"Over the {TOP_PROVIDER_MODELS} open-weight models with the most tokens: holds when the median "
                  "model is served by at least 3 providers; partly at 2; does not hold at 1; cannot be tested when "
                  "the snapshot has no provider table (models × endpoints).")


def judge_providers(counts: pd.DataFrame | None) -> Finding:
    """The objection "many providers compete on price for the same open model".
    ``counts``: one row per open-weight model with ``providers`` (its endpoint count),
    or None when the snapshot has no provider table."""
    if counts is None:
        return Finding(UNTESTABLE, "this snapshot has no provider table",
                       "provider counts per model are not in the data (the market-depth work adds them)")
    if counts.empty:
        return Finding(UNTESTABLE, "no open-weight model in view has a provider count",
                       "the provider table has no rows for these models")
    median = float(counts["providers"].median())
    numbers = {"median_providers": median, "models": len(counts)}
    figure = f"median {median:g} providers per open-weight model ({len(counts)} models)"
    if median >= 3:
        return Finding(HOLDS, figure, "the typical open-weight model has three or more providers", numbers)
    if median >= 2:
        return Finding(PARTLY, figure, "the typical open-weight model has two providers", numbers)
    return Finding(DOES_NOT_HOLD, figure, "the typical open-weight model has one provider", numbers)
