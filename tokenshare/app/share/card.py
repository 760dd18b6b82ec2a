"""A PNG card of a view, for a social post or a chat: the page's main chart rendered on
the server from its own Vega-Lite spec (vl-convert), with the page's title, the headline
figure, the filters in words, the citation line and, on the sample, the synthetic label
burned in, at 1200 x 675 (16:9, what social posts show in full).

The chart is rendered to SVG at the size of its place on the card; the card is an SVG
around it (its text escaped), turned into PNG by vl-convert's own SVG renderer, so the
PNG is exactly the card's size whatever the chart's layout adds.

Plain Python: nothing here imports streamlit."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1200, 675
MARGIN = 40
CHART_TOP, CHART_BOTTOM = 170, 602  # the chart's band on the card (its top moves down under longer words)
CHART_SCALE = 1.3
FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
_OPENING = re.compile(r"<svg\b[^>]*>")
_ATTR = re.compile(r'\b(width|height)="([\d.]+)(?:px)?"')


@dataclass(frozen=True)
class CardText:
    title: str
    headline: str
    filters: str
    citation: str
    synthetic: bool


def _lines(text: str, size: int, width: int, most: int) -> list[str]:
    """``text`` wrapped to ``width`` pixels at font ``size`` (about 0.53 em a character),
    at most ``most`` lines, the last cut with an ellipsis."""
    per_line = max(20, int(width / (size * 0.53)))
    lines = textwrap.wrap(" ".join(text.split()), per_line) or [""]
    if len(lines) > most:
        lines = lines[:most]
        lines[-1] = lines[-1][: per_line - 1].rstrip() + "…"
    return lines


def _text(x: int, y: int, lines: list[str], size: int, *, weight: str = "normal", fill: str = "#0F172A",
          gap: float = 1.25) -> str:
    spans = "".join(f'<tspan x="{x}" dy="{0 if i == 0 else size * gap:.0f}">{escape(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text x="{x}" y="{y}" font-family="{FONT}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}">{spans}</text>')


def chart_svg(spec: dict, width: int, height: int) -> str:
    """The chart as SVG at about ``width`` x ``height`` (a concatenated chart keeps its
    own layout and is scaled onto the card), on white; no data is fetched from anywhere."""
    import vl_convert

    spec = dict(spec)
    if not any(k in spec for k in ("vconcat", "hconcat", "concat", "facet", "repeat")):
        spec["width"], spec["height"] = width, height
        spec["autosize"] = {"type": "fit", "contains": "padding"}
    spec["config"] = {**(spec.get("config") or {}), "background": "white"}
    spec.pop("title", None)  # the card has its own
    return vl_convert.vegalite_to_svg(spec, allowed_base_urls=[])


def placed(svg: str, x: int, y: int, width: int, height: int) -> str:
    """``svg`` as a nested <svg> at (x, y), scaled to fit ``width`` x ``height`` keeping
    its proportions: its opening tag replaced by one that places it."""
    svg = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg)
    opening = _OPENING.search(svg)
    if not opening:
        return ""
    size = dict((k, float(v)) for k, v in _ATTR.findall(opening.group(0)))
    w, h = size.get("width", width), size.get("height", height)
    tag = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="{x}" y="{y}" '
           f'width="{width}" height="{height}" viewBox="0 0 {w:g} {h:g}" preserveAspectRatio="xMidYMid meet">')
    return svg[:opening.start()] + tag + svg[opening.end():]


def card_svg(chart: str | None, text: CardText) -> str:
    """The card as SVG text: ``chart`` (an SVG, or None for a page without a chart) in
    the band under the words, the source line at the foot."""
    inner = WIDTH - 2 * MARGIN
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
             f'viewBox="0 0 {WIDTH} {HEIGHT}">', f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#FFFFFF"/>']
    title_width = inner - (340 if text.synthetic else 0)
    parts.append(_text(MARGIN, 56, _lines(text.title, 32, title_width, 1), 32, weight="bold"))
    # a headline that does not fit one line at 24 px gets two at 20 px; the rest moves down
    head_size = 24 if len(_lines(text.headline, 24, inner, 2)) == 1 else 20
    head = _lines(text.headline, head_size, inner, 2)
    parts.append(_text(MARGIN, 98, head, head_size, weight="bold", fill="#15803D"))
    filters_y = 98 + int(head_size * 1.25 * (len(head) - 1)) + 32
    filters = _lines(text.filters, 16, inner, 2)
    parts.append(_text(MARGIN, filters_y, filters, 16, fill="#475569"))
    chart_top = filters_y + int(16 * 1.25 * (len(filters) - 1)) + 24
    if chart:
        parts.append(placed(chart, MARGIN, chart_top, inner, CHART_BOTTOM - chart_top))
    parts.append(f'<line x1="{MARGIN}" y1="{CHART_BOTTOM + 12}" x2="{WIDTH - MARGIN}" y2="{CHART_BOTTOM + 12}" '
                 'stroke="#E2E8F0" stroke-width="1"/>')
    parts.append(_text(MARGIN, CHART_BOTTOM + 38, _lines(text.citation, 14, inner, 2), 14, fill="#64748B"))
    if text.synthetic:
        x = WIDTH - MARGIN - 320
        parts.append(f'<rect x="{x}" y="26" width="320" height="40" rx="6" fill="#FEF3C7" stroke="#D97706"/>')
        parts.append(_text(x + 12, 44, ["SYNTHETIC SAMPLE DATA"], 15, weight="bold", fill="#92400E"))
        parts.append(_text(x + 12, 60, ["not OpenRouter's figures"], 12, fill="#92400E"))
    parts.append("</svg>")
    return "".join(parts)


def card_png(spec: dict | None, text: CardText) -> bytes:
    """The card as PNG bytes, WIDTH x HEIGHT."""
    import vl_convert

    # drawn smaller than its place and scaled up: axis labels and legends read at post size
    chart = chart_svg(spec, int((WIDTH - 2 * MARGIN) / CHART_SCALE), int((CHART_BOTTOM - CHART_TOP) / CHART_SCALE)) \
        if spec else None
    return bytes(vl_convert.svg_to_png(card_svg(chart, text), scale=1.0))
