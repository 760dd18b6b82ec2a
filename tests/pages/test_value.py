"""The Value page through AppTest on the tiny snapshot with a benchmarks table, every
figure worked out by hand (the blended price at the Spend default 15:1 split, s = 0.9375):

    model           side    intelligence  coding  price (USD/M)        tokens (Jan 5-27)
    DeepSeek V3     open        60          55    0.35625              2,850  on the frontier
    Qwen3 235B      open        58 (by id)  57    0.35625              2,090  near (DeepSeek: 60 at the same price)
    gpt-oss-120b    open        50          48    0.35625                320  near
    Trinity Large   open        45          44    0.35625                430  near (ranked 16 of 23 live days)
    GPT-5           closed      70          -     1.796875             4,050  on (the top score)
    Mistral Medium  closed      55          50    0.5                    920  near: 0.5 <= 1.5 x 0.35625
    Euryale         open        -           -     0.35625                160  no benchmark: not drawn

Open drawn tokens 5,690, on the frontier 2,850 (50.1%), on or near all (100.0%); closed
4,970, on 4,050 (81.5%), on or near 100.0%. Scoring 60 or more: DeepSeek + GPT-5 =
6,900 tokens, open 2,850 (41.3%); 50 to 60: 3,330, open 2,410 (72.4%); 40 to 50: 100.0%.
Not drawn: Euryale, 160 of 10,820 named tokens (1.5%). Outside the top 50: 30 a day of
11,625 (5.9%). acme/never is benchmarked but has no model: named as never ranked."""

import pytest

from tests.apptest import metric
from tests.hostile import tried
from tests.pages.apprun import assert_page_basics, open_page, text_of, warnings
from tests.tiny_value import build_value_snapshot


@pytest.fixture(scope="module")
def value_snapshot(tmp_path_factory):
    return build_value_snapshot(tmp_path_factory.mktemp("value-app") / "snap")


@pytest.fixture
def on_value(value_snapshot, on_snapshot):
    return on_snapshot(value_snapshot)


def test_value_page_figures(on_value):
    at = open_page("views/value.py")
    assert_page_basics(at)
    assert at.segmented_control(key="index").value == "intelligence"
    assert metric(at, "Open-weight tokens on or near the frontier") == "100.0%"
    assert metric(at, "Closed tokens on or near the frontier") == "100.0%"
    assert metric(at, "Open-weight share, models scoring 60 or more") == "41.3%"
    text = text_of(at)
    assert "of open-weight tokens went to models on or near the frontier (50.1% on it)" in text
    assert "of closed tokens went to models on or near the frontier (81.5% on it)" in text
    assert ("Among models scoring 60 or more, open-weight models carried **41.3%** of tokens (1 of 2 models). "
            "Open-weight share in the lower bands: 50 to 60: 72.4%; 40 to 50: 100.0%.") in text
    assert "1 of 7 models with ranked tokens are not drawn (1.5% of their tokens): no benchmark (1): Sao10K: Euryale" in text
    assert "5.9% of all tokens in the range, belongs to no model" in text
    assert "1 drawn model(s) were live but below the cut on some days" in text  # Trinity: live, none in W1
    assert "had no ranked tokens in the range and are not drawn: never" in text
    assert "Source: Artificial Analysis (artificialanalysis.ai) via OpenRouter" in text
    assert len(at.get("vega_lite_chart")) == 1


def test_value_page_url_key_and_focus(on_value):
    at = open_page("views/value.py", {"index": "coding", "lab": "openai"})
    assert at.segmented_control(key="index").value == "coding"
    text = text_of(at)
    # GPT-5 has no coding index: not drawn; the closed side is Mistral alone (on the frontier at 50? no:
    # DeepSeek scores 55 for less), so closed near = 100%, on = 0%
    assert "no score on this index (1): OpenAI: GPT-5" in text
    assert "of closed tokens went to models on or near the frontier (0.0% on it)" in text
    # the focus (OpenAI): gpt-oss drawn, near the frontier (Qwen: 57 at the same price)
    assert "The focus, **OpenAI**: 100.0% of its drawn tokens went to models on or near the frontier (0 of its 1" in text
    at = open_page("views/value.py", {"index": "wisdom<b>"})
    assert any("Ignored `index=wisdom<b>`" in w for w in warnings(at))
    assert at.segmented_control(key="index").value == "intelligence"
    tried("url")


def test_value_page_without_benchmarks(on_tiny):
    at = open_page("views/value.py")
    assert_page_basics(at)
    assert any("no benchmarks table" in i.value for i in at.info)
    assert not at.metric


def test_value_page_on_the_sample(on_sample):
    at = open_page("views/value.py")
    assert at.metric and len(at.get("vega_lite_chart")) == 1
    assert "synthetic" in text_of(at).lower()


# The tiny snapshot's drawn models on the intelligence index: (score, catalogue prompt and
# completion USD/M, ranked tokens, side), from tests/tiny.py and tests/tiny_value.py.
TINY_DRAWN = {
    "deepseek": (60.0, 0.3, 1.2, 2_850, "open"), "qwen": (58.0, 0.3, 1.2, 2_090, "open"),
    "gpt-oss": (50.0, 0.3, 1.2, 320, "open"), "trinity": (45.0, 0.3, 1.2, 430, "open"),
    "gpt-5": (70.0, 1.25, 10.0, 4_050, "closed"), "mistral": (55.0, 0.4, 2.0, 920, "closed"),
}


def closed_near_share_by_hand(split: str) -> float:
    """Brute force, apart from the app: a model is on or near the frontier when its
    blended price is at most 1.5x the cheapest price among models scoring at least as high."""
    p, c = (float(x) for x in split.split(":"))
    s = p / (p + c)
    price = {m: s * pp + (1 - s) * cc for m, (_, pp, cc, _, _) in TINY_DRAWN.items()}
    near = {m for m, (score, *_rest) in TINY_DRAWN.items()
            if price[m] <= 1.5 * min(price[o] for o, (sc, *_r) in TINY_DRAWN.items() if sc >= score)}
    closed = {m: t for m, (_, _, _, t, side) in TINY_DRAWN.items() if side == "closed"}
    return sum(t for m, t in closed.items() if m in near) / sum(closed.values())


@pytest.mark.parametrize("split, expected", [("15:1", "100.0%"), ("5:1", "100.0%"), ("3:1", "81.5%"),
                                             ("1:1", "81.5%")])
def test_value_page_prices_at_the_spend_pages_split(on_value, split, expected):
    """The split is the Spend page's URL key: Mistral Medium (55, closed) is near the frontier
    (at most 1.5x DeepSeek V3's price, 60) at 15:1 and 5:1 (ratio 1.40, 1.48) and off it
    at 3:1 and 1:1 (1.52, 1.60), so the closed share on or near the frontier moves."""
    assert f"{closed_near_share_by_hand(split):.1%}" == expected
    at = open_page("views/value.py", None if split == "15:1" else {"split": split})
    assert at.select_slider(key="split").value == split
    assert metric(at, "Closed tokens on or near the frontier") == expected
    assert metric(at, "Open-weight tokens on or near the frontier") == "100.0%"  # every open model: one price
    p, c = (float(x) for x in split.split(":"))
    assert f"Blended price = {p / (p + c):.1%} × prompt price" in text_of(at)
    assert f"**{split}** prompt:completion tokens" in text_of(at)
    assert not warnings(at)


def test_value_page_split_from_the_url_checked_like_the_spend_page(on_value):
    at = open_page("views/value.py", {"split": "7:1"})
    assert any("Ignored `split=7:1`" in w for w in warnings(at))
    assert at.select_slider(key="split").value == "15:1"
    assert metric(at, "Closed tokens on or near the frontier") == "100.0%"
