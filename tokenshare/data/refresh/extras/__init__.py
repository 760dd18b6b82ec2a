"""``refresh --benchmarks --session-cost --tasks --apps``: the four extra Data API
tables (issue 23), planned, fetched, merged and carried over here
(``tokenshare.data.refresh.extras.tables``)."""
