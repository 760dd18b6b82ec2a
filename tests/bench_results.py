"""A bench results dict with nothing measured, for the report tests (test_bench.py,
test_bench_browser.py) to add the part each one renders."""

from __future__ import annotations


def bench_results(**parts) -> dict:
    results = {
        "runs": 3, "env": {"cpus": 2, "load_before": 0.5, "load_after": 0.7, "python": "3", "duckdb": "2",
                           "streamlit": "1", "pandas": "3", "when": "now"},
        "sizes": [],
    }
    results.update(parts)
    return results
