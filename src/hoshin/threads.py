"""How many CPU threads one model call or matrix product may use (HOSHIN_CPU_THREADS).

Batch work (a triage of 100,000 texts) is best served by every core working on one big product.
A server is not: it runs many small requests side by side, and when each small product or model
call also fans out over every core, the threads spin waiting for each other. On a loaded 2-core
machine one row against the 1,235-row background took 13 ms with OpenBLAS's own threads and
0.25 ms with one thread. So `hoshin serve` sets one thread per call; everything else keeps the
libraries' defaults unless the setting says otherwise.
"""

from __future__ import annotations

import os

__all__ = ["cpu_threads", "limit_blas_threads"]


def cpu_threads() -> int | None:
    """HOSHIN_CPU_THREADS as a number; None when unset (the libraries decide)."""
    from hoshin.config import settings

    return settings.cpu_threads


def limit_blas_threads() -> None:
    """Apply HOSHIN_CPU_THREADS to the BLAS numpy uses, for the rest of this process."""
    wanted = cpu_threads()
    if wanted is None:
        return
    # threadpoolctl limits the libraries loaded so far: load numpy's BLAS first (a fresh server
    # worker process may not have imported numpy yet), and tell any BLAS loaded later the same.
    import numpy  # noqa: F401
    from threadpoolctl import threadpool_limits

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, str(wanted))
    threadpool_limits(limits=wanted, user_api="blas")
