"""The yardstick for the server CPU figure: a trivial one-chart Streamlit app, written
the way a plain tutorial app is (one cached DataFrame, one select box in the sidebar,
one Altair line chart built on every rerun, no speed-ups). The bench serves it with
``streamlit run`` from this folder, so with Streamlit's default settings rather than
tokenshare's ``.streamlit/config.toml`` (which turns the post-run garbage collection off),
next to tokenshare, drives both the same way, and prints each page's
CPU per rerun as a multiple of this app's.

``?charts=2`` draws a second line of the same kind below the first: the browser figure
measures that as the floor for a page of two charts (what Streamlit itself costs for one
more chart, none of tokenshare's code in it)."""

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

RULE = {"day": "D", "week": "W-MON", "month": "MS"}


@st.cache_data
def tokens(grain: str) -> pd.DataFrame:
    days = pd.date_range("2025-01-01", periods=700, freq="D")
    df = pd.DataFrame({"day": days, "tokens": np.random.default_rng(0).integers(1, 10**9, len(days))})
    return df.resample(RULE[grain], on="day", label="left", closed="left")["tokens"].sum().reset_index()


grain = st.sidebar.selectbox("Period", ["day", "week", "month"], index=1, key="grain")
st.title("Tokens per period")
st.altair_chart(alt.Chart(tokens(grain)).mark_line().encode(x="day:T", y="tokens:Q"), width="stretch")
if st.query_params.get("charts") == "2":
    second = tokens(grain).assign(tokens=lambda d: d["tokens"] * 2)
    st.altair_chart(alt.Chart(second).mark_line().encode(x="day:T", y="tokens:Q"), width="stretch")
