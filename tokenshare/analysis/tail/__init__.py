"""What the Data API's daily top-50 cut hides, bounded (docs/tail.md): ``bounds`` (each
absent entry's tokens between 0 and the day's cut, capped by ``other``; group and
period bounds, share ranges), ``ranks`` (rank ranges, leads the bounds decide, a model's
status, launch jumps) and ``segments`` (lower and upper bounds from the filtered
rankings, and the context-bucket partition check they rest on)."""
