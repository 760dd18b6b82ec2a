"""The spend evidence, loaded by the app layer and passed to the analysis functions.

The Spend page's assumptions (the prompt:completion split and the cached share, their
plausible ranges and the sources they are derived from) are read once per process from
``tokenshare/data/reference/spend_assumptions.toml`` (``tokenshare.data.reference.spend``)
and handed to ``tokenshare.analysis.spend``, whose functions take them as an argument
and read no file. The URL registry's choices for ``split`` and ``cached`` come from here
too."""

from __future__ import annotations

from functools import lru_cache

from tokenshare.analysis import spend
from tokenshare.data.reference import spend as spend_reference
from tokenshare.data.reference.spend import SpendAssumptions


@lru_cache(maxsize=1)
def spend_assumptions() -> SpendAssumptions:
    """The cited spend assumptions (read and checked once; a broken file is a
    ValueError naming what is wrong)."""
    return spend_reference.load()


def split_choices() -> dict[str, str]:
    """The prompt:completion splits the Spend page offers (URL value -> meaning)."""
    return spend.split_choices(spend_assumptions())


def cached_choices() -> dict[str, str]:
    """The cached shares the Spend page offers (URL value -> meaning)."""
    return spend.cached_choices(spend_assumptions())


def default_split() -> str:
    return spend_assumptions().split_default


def default_cached() -> str:
    return spend.default_cached(spend_assumptions())


def rank_prompt_share() -> float:
    """The prompt share the spend and provider queries rank providers at."""
    return spend.rank_prompt_share(spend_assumptions())


def default_point() -> spend.Point:
    """The default assumption as a point (prompt share, cached share)."""
    return spend.default_point(spend_assumptions())
