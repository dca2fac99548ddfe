"""Charts drawn in a child process, beside the computation instead of after it.

vl-convert holds Python's global lock while it draws, and its engine takes about 0.7 s to start,
so drawing in the command's own process adds both to the run. A `ChartWorker` starts a small
child process (this module run as a script, which imports nothing but vl-convert) as the
command starts: its engine starts on the other core while the metrics are computed, and each
family's charts are drawn as soon as that family's report is ready (`prerender`), while the next
family is computed. The page then takes the finished pictures (`draw`, keyed by the spec).

Any failure of the child falls back to drawing in this process (`vega.svg_of`), which reports
real errors as usual; tests/render/html/test_worker.py compares both ways' pages."""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from typing import Any

from csmetrics.render.html.vega import THEME, accessible, svg_of

log = logging.getLogger("csmetrics")


def _key(spec: dict[str, Any]) -> str:
    return json.dumps(spec, sort_keys=True, default=str)


class ChartWorker:
    """A child process drawing Vega-Lite specs to SVG; `draw(spec, label)` as `svg_of`."""

    def __init__(self) -> None:
        self._futures: dict[str, Future[str]] = {}
        self._by_id: dict[int, Future[str]] = {}
        self._lock = threading.Lock()
        self._broken = False
        self._waited = 0.0  # seconds the page waited for pictures (--verbose says it)
        try:
            self._process: subprocess.Popen[str] | None = subprocess.Popen(
                [sys.executable, "-m", "csmetrics.render.html.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                encoding="utf-8",
            )
        except OSError:
            self._process, self._broken = None, True
            return
        # requests go through a queue and a thread of their own: a write to a full pipe waits
        # for the child to read, and the command must not wait while it computes
        self._outbox: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, name="chart-reader", daemon=True)
        self._writer = threading.Thread(target=self._write, name="chart-writer", daemon=True)
        self._reader.start()
        self._writer.start()

    def submit(self, spec: dict[str, Any]) -> Future[str]:
        """Ask for the spec's SVG (once per distinct spec); the future holds the raw SVG."""
        key = _key(spec)
        with self._lock:
            if key in self._futures:
                return self._futures[key]
            future: Future[str] = Future()
            self._futures[key] = future
            if self._broken or self._process is None or self._process.stdin is None:
                future.set_exception(RuntimeError("the chart worker is not running"))
                return future
            ident = len(self._by_id)
            self._by_id[ident] = future
        self._outbox.put(json.dumps({"id": ident, "spec": spec}) + "\n")
        return future

    def ahead(self, specs: list[dict[str, Any]]) -> None:
        """Start drawing these specs now; `draw` takes them when the page asks."""
        for spec in specs:
            self.submit(spec)

    def draw(self, spec: dict[str, Any], label: str) -> str:
        """The chart as `svg_of` draws it, from the child when it could."""
        started = time.perf_counter()
        try:
            svg = self.submit(spec).result()
        except RuntimeError:
            return svg_of(spec, label)
        finally:
            self._waited += time.perf_counter() - started
        return accessible(svg, label)

    def _write(self) -> None:
        assert self._process is not None and self._process.stdin is not None
        stdin = self._process.stdin
        try:
            while (request := self._outbox.get()) is not None:
                stdin.write(request)
                stdin.flush()
            stdin.close()  # the child finishes what it was asked, then exits
        except (OSError, ValueError):
            self._fail_all()

    def _read(self) -> None:
        assert self._process is not None and self._process.stdout is not None
        for line in self._process.stdout:
            answer = json.loads(line)
            future = self._by_id[answer["id"]]
            if "svg" in answer:
                future.set_result(answer["svg"])
            else:
                future.set_exception(RuntimeError(answer.get("error", "chart failed")))
        self._fail_all()  # the child ended: nothing more will come

    def _fail_all(self) -> None:
        with self._lock:
            self._broken = True
            for future in self._by_id.values():
                if not future.done():
                    future.set_exception(RuntimeError("the chart worker stopped"))

    def close(self) -> None:
        """End the child (its input closed, it finishes what it was asked and exits)."""
        process, self._process = self._process, None
        if process is None:
            return
        log.debug("charts: %d drawn by the worker; the page waited %.3fs for them",
                  len(self._by_id), self._waited)  # fmt: skip
        self._outbox.put(None)
        try:
            self._writer.join(timeout=10)
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        self._reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> ChartWorker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_early: ChartWorker | None = None


def start_early() -> None:
    """Start a worker now, for the command that will ask for one (launch.py)."""
    global _early
    _early = ChartWorker()


def chart_worker() -> ChartWorker:
    """The worker started early for this command, else a new one."""
    global _early
    worker, _early = _early, None
    return worker if worker is not None else ChartWorker()


def main() -> None:
    """The child: start the engine, then one JSON request per line in, one answer per line
    out, in order."""
    import os

    import vl_convert

    # below the command's own priority: the metrics come first, the charts take the idle core
    with contextlib.suppress(OSError):
        os.nice(10)
    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"x": 0}]}})
    for line in sys.stdin:
        request = json.loads(line)
        try:
            svg = vl_convert.vegalite_to_svg({"config": THEME, **request["spec"]})
            answer: dict[str, Any] = {"id": request["id"], "svg": svg}
        except Exception as error:  # said back to the parent, which draws it itself
            answer = {"id": request["id"], "error": str(error)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
