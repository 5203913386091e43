"""glibc's malloc told to keep the memory a batch frees for the next batch.

Each batch of documents allocates and frees the model's working arrays (hundreds of KiB to a
few MiB each). By default glibc maps an allocation over its mmap threshold (128 KiB at first,
raised as such blocks are freed, up to 32 MiB) with a fresh ``mmap`` and unmaps it when it is
freed, and it gives back (trims) the free memory at the top of its heap once there is more than
twice that threshold of it. The next batch then faults every one of those pages in again: a
page fault and a zeroed page for each 4 KiB. :func:`keep_batch_memory` sets both thresholds once
(``mallopt``): only an allocation over 32 MiB is mapped on its own (setting the threshold also
turns glibc's moving one off), and up to 128 MiB of free memory stays at the top of the heap for
reuse. The cost is residency: a process holds up to that much memory it is not using between
batches (docs/performance.md, "Memory reuse between batches").

Called by the command (not by in-process callers of the library: the settings are the whole
process's), by ``--jobs`` workers and by the fork server a local Dask cluster's workers are
forked from (settings are inherited through ``fork``). Elsewhere than on glibc it does nothing.
"""

from __future__ import annotations

import os

M_TRIM_THRESHOLD = -1  # mallopt(3) parameters, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
TRIM_THRESHOLD = 128 * 1024 * 1024  # free memory kept at the top of the heap
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest: HEAP_MAX_SIZE / 2 on 64-bit; a larger value is refused


def glibc() -> bool:
    """Whether this process runs on glibc (not musl, macOS, Windows)."""
    try:
        version = os.confstr("CS_GNU_LIBC_VERSION")  # 'glibc 2.36'
    except (AttributeError, ValueError, OSError):  # no confstr, or no such name here
        return False
    return bool(version) and version.split()[0] == "glibc"


def keep_batch_memory() -> bool:
    """Set glibc's trim threshold to 128 MiB and its mmap threshold to 32 MiB; whether both
    were accepted. Nothing is done (False) where the C library is not glibc; never raises."""
    if not glibc():
        return False
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
        mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        mallopt.restype = ctypes.c_int
        trimmed = mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
        mapped = mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    except Exception:  # noqa: BLE001  (no ctypes, no mallopt in the process's libraries: leave malloc as it is)
        return False
    return trimmed and mapped
