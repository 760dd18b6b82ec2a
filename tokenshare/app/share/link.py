"""The canonical link of a view: the app's address, the page's path and the URL keys
whose values differ from their defaults, in the registry's order (``urls.PARAMS``), each
value as the URL spells it. The same view, in its shortest form: keys the page does not
read, unknown keys and values a filter ignored are left out (the caller passes what the
view uses, not the raw URL).

Plain Python: nothing here imports streamlit."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from tokenshare.app import urls

EMBED = ("embed", "true")  # Streamlit's own key: the page without the app's chrome


def reads(key: str, url_path: str) -> bool:
    """Whether the page at ``url_path`` reads ``key`` (global keys: every page)."""
    p = urls.param(key)
    return p.is_global or url_path in p.pages


def canonical_pairs(current: dict[str, list[str]], defaults: dict[str, list[str]],
                    url_path: str) -> list[tuple[str, str]]:
    """(key, value) pairs for the keys of ``current`` (key -> the values the view uses, as
    URL text) that the page reads and whose values differ from ``defaults`` (key -> the
    values the view would use without the key), in the registry's order; a repeated key's
    values in the order given. Keys the registry does not declare are dropped."""
    pairs = []
    for key in urls.PARAMS:
        values = [str(v) for v in current.get(key) or () if str(v) != ""]
        if not values or not reads(key, url_path):
            continue
        if values == [str(v) for v in defaults.get(key) or ()]:
            continue
        pairs += [(key, v) for v in values]
    return pairs


def page_address(base: str | None, url_path: str) -> str:
    """The page's address: ``base`` + "/" + path (the default page is the app's root).
    Without ``base``, a link relative to the app's root ("./race")."""
    path = "" if url_path in ("", "home") else quote(url_path)
    if not base:
        return f"./{path}" if path else "./"
    return f"{base.rstrip('/')}/{path}"


def canonical_url(base: str | None, url_path: str, pairs: list[tuple[str, str]], *, embed: bool = False) -> str:
    """The link: the page's address and ``pairs`` as its query string (``embed``: with
    Streamlit's ``embed=true`` last, for an iframe)."""
    query = list(pairs) + ([EMBED] if embed else [])
    address = page_address(base, url_path)
    return address + ("?" + urlencode(query, quote_via=quote, safe="") if query else "")


def embed_snippet(url: str, title: str, height: int = 720) -> str:
    """An iframe that shows the view (``url`` made with ``embed=True``)."""
    safe_title = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    safe_url = url.replace("&", "&amp;").replace('"', "&quot;")
    return (f'<iframe src="{safe_url}" title="{safe_title}" width="100%" height="{height}" '
            'style="border:0" loading="lazy"></iframe>')
