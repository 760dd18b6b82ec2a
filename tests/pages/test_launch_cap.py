"""A snapshot with more launches than a chart may draw: the largest are kept."""

import pandas as pd

from tokenshare.analysis.launches import largest_launches


def test_largest_launches_keeps_the_biggest_and_the_one_in_the_url():
    n = 10
    impact = pd.DataFrame({
        "model_permaslug": [f"lab/m{i}" for i in range(n)],
        "before": [10.0] * n,
        # added per day = w1 - before: m9 adds 90, m8 80, ... m0 0; m3 has no week 1 yet
        "w1": [10.0 + 10 * i for i in range(n)],
    })
    impact.loc[3, "w1"] = None
    top = largest_launches(impact, cap=3)
    assert top["model_permaslug"].tolist() == ["lab/m9", "lab/m8", "lab/m7"]
    kept = largest_launches(impact, cap=3, keep="lab/m3")
    assert kept["model_permaslug"].tolist() == ["lab/m9", "lab/m8", "lab/m7", "lab/m3"]
    assert len(largest_launches(impact, cap=20)) == n
