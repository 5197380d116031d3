"""What brings a Dask worker's CPU cost per word near one process's: two defaults of dask.distributed cost a
Geoparser up to a fifth of its CPU time (measured with one worker and with one process, README,
"Corpus mode"):

- The nanny starts each worker with ``MALLOC_TRIM_THRESHOLD_=65536``: glibc hands freed memory back to
  the system as soon as 64 KB are free at the heap's top, so every spaCy batch takes its pages back
  with page faults (160 LGL articles in one process: 21 times the page faults, +19% CPU; in a
  worker +14%). ``keep_freed_memory`` raises the threshold inside the worker (it works on any
  worker, also one started apart with ``dask worker``): the faults and the CPU time fall back to
  glibc's defaults' (or below), peak memory within 6 MB of them.
- The worker's statistical profiler walks the task thread's stack every 10 ms (up to 8% CPU for
  spaCy's deep stacks). ``LOCAL_CLUSTER_CONFIG`` turns it off for the local cluster corpus mode starts.

The nanny's one-thread settings for OpenMP, MKL and OpenBLAS stay: spaCy's matrix products run in
blis on one thread anyway, and one thread per worker process is what avoids oversubscribing the cores.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

__all__ = ["LOCAL_CLUSTER_CONFIG", "MMAP_THRESHOLD", "TRIM_THRESHOLD", "keep_freed_memory"]

log = logging.getLogger(__name__)

#: Dask settings for the local cluster corpus mode starts (``dask.config.set(LOCAL_CLUSTER_CONFIG)``).
LOCAL_CLUSTER_CONFIG: dict[str, object] = {
    "distributed.worker.profile.enabled": False,
    # None drops the variable, so glibc keeps its default (dynamic) thresholds in the worker.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
}
#: Free memory kept at the heap's top before glibc returns it (bytes).
TRIM_THRESHOLD = 16 << 20
#: Allocations from this size are mapped apart (bytes): spaCy's batch arrays stay in the heap.
MMAP_THRESHOLD = 16 << 20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def keep_freed_memory() -> bool:
    """Raise glibc's trim and mmap thresholds in this process (Linux, glibc); return True when set.

    Undoes the nanny's ``MALLOC_TRIM_THRESHOLD_=65536`` for a worker already started with it. A
    process keeps at most ``TRIM_THRESHOLD`` of freed memory it could have returned.
    """
    if not sys.platform.startswith("linux"):
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt thresholds)
        log.debug("mallopt is not available; malloc thresholds left as they are")
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    done = mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1 and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
    log.debug("malloc thresholds raised: %s", done)
    return done
