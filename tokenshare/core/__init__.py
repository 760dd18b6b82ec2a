"""The core layer: what every other layer may use and that depends on nothing of
tokenshare. ``settings`` (the one reader of the environment, and every fixed path),
``sql`` (named queries loaded from ``queries/``) and ``formatting`` (numbers and dates
as the pages show them). Imports nothing from the other layers."""
