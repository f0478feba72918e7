"""Start-up without the garbage collector: :func:`gc_paused`.

Importing qupia's modules and loading its patterns and model make a few hundred thousand
objects that live as long as the process, and no garbage cycles; meanwhile the collector runs
every 700 new objects and its older generations walk all that was made before. Paused while
the command line is imported, the pipeline is imported and the resources are loaded, a
``qupia check`` spends about 15 ms less CPU before its first worker is forked (README, issue 12).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """The garbage collector off inside, and back as it was (on, unless a caller had turned it
    off) after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
