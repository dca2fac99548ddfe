"""Reports as one self-contained HTML page: `page.py` assembles it, `cards.py` the headline
cards, `product.py` and `business.py` the charts of each table (`gallery.py` maps them),
`vega.py` renders their Vega-Lite specs to inline SVG."""
