"""Figures from the Data API's tables beyond usage (issue 23): ``tasks`` (open-weight
share per task tag and macro-category from each tag's listed top models, with their
coverage, across the kept 7-day windows) and ``apps`` (the app rankings kept per fetch:
the latest table, tokens per request, how the ranking moved)."""
