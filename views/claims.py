"""Claims: the open-model thread's claims and its replies' objections, each tested on
the open snapshot with a stated rule, and what changed in the latest complete week."""

from collections import Counter

import pandas as pd
import streamlit as st

from tokenshare.analysis import claims, digest, launches
from tokenshare.app import charts, page, state
from tokenshare.app.page_parts import claims as cards
from tokenshare.app.page_parts.tail import claims_tail
from tokenshare.app.page_parts.extras import session_cost
from tokenshare.app.text import md
from tokenshare.core.formatting import as_of_text, human_tokens, pct, period_label

ctx = page.header(
    "Does the open-model story hold?",
    "The claims of a widely shared thread on open-weight models (Tomasz Tunguz, \"The thriving ecosystem of open "
    "models\") and its replies' objections, each tested live on the open snapshot and the sidebar's filters by a "
    "stated rule, with a link to the view that shows the evidence.",
    # the page's one synthetic banner, above everything, the title included
    synthetic_note="**Every verdict on this page is about synthetic sample data**, not OpenRouter's figures: it "
                   "shows how the claims are tested. Open a real snapshot (`python -m tokenshare refresh`) to test "
                   "them for real.",
)
f = ctx.filters
fig = cards.gather(ctx)
keep = cards.filter_params(ctx)  # the sidebar's filters, carried into every evidence link
dates = {k: v for k, v in keep.items() if k in ("start", "end", "grain")}
focus = {k: v for k, v in keep.items() if k in ("country", "lab", "field")}
arcee = cards.arcee_name(ctx)
findings = cards.judge(ctx, fig)  # once per snapshot and filters
tally = Counter(x.verdict for x in findings.values())
page.headline(", ".join(f"{tally[v]} {v}" for v in claims.VERDICTS if tally[v]) + f" of {len(findings)} claims tested")
st.markdown(" · ".join(f"**{tally[v]}** {v}" for v in claims.VERDICTS if tally[v])
            + f" — {len(findings)} claims and objections, "
            + f"{page.fmt_date(f.start)} to {page.fmt_date(f.end)}, by {f.grain}"
            + (" (a lab or country focus is chosen: each card says what it measures)" if f.countries or f.labs else "")
            + ".")

left, right = st.columns(2, gap="medium")
with left:
    one = findings["1"]
    since = one.numbers.get("first_passed")

    def one_extra(since) -> None:
        if since is not None:
            st.caption(f"Open first passed closed in the {period_label(since, f.grain)}"
                       + (f"; above 50% without a break since the {period_label(one.numbers['above_since'], f.grain)}."
                          if one.numbers.get("above_since") else "; below 50% now."))
        # the tail below the daily top 50 (issue 21): the market's share, not field=focus's
        note = "" if focus.get("field") == "focus" else claims_tail.open_share_note(
            ctx, one.numbers.get("period"), "named", "named tokens")
        if note:
            st.caption(note)
    cards.card(
        "1", "Open-weight models have overtaken closed models",
        "Open-weight models have overtaken closed models on OpenRouter. 69.1% of token volume now goes to "
        "open-weight models. 30.9% to closed.",
        f"In the latest complete {f.grain}, open-weight models carry more than half of named tokens (open + "
        f"closed; the long tail and unclassified models left out, as the thread did), near {pct(claims.CLAIMED_OPEN_SHARE)}.",
        one, claims.RULE_1,
        [("Share page, same filters", cards.evidence_url("share", {**dates, **focus}))],
        extra=lambda: one_extra(since),
    )
with right:
    two = findings["2"]
    cards.card(
        "2", "Every launch jumps, then holds a plateau",
        "Open model demand jumps every time a new model launches. Each release attracts developers & testing. "
        "Token use surges. Then sustains a plateau.",
        "Nearly every open-weight launch with enough history lifts its lab's daily tokens in week 1 and keeps most "
        "of the rise in weeks 3 to 6." + (" The sidebar's lab and country filters pick the launches, as on the "
                                           "Launches page." if focus else ""),
        two, claims.RULE_2,
        [("Launches page, open-weight launches", cards.evidence_url("launches", {
            **{k: v for k, v in dates.items() if k != "grain"},
            **{k: v for k, v in focus.items() if k != "field"}, "openness": "open"}))],
        extra=(lambda: charts.draw(cards.launch_outcome_chart(fig.impact), width="stretch"))
        if two.numbers.get("measured", 0) else None,
    )

left, right = st.columns(2, gap="medium")
with left:
    three = findings["3"]
    a = three.numbers

    def alignment():
        if "in_order" not in a:  # no sequence to align (no race, or a single period)
            return
        st.markdown(
            f"In order: {md(', '.join(a['in_order']) or 'none')}  \n"
            f"Led, but not where the claim puts them: {md(', '.join(a['out_of_order']) or 'none')}  \n"
            f"Never led: {md(', '.join(a['never']) or 'none')}  \n"
            f"Leaders the claim misses: {md(', '.join(a['missed']) or 'none')}")

    cards.card(
        "3", "Open-model leadership keeps changing hands",
        "Open model leadership keeps changing hands. DeepSeek's early lead → MiniMax & Kimi in late 2025 → then "
        "reshuffled by Alibaba, Tencent, Hy3, Qwen, DeepSeek.",
        "The sequence of labs at #1 among open-weight labs (by tokens per period) shows several changes of hands "
        "and the claimed labs leading in the claimed order.",
        three, claims.RULE_3,
        [("Race page, open-weight labs", cards.evidence_url("race", {**dates, **focus, "scope": "open"}))],
        extra=alignment,
    )

with right:
    four = findings["4"]
    us4 = cards.us_figures(ctx, fig, one.numbers.get("period"))  # once per snapshot and filters
    us, us_best = us4.share, us4.best

    def us_and_trinity():
        lines = [f"**{md(r['model_name'])}** (launched {page.fmt_date(r['launch_day'])}): "
                 + (f"jump {launches.fmt_ratio(r['jump'])}" if pd.notna(r["jump"])
                    else f"no jump figure ({launches.why_missing(r, 'jump')})")
                 + " · hold " + launches.metric_text(r, "hold")
                 for r in us4.trinity]
        if lines:
            st.markdown("  \n".join(lines))
        note = us4.note  # Arcee and US labs counting the tail (issue 21)
        if us is not None and us.share_of_open is not None:
            st.caption(f"All US labs: {pct(us.share_of_open)} of open-weight tokens in the "
                       f"{period_label(us.period, f.grain)} (the Share page with country=US)"
                       + (f"; best {pct(us_best['share_of_open'])} in the {period_label(us_best['period'], f.grain)}"
                          if us_best is not None else "") + " (ranked lists).")
        if note:
            st.caption(note)
    cards.card(
        "4", "US labs are showing up too",
        "US labs are showing up too. Arcee, an American open-weight lab, made strong appearances on OpenRouter "
        "with their Trinity family.",
        f"{md(arcee)} reaches the top {claims.STRONG_RANK} open-weight labs in some period, and a Trinity launch lifts "
        "its lab's demand.",
        four, claims.RULE_4,
        [("Race page, Arcee AI among open-weight labs",
          cards.evidence_url("race", {**dates, "lab": [claims.ARCEE], "scope": "open"})),
         ("Share page, US labs", cards.evidence_url("share", {**dates, "country": ["US"]}))],
        extra=us_and_trinity,
    )

left, right = st.columns(2, gap="medium")
with left:
    five = findings["5"]
    cards.card(
        "5", "Open models remain a fraction of overall inference",
        "Open models remain a fraction of overall inference.",
        "Open-weight models' share of all inference, everywhere: OpenRouter's data holds only its own traffic.",
        five, claims.RULE_5,
        [("Share page, every token (volume=all)", cards.evidence_url("share", {**dates, "volume": "all"}))],
        extra=lambda: [st.caption(n) for n in [claims_tail.open_share_note(ctx, five.numbers.get("period"), "all",
                                                                            "every token")] if n],
    )
with right:
    spend_gap = findings["A"]
    cards.card(
        "A", "Objection: in dollars, closed models still carry the market",
        "Closed models are often used through direct subscriptions, so OpenRouter over-represents open models; "
        "and cost is catching up.",
        "Open-weight models' share of estimated spend (tokens × price, at the Spend page's cited default "
        "assumptions) is below their share of tokens. The subscriptions part cannot be tested: that use never "
        "reaches OpenRouter." + (" The lab and country filters narrow what is counted, as on the Spend page."
                                 if focus else ""),
        spend_gap, claims.RULE_SPEND,
        [("Spend page, same filters", cards.evidence_url("spend", {**dates, **focus}))],
        source=("the thread's replies", claims.SOURCE_URL), extra=lambda: session_cost.claims_evidence(ctx),
    )

left, right = st.columns(2, gap="medium")
with left:
    cards.card(
        "B", "Objection: much open-model use is free traffic",
        "A large part of open-model use is free variants: tokens nobody pays for.",
        "The share of open-weight tokens carried by `:free` variants of models.",
        findings["B"], claims.RULE_FREE,
        [("Data page, the free-share table", cards.evidence_url("data", {**dates, **focus, "view": fig.free_view}))],
        source=("the thread's replies", claims.SOURCE_URL),
    )
with right:
    cards.card(
        "C", "Objection: many providers compete for the same open model",
        "Many non-first-party providers compete on price for the same open model.",
        f"The {claims.TOP_PROVIDER_MODELS} open-weight models with the most tokens are each served by several "
        "providers.",
        findings["C"], claims.RULE_PROVIDERS,
        [("Data page, the open snapshot", cards.evidence_url("data", dates))],
        source=("the thread's replies", claims.SOURCE_URL),
    )

# ------------------------------------------------------------------ what changed
st.subheader("What changed this week")
d = cards.what_changed(ctx)
carry = {k: v for k, v in focus.items()}


def link(target: str, params: dict) -> str:
    return cards.evidence_url(target, params)


with st.container(border=True, key="digest"):
    st.markdown(digest.markdown(d, citation=ctx.snapshot.citation, as_of=as_of_text(ctx.snapshot.as_of),
                                synthetic=ctx.snapshot.synthetic, link=link, esc=md, filters=carry,
                                heading="####"))
if d.week is not None:
    st.caption(f"The latest complete ISO week in the date range against the week before; shares are of every "
               f"lab's named tokens. Launches in the week: {len(d.launches)}"
               + (f", {human_tokens(sum(r['first_week_tokens'] for r in d.launches))} tokens in their first week."
                  if d.launches else "."))
# Made only when opened: its code block loaded the browser's syntax highlighter, about
# 0.2 s of every first load, for a block read only by the few who copy it.
copy_block = page.opened("Copy as Markdown", icon=":material/content_copy:", key="copy_digest")
if copy_block is not None:
    with copy_block:
        base = cards.app_base() or digest.DEFAULT_BASE_URL
        st.code(digest.markdown(d, citation=ctx.snapshot.citation, as_of=as_of_text(ctx.snapshot.as_of),
                                synthetic=ctx.snapshot.synthetic, filters=carry,
                                link=lambda target, params: cards.evidence_url(target, params, base=base)),
                language="markdown", wrap_lines=True)
        st.caption("The same block from the command line: `python -m tokenshare digest --base-url <this app's address>`.")
