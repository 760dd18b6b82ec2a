"""Benchmark harness: ``python -m benchmarks [--rows N ...] [--runs K]``.

It lives outside the runtime package (``tokenshare/`` never imports it) because it drives
the app with ``streamlit.testing`` and spawns processes. For each size it builds (or
reuses) a scaled synthetic snapshot under ``--out-dir`` (``bench_data/``, git-ignored)
with the sample generator, then measures in fresh subprocesses
(``python -m benchmarks.worker``), one per size and kind, so that no peak or cache leaks
from one into the next:

- **prepare** (once per snapshot, fresh process): the full validation (checksums and
  every DuckDB check) and the query database build, with their peak memory. The app
  pays this once per snapshot and machine; later starts reuse the results.
- **app** (fresh process, AppTest, with one compiled-script cache shared by all runs as
  in the Streamlit server): the app start (first page, every cache empty but the
  on-disk ones), then for every page in ``app.py``: *cold* (first visit with the
  query cache cleared, database open) and *warm* (median of K reruns after a warm-up
  rerun, each rerun changing the grain and the country filter so that every
  filter-dependent query misses the cache); then every named query uncached (median of
  K), the three core aggregations and the floor (DuckDB summing the usage table's tokens
  by week, no joins). Peak resident memory is VmHWM from /proc/self/status.
- **pandas** (fresh process): the same core aggregations done the way most Streamlit
  apps do them: one DataFrame loaded once with models and labs merged in, filtered and
  grouped on every rerun.

With the sample included, two figures through real ``streamlit run`` servers against the
trivial one-chart app (``trivial_app``): the **server CPU per rerun** (``server_cpu``) and
**what a visitor waits for in the browser** (``browser/``, issue 25: every chart page's
first load and Period changes in headless Chromium to the last DOM change, as multiples
of the trivial app's, and the slowest page's trace; ``--no-browser`` skips it).

Results print as a table (and ``--json`` writes them raw).

Modules: ``common`` (constants, timing, the pages and queries measured), ``snapshots``
(scaled snapshots), ``app_timing`` (the app worker), ``baselines`` (the prepare and
pandas workers), ``worker`` (a worker's command line), ``runner`` (spawns the workers,
collects the results), ``report`` (the printed table and the targets), ``server_cpu``
and ``profile_split`` (the server CPU figure), ``browser`` (the browser figure, a
sub-package), ``mutation`` (the mutation harness)."""
