"""A snapshot whose every text field is hostile: Markdown, HTML and links and images to a
planted URL, in model names, a permaslug, lab names, an author slug, country names,
category names, the manifest's source and as_of, and the snapshot's folder name.

It is tests/tiny.py's snapshot (same days, same tokens, so every page draws what it
draws there) with the text swapped. A page that shows any of it as Markdown or HTML
gives the browser a link or an image to ``PLANTED_URL`` (nothing listens there: port 9
is discard), which tests/e2e/test_data_text.py looks for in the page and in the requests
the browser makes; tests/app/test_data_text.py checks the Markdown the pages send."""

from __future__ import annotations

from pathlib import Path

from tests.tiny import DAILY, MODELS, build_tiny_snapshot, tiny_usage
from tests.tiny_launches import category_rows
from tokenshare.core.settings import REFERENCE_LABS
from tokenshare.data.snapshot.layout import read_labs_csv

PLANTED_HOST = "127.0.0.1:9"
PLANTED_URL = f"http://{PLANTED_HOST}/planted"
# Every construct that would turn text into a link, an image, HTML or formatting in
# Streamlit's Markdown: links, images, raw HTML, bare URLs and www. (GFM autolinks),
# emphasis, a colour directive, an icon, Streamlit's logo and an emoji shortcode, a code
# span, LaTeX, a heading marker and a backslash.
PAYLOAD = (
    f"[x]({PLANTED_URL}) ![i]({PLANTED_URL}.png) <img src={PLANTED_URL}-html.png> "
    f"<a href={PLANTED_URL}-html>a</a> {PLANTED_URL}-bare www.planted.example "
    "**bold** _it_ :red[red] :material/home: :streamlit: :smile: `tick` $x^2$ # \\"
)
# What the payload's parts look like where they are live Markdown (outside a code span).
LIVE = ("[x](", "![i](", "<img", "<a href", "**bold**", ":red[", ":material/home:", ":streamlit:",
        ":smile:", "`tick`", "$x^2$")
# The folder name: no slash is possible there, so its link and image are relative (the
# browser would ask the app's own server for them).
FOLDER = "snap [x](planted-folder) ![i](planted-folder.png) <img src=planted-folder.png> **bold**"
PLANTED_PERMASLUG = "sao10k/euryale [x](" + PLANTED_URL + "-slug)"
PLANTED_AUTHOR = "sao10k <img src=" + PLANTED_URL + "-author.png>"
CATEGORIES = {"programming": "programming " + PAYLOAD, "roleplay": "roleplay " + PAYLOAD}
# Every text field the snapshot plants the payload in (the count the hostile tally gets).
FIELDS = ("model names", "model permaslug", "lab names", "author slug", "country names",
          "category names", "source", "as_of", "folder name")


def planted(text: str) -> str:
    return f"{text} {PAYLOAD}"


def _slug(slug: str) -> str:
    return PLANTED_PERMASLUG if slug == "sao10k/l3-euryale" else slug


def planted_usage() -> list[dict]:
    return [{**r, "model_permaslug": _slug(r["model_permaslug"])} for r in tiny_usage()]


def planted_models() -> list[dict]:
    models = []
    for m in MODELS:
        m = {**m, "name": planted(m["name"]), "model_permaslug": _slug(m["model_permaslug"]),
             "model_id": _slug(m["model_id"])}
        if m["author"] == "sao10k":
            m["author"] = PLANTED_AUTHOR
        models.append(m)
    return models


def planted_labs() -> list[dict]:
    labs = [{**r, "lab_name": planted(r["lab_name"]), "country_name": planted(r["country_name"] or r["country_code"])}
            for r in read_labs_csv(REFERENCE_LABS) if r["author"] != "sao10k"]
    labs.append({"author": PLANTED_AUTHOR, "lab_name": planted("Sao10K"), "country_code": "NZ",
                 "country_name": planted("New Zealand")})
    return labs


def planted_categories() -> list[dict]:
    return [{**r, "category": CATEGORIES[r["category"]], "model_permaslug": _slug(r["model_permaslug"])}
            for r in category_rows()]


def build_planted_snapshot(parent: Path):
    """The planted snapshot in ``parent``/``FOLDER``."""
    assert set(DAILY) >= {"sao10k/l3-euryale"}
    return build_tiny_snapshot(
        Path(parent) / FOLDER, usage=planted_usage(), models=planted_models(), labs=planted_labs(),
        usage_by_category=planted_categories(), source=planted("tiny test fixture"),
        as_of=planted("2026-01-28T02:00:00Z"),
    )
