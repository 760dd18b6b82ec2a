"""The synthetic sample snapshot: its catalogue, daily volumes, ``:free`` variants,
segment and provider tables, and ``make`` (writes the snapshot). Imports core and
``tokenshare.data.snapshot``."""
