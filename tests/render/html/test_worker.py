"""The chart worker (a child process that draws ahead, render/html/worker.py) gives the same
page as drawing in this process, the plain way; and a worker that died falls back to it."""

from __future__ import annotations

import pytest

import csmetrics as cm
from csmetrics.launch import asks_for_html
from csmetrics.render.html.page import bundle_html, specs_of
from csmetrics.render.html.vega import svg_of
from csmetrics.render.html.worker import ChartWorker

SPEC = {"mark": "bar", "data": {"values": [{"a": "x", "b": 2}]},
        "encoding": {"x": {"field": "a", "type": "nominal"},
                     "y": {"field": "b", "type": "quantitative"}}}  # fmt: skip


def test_the_worker_draws_the_same_page(sample_bundle: cm.Bundle) -> None:
    with ChartWorker() as worker:
        for report in sample_bundle.current.values():
            worker.ahead(specs_of(report))
        drawn_ahead = bundle_html(sample_bundle, worker.draw)
    assert drawn_ahead == bundle_html(sample_bundle)  # the plain way: svg_of in this process


def test_a_spec_is_drawn_once() -> None:
    with ChartWorker() as worker:
        first, second = worker.submit(dict(SPEC)), worker.submit(dict(SPEC))
        assert first is second
        assert first.result(timeout=30).startswith("<svg")


def test_a_dead_worker_falls_back_to_drawing_here() -> None:
    worker = ChartWorker()
    worker.close()  # the child is gone: nothing it could draw
    assert worker.draw(SPEC, "bars") == svg_of(SPEC, "bars")


@pytest.mark.parametrize(
    ("arguments", "asks"),
    [
        (["report", "--format", "html"], True),
        (["support", "--format=html", "--output", "s.html"], True),
        (["report", "--format", "json"], False),
        (["report", "--events", "html"], False),  # a file named html is not the format
        (["report", "--format"], False),
    ],
)
def test_the_worker_starts_early_only_for_a_page(arguments: list[str], asks: bool) -> None:
    assert asks_for_html(arguments) is asks
