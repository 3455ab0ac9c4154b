"""Timing helpers that the benchmark scripts share."""

# Authors: The sklearn_nmfx developers
# SPDX-License-Identifier: BSD-3-Clause

import os
import time

import numpy as np
from threadpoolctl import threadpool_limits


def best_time(func, repeat=3):
    """Least wall time of ``repeat`` calls, and the last call's result."""
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def hold_threads(n_threads):
    """Hold scikit-learn's estimators and ours to ``n_threads`` threads.

    KMeans reads its thread count from threadpoolctl's OpenMP limit, our
    k-means and row sweeps from ``OMP_NUM_THREADS`` and the BLAS limit.
    """
    os.environ["OMP_NUM_THREADS"] = str(n_threads)
    threadpool_limits(n_threads)
