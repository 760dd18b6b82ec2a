"""The wording of figures the daily top-50 cut leaves uncertain, for the pages: it lives
in the analysis layer (``tokenshare.analysis.tail.words``) so that the command-line
digest words its figures the same way; re-exported here for the app."""

from tokenshare.analysis.tail.words import (  # noqa: F401 - re-exported for the pages
    BELOW, below_cut_note, is_range, rank_words, share_words, weeks_word, wide_rank_note,
)
