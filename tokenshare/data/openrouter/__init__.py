"""OpenRouter's Data API: the client (``client``), its errors, the response formats it
checks (``responses``), where the key comes from (``key``), request pacing (``pacing``),
and the per-model endpoints (``endpoints``) and filtered rankings (``segments``).
Imports core and ``tokenshare.data.snapshot`` only."""
