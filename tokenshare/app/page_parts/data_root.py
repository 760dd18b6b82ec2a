"""The Data page's "Published root" section: when ``TOKENSHARE_SNAPSHOT`` names a
published root, what its ``latest.json`` says, which snapshot is open, when the pointer
was read and when it is read again, and, when the root cannot be read, why and what the
app shows meanwhile (tokenshare/data/published/root.py); and the snapshots a pinned link
can open (``kept_snapshots``)."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
import streamlit as st

from tokenshare.app import page, state
from tokenshare.app.hosting import pins
from tokenshare.app.text import code, md
from tokenshare.core.formatting import as_of_text
from tokenshare.core import settings
from tokenshare.data.published.remote import is_snapshot_url


def root_status_lines(res) -> tuple[list[str], str | None]:
    """The section's Markdown lines and, when something is wrong, the warning."""
    root = res.root
    if root is None:
        return [], None
    if is_snapshot_url(root.location):
        every = settings.recheck_seconds()
        when = f"read again every {every // 60} min" if every % 60 == 0 else f"read again every {every} s"
    else:
        when = "read again whenever it is replaced"
    lines = [f"**Root:** {code(root.location)} · `latest.json` last read {md(as_of_text(root.checked_at))}, {when}"]
    p = root.pointer
    if p is not None:
        lines.append(
            f"**latest.json names** {code(p.id)}, published {md(as_of_text(p.published_at) or 'at an unknown time')}, "
            f"as of {md(as_of_text(p.as_of))}, covering {md(p.start_date)} to {md(p.end_date)}"
        )
        hist = [h.get("id") for h in p.data.get("history", []) if isinstance(h, dict)]
        kept = [h for h in hist if isinstance(h, str) and h != p.id]
        if kept:
            lines.append("**Also kept in the root:** " + ", ".join(code(h) for h in kept[:5]))
    else:
        lines.append("**latest.json:** could not be read")
    if root.error is None:
        lines.append(f"**Open:** {code(root.serving_id)}, the snapshot latest.json names :material/check_circle:")
        return lines, None
    if root.serving_id:
        lines.append(f"**Open:** {code(root.serving_id)}, the last snapshot opened from this root (kept)")
        warning = (f"The published root's newest snapshot could not be opened: {md(root.error)}. The app keeps "
                   f"showing snapshot {code(root.serving_id)}, and reads `latest.json` again as above.")
    else:
        shown = res.snapshot.snapshot_id if res.snapshot is not None else None
        lines.append(f"**Open:** {code(shown)} ({md(res.chosen_because)}): nothing could be opened from the root")
        warning = (f"The published root could not be read: {md(root.error)}. The app shows the "
                   f"{md(res.chosen_because)} instead until it can.")
    return lines, warning


def root_status() -> None:
    """Draw the section (nothing when TOKENSHARE_SNAPSHOT is not a published root)."""
    lines, warning = root_status_lines(state.active_resolution())
    if not lines:
        return
    st.subheader("Published root")
    if warning:
        st.warning(warning, icon=":material/cloud_off:")
    st.markdown("  \n".join(lines))


def kept_snapshots() -> None:
    """The snapshots a pinned link (``snapshot=``) can open here, and for how long."""
    listed = pins.kept()
    st.subheader("Snapshots pinned links can open")
    st.caption("A link with `snapshot=<name>` (Share this view → This snapshot) opens one of these; a name no "
               "longer listed opens the latest, with a notice. A published root keeps what `publish --retention` "
               "keeps (docs/sharing.md).")
    kept = [{"name": k.name, "kept by": k.source, "as of": as_of_text(k.as_of), "published": as_of_text(k.published_at),
             "link": f"?snapshot={quote(k.name, safe='')}"} for k in listed.values()]
    page.small_table(pd.DataFrame(kept))  # a Markdown table up to 12 rows, a grid beyond
