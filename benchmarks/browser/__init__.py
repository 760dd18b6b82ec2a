"""The browser figure of the bench (issue 25): what one visitor waits for in Chromium.

For every chart page of ``app.py`` and, alternately in the same run, the trivial
one-chart app (``benchmarks/trivial_app.py``) served beside it, each app in its own
Chromium browser context (Debian's chromium through Playwright, as the e2e tests):

- **warm-up**, untimed: each page (and the trivial app) visited once and taken through
  every Period, so the server's caches hold what the timed runs ask for (the trivial
  app's ``st.cache_data`` does the same): the figures are the browser's and a warm
  server's;
- **first load**: from the navigation's start to the page's last DOM change, the app
  being idle (Streamlit's script state back to ``notRunning``, no ``stSkeleton``) and no
  DOM mutation for 400 ms (a MutationObserver the context injects into every page);
- **change**: from the pointer press on the sidebar's Period option (the one control
  every page and the trivial app share) to the last DOM change, by the same rule;
  median and p90 over N changes;
- each as a multiple of the trivial app's same figure, measured beside it;
- for the slowest page (and the trivial app, for scale), a Chromium performance trace
  of a few changes split into scripting, style + layout, paint and other main-thread
  work, and a V8 CPU profile attributing the scripting to Vega (its bundle: compile,
  parse, dataflow, render), the chart component, Arrow decoding and the rest.

Modules: ``figures`` (median, p90, ratios, the targets: pure), ``table`` (the printed
table), ``drive`` (Playwright: the injected observer, a load, a change), ``trace``
(the trace and profile, and their split), ``run`` (the servers, the alternation, the
command line: ``python -m benchmarks.browser.run``)."""
