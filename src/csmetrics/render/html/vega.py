"""Vega-Lite specs to static SVG, offline: vl-convert-python runs Vega in an embedded
JavaScript engine, so no browser, network or Node.js is needed at render time, and the SVG it
writes needs no script at view time (e-mail clients and wiki previews block scripts).

The engine starts once per process (about 0.7 s, then a few tens of ms per chart); the commands
draw in a child process beside the computation instead (worker.py)."""

from __future__ import annotations

import hashlib
import html
import re
from typing import Any

# Okabe & Ito's palette, safe for the common colour-vision deficiencies; series are also told
# apart by their labels and marks, never by colour alone.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Charts are drawn about as wide as a phone's column and scaled by CSS (their viewBox stays):
# text stays readable at 375 px, and a 1280 px screen shows two charts side by side.
WIDTH = 320
HEIGHT = 180
THEME: dict[str, Any] = {
    "background": None,
    # room for text a browser's font draws wider than the one measured here
    "padding": {"left": 14, "right": 14, "top": 5, "bottom": 5},
    "font": FONT,
    "view": {"stroke": None},
    "range": {"category": list(PALETTE)},
    "axis": {
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "gridColor": "#e6e6e6",
        "domainColor": "#888",
        "tickColor": "#888",
        "labelLimit": 140,
    },
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "title": {"fontSize": 13, "anchor": "start", "fontWeight": 600},
}


def _own_ids(svg: str, prefix: str) -> str:
    """Vega numbers the ids of gradients and clip paths per process (`gradient_0`, ...): many
    charts inline in one page would share them, and a chart's picture would depend on what the
    process drew before. Each chart's ids are renumbered from 0 under a prefix of its own."""
    for number, old in enumerate(dict.fromkeys(re.findall(r'\sid="([^"]+)"', svg))):
        new = f"{prefix}-{number}"
        svg = svg.replace(f'id="{old}"', f'id="{new}"').replace(f"url(#{old})", f"url(#{new})")
    return svg


def svg_of(spec: dict[str, Any], label: str) -> str:
    """The chart as an inline `<svg>`: scalable (its size moves to the viewBox), and an image
    to assistive technology, named by `label` (the chart's text alternative)."""
    import vl_convert

    return accessible(vl_convert.vegalite_to_svg({"config": THEME, **spec}), label)


def accessible(svg: str, label: str) -> str:
    """vl-convert's SVG made scalable and named (see `svg_of`), its ids its own."""
    svg = _own_ids(svg, "c" + hashlib.sha1(label.encode("utf-8")).hexdigest()[:10])
    opening = re.match(r"<svg\b[^>]*>", svg)
    if opening is None:  # vl-convert always writes one root <svg>
        raise ValueError("vl-convert returned no <svg> element")
    tag = re.sub(r'\s(width|height|class)="[^"]*"', "", opening.group(0))
    tag = tag[:-1] + ' role="img" class="marks chart" preserveAspectRatio="xMinYMin meet">'
    return f"{tag}<title>{html.escape(label)}</title>{svg[opening.end() :]}"
