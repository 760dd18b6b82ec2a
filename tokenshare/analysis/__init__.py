"""The analysis layer: figures derived from query results, as pure functions over pandas
DataFrames (launch jump and hold, estimated spend, category estimates, the race's ranks
and frames, headline shares and overtakes). Nothing here draws, caches or reads a URL,
so every figure is unit-tested by hand. May import ``tokenshare.core`` (and pandas);
never data, engine or app, and never streamlit."""
