"""A wide rank range said readably (issue 21 item 7): how many labs were surely ahead, and
why the rest may have been (the lab's own tokens below the cut may have been near 0)."""

from tokenshare.analysis.tail.words import wide_rank_note


def test_a_wide_range_says_why():
    # #5 to #61 of 61 labs with live models: 4 surely ahead, the other 56 maybe
    assert wide_rank_note(5, 61, 61, "open-weight ") == (
        "4 labs surely had more; any of the other 56 of the 61 labs with live open-weight models may have, since "
        "its own tokens below the cut may have been close to 0 (last of them)")


def test_both_sides_of_the_threshold():
    assert wide_rank_note(3, 8, 20) == ""  # five places: narrow enough to read as it is
    assert wide_rank_note(3, 9, 20).startswith("2 labs surely had more; any of the other 6 of the 20 labs")
    assert not wide_rank_note(3, 9, 20).endswith("(last of them)")
    assert wide_rank_note(2, 9, 9).startswith("1 lab surely had more")
    assert wide_rank_note(1, 9, 9).startswith("none surely had more")


def test_share_ranges_are_rounded_outwards():
    from tokenshare.analysis.tail.words import share_words
    # 2.734% .. 5.091%: the lower bound down to 2.7%, the upper up to 5.1%
    assert share_words(0.04, 0.02734, 0.05091) == "between 2.7% and 5.1%"
    # outwards, not to the nearest: 2.799% says 2.7%, 5.001% says 5.1%
    assert share_words(0.04, 0.02799, 0.05001) == "between 2.7% and 5.1%"
    # two decimals: 2.7349% down to 2.73%, 5.0901% up to 5.10%
    assert share_words(0.04, 0.027349, 0.050901, digits=2) == "between 2.73% and 5.10%"
    # a lower bound of 0: "under"
    assert share_words(0.0, 0.0, 0.0466) == "under 4.7%"
    # bounds said the same at the precision shown: one figure
    assert share_words(0.0272, 0.0271, 0.0274) == "2.7%"
    assert share_words(0.0, 0.0, None) == "–"
