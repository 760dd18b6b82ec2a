"""What a browser tab or bookmark of a view says (issue 24): the page's subject, with the
focus named when the sidebar chooses one ("Arcee AI in the lab race · tokenshare").

Plain Python: nothing here imports streamlit."""

from __future__ import annotations

APP = "tokenshare"
# url path -> (without a focus, with a focus: "{focus}" is the labs' or countries' names)
TITLES = {
    "home": ("Open vs closed: who carries OpenRouter's tokens", "{focus}: share of OpenRouter's tokens"),
    "share": ("Open vs closed: who carries OpenRouter's tokens", "{focus}: share of OpenRouter's tokens"),
    "race": ("The open-model lab race on OpenRouter", "{focus} in the lab race"),
    "race-animated": ("The lab race, animated", "{focus} in the lab race, animated"),
    "countries": ("Token share by lab country", "{focus}: labs and models by country"),
    "launches": ("Launch jumps on OpenRouter", "{focus}: launch jumps"),
    "claims": ("Does the open-model story hold?", "Does the open-model story hold? ({focus})"),
    "spend": ("Open vs closed: estimated spend", "{focus}: estimated spend"),
    "providers": ("Providers and prices, open vs closed", "{focus}: providers and prices"),
    "value": ("Capability per dollar, open vs closed", "{focus}: capability per dollar"),
    "segments": ("Open-weight share by segment", "{focus}: share by segment"),
    "apps": ("The apps behind OpenRouter's tokens", "The apps behind OpenRouter's tokens"),
    "categories": ("Open-weight share by segment", "{focus}: share by segment"),
    "workbench": ("SQL workbench on OpenRouter's token data", "SQL workbench"),
    "compare": ("Compare tokenshare snapshots", "Compare tokenshare snapshots"),
    "data": ("The data behind tokenshare", "The data behind tokenshare"),
}
MAX_NAMES = 3


def focus_words(names: list[str]) -> str:
    """Up to three names, then how many more."""
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else "")


def tab_title(url_path: str, focus_names: list[str]) -> str:
    plain, focused = TITLES.get(url_path or "home", (APP, APP))
    subject = focused.format(focus=focus_words(focus_names)) if focus_names else plain
    return f"{subject} · {APP}"
