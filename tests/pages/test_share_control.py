"""Share this view on every page: one control in the same place (right under the header),
closed and empty by default (it costs a rerun nothing), and when opened the canonical link,
the description built from the page's headline, the embed snippet and the PNG card button;
the link opened again gives the same view (the same link)."""

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.pages.apprun import ROOT, assert_clean, run_app
from tokenshare.app.share.control import EXPANDER_KEY

# every page script, found in views/, so a new page gets the check without being listed
ALL = sorted(f"views/{p.name}" for p in (ROOT / "views").glob("*.py") if not p.name.startswith("_"))


def control(at):
    found = [e for e in at.expander if e.label == "Share this view"]
    assert len(found) == 1, "one share control a page"
    return found[0]


def opened(query, page):
    at = run_app(query, page=page, timeout=120)
    assert_clean(at)
    at.session_state[EXPANDER_KEY] = True  # what a click on the expander does
    at.run()
    assert_clean(at)
    return at, control(at)


def header_end(at) -> int:
    """Where the header ends: the index of the page's caption under its title."""
    kinds = [at.main.children[i].type for i in range(len(at.main.children))]
    return kinds.index("title") + 1


@pytest.mark.parametrize("page", ALL)
def test_every_page_has_the_control_under_its_header(on_sample, page):
    at = run_app({"grain": "month", "top": "5"}, page=page, timeout=120)
    assert_clean(at)
    box = control(at)
    assert not box.code and not box.get("download_button"), "closed, nothing is made inside it"
    at, box = opened({"grain": "month", "top": "5"}, page)
    url, description, embed = (c.value for c in box.code)
    path = page.removeprefix("views/").removesuffix(".py").replace("_", "-")
    assert url == f"./{path}?grain=month&top=5"
    assert "(2025-01-01 to 2026-11-22 by month; top 5 named)" in description
    assert "Synthetic sample data" in description and "as of 2026-11-23" in description
    assert embed.startswith(f'<iframe src="./{path}?grain=month&amp;top=5&amp;embed=true"')
    assert [b.proto.label for b in box.get("download_button")] == ["PNG card (1200 × 675)"]


def test_the_description_carries_the_pages_headline(on_tiny):
    at, box = opened({"grain": "week"}, "views/share.py")
    share = next(m.value for m in at.metric if m.label.startswith("Open-weight share"))
    assert share == "62.0%"  # the tiny snapshot's figure, worked out by hand in tests/tiny.py
    assert box.code[1].value.startswith(f"Open-weight share of named tokens: {share} in ")
    race_at, race_box = opened({}, "views/race.py")
    leader = next(m.value for m in race_at.metric if m.label.startswith("Leader"))
    assert race_box.code[1].value.startswith(f"{leader} leads the open-weight labs in ")


def test_the_link_reopens_the_same_view(on_tiny, monkeypatch):
    monkeypatch.setenv("TOKENSHARE_PUBLIC_URL", "https://tokenshare.example/")
    asked = {"lab": ["arcee-ai", "deepseek"], "by": "lab", "bogus": "x", "grain": "week", "start": "2026-01-12",
             "openness": "open"}
    _, box = opened(asked, "views/share.py")
    url = box.code[0].value
    assert url == ("https://tokenshare.example/share?start=2026-01-12&openness=open&lab=arcee-ai&lab=deepseek"
                   "&by=lab")
    # opened again from the link's own query string: the same link
    query = {}
    for k, v in parse_qsl(urlsplit(url).query):
        query.setdefault(k, []).append(v)
    again, again_box = opened({k: v if len(v) > 1 else v[0] for k, v in query.items()}, "views/share.py")
    assert again_box.code[0].value == url


def test_a_hostile_url_stays_out_of_the_link(on_tiny):
    _, box = opened({"grain": "<script>", "top": "999", "lab": "no-such-lab", "zz": "1"}, "views/share.py")
    assert box.code[0].value == "./share"


def test_with_a_focus_the_race_headline_is_the_focus_standing(on_tiny):
    at, box = opened({"lab": "arcee-ai"}, "views/race.py")
    standing = next(m for m in at.metric if m.label.startswith("Arcee AI: rank"))
    assert box.code[1].value.startswith(f"Arcee AI: rank {standing.value} among open-weight labs in ")
