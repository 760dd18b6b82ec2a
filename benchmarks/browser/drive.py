"""Playwright, synchronous: a browser context that watches the DOM, a first load and a
sidebar change, each timed to the page's last DOM change.

Times are read in the page's own clock (``performance.now()``), so Playwright's polling
and the wait for the 400 ms of quiet add nothing to a figure: a first load is the last
mutation's time since the navigation started, a change the last mutation's time minus
the pointer press on the new Period option."""

from __future__ import annotations

from tests.e2e import server as srv

QUIET_MS = 400
GRAINS = ["day", "week", "month"]

# Injected before any of the page's scripts: one observer for every DOM change (nodes,
# attributes, text) anywhere in the document, and the time of the last pointer press
# (the press on the option that changes the Period; the press that opened the list
# came before it). Changes inside react-aria's live announcer (a hidden region at the
# end of <body> that the select box fills with "3 options available" when its list
# opens and empties 7 s later, on a timer) are not the page's answer to anything: its
# timer fired inside a later change's quiet window now and then, in either app, and
# made that change look up to 0.4 s slower.
WATCH_JS = """
(() => {
  window.__bbLastMutation = 0;
  window.__bbMutations = 0;
  window.__bbPress = null;
  const announcer = (node) => {
    const el = node && (node.nodeType === 1 ? node : node.parentElement);
    return !!(el && el.closest('[data-live-announcer]'));
  };
  new MutationObserver((records) => {
    const counted = records.filter((r) => !announcer(r.target)).length;
    if (!counted) return;
    window.__bbLastMutation = performance.now();
    window.__bbMutations += counted;
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
  document.addEventListener('pointerdown', () => { window.__bbPress = performance.now(); }, true);
})();
"""

# The app is idle (srv.READY_JS: its run after ``mark`` over and drawn, no skeletons)
# and nothing in the DOM has changed for ``quiet`` ms.
SETTLED_JS = ("([mark, quiet]) => (%s)(mark) && performance.now() - (window.__bbLastMutation || 0) >= quiet"
              % srv.READY_JS)


class Unsettled(RuntimeError):
    """The page did not settle (idle and quiet) in time."""


def new_context(browser):
    """A context as the e2e tests make one (1400 x 1000, the run counter), watching the DOM."""
    ctx = srv.new_context(browser)
    ctx.add_init_script(WATCH_JS)
    return ctx


def wait_settled(page, mark, quiet_ms: int = QUIET_MS, timeout_ms: float = 60_000) -> None:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    arg = [int(mark), mark.messages] if isinstance(mark, srv.Mark) else int(mark)
    try:
        page.wait_for_function(SETTLED_JS, arg=[arg, quiet_ms], polling=50, timeout=timeout_ms)
    except PlaywrightTimeout as exc:
        raise Unsettled(f"not idle and quiet for {quiet_ms} ms within {timeout_ms / 1000:.0f} s: "
                        f"{srv._state(page)}") from exc


def first_load(page, url: str, quiet_ms: int = QUIET_MS, timeout_ms: float = 60_000) -> float:
    """Open ``url`` in ``page`` (a fresh context's) and return the seconds from the
    navigation's start to its last DOM change once settled."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_settled(page, srv.Mark(0, 0), quiet_ms, timeout_ms)
    return page.evaluate("window.__bbLastMutation") / 1000


def next_grain(page) -> str:
    """Choose the Period after the current one (day, week, month, day, ...) in the
    sidebar's select box; returns the value chosen."""
    box = page.locator("[data-testid='stSidebar'] .st-key-grain [data-testid='stSelectbox']")
    current = box.locator("input[role='combobox']").input_value()
    target = GRAINS[(GRAINS.index(current) + 1) % len(GRAINS)] if current in GRAINS else "month"
    box.click()
    page.get_by_role("option", name=target, exact=True).click()
    return target


def change(page, quiet_ms: int = QUIET_MS, timeout_ms: float = 60_000) -> float:
    """Change the Period and return the seconds from the press on the option to the
    page's last DOM change once settled."""
    page.bring_to_front()
    mark = srv.runs(page)
    next_grain(page)
    wait_settled(page, mark, quiet_ms, timeout_ms)
    last, press = page.evaluate("[window.__bbLastMutation, window.__bbPress]")
    if press is None or last < press:
        raise Unsettled("no DOM change after the press on the option")
    return (last - press) / 1000


def exception_text(page) -> str | None:
    """The first exception box's text on the page, if the page shows one."""
    box = page.locator(srv.EXCEPTION)
    return box.first.inner_text()[:200] if box.count() else None
