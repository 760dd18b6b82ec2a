"""The race, animated: a bar-chart race of the top labs (or models), period by period."""

import streamlit as st

from tokenshare.analysis import race_frames as rf
from tokenshare.app import charts, focus as focusing, page, tail as tailing, urlparams, urls
from tokenshare.app.page_parts.tail import race_anim_tail, tier_tail
from tokenshare.app.text import md
from tokenshare.app.urlcheck import url_value
from tokenshare.core.formatting import human_tokens, pct, period_label, pp_delta

PLAYING = "_race_playing"
SNAPPED = "_race_snapped"  # (the URL's date, the period it falls in)
SNAP_PENDING = "_race_snap_pending"

ctx = page.header(
    "The race, animated",
    "The top labs (or models) by tokens, period by period. Press play, or drag the period slider; the "
    "period is in the URL, so a shared link opens on the same frame.",
)
f = ctx.filters
focus = focusing.current(ctx)
fname, fnames = md(focus.name), md(focus.possessive)  # names come from the data: shown as text, never as Markdown
against_market = focus.active and not focus.narrowed

c1, c2, c3 = st.columns([2, 2, 3])
race_by = c1.segmented_control("Race of", urls.choices("race_by"), default=urls.default("race_by"), key="race_by",
                               bind="query-params", required=True) or urls.default("race_by")
scope = c2.segmented_control("Rank", urls.choices("scope"), default=urls.default("scope"), key="scope",
                             bind="query-params", required=True,
                             help="open: open-weight models only. all: every named model.") or urls.default("scope")
speed = c3.segmented_control("Speed", list(rf.SPEEDS), default="normal", key="_race_speed", required=True) or "normal"

# Ranked over every lab in scope; the lab and country filters pick the focus, whose bars
# are in colour (others grey), unless field=focus races the focus alone.
params = focus.yardstick(ctx, scope=scope)
of_what = "open-weight" if scope == "open" else "named"
whose = f"{fnames}" if focus.narrowed else "every lab's"
name = "lab_ranks" if race_by == "labs" else "model_ranks"
# derived once per snapshot and filters, then shared: slicing and labelling every rank row
# was a third of this page's server CPU per rerun
ranks = ctx.derive(rf.with_series, (name, params), race_by=race_by)
options = rf.frame_options(ranks)
# the tail below the daily top 50, bounded per lab (cached; None with a tier filter), and
# which periods' #1 it leaves undecided; not with field=focus (a race among the focus only)
universe = "open" if scope == "open" else "named"
labs_tail = tier_tail.lab_tail(ctx, universe) if against_market and race_by == "labs" else None
undecided = (tailing.undecided_leads(ctx, universe, ranks[ranks["rank"] == 1][["period", "lab_name", "rank"]])
             if race_by == "labs" and not focus.narrowed and options else None)

if not options:
    page.empty_state("ranked labs")
else:
    default = rf.default_frame(ranks)
    # A date inside a period (frame=2026-03-04) opens that period at once. The browser
    # only writes a value the server sets into the URL when the slider is already on the
    # page, so one timer tick of the fragment sets it again and then stops.
    url_frame = urlparams.last("frame")
    if url_frame and url_frame not in options and SNAPPED not in st.session_state:
        snapped = rf.snap_frame(url_frame, options)
        if snapped is not None:
            st.session_state[SNAPPED] = (url_frame, snapped)
            st.session_state[SNAP_PENDING] = True
            st.session_state["frame"] = snapped
    urlparams.warn_ignored("frame", allowed=options, accept=lambda v: rf.snap_frame(v, options) is not None,
                           first=options[0], last=options[-1])

    def _toggle_play() -> None:
        playing = not st.session_state.get(PLAYING, False)
        st.session_state[PLAYING] = playing
        if playing and st.session_state.get("frame", default) == options[-1]:
            st.session_state["frame"] = options[0]  # play again from the start

    playing = st.session_state.get(PLAYING, False)
    st.button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
              on_click=_toggle_play, type="primary", key="race_play",
              help="Plays the periods in order from the one shown (from the start when at the end).")

    snap_tick = st.session_state.get(SNAP_PENDING, False)
    first_call = [True]  # the fragment's first call is part of this full run, later ones are ticks

    @st.fragment(run_every=rf.SPEEDS[speed] if playing else (0.3 if snap_tick else None))
    def race() -> None:
        stop_ticking = False
        if not first_call[0] and st.session_state.pop(SNAP_PENDING, False):
            st.session_state["frame"] = st.session_state[SNAPPED][1]
            stop_ticking = not st.session_state.get(PLAYING, False)
        first_call[0] = False
        if SNAPPED in st.session_state:
            asked, snapped = st.session_state[SNAPPED]
            if st.session_state.get("frame") == snapped:
                st.info(f"`frame={url_value(asked, 20)}` falls in the {f.grain} starting {snapped}; showing that frame.",
                        icon=":material/info:")
            else:
                del st.session_state[SNAPPED]  # another frame was chosen since: the notice is done
        if st.session_state.get(PLAYING, False):
            current = st.session_state.get("frame", default)
            if current == options[-1]:
                st.session_state[PLAYING] = False
                st.rerun(scope="app")  # stop the timer
            st.session_state["frame"] = rf.next_frame(current, options, loop=False)
        frame = st.select_slider("Period (first day)", options, value=default, key="frame", bind="query-params")
        if against_market and race_by == "labs":  # the focus's bars too, wherever they rank
            bars = rf.focus_frame_bars(ranks, frame, f.top, focus.lab_names)
            at_frame = race_anim_tail.frame_bounds(labs_tail, frame)
            bars = race_anim_tail.censored_bars(at_frame, bars, focus.lab_names)
        else:
            bars = rf.frame_bars(ranks, frame, f.top)
            if against_market:
                bars = bars.assign(in_focus=bars["lab_name"].isin(focus.lab_names))
        lead = rf.leader_at(ranks, frame)
        when = period_label(rf.to_date(frame), f.grain)
        partial = bool(bars["is_partial"].iloc[0]) if not bars.empty else False
        if lead is not None:
            spell = (f"#1 for {lead.periods_at_top} {f.grain}{'s' if lead.periods_at_top != 1 else ''} in a row, "
                     f"since {period_label(rf.to_date(lead.since), f.grain)}")
            took = f"; took the lead from **{md(lead.previous)}**" if lead.previous else ""
            margin = f", {pp_delta(lead.margin).lstrip('+')} ahead of #2" if lead.margin is not None else ""
            page.headline(f"{lead.name} leads in {when} with {pct(lead.share)} of {whose} {of_what} tokens")
            st.markdown(
                f"#### :material/emoji_events: {md(lead.name)} leads the {when}\n"
                f"{pct(lead.share)} of {whose} {of_what} tokens "
                f"({human_tokens(lead.tokens)}){margin}. {spell}{took}."
                + (" *(incomplete period)*" if partial else "")
                + race_anim_tail.leader_caveat(undecided, frame)
            )
            if focus.narrowed and len(bars) == 1:  # a 100% that only the filter made: say so
                st.caption(f"The only {race_by[:-1]} of {fname} with {of_what} tokens in the {when}, so 100% of the "
                           "focus's tokens: a race of one. Choose **all** for the yardstick to race it against "
                           "every lab.")
        if against_market:
            mine = rf.focus_ranks_at(ranks, frame, focus.lab_names)
            if race_by == "labs" and labs_tail is not None:  # every focus lab, below the cut too
                said = race_anim_tail.standings(mine, at_frame, focus.lab_names, of_what)
                st.markdown(f"**{fname}** among {of_what} labs: "
                            + ("; ".join(said[:6]) + (f" and {len(said) - 6} more" if len(said) > 6 else "")
                               if said else "no model released yet") + f" in the {when}.")
            elif race_by == "labs":
                st.markdown(f"**{fname}**: " + ("; ".join(f"{md(n)} #{r} of {m}" for n, r, m in mine[:6])
                                                + (f" and {len(mine) - 6} more" if len(mine) > 6 else "")
                                                + f" {of_what} labs in the ranked lists" if mine
                                                else f"none in the ranked lists ({tailing.BELOW} or no "
                                                     f"{of_what} tokens)") + f" in the {when}.")
                st.caption(tailing.TIER_NOTE)
            else:
                st.markdown(f"**{fname}** models in the top {f.top}: "
                            + (", ".join(f"{md(n)} #{r}" for n, r, _ in mine) if mine else "none") + f" in the {when}.")
        chart = charts.race_bars(bars, top=f.top, pick_labs=False)
        charts.draw(chart, width="stretch", key="race_bars")
        if stop_ticking:
            st.rerun(scope="app")  # the URL has the frame now: drop the timer

    race()
    st.caption(
        f"Top {f.top} {race_by} by share of {whose} {of_what} tokens in the {f.grain}; "
        + (f"{fname} in colour (its labs below the top {f.top} too, with their rank; a faint dashed bar is a lab "
           f"{tailing.BELOW}, drawn at the most it can have had), every other lab grey. "
           if against_market else "bars keep their lab's colour (a model takes its lab's). ")
        + "Change Top N, dates and filters in the sidebar. "
        "PNG export is in the chart's toolbar."
    )
    page.data_behind(ctx.snapshot, name, params, ranks.drop(columns=["frame", "series"]),
                   label="The data behind the race (every period; the chart shows one at a time)")
