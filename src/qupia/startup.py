"""Start-up without the garbage collector: :func:`gc_paused`.

Importing qupia's modules and loading its patterns and model make over a hundred thousand
objects that live as long as the process, and almost no garbage (a few hundred objects in
cycles); meanwhile the collector runs every 700 new objects and its older generations walk all
that was made before. Paused while the command line is imported, the pipeline is imported and
the resources are loaded, a ``qupia check`` spends about 15 ms less CPU before its first
worker is forked (docs/speed.md, issue 12).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused(keep: bool = False) -> Iterator[None]:
    """The garbage collector off inside, and back as it was (on, unless a caller had turned it
    off) after; as a decorator (``@gc_paused()``), while the function runs. With *keep* (what
    the command line imports: modules, classes, functions, which live as long as the process),
    what was made inside is moved out of the collector's sight (``gc.freeze``): else its first
    pass after would walk all of it, about 7 ms for the command line's modules and 10 ms for
    the pipeline's."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep:
            gc.freeze()
        if enabled:
            gc.enable()


def ending() -> None:
    """The process ends now: the full collection Python makes as it exits (about 25 ms after a
    ``qupia check``, walking every object of the loaded pipeline) is left out; objects need no
    collecting when their process ends."""
    gc.freeze()
