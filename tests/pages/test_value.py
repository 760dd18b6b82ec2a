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
