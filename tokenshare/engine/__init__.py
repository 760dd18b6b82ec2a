"""The query engine: DuckDB over a snapshot's files. ``db`` opens a snapshot for the
pages (views over the Parquet files, the derived query database built once per snapshot
from ``queries/build/``, and named queries run with bound parameters), ``workbench`` is
the SQL workbench's locked sandbox for visitors' own SQL, and ``compare`` compares two
snapshots (days added, figures restated, models reclassified). May import
``tokenshare.core`` and ``tokenshare.data``; never analysis or app, and never
streamlit."""
