"""Keep freed memory in the process while a chunk runs on a Dask worker.

A simulation step allocates and frees tens of MB of arrays. Dask's nannies start workers with
``MALLOC_TRIM_THRESHOLD_=65536`` (``distributed.nanny.pre-spawn-environ``) so that glibc hands
freed memory back to the system at once; that also fixes glibc's mmap threshold at 128 KiB,
and every step's large arrays are then mapped afresh and page-faulted in: a chunk ran 2× as
long on a Dask worker as in a local process (``benchmarks/bench_simulate.py``; 2.4 million
page faults a simulated year instead of 20,000). :func:`keep_freed_memory` raises both
thresholds while a chunk runs and puts the environment's values back after it, so the worker
still returns memory between tasks. Nothing changes where the environment sets no threshold
(glibc's dynamic thresholds already keep the memory) or where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
from collections.abc import Iterator
from contextlib import contextmanager

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
GLIBC_MMAP_DEFAULT = 128 * 1024
CHUNK_TRIM = 256 << 20  # keep up to 256 MiB of freed memory at the top of the heap
CHUNK_MMAP = 32 << 20  # glibc's largest mmap threshold: arrays below it come from the heap


@contextmanager
def keep_freed_memory() -> Iterator[None]:
    """Within the block, glibc keeps freed memory (see the module docstring)."""
    trim = os.environ.get("MALLOC_TRIM_THRESHOLD_")
    libc = _glibc() if trim is not None else None
    if libc is None or trim is None:
        yield
        return
    mmap = os.environ.get("MALLOC_MMAP_THRESHOLD_")
    libc.mallopt(M_TRIM_THRESHOLD, CHUNK_TRIM)
    libc.mallopt(M_MMAP_THRESHOLD, CHUNK_MMAP)
    try:
        yield
    finally:
        libc.mallopt(M_TRIM_THRESHOLD, _int(trim, CHUNK_TRIM))
        libc.mallopt(M_MMAP_THRESHOLD, _int(mmap, GLIBC_MMAP_DEFAULT))
        libc.malloc_trim(0)  # what the worker would have returned during the chunk


def _glibc() -> ctypes.CDLL | None:
    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return None
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default
