"""The "what changed" digest (tokenshare/analysis/digest.py) and ``python -m tokenshare
digest``: its figures on the tiny snapshot worked out by hand (tests/tiny.py), its
Markdown (citation, as-of, links to the right views with the right keys), the command's
output and its refusals."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests import tiny
from tests.hostile import tried
from tokenshare import cli
from tokenshare.analysis import digest
from tokenshare.app import urls
from tokenshare.core import settings

BASE = "https://tokenshare.example/app"
W2, W3 = tiny.WEEKS[1], tiny.WEEKS[2]


def link(page, params):
    return digest.view_url(BASE, page, params)


def links(text: str) -> dict[str, str]:
    return dict(re.findall(r"\[([^\]]+)\]\((https?://[^)]+)\)", text))


def test_latest_complete_week_against_the_week_before(tiny_db):
    """W3 (19-25 Jan) against W2; W4 has two days and is left out. A day: open 310 of
    named 500 in W3, 260 of 500 in W2. Open-weight leader: DeepSeek 150 in W3, Qwen 120
    (DeepSeek 100) in W2."""
    d = digest.collect(tiny_db.query, start=tiny.FIRST_DAY, end=tiny.LAST_DAY)
    assert (d.week, d.week_end, d.previous) == (W3, dt.date(2026, 1, 25), W2)
    assert d.share == pytest.approx(310 / 500) and d.previous_share == pytest.approx(260 / 500)
    assert d.delta == pytest.approx(0.10)
    assert (d.leader, d.previous_leader, d.leader_changed) == ("DeepSeek", "Qwen (Alibaba)", True)
    assert d.leader_share == pytest.approx(150 / 310)
    # shares of named tokens, W2 -> W3: DeepSeek 100 -> 150 of 500 (+10 pp), Arcee 20 -> 30
    # (+2), OpenAI 210 -> 170 (-8), Qwen 120 -> 100 (-4); Mistral and Sao10K unchanged
    up = {r["series"]: r["delta"] for r in d.labs_up}
    down = {r["series"]: r["delta"] for r in d.labs_down}
    assert up == pytest.approx({"DeepSeek": 0.10, "Arcee AI": 0.02})
    assert down == pytest.approx({"OpenAI": -0.08, "Qwen (Alibaba)": -0.04})
    assert [r["series"] for r in d.models_up][0] == "DeepSeek: V3"
    assert {r["series"] for r in d.models_up[1:]} == {"Arcee: Trinity Large", "OpenAI: gpt-oss-120b"}
    assert [r["series"] for r in d.models_down] == ["OpenAI: GPT-5", "Qwen: Qwen3 235B"]
    assert d.launches == []  # no model first appears in W3


def test_a_focus_picks_the_movers_and_launches_not_the_yardstick(tiny_db):
    """lab=arcee-ai: the open-weight share is still the market's (62%), the movers are
    Arcee's (its share of every named token: 20 -> 30 of 500 a day)."""
    d = digest.collect(tiny_db.query, start=tiny.FIRST_DAY, end=tiny.LAST_DAY, labs=["arcee-ai"])
    assert d.share == pytest.approx(310 / 500) and d.leader == "DeepSeek"
    assert [(r["series"], round(r["delta"], 6)) for r in d.labs_up] == [("Arcee AI", 0.02)]
    assert d.labs_down == [] and [r["series"] for r in d.models_up] == ["Arcee: Trinity Large"]


def test_a_week_with_a_launch(tiny_db):
    """Up to 18 Jan the latest complete week is W2, in which Trinity first appears (12
    Jan): 20 tokens a day for its first 7 days = 140."""
    d = digest.collect(tiny_db.query, start=tiny.FIRST_DAY, end=dt.date(2026, 1, 18))
    assert (d.week, d.previous) == (W2, tiny.WEEKS[0])
    assert (d.leader, d.previous_leader) == ("Qwen (Alibaba)", "DeepSeek")
    assert [(r["model_permaslug"], r["first_week_tokens"], r["days_counted"]) for r in d.launches] == [
        ("arcee-ai/trinity-large", 140, 7)]
    text = digest.markdown(d, citation="Source: X, as of T.", as_of="T", synthetic=False, link=link)
    assert "[Arcee: Trinity Large](" in text and "140 tokens in its first week" in text
    launch = links(text)["Arcee: Trinity Large"]
    assert urlsplit(launch).path == "/app/launches"
    assert parse_qs(urlsplit(launch).query) == {"start": ["2026-01-12"], "end": ["2026-01-18"],
                                                "launch": ["arcee-ai/trinity-large"]}


def test_the_markdown_has_the_figures_the_citation_and_links(tiny_db, tiny_snapshot):
    d = digest.collect(tiny_db.query, start=tiny.FIRST_DAY, end=tiny.LAST_DAY)
    text = digest.markdown(d, citation=tiny_snapshot.citation, as_of=tiny_snapshot.as_of, synthetic=False,
                           link=link, filters={"lab": ["arcee-ai"]})
    assert text.startswith("## What changed on OpenRouter: week of 19 Jan 2026 vs the week of 12 Jan 2026\n")
    assert "62.0% (2026-01-19 to 2026-01-25), +10.0 pp from 52.0%" in text
    assert "DeepSeek took the lead from Qwen (Alibaba) (48.4% of open-weight tokens)" in text
    assert "DeepSeek +10.0 pp (to 30.0%)" in text and "OpenAI -8.0 pp (to 34.0%)" in text
    assert "Synthetic" not in text
    assert text.rstrip().endswith("Source: OpenRouter (openrouter.ai/rankings), as of 2026-01-28 02:00 UTC.")
    got = {label: (urlsplit(u).path, parse_qs(urlsplit(u).query)) for label, u in links(text).items()}
    # grain=week and scope=open are the defaults: left out, as the address bar does
    assert got["Share"] == ("/app/share", {"end": ["2026-01-25"]})  # the market's share, no focus
    assert got["Race"] == ("/app/race", {"end": ["2026-01-25"], "lab": ["arcee-ai"]})
    assert got["Race, all labs"][1]["scope"] == ["all"]
    assert got["Launches"] == ("/app/launches", {"start": ["2026-01-19"], "end": ["2026-01-25"],
                                                 "lab": ["arcee-ai"]})


def test_synthetic_and_empty_digests_say_so():
    empty = digest.Digest(None, None, None)
    text = digest.markdown(empty, citation="Synthetic sample data.", as_of="2026-11-23T02:00:00Z", synthetic=True,
                           link=link)
    assert "No complete week in this range" in text
    assert text.rstrip().endswith("Synthetic sample data. Generated as of 2026-11-23T02:00:00Z.")


def test_every_link_key_is_declared_for_its_page():
    for page, keys in digest.LINK_KEYS.items():
        for key in keys:
            p = urls.param(key)
            assert p.is_global or page in p.pages, (page, key)
    assert digest.LINK_DEFAULTS == {k: urls.default(k) for k in digest.LINK_DEFAULTS}
    with pytest.raises(KeyError):
        digest.view_url(BASE, "share", {"sql": "select 1"})


def test_data_values_are_escaped_in_the_markdown():
    hostile = ["[x](https://evil.example)", "![i](http://h/p.png)", "<script>", "a|b", "# heading", "1. list"]
    for name in hostile:
        d = digest.Digest(W3, dt.date(2026, 1, 25), W2, share=0.5, previous_share=0.4, leader=name,
                          leader_share=0.5, previous_leader=name)
        text = digest.markdown(d, citation="c", as_of="t", synthetic=False, link=link)
        line = next(x for x in text.splitlines() if "Open-weight leader" in x)
        assert not re.search(r"(?<!\\)\[[^\]]*(?<!\\)\]\(", line.split(". [Race]")[0]), line  # no link
        assert "https://evil" not in line and "<script>" not in line and "![" not in line
        tried("data-text")


# --------------------------------------------------------------------------- the command


def test_the_command_prints_the_digest(tiny_snapshot, capsys):
    assert cli.main(["digest", "--snapshot", str(tiny_snapshot.path), "--base-url", BASE]) == 0
    out = capsys.readouterr().out
    from tokenshare.engine.db import SnapshotDB

    db = SnapshotDB(tiny_snapshot)
    try:
        d = digest.collect(db.query, start=tiny_snapshot.start_date, end=tiny_snapshot.end_date)
    finally:
        db.close()
    assert out == digest.markdown(d, citation=tiny_snapshot.citation, as_of=tiny_snapshot.as_of,
                                  synthetic=False, link=link)
    assert f"[Share]({BASE}/share?end=2026-01-25)" in out


def test_the_command_on_the_bundled_sample_says_it_is_synthetic(capsys):
    assert cli.main(["digest", "--snapshot", str(settings.SAMPLE_DIR)]) == 0
    out = capsys.readouterr().out
    assert "**Synthetic sample data: these are not OpenRouter's figures.**" in out
    assert "Generated as of 2026-11-23 02:00 UTC." in out
    assert f"({digest.DEFAULT_BASE_URL}/share?end=2026-11-22)" in out


@pytest.mark.parametrize("argv, message", [
    (["--snapshot", "/nonexistent/snap"], "does not exist"),
    (["--base-url", "javascript:alert(1)"], "--base-url must start with http:// or https://"),
    (["--base-url", "file:///etc/passwd"], "--base-url must start with http:// or https://"),
    (["--base-url", "data:text/html,<script>alert(1)</script>"], "must start with http:// or https://"),
    (["--base-url", "https://x.example/\n# Heading"], "spaces or control characters"),
    (["--base-url", "https://x.example/ [a](https://evil.example)"], "spaces or control characters"),
    (["--base-url", "https://"], "names no host"),
    (["--base-url", "http:///path"], "names no host"),
    (["--base-url", "https://[::1"], "is not a URL"),
])
def test_the_command_refuses_bad_input(argv, message, capsys, tiny_snapshot):
    if "--snapshot" not in argv:
        argv = argv + ["--snapshot", str(tiny_snapshot.path)]
    assert cli.main(["digest", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tokenshare digest: error: ") and message in err
    tried("snapshot" if "--snapshot" in argv[:1] else "url")


@pytest.mark.parametrize("base", [
    "https://x.example/)[evil](https://evil.example",
    "https://x.example/<script>alert(1)</script>",
    "https://x.example/`code`/![img](http://127.0.0.1:9/planted)",
    "https://x.example/a\"b'c",
])
def test_a_base_url_cannot_break_out_of_its_link(base, tiny_snapshot, capsys):
    """Issue 26, finding 12: the base URL is percent-encoded where Markdown would act on
    it, so every link of the digest ends where it should and holds no HTML."""
    assert cli.main(["digest", "--snapshot", str(tiny_snapshot.path), "--base-url", base]) == 0
    out = capsys.readouterr().out
    for target in re.findall(r"\]\(([^)]*)\)", out):
        assert target.startswith("https://x.example/"), target
        assert not set(target) & set("<>[]` \"'"), target
    assert "<script>" not in out and "](https://evil.example" not in out and "![img]" not in out
    tried("url")
