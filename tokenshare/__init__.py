"""tokenshare: who wins the LLM token market on OpenRouter."""

__version__ = "0.1.0"
