"""Free memory given back to the system before a long export.

A worker that has just built a page of 500 documents keeps the freed heap (glibc keeps it for the next
allocation), and an export that streams for minutes then peaks on top of that: at a million cases the
exports' peak was mostly what earlier requests had left (issue 16). ``malloc_trim`` hands the free heap back
first; on a C library without it nothing changes.
"""

import ctypes
import ctypes.util
import gc
from collections.abc import Iterable, Iterator

_LIBC = ctypes.util.find_library("c")


def release_free_memory() -> None:
    gc.collect()
    try:
        ctypes.CDLL(_LIBC).malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass


def after_releasing_memory(chunks: Iterable) -> Iterator:
    """``chunks``, started once the free heap is given back (when the response starts, not when it is made)."""
    release_free_memory()
    yield from chunks
