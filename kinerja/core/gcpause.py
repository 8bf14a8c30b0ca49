"""Pausing CPython's cyclic garbage collector while a request builds many small objects.

A national dashboard builds some 20 000 figure objects (each with its Decimals and dataclasses)
and renders a few thousand table cells. None of them forms a reference cycle that needs the cyclic
collector, yet every 700 allocations it runs, and as the objects survive it walks them again in
the older generations: a third of the roll-up's time (0,59 s → 0,43 s on the benchmark database,
docs/performance.md). Reference counting still frees everything as usual; the collector runs again
as soon as the block ends. Nested use is harmless: only the outermost block switches it back on.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def pausing_collector(view: Callable[P, R]) -> Callable[P, R]:
    """A view (or any function) run with the cyclic collector paused."""

    @functools.wraps(view)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return view(*args, **kwargs)

    return wrapped
